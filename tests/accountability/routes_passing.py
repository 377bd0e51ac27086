"""Route × role rows of 过关 and 述职评议考核 (merged into tests/test_route_table.py).

Each side's campaign (owned by 涟源市 / 娄星区) has its verdicts worked out and one 述职评议考核 of its township,
recorded by the side's discipline staff. "In", every business role held at 涟源市 reads the verdicts; the
discipline staff and the unit head read the appraisals; only the discipline staff record one. Out of scope, the
other side's campaign and township answer 404 to everybody.
"""

from __future__ import annotations

from django.utils import timezone

from huitoukan.access.models import Role
from huitoukan.accountability import passing_services
from huitoukan.accountability.models import AppraisalResult, ReportAppraisal
from tests.conftest import user_create
from tests.route_types import BUSINESS, SIDE_BUILDERS, Route

DISCIPLINE = frozenset({Role.DISCIPLINE})
APPRAISAL_READERS = frozenset({Role.DISCIPLINE, Role.UNIT_HEAD})
NOTE = "路由表：述职评议考核"


def _build(inn, out, users, tree):
    discipline_out = user_create(Role.DISCIPLINE, out.county, username="passing_discipline_out")
    for side, discipline in ((inn, users[Role.DISCIPLINE]), (out, discipline_out)):
        side.appraisal = passing_services.appraisal_record(
            actor=discipline, campaign=side.campaign, unit=side.unit, result=AppraisalResult.FAILED,
            appraised_on=side.campaign.starts_on, note="述职报告未联系整改实际")
        passing_services.verdicts_refresh(side.campaign)


SIDE_BUILDERS.append(_build)


def _appraisal(s) -> dict:
    return {"campaign": s.campaign.pk, "unit": s.unit.pk, "result": AppraisalResult.PASSED,
            "appraised_on": timezone.localdate().isoformat(), "note": NOTE}


ROUTES: dict = {
    ("passing-index", "GET"): Route(lambda s: f"/accountability/passing/?campaign={s.campaign.pk}&failed=1",
                                    BUSINESS),
    # the verdicts as they stood on a past day (accountability.passing_past)
    ("passing-as-of", "GET"): Route(lambda s: f"/accountability/passing/as-of/?campaign={s.campaign.pk}"
                                              "&day=2015-01-20", BUSINESS),
    ("appraisal-list", "GET"): Route(lambda s: f"/accountability/passing/appraisals/?campaign={s.campaign.pk}",
                                     APPRAISAL_READERS),
    ("appraisal-create", "GET"): Route(lambda s: "/accountability/passing/appraisals/new/", DISCIPLINE,
                                       readers=APPRAISAL_READERS, out=False),
    # The form names the unit: 403 to a reader of appraisals over it, 404 for a unit out of scope.
    ("appraisal-create", "POST"): Route(lambda s: "/accountability/passing/appraisals/new/", DISCIPLINE,
                                        readers=APPRAISAL_READERS, ok_status=302, body=_appraisal,
                                        done=lambda s, r: ReportAppraisal.objects.filter(unit=s.unit, note=NOTE).exists()),
}
