"""Route × role rows of the supervision group pages and API writes: read by whoever reads units, managed
by the 系统管理员.

The detail row reads the side's group (in: the city's group assigned 涟源市, seen by every reader of
涟源市; out: 娄星区's group of 乐坪街道). The management rows act on a group the side's county sends
(`_county_group`, made in the cell's own rolled-back transaction): the 涟源市 系统管理员 manages
涟源市's groups; the other readers see such a group and are refused with 403; everybody else, and
everybody for 娄星区's group, gets 404 as for an absent group.
"""

from huitoukan.access.models import Role
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import SupervisionGroup
from tests.route_types import UNIT_READERS, Route

SYSTEM_ADMIN = frozenset({Role.SYSTEM_ADMIN})


def _county_group(s, *, active: bool = True) -> SupervisionGroup:
    name = f"{s.county.name}{'第二' if active else '第三'}督导组"
    group = SupervisionGroup.objects.filter(dispatched_by=s.county, name=name).first()
    if group is None:
        group = org_services.supervision_group_create(actor=None, dispatched_by=s.county, name=name,
                                                      assigned_units=[s.unit])
        if not active:
            group = org_services.supervision_group_deactivate(actor=None, group=group)
    return group


def _group_path(action: str, *, active: bool = True):
    return lambda s: f"/groups/{_county_group(s, active=active).pk}/{action}/"


def _created(s, response) -> bool:
    group = SupervisionGroup.objects.filter(dispatched_by=s.county, name="涟源市第一督导组").first()
    return group is not None and group.history.filter(history_user__username=Role.SYSTEM_ADMIN.value).exists()


GROUP_ROUTES: dict = {
    ("group-detail", "GET"): Route(lambda s: f"/groups/{s.group.pk}/", UNIT_READERS),
    # A page about no one group: 403 to whoever reads groups, 404 to anybody else.
    ("group-create", "GET"): Route(lambda s: "/groups/new/", SYSTEM_ADMIN, readers=UNIT_READERS, out=False),
    # The form names its dispatching unit: refused there before the rest is read (404 for 娄星区).
    ("group-create", "POST"): Route(
        lambda s: "/groups/new/", SYSTEM_ADMIN, readers=UNIT_READERS, ok_status=302,
        body=lambda s: {"dispatched_by": s.county.pk, "name": "涟源市第一督导组", "leader": s.person.pk,
                        "assigned_units": [s.unit.pk]},
        done=_created),
    ("group-edit", "GET"): Route(_group_path("edit"), SYSTEM_ADMIN, readers=UNIT_READERS),
    ("group-edit", "POST"): Route(
        _group_path("edit"), SYSTEM_ADMIN, readers=UNIT_READERS, ok_status=302,
        body=lambda s: {"name": "涟源市第二督导组（调整）", "leader": s.person.pk},
        done=lambda s, r: SupervisionGroup.objects.filter(name="涟源市第二督导组（调整）", leader=s.person).exists()),
    ("group-assign", "GET"): Route(_group_path("assign"), SYSTEM_ADMIN, readers=UNIT_READERS),
    ("group-assign", "POST"): Route(
        _group_path("assign"), SYSTEM_ADMIN, readers=UNIT_READERS, ok_status=302,
        body=lambda s: {"assigned_units": [s.unit.pk, s.township.pk]},
        done=lambda s, r: _county_group(s).assigned_units.count() == 2),
    ("group-deactivate", "POST"): Route(_group_path("deactivate"), SYSTEM_ADMIN, readers=UNIT_READERS, ok_status=302,
                                        done=lambda s, r: not _county_group(s).is_active),
    ("group-reactivate", "POST"): Route(_group_path("reactivate", active=False), SYSTEM_ADMIN, readers=UNIT_READERS,
                                        ok_status=302, done=lambda s, r: _county_group(s, active=False).is_active),
    # --- the same over the API ---
    ("api-group-list", "POST"): Route(
        lambda s: "/api/v1/groups/", SYSTEM_ADMIN, readers=UNIT_READERS, ok_status=201, api=True,
        body=lambda s: {"dispatched_by": s.county.pk, "name": "涟源市第一督导组", "leader": s.person.pk,
                        "assigned_units": [s.unit.pk]},
        done=_created),
    ("api-group-detail", "PATCH"): Route(
        lambda s: f"/api/v1/groups/{_county_group(s).pk}/", SYSTEM_ADMIN, readers=UNIT_READERS, api=True,
        body=lambda s: {"name": "涟源市第二督导组（调整）", "leader": s.person.pk,
                        "assigned_units": [s.unit.pk, s.township.pk], "is_active": False},
        done=lambda s, r: r.json()["assigned_units"] == [{"id": s.unit.pk, "full_name": s.unit.full_name},
                                                         {"id": s.township.pk, "full_name": s.township.full_name}]
        and SupervisionGroup.objects.filter(name="涟源市第二督导组（调整）", leader=s.person, is_active=False).exists()),
}
