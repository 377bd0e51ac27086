"""Types of the route × role table, shared by the tables of every area (tests/*/route*.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from huitoukan.access.models import Role

ANON = "anonymous"
NO_ROLE = "no_role"
BUSINESS = {Role.CAMPAIGN_OFFICE, Role.UNIT_FILLER, Role.RESPONSIBLE_LEADER, Role.UNIT_HEAD, Role.SUPERVISOR,
            Role.DISCIPLINE}
ALL_ROLES = [ANON, NO_ROLE, *Role]
LOGGED_IN = {NO_ROLE, *Role}
UNIT_READERS = BUSINESS | {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}
HISTORY_READERS = {Role.CAMPAIGN_OFFICE, Role.UNIT_HEAD, Role.SUPERVISOR, Role.DISCIPLINE, Role.SYSTEM_ADMIN,
                   Role.SECURITY_ADMIN}
ROLE_READERS = {Role.CAMPAIGN_OFFICE, Role.UNIT_HEAD, Role.SECURITY_ADMIN}


@dataclass(frozen=True)
class Route:
    path_in: object  # callable(World) -> str
    ok: frozenset  # roles answered 200 (or `ok_status`) on path_in
    path_out: object = None  # callable(World) -> str: an out-of-scope object, 404 for everybody
    public: bool = False
    ok_status: int = 200
    api: bool = False
    method: str = "get"
    denied_status: int = 404
    others: dict = field(default_factory=dict)  # explicit statuses for particular roles


def unit_path(pattern):
    return lambda w, p=pattern: p.format(i=w.tree.qiaotouhe.pk)


def unit_out(pattern):
    return lambda w, p=pattern: p.format(i=w.tree.louxing.pk)


