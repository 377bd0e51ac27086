"""The route × role table: every URL, every method it answers, every role, in scope and out of scope.

A route, or a method of a route, without a row here fails `test_every_route_is_in_the_table`, so
nothing is served that has not been thought through. Every role is held at 涟源市 (the
supervisor's group is assigned 涟源市); the "in" side targets objects under 涟源市, the "out" side
their twins under 娄星区, which must answer 404 exactly like absent objects.

A write is sent with a body the route accepts, so a cell measures the permission, not the
validation: the allowed roles succeed, a reader without the right gets 403, anybody else 404,
and a refused write never answers 400. Each request runs in a transaction rolled back after it,
so every cell starts from the same world, which is built once for the module.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
from dataclasses import dataclass

import pytest
from captcha.models import CaptchaStore
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from huitoukan.access.models import Role, RoleAssignment
from huitoukan.campaigns import services as campaign_services
from huitoukan.campaigns.services import DeadlineSpec, PhaseSpec
from huitoukan.jobs.services import job_run
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.jobs import subtree_export_start
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import Evidence
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import UnitKind, UnitLevel
from tests.accountability.routes_annual import ROUTES as ANNUAL_ROUTES
from tests.accountability.routes_cases import ROUTES as CASE_ROUTES
from tests.accountability.routes_passing import ROUTES as PASSING_ROUTES
from tests.administration.routes_audit import AUDIT_ROUTES
from tests.administration.routes_security import SECURITY_ROUTES
from tests.administration.routes_users import USER_ROUTES
from tests.api.route_table import API_ROUTES
from tests.assessments.routes import ROUTES as ASSESSMENT_ROUTES
from tests.campaigns.routes_manage import CAMPAIGN_MANAGE_ROUTES
from tests.conftest import PASSWORD, Tree, built_once, rolled_back, user_create
from tests.documents.routes import ROUTES as DOCUMENT_ROUTES
from tests.formalism.routes import ROUTES as FORMALISM_ROUTES
from tests.jobs.routes import JOB_ROUTES
from tests.ledgers.conftest import pdf
from tests.ledgers.routes_export import EXPORT_ROUTES
from tests.ledgers.routes_import import IMPORT_ROUTES
from tests.ledgers.routes_linkage import ROUTES as LINKAGE_ROUTES
from tests.ledgers.routes_screens import SCREEN_ROUTES
from tests.notices.routes import ROUTES as NOTICE_ROUTES
from tests.notifications.routes import ROUTES as NOTIFICATION_ROUTES
from tests.orgs.routes_groups import GROUP_ROUTES
from tests.plans.routes import ROUTES as PLAN_ROUTES
from tests.publicity.routes_opinions import ROUTES as OPINION_ROUTES
from tests.publicity.routes_publication import ROUTES as PUBLICATION_ROUTES
from tests.publicity.routes_surveys import ROUTES as SURVEY_ROUTES
from tests.rechecks.routes import ROUTES as RECHECK_ROUTES
from tests.reviews.routes import ROUTES as REVIEW_ROUTES
from tests.rollups.routes import ROLLUP_ROUTES
from tests.rollups.routes_dashboard import ROUTES as DASHBOARD_ROUTES
from tests.route_types import (
    ALL_ROLES,
    ANON,
    BUSINESS,
    HISTORY_READERS,
    LOGGED_IN,
    NO_ROLE,
    PEOPLE_KEEPERS,
    ROLE_READERS,
    SIDE_BUILDERS,
    UNIT_READERS,
    WRITE_METHODS,
    Route,
    Side,
    previewed,
    unit_path,
)
from tests.supervision.routes import ROUTES as SUPERVISION_ROUTES
from tests.supervision.routes_spotchecks import ROUTES as SPOTCHECK_ROUTES
from tests.twofactor.routes import TWOFACTOR_ROUTES

SYSTEM_ADMIN = frozenset({Role.SYSTEM_ADMIN})
SECURITY_ADMIN = frozenset({Role.SECURITY_ADMIN})
ESTABLISHED = dt.date(2013, 6, 18)


def _unit_form(s) -> dict:
    return {"name": "新建村", "level": UnitLevel.VILLAGE, "kind": UnitKind.GRASSROOTS, "batch": "",
            "established_on": "2014-01-02"}


def _unit_import_file(s) -> SimpleUploadedFile:
    rows = f"上级单位,单位名称,层级,类型,批次,成立日期\r\n{s.unit.full_name},新民村,村,基层党组织,,\r\n"
    return SimpleUploadedFile("组织树.csv", ("\ufeff" + rows).encode(), content_type="text/csv")


def _revoked(s, response) -> bool:
    # The revoke form answers with the role list whether or not it revoked: look at the grant itself.
    return not RoleAssignment.objects.filter(pk=s.assignment.pk).exists()


def _granted(s, response) -> bool:
    return RoleAssignment.objects.filter(user__username=s.grantee, role=Role.DISCIPLINE).exists()


WEB_ROUTES: dict[tuple[str, str], Route] = {
    ("home", "GET"): Route(lambda s: "/", LOGGED_IN, out=False),
    ("healthz", "GET"): Route(lambda s: "/healthz", frozenset(ALL_ROLES), public=True, out=False),
    ("favicon", "GET"): Route(lambda s: "/favicon.ico", frozenset(ALL_ROLES), public=True, out=False),
    ("login", "GET"): Route(lambda s: "/accounts/login/", frozenset({ANON}), public=True, out=False,
                            others={r: 302 for r in LOGGED_IN}),
    ("login", "POST"): Route(lambda s: "/accounts/login/", frozenset({ANON}), ok_status=302, public=True, out=False,
                             body=lambda s: {"username": s.grantee, "password": s.password},
                             done=lambda s, r: r["Location"] == "/", others={r: 302 for r in LOGGED_IN}),
    # Django's form view answers PUT as it answers POST; a PUT carries no form data, so it never signs in.
    ("login", "PUT"): Route(lambda s: "/accounts/login/", frozenset({ANON}), public=True, out=False,
                            others={r: 302 for r in LOGGED_IN}),
    # The login captcha's image, drawn for whoever has the challenge's key (anonymous visitors above all).
    ("captcha-image", "GET"): Route(lambda s: f"/captcha/image/{CaptchaStore.generate_key()}/", frozenset(ALL_ROLES),
                                    public=True, out=False),
    ("logout", "POST"): Route(lambda s: "/accounts/logout/", LOGGED_IN, ok_status=302, public=True, out=False,
                              others={ANON: 302}),
    # --- units ---
    ("unit-list", "GET"): Route(unit_path("/units/?under={i}"), UNIT_READERS),
    ("unit-tree", "GET"): Route(unit_path("/units/tree/?node={i}"), UNIT_READERS),
    ("unit-create", "GET"): Route(unit_path("/units/new/?parent={i}"), SYSTEM_ADMIN, readers=UNIT_READERS),
    ("unit-create", "POST"): Route(unit_path("/units/new/?parent={i}"), SYSTEM_ADMIN, readers=UNIT_READERS,
                                   ok_status=302, body=_unit_form),
    # A page about no one object refuses with 403 whoever reads that area, 404 anybody else.
    ("unit-import", "GET"): Route(lambda s: "/units/import/", SYSTEM_ADMIN, readers=UNIT_READERS, out=False),
    ("unit-import", "POST"): Route(lambda s: "/units/import/", SYSTEM_ADMIN, readers=UNIT_READERS, out=False,
                                   body=lambda s: {"file": _unit_import_file(s)}, done=previewed),
    ("unit-export", "GET"): Route(unit_path("/units/export/?under={i}&format=csv"), UNIT_READERS),
    ("unit-detail", "GET"): Route(unit_path("/units/{i}/"), UNIT_READERS),
    ("unit-history", "GET"): Route(unit_path("/units/{i}/history/"), HISTORY_READERS),
    ("unit-edit", "GET"): Route(unit_path("/units/{i}/edit/"), SYSTEM_ADMIN, readers=UNIT_READERS),
    ("unit-edit", "POST"): Route(
        unit_path("/units/{i}/edit/"), SYSTEM_ADMIN, readers=UNIT_READERS, ok_status=302,
        body=lambda s: {"name": s.unit.name, "level": s.unit.level, "kind": s.unit.kind, "batch": "",
                        "established_on": "2013-07-01"}),
    ("unit-move", "GET"): Route(lambda s: f"/units/{s.village.pk}/move/", SYSTEM_ADMIN, readers=UNIT_READERS),
    ("unit-move", "POST"): Route(lambda s: f"/units/{s.village.pk}/move/", SYSTEM_ADMIN, readers=UNIT_READERS,
                                 ok_status=302, body=lambda s: {"new_parent": s.township.pk}),
    ("unit-abolish", "GET"): Route(lambda s: f"/units/{s.village.pk}/abolish/", SYSTEM_ADMIN, readers=UNIT_READERS),
    ("unit-abolish", "POST"): Route(lambda s: f"/units/{s.village.pk}/abolish/", SYSTEM_ADMIN, readers=UNIT_READERS,
                                    ok_status=302, body=lambda s: {"on": "2015-01-01", "merged_into": ""}),
    # --- people and groups ---
    ("person-list", "GET"): Route(lambda s: "/people/", UNIT_READERS, out=False),
    ("person-detail", "GET"): Route(lambda s: f"/people/{s.person.pk}/", UNIT_READERS),
    ("person-create", "GET"): Route(lambda s: "/people/new/", PEOPLE_KEEPERS, readers=UNIT_READERS, out=False),
    # The form names a unit the people readers see: a refusal is 403 there, 404 for a unit out of scope.
    ("person-create", "POST"): Route(lambda s: "/people/new/", PEOPLE_KEEPERS, readers=UNIT_READERS, ok_status=302,
                                     body=lambda s: {"name": "李明", "position": "副镇长", "unit": s.unit.pk}),
    ("person-edit", "GET"): Route(lambda s: f"/people/{s.person.pk}/edit/", PEOPLE_KEEPERS, readers=UNIT_READERS),
    ("person-edit", "POST"): Route(
        lambda s: f"/people/{s.person.pk}/edit/", PEOPLE_KEEPERS, readers=UNIT_READERS, ok_status=302,
        body=lambda s: {"name": s.person.name, "position": "镇长", "unit": s.person.unit_id,
                        "is_party_leader": "on"}),
    ("group-list", "GET"): Route(lambda s: "/groups/", UNIT_READERS, out=False),
    # --- campaigns ---
    ("campaign-list", "GET"): Route(lambda s: "/campaigns/", BUSINESS, out=False),
    ("campaign-detail", "GET"): Route(lambda s: f"/campaigns/{s.campaign.pk}/", BUSINESS),
    # --- the 三员 consoles ---
    ("role-list", "GET"): Route(lambda s: "/roles/", ROLE_READERS, out=False),
    ("role-grant", "GET"): Route(lambda s: "/roles/grant/", SECURITY_ADMIN, readers=ROLE_READERS, out=False),
    # The form names a unit whose grants the role readers see: a refusal is 403 there.
    ("role-grant", "POST"): Route(lambda s: "/roles/grant/", SECURITY_ADMIN, readers=ROLE_READERS, ok_status=302,
                                  body=lambda s: {"username": s.grantee, "role": Role.DISCIPLINE, "unit": s.unit.pk},
                                  done=_granted),
    ("role-revoke", "POST"): Route(lambda s: f"/roles/{s.assignment.pk}/revoke/", SECURITY_ADMIN,
                                   readers=ROLE_READERS, ok_status=302, done=_revoked),
}

ROUTES: dict[tuple[str, str], Route] = {**WEB_ROUTES, **API_ROUTES, **SCREEN_ROUTES, **EXPORT_ROUTES,
                                        **IMPORT_ROUTES, **ROLLUP_ROUTES, **DASHBOARD_ROUTES, **JOB_ROUTES, **AUDIT_ROUTES, **TWOFACTOR_ROUTES,
                                        **SECURITY_ROUTES, **USER_ROUTES, **GROUP_ROUTES,
                                        **CAMPAIGN_MANAGE_ROUTES, **NOTIFICATION_ROUTES, **PLAN_ROUTES,
                                        **REVIEW_ROUTES, **SUPERVISION_ROUTES,
                                        **NOTICE_ROUTES, **ASSESSMENT_ROUTES, **SPOTCHECK_ROUTES,
                                        **PUBLICATION_ROUTES, **OPINION_ROUTES, **SURVEY_ROUTES, **RECHECK_ROUTES,
                                        **CASE_ROUTES, **PASSING_ROUTES, **ANNUAL_ROUTES, **DOCUMENT_ROUTES,
                                        **FORMALISM_ROUTES, **LINKAGE_ROUTES}

# Views that declare no methods answer every method; each is named here so that none slips in unnoticed.
ANY_METHOD = {"healthz", "api-not-found"}
# HEAD answers as GET does and OPTIONS describes the route: neither acts.
UNACTING = {"HEAD", "OPTIONS"}


def _methods(view) -> frozenset[str] | None:
    """The methods a view answers, as its class or its require_http_methods decorator says; None if unsaid."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return frozenset(m.upper() for m in view_class.http_method_names if hasattr(view_class, m)) - UNACTING
    function = view
    while function is not None:
        if function.__closure__:
            allowed = inspect.getclosurevars(function).nonlocals.get("request_method_list")
            if allowed is not None:
                return frozenset(allowed) - UNACTING
        function = getattr(function, "__wrapped__", None)
    return None


