"""Every ledger action, for every role, through the page and through the API: one verdict.

The expected verdicts are written out here as the rules (who may do what), not read from the
workflow, so weakening a guard in the code fails this table. Each request runs in a savepoint
that is rolled back, so every cell starts from the same world, built once for the module.
The item page offers exactly the actions the workflow allows, and the API lists the same.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from huitoukan.access import services as access_services
from huitoukan.access.models import Role
from huitoukan.campaigns import services as campaign_services
from huitoukan.ledgers import services, workflow
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import ClosingRequest, ClosingState, Item, ItemStatus
from huitoukan.ledgers.workflow import Action
from huitoukan.orgs import services as org_services
from tests.conftest import Tree, built_once, rolled_back
from tests.ledgers.conftest import PDF

OK, INVALID, FORBIDDEN, ABSENT = "ok", "invalid", "403", "404"

OFFICE, FILLER, LEADER, OTHER_LEADER = "office", "filler", "leader", "other_leader"
HEAD, SUPERVISOR, DISCIPLINE, NO_ROLE = "head", "supervisor", "discipline", "no_role"
SYSADMIN, SECADMIN, AUDITOR, OUTSIDER = "sysadmin", "secadmin", "auditor", "outsider"
LEADER_AS_HEAD = "leader_as_head"  # the lead leader's second login, holding 主要负责同志
READERS = {OFFICE, FILLER, LEADER, OTHER_LEADER, HEAD, SUPERVISOR, DISCIPLINE, LEADER_AS_HEAD}
STRANGERS = {NO_ROLE, SYSADMIN, SECADMIN, AUDITOR, OUTSIDER}
USERS = sorted(READERS | STRANGERS)


# Who may take each action on an item of 涟源市 (the rules of the seeds and the spec). The lead
# leader's second login holds 主要负责同志, yet may not verify their own work.
WHO = {
    Action.EDIT: {OFFICE, FILLER},
    Action.PROGRESS: {OFFICE, FILLER, LEADER, LEADER_AS_HEAD},
    Action.EVIDENCE: {OFFICE, FILLER, LEADER, LEADER_AS_HEAD},
    Action.REQUEST_CLOSE: {LEADER, LEADER_AS_HEAD},
    Action.VERIFY_CLOSE: {OFFICE, HEAD},
    Action.RETURN_CLOSE: {OFFICE, HEAD},
    Action.SEND_BACK: {OFFICE, HEAD, SUPERVISOR, LEADER_AS_HEAD},
    Action.RELAPSE: {OFFICE, HEAD, SUPERVISOR, LEADER_AS_HEAD},
}
# On which items each action can succeed: "open" is 整改中 with progress and evidence, "pending"
# the same with a closing request waiting, "closed" is 已销号, "not_started" has no progress yet.
POSSIBLE = {
    "open": {Action.EDIT, Action.PROGRESS, Action.EVIDENCE, Action.REQUEST_CLOSE, Action.SEND_BACK},
    "pending": {Action.EDIT, Action.PROGRESS, Action.EVIDENCE, Action.VERIFY_CLOSE, Action.RETURN_CLOSE,
                Action.SEND_BACK},
    "closed": {Action.EVIDENCE, Action.SEND_BACK, Action.RELAPSE},
    "not_started": {Action.EDIT, Action.PROGRESS, Action.EVIDENCE},
}
DECISIONS = {Action.VERIFY_CLOSE, Action.RETURN_CLOSE}  # they act on the pending item's request


def _expected(action: Action, target: str) -> dict[str, str]:
    """Allowed logins: ok if the item's state permits, else invalid; other readers 403; the rest 404."""
    allowed = OK if action in POSSIBLE[target] else INVALID
    return {**{u: ABSENT for u in STRANGERS}, **{u: FORBIDDEN for u in READERS},
            **{u: allowed for u in WHO[action]}}


