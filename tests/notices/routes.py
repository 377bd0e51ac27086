"""Route × role rows of 督办通知单 (merged into tests/test_route_table.py).

Each side gets two notices addressed to its county (涟源市 / 娄星区): one 待答复 (`notice`), one 已答复 with a
PDF in its answer (`answered_notice`, `notice_evidence`). "In", both are issued by the table's 督导组 member
(市委第二督导组, dispatched by 娄底市, assigned 涟源市) in 娄底市's name: the member is the issuing side (returns,
closes), 涟源市's own office answers, every other role held at 涟源市 reads them. Issuing goes to the side's
township, in the name of the office's county or of the group's dispatching unit.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huitoukan.access.models import Role
from huitoukan.notices import services
from huitoukan.notices.models import Notice, NoticeOffice, NoticeState
from tests.conftest import user_create
from tests.route_types import BUSINESS, SIDE_BUILDERS, Route

OFFICE = frozenset({Role.CAMPAIGN_OFFICE})
ISSUERS = frozenset({Role.CAMPAIGN_OFFICE, Role.SUPERVISOR})
ISSUING_SIDE = frozenset({Role.SUPERVISOR})
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TITLE = "关于督促桥头河镇整改的督办通知"


def _due() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=7)


def _issue(actor, unit):
    return services.notice_issue(actor=actor, addressed_unit=unit, title="关于督促整改落实的督办通知",
                                 problems="文山会海问题突出", requirements="限期整改到位", answer_due_on=_due())


def _build(inn, out, users, tree):
    issuer_out = user_create(Role.CAMPAIGN_OFFICE, out.county, username="notice_office_out")
    answerer_out = user_create(Role.CAMPAIGN_OFFICE, out.unit, username="notice_answerer_out")
    for side, issuer, answerer, unit in ((inn, users[Role.SUPERVISOR], users[Role.CAMPAIGN_OFFICE], inn.county),
                                         (out, issuer_out, answerer_out, out.unit)):
        side.notice = _issue(issuer, unit)
        side.answered_notice = _issue(issuer, unit)
        answer = services.notice_answer(actor=answerer, notice=side.answered_notice, report="已整改",
                                        files=[SimpleUploadedFile("整改报告.pdf", PDF)])
        side.notice_evidence = answer.evidence.get()


SIDE_BUILDERS.append(_build)


def _body(s) -> dict:
    return {"addressed_unit": s.unit.pk, "title": TITLE, "problems": "台账填报不规范", "requirements": "限期整改",
            "answer_due_on": _due().isoformat()}


def _issued(s, response) -> bool:
    return Notice.objects.filter(title=TITLE, addressed_unit=s.unit).exists()


def _state(name: str, state: str):
    return lambda s, response: Notice.objects.get(pk=getattr(s, name).pk).state == state


def _office_saved(s, response) -> bool:
    return NoticeOffice.objects.filter(unit=s.county, prefix="涟群办督").exists()


_OFFICE_BODY = {"prefix": "涟群办督", "issuer_name": "中共涟源市委教育实践活动领导小组办公室", "yellow_after_days": 1,
                "red_after_days": 8}

ROUTES: dict = {
    ("notice-list", "GET"): Route(lambda s: "/notices/", BUSINESS, out=False),
    ("notice-create", "GET"): Route(lambda s: f"/notices/new/?unit={s.unit.pk}", ISSUERS, readers=BUSINESS),
    ("notice-create", "POST"): Route(lambda s: "/notices/new/", ISSUERS, readers=BUSINESS, ok_status=302,
                                     body=_body, done=_issued),
    ("notice-detail", "GET"): Route(lambda s: f"/notices/{s.notice.pk}/", BUSINESS),
    # The addressed unit's own office answers; the head, the group and the others read it but may not.
    ("notice-answer", "POST"): Route(lambda s: f"/notices/{s.notice.pk}/answer/", OFFICE, readers=BUSINESS,
                                     ok_status=302, body=lambda s: {"report": "已建立台账"},
                                     done=_state("notice", NoticeState.ANSWERED)),
    # The issuing side (the group member who issued it in 娄底市's name) returns and closes; 涟源市's office not.
    ("notice-return", "POST"): Route(lambda s: f"/notices/{s.answered_notice.pk}/return/", ISSUING_SIDE,
                                     readers=BUSINESS, ok_status=302, body=lambda s: {"reason": "措施不具体"},
                                     done=_state("answered_notice", NoticeState.RETURNED)),
    ("notice-close", "POST"): Route(lambda s: f"/notices/{s.answered_notice.pk}/close/", ISSUING_SIDE,
                                    readers=BUSINESS, ok_status=302, body=lambda s: {"note": "整改到位"},
                                    done=_state("answered_notice", NoticeState.CLOSED)),
    ("notice-docx", "GET"): Route(lambda s: f"/notices/{s.notice.pk}/docx/", BUSINESS),
    ("notice-evidence-download", "GET"): Route(lambda s: f"/notices/evidence/{s.notice_evidence.pk}/", BUSINESS),
    # A unit's 发文设置: its own office's.
    ("notice-office", "GET"): Route(lambda s: f"/notices/offices/{s.county.pk}/", OFFICE, readers=BUSINESS),
    ("notice-office", "POST"): Route(lambda s: f"/notices/offices/{s.county.pk}/", OFFICE, readers=BUSINESS,
                                     ok_status=302, body=lambda s: dict(_OFFICE_BODY), done=_office_saved),
}


def _api(pattern: str):
    return lambda s, p=pattern: "/api/v1/notices/" + p.format(s=s)


ROUTES.update({
    ("api-notices", "GET"): Route(_api(""), BUSINESS, api=True, out=False),
    ("api-notices", "POST"): Route(_api(""), ISSUERS, readers=BUSINESS, api=True, ok_status=201, body=_body,
                                   done=_issued),
    ("api-notice", "GET"): Route(_api("{s.notice.pk}/"), BUSINESS, api=True),
    ("api-notice-answer", "POST"): Route(_api("{s.notice.pk}/answer/"), OFFICE, readers=BUSINESS, api=True,
                                         body=lambda s: {"report": "已建立台账"},
                                         done=_state("notice", NoticeState.ANSWERED)),
    ("api-notice-return", "POST"): Route(_api("{s.answered_notice.pk}/return/"), ISSUING_SIDE, readers=BUSINESS,
                                         api=True, body=lambda s: {"reason": "措施不具体"},
                                         done=_state("answered_notice", NoticeState.RETURNED)),
    ("api-notice-close", "POST"): Route(_api("{s.answered_notice.pk}/close/"), ISSUING_SIDE, readers=BUSINESS,
                                        api=True, body=lambda s: {"note": "整改到位"},
                                        done=_state("answered_notice", NoticeState.CLOSED)),
    ("api-notice-docx", "GET"): Route(_api("{s.notice.pk}/docx/"), BUSINESS, api=True),
})