def _served(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{p.namespace}:" if p.namespace else ""
            yield from _served(p.url_patterns, prefix + ns)
        elif isinstance(p, URLPattern):
            yield prefix + (p.name or f"<unnamed {p.pattern}>"), _methods(p.callback)


def test_every_route_is_in_the_table():
    # given what the URL configuration serves, and the table's rows
    served = dict(_served(get_resolver().url_patterns))
    rows: dict[str, set[str]] = {}
    for name, method in ROUTES:
        rows.setdefault(name, set()).add(method)

    # then every route, and every method it answers, has a row, and no row is left over
    missing = sorted(set(served) - set(rows))
    stale = sorted(set(rows) - set(served))
    unrowed = sorted(f"{name} {m}" for name, methods in served.items() if methods for m in methods - rows.get(name, set()))
    unserved = sorted(f"{name} {m}" for name, methods in served.items() if methods for m in rows.get(name, set()) - methods)
    undeclared = sorted(name for name, methods in served.items() if methods is None and name not in ANY_METHOD)
    assert not missing, f"routes without an entry in the route × role table: {missing}"
    assert not stale, f"table entries for routes that no longer exist: {stale}"
    assert not unrowed, f"methods served without a row in the route × role table: {unrowed}"
    assert not unserved, f"rows for methods the route does not answer: {unserved}"
    assert not undeclared, f"views that answer any method (say which with require_http_methods): {undeclared}"


# --- the world: built once for the module ---------------------------------------------------------------


@dataclass
class World:
    sessions: dict  # role -> session key of its login, made once
    inn: Side
    out: Side
    media: object


def _unit(parent, name, level, kind=UnitKind.PARTY_COMMITTEE):
    return org_services.unit_create(actor=None, parent=parent, name=name, level=level, kind=kind,
                                    established_on=ESTABLISHED)


def _campaign(owner, name):
    return campaign_services.campaign_create(
        actor=None, owner_unit=owner, name=name, starts_on=dt.date(2014, 12, 31), ends_on=dt.date(2015, 2, 28),
        phases=[PhaseSpec("自查自纠", dt.date(2014, 12, 31), dt.date(2015, 1, 6))],
        deadlines=[DeadlineSpec("信息备案", dt.date(2015, 2, 5), [UnitLevel.TOWNSHIP])],
    )


def _side(*, county, unit, village, township, person, leader, leader_user, group, assignment, campaign,
          co_leaders=()) -> Side:
    """The side's ledger with an item in progress (closing asked), one ready to close and one closed."""
    ledger = ledger_services.ledger_open(actor=None, campaign=campaign, unit=county, kind=LedgerKind.LEADERSHIP)

    def reported(problem):
        item = ledger_services.item_create(actor=None, ledger=ledger, problem=problem, measures="按期整改",
                                           lead_leaders=[leader, *co_leaders])
        ledger_services.progress_add(actor=None, item=item, progress="已整改一部分", leader=leader,
                                     files=[pdf("会议台账.pdf")])
        return item

    item, closable, closed = reported("文山会海问题突出"), reported("调查研究不深入"), reported("公款吃喝")
    closing = ledger_services.closing_request(actor=leader_user, item=item, summary="已压缩会议12个")
    ledger_services.closing_verify(
        actor=None, request=ledger_services.closing_request(actor=leader_user, item=closed, summary="已清退"))
    return Side(county=county, unit=unit, village=village, township=township, person=person, leader=leader,
                leader_user=leader_user, group=group, assignment=assignment, campaign=campaign, ledger=ledger,
                item=item, closing=closing, closable=closable, closed=closed,
                evidence=Evidence.objects.filter(item=item).first(), grantee="grantee", password=PASSWORD)


def _finished_export(user, side: Side):
    job = subtree_export_start(user=user, campaign=side.campaign, root_unit=side.county, kind=LedgerKind.LEADERSHIP,
                               queue=False)
    return job_run(job.pk)


def _build(media) -> World:
    tree = Tree()
    liumutang = _unit(tree.lianyuan, "六亩塘镇", UnitLevel.TOWNSHIP)
    dabuqiao = _unit(tree.louxing, "大埠桥街道", UnitLevel.TOWNSHIP)
    yuetang = _unit(tree.leping, "月塘社区", UnitLevel.VILLAGE, UnitKind.GRASSROOTS)
    tree.refresh()
    group_in = org_services.supervision_group_create(actor=None, dispatched_by=tree.city, name="市委第二督导组",
                                                     assigned_units=[tree.lianyuan])
    group_out = org_services.supervision_group_create(actor=None, dispatched_by=tree.louxing, name="娄星区督导组",
                                                      assigned_units=[tree.leping])
    person_in = org_services.person_create(actor=None, unit=tree.qiaotouhe, name="彭光辉", position="镇党委书记",
                                           is_party_leader=True, is_unit_head=True)
    person_out = org_services.person_create(actor=None, unit=tree.leping, name="贺军", position="街道党工委书记")
    leader_in = org_services.person_create(actor=None, unit=tree.lianyuan, name="吴海波", position="市委常委",
                                           is_party_leader=True)
    leader_out = org_services.person_create(actor=None, unit=tree.louxing, name="周平", position="区委常委",
                                            is_party_leader=True)
    users = {ANON: None, NO_ROLE: user_create(username="no_role")}
    for role in Role:
        users[role] = user_create(role, tree.lianyuan, username=role.value,
                                  person=leader_in if role == Role.RESPONSIBLE_LEADER else None,
                                  group=group_in if role == Role.SUPERVISOR else None)
    # The 三员 never act as a person: their logins belong to party leaders who co-lead the in-scope
    # items, and they still read none of them.
    admins_as_leaders = []
    for role, name in ((Role.SYSTEM_ADMIN, "李卫东"), (Role.SECURITY_ADMIN, "赵敏"), (Role.AUDIT_ADMIN, "孙丽")):
        admin = org_services.person_create(actor=None, unit=tree.lianyuan, name=name, is_party_leader=True)
        admins_as_leaders.append(org_services.person_update(actor=None, person=admin, user=users[role]))
    leader_out_user = user_create(Role.RESPONSIBLE_LEADER, tree.louxing, person=leader_out, username="zhouping")
    target_in = user_create(Role.UNIT_FILLER, tree.qiaotouhe, username="target_in")
    target_out = user_create(Role.UNIT_FILLER, tree.leping, username="target_out")
    user_create(username="grantee")
    inn = _side(county=tree.lianyuan, unit=tree.qiaotouhe, village=tree.shishi, township=liumutang, person=person_in,
                leader=leader_in, leader_user=users[Role.RESPONSIBLE_LEADER], group=group_in,
                assignment=RoleAssignment.objects.get(user=target_in),
                campaign=_campaign(tree.lianyuan, "涟源市回头看"), co_leaders=admins_as_leaders)
    out = _side(county=tree.louxing, unit=tree.leping, village=yuetang, township=dabuqiao, person=person_out,
                leader=leader_out, leader_user=leader_out_user, group=group_out,
                assignment=RoleAssignment.objects.get(user=target_out),
                campaign=_campaign(tree.louxing, "娄星区回头看"))
    inn.job = _finished_export(users[Role.CAMPAIGN_OFFICE], inn)
    out.job = _finished_export(leader_out_user, out)
    for builder in SIDE_BUILDERS:
        builder(inn, out, users, tree)
    sessions = {}
    for role in LOGGED_IN:
        client = Client()
        client.force_login(users[role])
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return World(sessions=sessions, inn=inn, out=out, media=media)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory) as media:
        yield _build(media)