# Every action a page or the API takes (a plan before any progress comes only from an import).
ROUTED = set(Action) - {Action.PLAN}
EXPECTED = {(action, target): _expected(action, target) for target in POSSIBLE for action in ROUTED
            if action not in DECISIONS or target == "pending"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    # built_once: rolled back at the module's end, and the world's evidence files kept out of var/.
    with built_once(django_db_blocker, tmp_path_factory):
        yield _build()


def _build():
    tree = Tree()
    lead = org_services.person_create(actor=None, unit=tree.lianyuan, name="吴海波", is_party_leader=True)
    other = org_services.person_create(actor=None, unit=tree.lianyuan, name="罗建华", is_party_leader=True)
    head_person = org_services.person_create(actor=None, unit=tree.lianyuan, name="张卫国", is_party_leader=True,
                                             is_unit_head=True)
    group = org_services.supervision_group_create(actor=None, dispatched_by=tree.city, name="市委第二督导组",
                                                  assigned_units=[tree.lianyuan])
    grants = {
        OFFICE: (Role.CAMPAIGN_OFFICE, tree.lianyuan, {}), FILLER: (Role.UNIT_FILLER, tree.lianyuan, {}),
        LEADER: (Role.RESPONSIBLE_LEADER, tree.lianyuan, {"person": lead}),
        OTHER_LEADER: (Role.RESPONSIBLE_LEADER, tree.lianyuan, {"person": other}),
        HEAD: (Role.UNIT_HEAD, tree.lianyuan, {"person": head_person}),
        LEADER_AS_HEAD: (Role.UNIT_HEAD, tree.lianyuan, {"person": lead}),
        SUPERVISOR: (Role.SUPERVISOR, tree.lianyuan, {"supervision_group": group}),
        DISCIPLINE: (Role.DISCIPLINE, tree.lianyuan, {}),
        SYSADMIN: (Role.SYSTEM_ADMIN, tree.lianyuan, {}), SECADMIN: (Role.SECURITY_ADMIN, tree.lianyuan, {}),
        AUDITOR: (Role.AUDIT_ADMIN, tree.city, {}), OUTSIDER: (Role.CAMPAIGN_OFFICE, tree.louxing, {}),
    }
    users = {NO_ROLE: get_user_model().objects.create_user(username=NO_ROLE)}
    for name, (role, unit, extra) in grants.items():
        users[name] = get_user_model().objects.create_user(username=name)
        access_services.role_grant(actor=None, user=users[name], role=role, unit=unit, **extra)
    campaign = campaign_services.campaign_create(actor=None, owner_unit=tree.city, name="回头看",
                                                 starts_on=dt.date(2014, 12, 31), ends_on=dt.date(2015, 2, 28))
    ledger = services.ledger_open(actor=None, campaign=campaign, unit=tree.lianyuan, kind=LedgerKind.LEADERSHIP)

    def item(problem, *, report=True):
        made = services.item_create(actor=None, ledger=ledger, problem=problem, measures="精简会议",
                                    lead_leaders=[lead])
        if report:
            services.progress_add(actor=None, item=made, progress="已压缩会议12个", leader=lead,
                                  files=[SimpleUploadedFile("佐证.pdf", PDF, content_type="application/pdf")])
        return made

    items = {"open": item("文山会海"), "pending": item("调研走过场"), "closed": item("超标配车"),
             "not_started": item("公款吃喝", report=False)}
    closing = services.closing_request(actor=users[LEADER], item=items["pending"], summary="已完成")
    to_close = services.closing_request(actor=users[LEADER], item=items["closed"], summary="已完成")
    services.closing_verify(actor=users[HEAD], request=to_close)
    return SimpleNamespace(tree=tree, users=users, lead=lead, items=items, closing=closing)


def _page(world, action: Action, target: str) -> tuple[str, dict]:
    item, closing = world.items[target], world.closing
    pdf = SimpleUploadedFile("新佐证.pdf", PDF + b"%new", content_type="application/pdf")
    return {
        Action.EDIT: (f"/ledgers/items/{item.pk}/edit/", {
            "problem": "文山会海（改）", "measures": "精简会议", "deadline_mode": "none",
            "lead_leaders": [world.lead.pk]}),
        Action.PROGRESS: (f"/ledgers/items/{item.pk}/progress/", {
            "progress": "又压缩会议3个", "status_after": ItemStatus.IN_PROGRESS, "reported_on": "2015-01-21",
            "leader": world.lead.pk}),
        Action.REQUEST_CLOSE: (f"/ledgers/items/{item.pk}/closing/", {"summary": "已整改到位", "files": pdf}),
        Action.VERIFY_CLOSE: (f"/ledgers/closings/{closing.pk}/decide/", {"decision": "verify", "note": "属实"}),
        Action.RETURN_CLOSE: (f"/ledgers/closings/{closing.pk}/decide/", {"decision": "return", "note": "佐证不足"}),
        Action.SEND_BACK: (f"/ledgers/items/{item.pk}/send-back/", {"reason": "整改不彻底", "due_on": "2015-04-30"}),
        Action.RELAPSE: (f"/ledgers/items/{item.pk}/relapse/", {"reason": "问题回潮"}),
    }[action]


def _api(world, action: Action, target: str) -> tuple[str, str, dict, str]:
    item, closing = world.items[target], world.closing
    json = "application/json"
    return {
        Action.EDIT: ("patch", f"/api/v1/items/{item.pk}/", {"measures": "精简会议文件"}, json),
        Action.PROGRESS: ("post", f"/api/v1/items/{item.pk}/progress/", {
            "progress": "又压缩会议3个", "leader": world.lead.pk}, json),
        Action.EVIDENCE: ("post", f"/api/v1/items/{item.pk}/evidence/", {
            "file": SimpleUploadedFile("新佐证.pdf", PDF + b"%new", content_type="application/pdf")}, "multipart"),
        Action.REQUEST_CLOSE: ("post", f"/api/v1/items/{item.pk}/closing/", {"summary": "已整改到位"}, json),
        Action.VERIFY_CLOSE: ("post", f"/api/v1/closings/{closing.pk}/verify/", {"note": "属实"}, json),
        Action.RETURN_CLOSE: ("post", f"/api/v1/closings/{closing.pk}/return/", {"note": "佐证不足"}, json),
        Action.SEND_BACK: ("post", f"/api/v1/items/{item.pk}/send-back/", {"reason": "整改不彻底"}, json),
        Action.RELAPSE: ("post", f"/api/v1/items/{item.pk}/relapse/", {"reason": "问题回潮"}, json),
    }[action]


def _verdict(status: int, *, page: bool) -> str:
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return ABSENT
    if page:  # a page redirects after a write, and shows the form again with the error when refused
        return {302: OK, 200: INVALID}.get(status, str(status))
    return OK if status in (200, 201) else INVALID if status == 400 else str(status)


def _rolled_back(request):
    with rolled_back():
        return request()


def _client(world, user: str) -> Client:
    client = Client()
    client.force_login(world.users[user])
    return client


@pytest.mark.parametrize(("action", "target"), sorted(EXPECTED), ids=lambda v: str(v))
def test_page_and_api_give_each_login_the_verdict_of_the_rules(db, world, action, target):
    failures = []
    for user in USERS:
        expected = EXPECTED[(action, target)][user]
        client = _client(world, user)
        method, url, body, kind = _api(world, action, target)
        send = getattr(client, method)
        if kind == "multipart":
            response = _rolled_back(lambda: send(url, body))  # noqa: B023
        else:
            response = _rolled_back(lambda: send(url, body, content_type=kind))  # noqa: B023
        api = _verdict(response.status_code, page=False)
        page = api
        if action != Action.EVIDENCE:  # evidence is added with a progress report on the page
            url, data = _page(world, action, target)
            page = _verdict(_rolled_back(lambda: client.post(url, data)).status_code, page=True)  # noqa: B023
        if not (api == page == expected):
            failures.append(f"{user}: expected {expected}, page {page}, API {api}")
    assert not failures, f"{action} on the {target} item:\n" + "\n".join(failures)


# What the item page shows for each action: the link or form that takes it.
OFFERED_BY = {
    Action.EDIT: "/ledgers/items/{item}/edit/",
    Action.PROGRESS: "/ledgers/items/{item}/progress/",
    Action.REQUEST_CLOSE: "/ledgers/items/{item}/closing/",
    Action.VERIFY_CLOSE: "/ledgers/closings/{closing}/decide/",
    Action.SEND_BACK: "/ledgers/items/{item}/send-back/",
    Action.RELAPSE: "/ledgers/items/{item}/relapse/",
}


@pytest.mark.parametrize("target", ["open", "pending", "closed", "not_started"])
def test_the_item_page_and_the_api_offer_exactly_the_actions_allowed(db, world, target):
    item = world.items[target]
    pending = ClosingRequest.objects.filter(item=item, state=ClosingState.PENDING).first()
    failures = []
    for user in sorted(READERS):
        client = _client(world, user)
        allowed = {action for (action, on), verdicts_ in EXPECTED.items()
                   if on == target and verdicts_[user] == OK}
        page = client.get(f"/ledgers/items/{item.pk}/").content.decode()
        shown = {action for action, url in OFFERED_BY.items()
                 if url.format(item=item.pk, closing=getattr(pending, "pk", 0)) in page}
        listed = set(client.get(f"/api/v1/items/{item.pk}/").json()["actions"])
        wanted = {a for a in allowed if a in OFFERED_BY}
        if shown != wanted:
            failures.append(f"{user}: page offers {sorted(shown)}, the rules allow {sorted(wanted)}")
        if {a for a in listed if a in {str(x) for x in allowed}} != {str(a) for a in allowed}:
            failures.append(f"{user}: API lists {sorted(listed)}, the rules allow {sorted(map(str, allowed))}")
        engine = workflow.actions_for(get_user_model().objects.get(pk=world.users[user].pk),
                                      workflow.ItemSubject.of(Item.objects.get(pk=item.pk)))
        if set(map(str, engine & ROUTED)) != listed:
            failures.append(f"{user}: API lists {sorted(listed)}, the workflow {sorted(map(str, engine))}")
    assert not failures, f"the {target} item:\n" + "\n".join(failures)
