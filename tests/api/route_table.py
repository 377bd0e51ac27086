"""The API's rows of the route × role table (tests/test_route_table.py walks them).

Every role is held at 涟源市; "in" targets an object under 涟源市, "out" one under 娄星区. An
anonymous caller gets 401/403. A write with an empty body answers 400 to the role allowed to
make it (it got past the permission check) and 404 to everybody else.
"""

from __future__ import annotations

from huitoukan.access.models import Role
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import SupervisionGroup
from tests.route_types import (
    ALL_ROLES,
    BUSINESS,
    LOGGED_IN,
    ROLE_READERS,
    UNIT_READERS,
    Route,
    unit_out,
    unit_path,
)


def _group_in(world) -> str:
    return f"/api/v1/groups/{SupervisionGroup.objects.get(name='市委第二督导组').pk}/"


def _group_out(world) -> str:
    group = SupervisionGroup.objects.filter(
        name="娄星区督导组"
    ).first() or org_services.supervision_group_create(
        actor=None,
        dispatched_by=world.tree.louxing,
        name="娄星区督导组",
        assigned_units=[world.tree.leping],
    )
    return f"/api/v1/groups/{group.pk}/"


API_ROUTES: dict[str, Route] = {
    "api-not-found": Route(
        lambda w: "/api/nothing/", frozenset(ALL_ROLES), public=True, ok_status=404, api=True
    ),
    "api-schema": Route(lambda w: "/api/v1/schema/", frozenset(LOGGED_IN), api=True),
    "api-docs": Route(lambda w: "/api/v1/docs/", frozenset(LOGGED_IN), api=True),
    "api-token": Route(
        lambda w: "/api/v1/auth/token/",
        frozenset(ALL_ROLES),
        public=True,
        method="post",
        ok_status=400,
        api=True,
    ),
    "api-token-revoke": Route(
        lambda w: "/api/v1/auth/token/revoke/", frozenset(LOGGED_IN), method="post", ok_status=204, api=True
    ),
    "api-me": Route(lambda w: "/api/v1/me/", frozenset(LOGGED_IN), api=True),
    "api-unit-list": Route(
        lambda w: "/api/v1/units/",
        frozenset(UNIT_READERS),
        api=True,
        path_out=unit_out("/api/v1/units/?under={i}"),
    ),
    "api-unit-detail": Route(
        unit_path("/api/v1/units/{i}/"),
        frozenset(UNIT_READERS),
        api=True,
        path_out=unit_out("/api/v1/units/{i}/"),
    ),
    "api-unit-children": Route(
        unit_path("/api/v1/units/{i}/children/"),
        frozenset(UNIT_READERS),
        api=True,
        path_out=unit_out("/api/v1/units/{i}/children/"),
    ),
    "api-unit-move": Route(
        unit_path("/api/v1/units/{i}/move/"),
        frozenset({Role.SYSTEM_ADMIN}),
        api=True,
        method="post",
        ok_status=400,
        path_out=unit_out("/api/v1/units/{i}/move/"),
    ),
    "api-unit-abolish": Route(
        unit_path("/api/v1/units/{i}/abolish/"),
        frozenset({Role.SYSTEM_ADMIN}),
        api=True,
        method="post",
        ok_status=400,
        path_out=unit_out("/api/v1/units/{i}/abolish/"),
    ),
    "api-person-list": Route(
        lambda w: "/api/v1/people/",
        frozenset(UNIT_READERS),
        api=True,
        path_out=unit_out("/api/v1/people/?unit={i}"),
    ),
    "api-person-detail": Route(
        lambda w: f"/api/v1/people/{w.person_in.pk}/",
        frozenset(UNIT_READERS),
        api=True,
        path_out=lambda w: f"/api/v1/people/{w.person_out.pk}/",
    ),
    "api-group-list": Route(lambda w: "/api/v1/groups/", frozenset(UNIT_READERS), api=True),
    "api-group-detail": Route(_group_in, frozenset(UNIT_READERS), api=True, path_out=_group_out),
    "api-role-assignment-list": Route(
        lambda w: "/api/v1/role-assignments/", frozenset(ROLE_READERS), api=True
    ),
    "api-role-assignment-detail": Route(
        lambda w: f"/api/v1/role-assignments/{w.assignment_in.pk}/",
        frozenset({Role.SECURITY_ADMIN}),
        api=True,
        method="delete",
        ok_status=204,
        path_out=lambda w: f"/api/v1/role-assignments/{w.assignment_out.pk}/",
    ),
    "api-campaign-list": Route(lambda w: "/api/v1/campaigns/", frozenset(BUSINESS), api=True),
    "api-campaign-detail": Route(
        lambda w: f"/api/v1/campaigns/{w.campaign_in.pk}/",
        frozenset(BUSINESS),
        api=True,
        path_out=lambda w: f"/api/v1/campaigns/{w.campaign_out.pk}/",
    ),
}

