"""REST endpoints of the 汇总: the 督查督办 figures of a unit's subtree and of each child, as the page shows them."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from huitoukan.access.policy import Perm
from huitoukan.orgs import selectors as org_selectors
from huitoukan.publicity.models import OpinionState
from huitoukan.rollups import selectors
from huitoukan.rollups.supervision import supervision_rows


def _row(row) -> dict:
    return {"unit": row.unit.pk, "name": row.unit.name, "findings_open": row.findings_open,
            "findings_answered": row.findings_answered,
            "notices": {key: row.notices.get(key, 0) for key in ("blue", "yellow", "red", "closed")},
            "classes": row.classes, "failed": row.failed,
            "opinions": {state: row.opinions.get(state, 0) for state in OpinionState.values},
            "satisfaction_low": row.satisfaction_low, "passing": row.passing}


class SupervisionRollupApi(APIView):
    @extend_schema(operation_id="rollups_supervision", summary=_("督查督办汇总：未办结问题、督办通知单分色、研判分类、不合格、群众意见、满意度严重偏低、过关"),
                   parameters=[OpenApiParameter("campaign", int, description=_("活动（默认最近的）"))],
                   responses={200: dict})
    def get(self, request, pk: int):
        unit = org_selectors.unit_get_for(user=request.user, pk=pk, perm=Perm.WORK_VIEW)
        campaigns = selectors.campaigns_for(user=request.user, unit=unit)
        chosen = request.query_params.get("campaign")
        campaign = next((c for c in campaigns if str(c.pk) == chosen), None) if chosen else next(iter(campaigns), None)
        if campaign is None:
            raise Http404
        _above, children = selectors.ancestors_and_children(unit)
        rows, total = supervision_rows(unit=unit, children=children, campaign=campaign)
        return Response({"unit": unit.pk, "campaign": campaign.pk, "total": _row(total),
                         "own": next(_row(r) for r in rows if r.own),
                         "children": [_row(r) for r in rows if not r.own]})


ENDPOINTS: list = [
    ("rollups/<int:pk>/supervision/", SupervisionRollupApi, "api-rollup-supervision"),
]
