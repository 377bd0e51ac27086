"""Route × role rows of 责任追究 (merged into tests/test_route_table.py).

Each side gets an open case at its county (涟源市 / 娄星区) with 一案双查: the side's township person directly
responsible and its lead leader, plus a third action (a 约谈提醒 of the unit) that may be removed, and one document.
"In", the 纪委 login held at 涟源市 records and the head reads; every other role gets 404, as for an absent case.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huitoukan.access.models import Role
from huitoukan.accountability import case_services
from huitoukan.accountability.models import (
    ActionKind,
    Case,
    CaseAction,
    CaseCause,
    CaseState,
    Responsibility,
)
from tests.conftest import user_create
from tests.route_types import SIDE_BUILDERS, Route

RECORDERS = frozenset({Role.DISCIPLINE})
READERS = frozenset({Role.DISCIPLINE, Role.UNIT_HEAD})
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CREATED = "路由表登记的责任追究"
EDITED = "路由表修改的责任追究"


def _pdf():
    return SimpleUploadedFile("处理决定.pdf", PDF, content_type="application/pdf")


def _build(inn, out, users, tree):
    discipline_out = user_create(Role.DISCIPLINE, out.county, username="case_discipline_out")
    today = timezone.localdate()
    for side, actor in ((inn, users[Role.DISCIPLINE]), (out, discipline_out)):
        side.case = case_services.case_record(
            actor=actor, unit=side.county, title=f"{side.county.name}“四风”问题反弹", cause=CaseCause.RELAPSE,
            facts="问题反弹。", double_check=True, decided_on=today, decider="纪委",
            actions=[(side.person, Responsibility.DIRECT, ActionKind.CIRCULATE, today, ""),
                     (side.leader, Responsibility.LEADER, ActionKind.ADMONISH, today, ""),
                     (None, Responsibility.UNIT, ActionKind.TALK, today, "")],
            files=[_pdf()])
        side.case_action = side.case.actions.get(responsibility=Responsibility.UNIT)
        side.case_document = side.case.documents.get()


SIDE_BUILDERS.append(_build)


def _case(pattern: str = ""):
    return lambda s, p=pattern: f"/accountability/cases/{s.case.pk}/" + p


def _fields(s, title: str) -> dict:
    return {"title": title, "cause": CaseCause.RELAPSE, "double_check": "on", "facts": "问题反弹。",
            "decided_on": timezone.localdate().isoformat(), "decider": "纪委"}


def _create_body(s) -> dict:
    today = timezone.localdate().isoformat()
    return {**_fields(s, CREATED), "actions-TOTAL_FORMS": "2", "actions-INITIAL_FORMS": "0",
            "actions-MIN_NUM_FORMS": "0", "actions-MAX_NUM_FORMS": "30",
            "actions-0-person": s.person.pk, "actions-0-responsibility": Responsibility.DIRECT,
            "actions-0-kind": ActionKind.CIRCULATE, "actions-0-decided_on": today,
            "actions-1-person": s.leader.pk, "actions-1-responsibility": Responsibility.LEADER,
            "actions-1-kind": ActionKind.TALK, "actions-1-decided_on": today}


def _action_body(s) -> dict:
    return {"person": s.person.pk, "responsibility": Responsibility.DIRECT, "kind": ActionKind.EXPOSE,
            "decided_on": timezone.localdate().isoformat(), "note": "公开曝光"}


ROUTES: dict = {
    ("case-list", "GET"): Route(lambda s: "/accountability/cases/", READERS, out=False),
    ("case-suggestions", "GET"): Route(lambda s: "/accountability/cases/suggestions/", READERS, out=False),
    ("case-create", "GET"): Route(lambda s: f"/accountability/cases/new/?unit={s.county.pk}", RECORDERS,
                                  readers=READERS),
    ("case-create", "POST"): Route(
        lambda s: f"/accountability/cases/new/?unit={s.county.pk}", RECORDERS, readers=READERS, ok_status=302,
        body=_create_body,
        done=lambda s, r: Case.objects.filter(title=CREATED, unit=s.county).exists()),
    ("case-detail", "GET"): Route(_case(), READERS),
    ("case-edit", "GET"): Route(_case("edit/"), RECORDERS, readers=READERS),
    ("case-edit", "POST"): Route(_case("edit/"), RECORDERS, readers=READERS, ok_status=302,
                                 body=lambda s: _fields(s, EDITED),
                                 done=lambda s, r: Case.objects.get(pk=s.case.pk).title == EDITED),
    ("case-action-add", "POST"): Route(
        _case("actions/"), RECORDERS, readers=READERS, ok_status=302, body=_action_body,
        done=lambda s, r: s.case.actions.filter(kind=ActionKind.EXPOSE).exists()),
    ("case-action-remove", "POST"): Route(
        lambda s: f"/accountability/cases/actions/{s.case_action.pk}/remove/", RECORDERS, readers=READERS,
        ok_status=302, done=lambda s, r: not CaseAction.objects.filter(pk=s.case_action.pk).exists()),
    ("case-documents", "POST"): Route(_case("documents/"), RECORDERS, readers=READERS, ok_status=302,
                                      body=lambda s: {"files": _pdf()},
                                      done=lambda s, r: s.case.documents.count() == 2),
    ("case-conclude", "POST"): Route(_case("conclude/"), RECORDERS, readers=READERS, ok_status=302,
                                     done=lambda s, r: Case.objects.get(pk=s.case.pk).state == CaseState.CONCLUDED),
    ("case-document-download", "GET"): Route(
        lambda s: f"/accountability/cases/documents/{s.case_document.pk}/", READERS),
}