def _ledger(attr, suffix=""):
    return lambda w: f"/api/v1/ledgers/{getattr(w, attr).pk}/{suffix}"


def _item(attr, suffix=""):
    return lambda w: f"/api/v1/items/{getattr(w, attr).pk}/{suffix}"


def _closing(attr, suffix):
    return lambda w: f"/api/v1/closings/{getattr(w, attr).pk}/{suffix}"


LEDGER_API_ROUTES: dict[str, Route] = {
    "api-ledger-list": Route(lambda w: "/api/v1/ledgers/", frozenset(BUSINESS), api=True,
                             path_out=unit_out("/api/v1/ledgers/?unit={i}")),
    "api-ledger-detail": Route(_ledger("ledger_in"), frozenset(BUSINESS), api=True, path_out=_ledger("ledger_out")),
    "api-ledger-items": Route(_ledger("ledger_in", "items/"), frozenset(BUSINESS), api=True,
                              path_out=_ledger("ledger_out", "items/")),
    "api-item-detail": Route(_item("item_in"), frozenset(BUSINESS), api=True, path_out=_item("item_out")),
    "api-item-progress": Route(_item("item_in", "progress/"), frozenset(BUSINESS), api=True,
                               path_out=_item("item_out", "progress/")),
    # A JSON body where a file upload is expected: in scope the parser refuses it (415).
    "api-item-evidence": Route(_item("item_in", "evidence/"), frozenset(BUSINESS), api=True, method="post",
                               ok_status=415, path_out=_item("item_out", "evidence/")),
    "api-item-closing": Route(_item("item_in", "closing/"), frozenset(BUSINESS), api=True, method="post",
                              ok_status=400, path_out=_item("item_out", "closing/")),
    "api-item-send-back": Route(_item("item_in", "send-back/"), frozenset(BUSINESS), api=True, method="post",
                                ok_status=400, path_out=_item("item_out", "send-back/")),
    "api-item-relapse": Route(_item("item_in", "relapse/"), frozenset(BUSINESS), api=True, method="post",
                              ok_status=400, path_out=_item("item_out", "relapse/")),
    # The first verifier in the table's role order closes the item; the next finds nothing pending.
    "api-closing-verify": Route(_closing("closing_in", "verify/"), frozenset(), api=True, method="post",
                                path_out=_closing("closing_out", "verify/"),
                                others={Role.CAMPAIGN_OFFICE: 200, Role.UNIT_HEAD: 400}),
    "api-closing-return": Route(_closing("closing_in", "return/"), frozenset({Role.CAMPAIGN_OFFICE, Role.UNIT_HEAD}),
                                api=True, method="post", ok_status=400, path_out=_closing("closing_out", "return/")),
    "api-my-items": Route(lambda w: "/api/v1/my-items/", frozenset(BUSINESS), api=True),
}
API_ROUTES.update(LEDGER_API_ROUTES)
