"""The route × role table: every URL, every role, in scope and out of scope.

A new route without an entry here fails `test_every_route_is_in_the_table`, so nothing is
served that has not been thought through. Every role is held at 涟源市 (the supervisor's group
is assigned 涟源市); "in" targets an object under 涟源市, "out" one under 娄星区, which must
answer 404 exactly like an absent object.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from huitoukan.access.models import Role, RoleAssignment
from huitoukan.campaigns import services as campaign_services
from huitoukan.campaigns.services import DeadlineSpec, PhaseSpec
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import ClosingRequest
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import UnitLevel


@dataclass
class World:
    tree: object
    users: dict
    campaign_in: object
    campaign_out: object
    person_in: object
    person_out: object
    assignment_in: object
    assignment_out: object
    ledger_in: object = None  # 涟源市's 领导班子 ledger
    ledger_out: object = None  # 娄星区's
    item_in: object = None
    item_out: object = None
    closing_in: object = None  # a pending closing request of item_in
    closing_out: object = None


from tests.route_types import (  # noqa: E402
    ALL_ROLES,
    ANON,
    BUSINESS,
    HISTORY_READERS,
    LOGGED_IN,
    NO_ROLE,
    ROLE_READERS,
    UNIT_READERS,
    Route,
    unit_out,
    unit_path,
)

WEB_ROUTES: dict[str, Route] = {
    "home": Route(lambda w: "/", frozenset(LOGGED_IN)),
    "healthz": Route(lambda w: "/healthz", frozenset(ALL_ROLES), public=True),
    "login": Route(lambda w: "/accounts/login/", frozenset({ANON}), public=True,
                   others={r: 302 for r in LOGGED_IN}),
    "logout": Route(lambda w: "/accounts/logout/", frozenset(LOGGED_IN), ok_status=302, method="post",
                    public=True, others={ANON: 302}),
    "unit-list": Route(lambda w: "/units/", frozenset(UNIT_READERS), path_out=unit_out("/units/?under={i}")),
    "unit-tree": Route(unit_path("/units/tree/?node={i}"), frozenset(UNIT_READERS),
                       path_out=unit_out("/units/tree/?node={i}")),
    "unit-create": Route(unit_path("/units/new/?parent={i}"), frozenset({Role.SYSTEM_ADMIN}),
                         path_out=unit_out("/units/new/?parent={i}")),
    "unit-import": Route(lambda w: "/units/import/", frozenset({Role.SYSTEM_ADMIN})),
    "unit-export": Route(unit_path("/units/export/?under={i}&format=csv"), frozenset(UNIT_READERS),
                         path_out=unit_out("/units/export/?under={i}&format=csv")),
    "unit-detail": Route(unit_path("/units/{i}/"), frozenset(UNIT_READERS), path_out=unit_out("/units/{i}/")),
    "unit-history": Route(unit_path("/units/{i}/history/"), frozenset(HISTORY_READERS),
                          path_out=unit_out("/units/{i}/history/")),
    "unit-edit": Route(unit_path("/units/{i}/edit/"), frozenset({Role.SYSTEM_ADMIN}),
                       path_out=unit_out("/units/{i}/edit/")),
    "unit-move": Route(unit_path("/units/{i}/move/"), frozenset({Role.SYSTEM_ADMIN}),
                       path_out=unit_out("/units/{i}/move/")),
    "unit-abolish": Route(unit_path("/units/{i}/abolish/"), frozenset({Role.SYSTEM_ADMIN}),
                          path_out=unit_out("/units/{i}/abolish/")),
    "person-list": Route(lambda w: "/people/", frozenset(UNIT_READERS)),
    "person-detail": Route(lambda w: f"/people/{w.person_in.pk}/", frozenset(UNIT_READERS),
                           path_out=lambda w: f"/people/{w.person_out.pk}/"),
    "person-create": Route(lambda w: "/people/new/", frozenset({Role.SYSTEM_ADMIN})),
    "person-edit": Route(lambda w: f"/people/{w.person_in.pk}/edit/", frozenset({Role.SYSTEM_ADMIN}),
                         path_out=lambda w: f"/people/{w.person_out.pk}/edit/"),
    "group-list": Route(lambda w: "/groups/", frozenset(UNIT_READERS)),
    "campaign-list": Route(lambda w: "/campaigns/", frozenset(BUSINESS)),
    "campaign-detail": Route(lambda w: f"/campaigns/{w.campaign_in.pk}/", frozenset(BUSINESS),
                             path_out=lambda w: f"/campaigns/{w.campaign_out.pk}/"),
    "role-list": Route(lambda w: "/roles/", frozenset(ROLE_READERS)),
    "role-grant": Route(lambda w: "/roles/grant/", frozenset({Role.SECURITY_ADMIN})),
    "role-revoke": Route(lambda w: f"/roles/{w.assignment_in.pk}/revoke/", frozenset({Role.SECURITY_ADMIN}),
                         path_out=lambda w: f"/roles/{w.assignment_out.pk}/revoke/", method="post",
                         ok_status=302),
    "audit-log": Route(lambda w: "/audit/", frozenset({Role.AUDIT_ADMIN})),
}

from tests.api.route_table import API_ROUTES  # noqa: E402
from tests.ledgers.routes_export import EXPORT_ROUTES  # noqa: E402
from tests.ledgers.routes_import import IMPORT_ROUTES  # noqa: E402
from tests.ledgers.routes_screens import SCREEN_ROUTES  # noqa: E402

ROUTES = {**WEB_ROUTES, **API_ROUTES, **SCREEN_ROUTES, **EXPORT_ROUTES, **IMPORT_ROUTES}


def _names(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{p.namespace}:" if p.namespace else ""
            yield from _names(p.url_patterns, prefix + ns)
        elif isinstance(p, URLPattern):
            yield prefix + (p.name or f"<unnamed {p.pattern}>")


def test_every_route_is_in_the_table():
    served = set(_names(get_resolver().url_patterns))
    missing = served - set(ROUTES)
    stale = set(ROUTES) - served
    assert not missing, f"routes without an entry in the route × role table: {sorted(missing)}"
    assert not stale, f"table entries for routes that no longer exist: {sorted(stale)}"


@pytest.fixture
def world(tree, make_user):
    group = org_services.supervision_group_create(actor=None, dispatched_by=tree.city, name="市委第二督导组",
                                                  assigned_units=[tree.lianyuan])
    person_in = org_services.person_create(actor=None, unit=tree.qiaotouhe, name="彭光辉", position="镇党委书记",
                                           is_party_leader=True, is_unit_head=True)
    person_out = org_services.person_create(actor=None, unit=tree.louxing, name="贺军", position="区委书记")
    users = {ANON: None, NO_ROLE: make_user(username="no_role")}
    for role in Role:
        users[role] = make_user(role, tree.lianyuan, username=role.value,
                                person=person_in if role == Role.RESPONSIBLE_LEADER else None,
                                group=group if role == Role.SUPERVISOR else None)
    target_in = make_user(Role.UNIT_FILLER, tree.qiaotouhe, username="target_in")
    target_out = make_user(Role.UNIT_FILLER, tree.louxing, username="target_out")

    def campaign(owner, name):
        return campaign_services.campaign_create(
            actor=None, owner_unit=owner, name=name, starts_on=dt.date(2014, 12, 31), ends_on=dt.date(2015, 2, 28),
            phases=[PhaseSpec("自查自纠", dt.date(2014, 12, 31), dt.date(2015, 1, 6))],
            deadlines=[DeadlineSpec("信息备案", dt.date(2015, 2, 5), [UnitLevel.TOWNSHIP])],
        )

    city_campaign = campaign(tree.city, "娄底市回头看")
    leader_in = org_services.person_create(actor=None, unit=tree.lianyuan, name="吴海波", is_party_leader=True)
    leader_out = org_services.person_create(actor=None, unit=tree.louxing, name="周平", is_party_leader=True)

    def ledger_with_item(unit, leader):
        ledger = ledger_services.ledger_open(actor=None, campaign=city_campaign, unit=unit, kind=LedgerKind.LEADERSHIP)
        item = ledger_services.item_create(actor=None, ledger=ledger, problem="文山会海问题突出",
                                           measures="精简会议文件", lead_leaders=[leader])
        ledger_services.progress_add(actor=None, item=item, progress="已压缩会议12个", leader=leader)
        return ledger, item

    ledger_in, item_in = ledger_with_item(tree.lianyuan, leader_in)
    ledger_out, item_out = ledger_with_item(tree.louxing, leader_out)
    closing_in = ClosingRequest.objects.create(item=item_in, summary="已完成", requested_by=users[NO_ROLE])
    closing_out = ClosingRequest.objects.create(item=item_out, summary="已完成", requested_by=users[NO_ROLE])
    return World(
        tree=tree,
        users=users,
        campaign_in=campaign(tree.lianyuan, "涟源市回头看"),
        campaign_out=campaign(tree.louxing, "娄星区回头看"),
        person_in=person_in,
        person_out=person_out,
        assignment_in=RoleAssignment.objects.get(user=target_in),
        assignment_out=RoleAssignment.objects.get(user=target_out),
        ledger_in=ledger_in,
        ledger_out=ledger_out,
        item_in=item_in,
        item_out=item_out,
        closing_in=closing_in,
        closing_out=closing_out,
    )


def _request(world, route: Route, role, path: str):
    client = Client()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    if route.api and route.method in ("post", "patch", "put"):
        return getattr(client, route.method)(path, data={}, content_type="application/json")
    return getattr(client, route.method)(path)


def _expected_in(route: Route, role) -> set[int]:
    if role in route.others:
        return {route.others[role]}
    if role in route.ok:
        return {route.ok_status}
    if role == ANON and not route.public:
        return {401, 403} if route.api else {302}
    return {route.denied_status}


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_answers_each_role_as_the_table_says(world, name):
    route = ROUTES[name]
    failures = []
    for role in ALL_ROLES:
        response = _request(world, route, role, route.path_in(world))
        expected = _expected_in(route, role)
        if response.status_code not in expected:
            failures.append(f"{role} GET {route.path_in(world)} → {response.status_code}, expected {expected}")
        if route.path_out is not None and role in LOGGED_IN:
            response = _request(world, route, role, route.path_out(world))
            if response.status_code != 404:
                failures.append(f"{role} out-of-scope {route.path_out(world)} → {response.status_code}, expected 404")
    assert not failures, "\n".join(failures)
