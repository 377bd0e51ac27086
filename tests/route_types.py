"""Types of the route × role table, shared by the tables of every area (tests/*/route*.py).

A row is keyed by (route name, HTTP method). Its path and body are built from a `Side`: the
objects under 涟源市, where every role is held ("in"), or their twins under 娄星区 ("out").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from huitoukan.access.models import Role

ANON = "anonymous"
NO_ROLE = "no_role"
BUSINESS = frozenset({Role.CAMPAIGN_OFFICE, Role.UNIT_FILLER, Role.RESPONSIBLE_LEADER, Role.UNIT_HEAD,
                      Role.SUPERVISOR, Role.DISCIPLINE})
ALL_ROLES = [ANON, NO_ROLE, *Role]
LOGGED_IN = frozenset({NO_ROLE, *Role})
UNIT_READERS = BUSINESS | {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}
HISTORY_READERS = frozenset({Role.CAMPAIGN_OFFICE, Role.UNIT_HEAD, Role.SUPERVISOR, Role.DISCIPLINE,
                             Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN})
ROLE_READERS = frozenset({Role.CAMPAIGN_OFFICE, Role.UNIT_HEAD, Role.SECURITY_ADMIN})
# Business data (ledgers, items, campaigns) is read by the business roles only, never by the 三员.
WORK_READERS = BUSINESS
EDITORS = frozenset({Role.CAMPAIGN_OFFICE, Role.UNIT_FILLER})
VERIFIERS = frozenset({Role.CAMPAIGN_OFFICE, Role.UNIT_HEAD})
REOPENERS = frozenset({Role.CAMPAIGN_OFFICE, Role.UNIT_HEAD, Role.SUPERVISOR})

# Who adds and edits people: the 系统管理员, and the 活动办 in its own part of the tree.
PEOPLE_KEEPERS = frozenset({Role.SYSTEM_ADMIN, Role.CAMPAIGN_OFFICE})

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Builders of an area's own objects on both sides, called once when the table's world is built:
# `builder(inn, out, users, tree)` sets attributes on the two Sides (`users` maps each role, and
# NO_ROLE, to its login, all held at 涟源市). An area's routes module appends its builder here.
SIDE_BUILDERS: list[Callable] = []


@dataclass
class Side:
    """One side of the table: the same kinds of objects, in scope of every role or out of it."""

    county: object  # 涟源市 / 娄星区
    unit: object  # a township: 桥头河镇 / 乐坪街道
    village: object  # a leaf of `unit`, moved and abolished by the unit rows
    township: object  # another township of the county, where `village` moves to
    person: object  # a person of `unit`, for the people rows
    leader: object  # the lead leader of the side's items; "in": the 责任领导 login's person
    leader_user: object  # that leader's login
    group: object  # a supervision group
    assignment: object  # a role assignment of `unit`
    campaign: object  # a campaign owned by `county`
    ledger: object  # `county`'s 领导班子 ledger, in `campaign`
    item: object  # 整改中, with evidence and a pending closing request
    closing: object  # that pending request, asked by `leader_user`
    closable: object  # 整改中 with progress and fresh evidence, no pending request: ready to ask for closing
    closed: object  # 已销号: the only kind that can relapse (反弹)
    evidence: object  # a file of `item`
    grantee: str  # the username of a login without any role, to grant one to
    password: str  # `grantee`'s password
    job: object = None  # a finished subtree export: "in", the 活动办 login's; "out", another login's


@dataclass(frozen=True)
class Route:
    """How one (route, method) answers each role.

    `ok` roles get `ok_status`; `readers` not in `ok` may see the target but not act on it: 403;
    every other logged-in role gets 404, as for an absent object; anonymous callers are sent to
    the login page (pages) or get 401/403 (API). With `out`, the same request built from the
    out-of-scope side answers 404 to every logged-in role.
    """

    path: Callable[[Side], str]
    ok: frozenset
    readers: frozenset = frozenset()
    ok_status: int = 200
    api: bool = False
    public: bool = False
    out: bool = True
    # The request's data, valid for the route so that an allowed role's write succeeds; several
    # named bodies make one cell each (e.g. the two decisions of one form).
    body: Callable[[Side], dict] | dict[str, Callable[[Side], dict]] | None = None
    multipart: bool = False  # an API body sent as a file upload rather than JSON
    # For an allowed role: proof that the write happened, where the status alone can't tell.
    done: Callable[[Side, object], bool] | None = None
    others: dict = field(default_factory=dict)  # explicit statuses for particular roles


def previewed(side: Side, response) -> bool:
    """An import's dry run found no problem and offers 确认导入 (a token for its second request)."""
    return response.context is not None and bool(response.context.get("token"))


def unit_path(pattern: str) -> Callable[[Side], str]:
    """A path naming the side's township: "/units/{i}/" -> "/units/<桥头河镇 or 乐坪街道>/"."""
    return lambda s, p=pattern: p.format(i=s.unit.pk)