# --- walking the table -----------------------------------------------------------------------------------


def _bodies(route: Route) -> dict:
    if route.body is None:
        return {"": None}
    if callable(route.body):
        return {"": route.body}
    return route.body


def _request(client: Client, world: World, method: str, route: Route, role, side: Side, body):
    client.cookies.clear()
    if role in world.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    path = route.path(side)
    kwargs = {}
    if body is not None:
        data = body(side)
        kwargs = {"data": data} if (route.multipart or not route.api) else {
            "data": json.dumps(data), "content_type": "application/json"}
    return getattr(client, method.lower())(path, **kwargs)


def _expected_in(route: Route, role) -> set[int]:
    if role in route.others:
        return {route.others[role]}
    if role in route.ok:
        return {route.ok_status}
    if role == ANON and not route.public:
        return {401, 403} if route.api else {302}
    if role in route.readers:
        return {403}
    return {404}


def _problems(client, world, method, route, role, side, body, expected) -> list[str]:
    """What is wrong with one cell, checked inside the transaction its request ran in."""
    response = _request(client, world, method, route, role, side, body)
    got = response.status_code
    what = f"{role} {method} {route.path(side)}" + (" (out of scope)" if side is world.out else "")
    if got not in expected:
        if got == 400 and method in WRITE_METHODS and expected & {403, 404}:
            return [f"{what} → 400: the body was judged before the right; expected the refusal {expected}"]
        if got == 400 and method in WRITE_METHODS:
            return [f"{what} → 400, expected {expected}: the table's body is not valid here: "
                    f"{response.content.decode(errors='replace')[:300]}"]
        if got == 500 and response.exc_info:
            return [f"{what} → 500 {response.exc_info[1]!r}, expected {expected}"]
        return [f"{what} → {got}, expected {expected}"]
    to_login = got == 302 and response["Location"].startswith(settings.LOGIN_URL_PATH)
    if role == ANON and got == 302 and not route.public and not to_login:
        return [f"{what} → 302 to {response['Location']}, expected the login page"]
    if role != ANON and to_login and not route.public:
        return [f"{what} → 302 to the login page: the role's session was lost"]
    if route.done is not None and role in route.ok and side is world.inn and not route.done(side, response):
        return [f"{what} → {got}, but the write did not happen"]
    return []


def _cell(client, world, method, route, role, side, body, expected) -> list[str]:
    with rolled_back():
        return _problems(client, world, method, route, role, side, body, expected)


@pytest.mark.parametrize("key", sorted(ROUTES), ids=lambda key: f"{key[0]}:{key[1]}")
def test_route_answers_each_role_as_the_table_says(world, db, settings, key):
    # given the module's world, its evidence files where the downloads read them
    settings.MEDIA_ROOT = world.media
    method, route = key[1], ROUTES[key]
    client = Client(raise_request_exception=False)  # one client: its middleware is built once
    failures = []
    for label, body in _bodies(route).items():
        for role in ALL_ROLES:
            # when each role sends the request about an object in scope, then out of scope
            problems = _cell(client, world, method, route, role, world.inn, body, _expected_in(route, role))
            if route.out and role in LOGGED_IN:
                problems += _cell(client, world, method, route, role, world.out, body, {404})
            # then each answers as the table says
            failures += [f"[{label}] {p}" if label else p for p in problems]
    assert not failures, "\n".join(failures)
