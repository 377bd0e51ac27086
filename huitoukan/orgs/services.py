"""Writes to the unit tree, people and supervision groups.

`actor` is the user who acts; None means the command line, which runs with the
server operator's rights (imports, the demo). Every write leaves a history row.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core.paths import ancestor_paths
from huitoukan.orgs import selectors, signals, totals
from huitoukan.orgs.errors import OrgsError, OrgsErrorCode
from huitoukan.orgs.models import LEVEL_RANK, Person, SupervisionGroup, Unit, UnitLevel


def _check(actor, perm: Perm, unit: Unit | None) -> None:
    if actor is None:
        return
    # A unit of None (a new top unit) is refused for every user: only the command line makes one.
    policy.require(actor, perm, unit)


def _stamp(obj, actor, reason: str = "") -> None:
    obj._history_user = actor
    if reason:
        obj._change_reason = reason


def _refuse_abolished(unit: Unit) -> None:
    if unit.abolished_on is not None:
        raise OrgsError(OrgsErrorCode.ALREADY_ABOLISHED, name=unit.full_name, date=unit.abolished_on.isoformat())


def _validate_name(name: str) -> str:
    name = (name or "").strip()
    if not name or selectors.PATH_SEPARATOR in name:
        raise OrgsError(OrgsErrorCode.NAME_INVALID)
    return name


def _validate_placement(*, parent: Unit | None, name: str, level: str, exclude: Unit | None = None) -> None:
    if parent is None:
        clash = Unit.objects.filter(depth=1, name=name, abolished_on__isnull=True)
        if exclude is not None:
            clash = clash.exclude(pk=exclude.pk)
        if clash.exists():
            raise OrgsError(OrgsErrorCode.DUPLICATE_ROOT, name=name)
        return
    if parent.abolished_on is not None:
        raise OrgsError(OrgsErrorCode.PARENT_ABOLISHED, name=parent.full_name)
    if LEVEL_RANK[level] < LEVEL_RANK[parent.level]:
        raise OrgsError(
            OrgsErrorCode.LEVEL_ABOVE_PARENT,
            level=UnitLevel(level).label,
            parent_level=UnitLevel(parent.level).label,
        )
    clash = selectors.children(parent).filter(name=name, abolished_on__isnull=True)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise OrgsError(OrgsErrorCode.DUPLICATE_SIBLING, parent=parent.full_name, name=name)


@transaction.atomic
def unit_create(
    *,
    actor,
    parent: Unit | None,
    name: str,
    level: str,
    kind: str,
    batch: str = "",
    established_on: dt.date | None = None,
    sector: str = "",
) -> Unit:
    _check(actor, Perm.UNIT_MANAGE, parent)
    if parent is not None:
        # Re-read under lock: the caller's copy may predate a rename, move or abolition.
        parent = Unit.objects.select_for_update().get(pk=parent.pk)
    name = _validate_name(name)
    _validate_placement(parent=parent, name=name, level=level)
    unit = Unit(
        name=name,
        level=level,
        kind=kind,
        batch=batch or "",
        sector=(sector or "").strip(),
        established_on=established_on,
        full_name=f"{parent.full_name}/{name}" if parent else name,
    )
    _stamp(unit, actor, "成立")
    unit = Unit.objects.add_root(instance=unit) if parent is None else Unit.objects.add_child(parent, instance=unit)
    totals.unit_counted(unit)
    return unit


def _refresh_full_names(*, unit: Unit, old_full_name: str, actor, reason: str) -> None:
    """Rewrite the name paths under `unit` after it was renamed or moved."""
    below = list(selectors.subtree(unit, include_self=False))
    if not below:
        return
    for u in below:
        u.full_name = unit.full_name + u.full_name[len(old_full_name):]
    bulk_update_with_history(
        below, Unit, ["full_name"], default_user=actor, default_change_reason=reason, batch_size=500
    )


UNIT_EDITABLE_FIELDS = ("name", "level", "kind", "batch", "sector", "established_on")


@transaction.atomic
def unit_update(*, actor, unit: Unit, **changes) -> Unit:
    """Change the given fields only (UNIT_EDITABLE_FIELDS: name, level, kind, batch, sector, established_on)."""
    unknown = set(changes) - set(UNIT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unit_update() got unexpected fields {sorted(unknown)}")
    _check(actor, Perm.UNIT_MANAGE, unit)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _refuse_abolished(unit)
    name = _validate_name(changes.get("name", unit.name))
    level = changes.get("level", unit.level)
    parent = Unit.objects.get_parent(unit)
    _validate_placement(parent=parent, name=name, level=level, exclude=unit)
    for child in selectors.children(unit):
        if LEVEL_RANK[child.level] < LEVEL_RANK[level]:
            raise OrgsError(
                OrgsErrorCode.LEVEL_ABOVE_PARENT, level=child.get_level_display(), parent_level=UnitLevel(level).label
            )
    old_full_name, old_level = unit.full_name, unit.level
    for field, value in changes.items():
        setattr(unit, field, value if value is not None or field == "established_on" else "")
    unit.name = name
    unit.batch = unit.batch or ""
    unit.sector = (unit.sector or "").strip()
    unit.full_name = f"{parent.full_name}/{name}" if parent else name
    _stamp(unit, actor, "修改")
    unit.save()
    if unit.full_name != old_full_name:
        _refresh_full_names(unit=unit, old_full_name=old_full_name, actor=actor, reason=f"上级单位更名为“{name}”")
    if unit.level != old_level:
        totals.unit_level_changed(unit, old_level)
        signals.unit_level_changed.send(sender=Unit, unit=unit, old_level=old_level)
    return unit


@transaction.atomic
def unit_move(*, actor, unit: Unit, new_parent: Unit) -> Unit:
    """Move `unit` and its whole subtree under `new_parent`; paths and name paths follow."""
    _check(actor, Perm.UNIT_MANAGE, unit)
    _check(actor, Perm.UNIT_MANAGE, new_parent)
    # Lock both rows in primary-key order, so two crossing moves cannot deadlock.
    locked = {u.pk: u for u in Unit.objects.select_for_update().filter(pk__in=[unit.pk, new_parent.pk]).order_by("pk")}
    unit, new_parent = locked[unit.pk], locked[new_parent.pk]
    _refuse_abolished(unit)
    if new_parent.path.startswith(unit.path):
        raise OrgsError(OrgsErrorCode.MOVE_INTO_OWN_SUBTREE)
    _validate_placement(parent=new_parent, name=unit.name, level=unit.level, exclude=unit)
    old_full_name = unit.full_name
    old_ancestor_ids = list(Unit.objects.filter(path__in=ancestor_paths(unit.path)).values_list("pk", flat=True))
    Unit.objects.move(unit, new_parent, "last-child")
    unit.refresh_from_db()
    new_ancestor_ids = list(Unit.objects.filter(path__in=ancestor_paths(unit.path)).values_list("pk", flat=True))
    totals.subtree_moved(unit, old_ancestor_ids, new_ancestor_ids)
    signals.unit_moved.send(sender=Unit, unit=unit, old_ancestor_ids=old_ancestor_ids,
                            new_ancestor_ids=new_ancestor_ids)
    unit.full_name = f"{new_parent.full_name}/{unit.name}"
    _stamp(unit, actor, f"移动到“{new_parent.full_name}”之下")
    unit.save()
    _refresh_full_names(unit=unit, old_full_name=old_full_name, actor=actor, reason=f"随上级单位移动到“{new_parent.full_name}”之下")
    return unit


@transaction.atomic
def unit_abolish(*, actor, unit: Unit, on: dt.date, merged_into: Unit | None = None) -> Unit:
    """撤销 (or merge into another unit). The unit, its history and its records stay."""
    _check(actor, Perm.UNIT_MANAGE, unit)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _refuse_abolished(unit)
    if on > timezone.localdate():
        raise OrgsError(OrgsErrorCode.ABOLISH_IN_FUTURE, date=on.isoformat())
    if unit.established_on is not None and on < unit.established_on:
        raise OrgsError(OrgsErrorCode.ABOLISH_BEFORE_ESTABLISHED, date=on.isoformat(),
                        established=unit.established_on.isoformat())
    last_child = (
        selectors.children(unit).filter(abolished_on__isnull=False).order_by("-abolished_on")
        .values_list("abolished_on", flat=True).first()
    )
    if last_child is not None and on < last_child:
        raise OrgsError(OrgsErrorCode.ABOLISH_BEFORE_CHILDREN, date=on.isoformat(), child_date=last_child.isoformat())
    if merged_into is not None:
        _check(actor, Perm.UNIT_MANAGE, merged_into)
        if merged_into.path.startswith(unit.path) or merged_into.abolished_on is not None:
            raise OrgsError(OrgsErrorCode.MERGE_TARGET_INVALID)
    active_children = selectors.children(unit).filter(abolished_on__isnull=True).count()
    if active_children:
        raise OrgsError(OrgsErrorCode.HAS_ACTIVE_CHILDREN, name=unit.full_name, count=active_children)
    unit.abolished_on = on
    unit.merged_into = merged_into
    _stamp(unit, actor, f"并入“{merged_into.full_name}”" if merged_into else "撤销")
    unit.save()
    totals.unit_counted(unit, -1)  # no active children: the unit alone leaves the count
    return unit


@transaction.atomic
def person_create(
    *,
    actor,
    unit: Unit,
    name: str,
    position: str = "",
    is_party_leader: bool = False,
    is_unit_head: bool = False,
    user=None,
) -> Person:
    _check(actor, Perm.PERSON_MANAGE, unit)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.abolished_on is not None:
        raise OrgsError(OrgsErrorCode.PERSON_UNIT_ABOLISHED, name=unit.full_name)
    person = Person(
        unit=unit,
        name=name.strip(),
        position=position.strip(),
        is_party_leader=is_party_leader,
        is_unit_head=is_unit_head,
        user=user,
    )
    _stamp(person, actor, "新增")
    person.save()
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **fields) -> Person:
    _check(actor, Perm.PERSON_MANAGE, person.unit)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if "unit" in fields and fields["unit"].pk != person.unit_id:
        _check(actor, Perm.PERSON_MANAGE, fields["unit"])
        target = Unit.objects.select_for_update().get(pk=fields["unit"].pk)
        if target.abolished_on is not None:
            raise OrgsError(OrgsErrorCode.PERSON_UNIT_ABOLISHED, name=target.full_name)
        fields["unit"] = target
    allowed = {"name", "position", "unit", "is_party_leader", "is_unit_head", "is_active", "user"}
    for key, value in fields.items():
        if key not in allowed:
            raise TypeError(key)
        setattr(person, key, value.strip() if isinstance(value, str) else value)
    _stamp(person, actor, "修改")
    person.save()
    return person


def _check_assigned_units(actor, dispatched_by: Unit, assigned_units: list[Unit], kept=frozenset()) -> None:
    """一级抓一级: a group supervises units below the committee that sends it. A unit abolished since it
    was assigned (its pk in `kept`) may stay; none may be newly assigned."""
    for unit in assigned_units:
        _check(actor, Perm.GROUP_MANAGE, unit)
        if unit.pk == dispatched_by.pk or not unit.path.startswith(dispatched_by.path):
            raise OrgsError(OrgsErrorCode.GROUP_UNIT_OUTSIDE, unit=unit.full_name, dispatcher=dispatched_by.full_name)
        if unit.abolished_on is not None and unit.pk not in kept:
            raise OrgsError(OrgsErrorCode.GROUP_UNIT_ABOLISHED, unit=unit.full_name)


def _group_name(name: str, dispatched_by: Unit, exclude: SupervisionGroup | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise OrgsError(OrgsErrorCode.GROUP_NAME_EMPTY)
    clash = SupervisionGroup.objects.filter(dispatched_by=dispatched_by, name=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise OrgsError(OrgsErrorCode.GROUP_NAME_TAKEN, dispatcher=dispatched_by.full_name, name=name)
    return name


def _check_leader(actor, dispatched_by: Unit, leader: Person | None) -> Person | None:
    """The leader is a serving person of the dispatching unit's part of the tree, whom the actor may see;
    read again, as the caller's copy may predate a move or a departure."""
    if leader is None:
        return None
    leader = Person.objects.select_related("unit").get(pk=leader.pk)
    _check(actor, Perm.PERSON_VIEW, leader.unit)
    if not leader.unit.path.startswith(dispatched_by.path):
        raise OrgsError(OrgsErrorCode.GROUP_LEADER_OUTSIDE, leader=leader.name, dispatcher=dispatched_by.full_name)
    if not leader.is_active:
        raise OrgsError(OrgsErrorCode.GROUP_LEADER_INACTIVE, leader=leader.name)
    return leader


def _group_locked(actor, group: SupervisionGroup) -> SupervisionGroup:
    """The group re-read under lock, once the actor may manage it (the right is over its dispatching unit)."""
    _check(actor, Perm.GROUP_MANAGE, group.dispatched_by)
    return SupervisionGroup.objects.select_for_update().select_related("dispatched_by").get(pk=group.pk)


@transaction.atomic
def supervision_group_create(
    *, actor, dispatched_by: Unit, name: str, assigned_units: list[Unit], leader: Person | None = None
) -> SupervisionGroup:
    _check(actor, Perm.GROUP_MANAGE, dispatched_by)
    dispatched_by = Unit.objects.select_for_update().get(pk=dispatched_by.pk)
    if dispatched_by.abolished_on is not None:
        raise OrgsError(OrgsErrorCode.GROUP_DISPATCHER_ABOLISHED, dispatcher=dispatched_by.full_name)
    name = _group_name(name, dispatched_by)
    leader = _check_leader(actor, dispatched_by, leader)
    _check_assigned_units(actor, dispatched_by, assigned_units)
    group = SupervisionGroup(dispatched_by=dispatched_by, name=name, leader=leader)
    _stamp(group, actor, "组建")
    group.save()
    group.assigned_units.set(assigned_units)
    return group


@transaction.atomic
def supervision_group_update(*, actor, group: SupervisionGroup, name: str, leader: Person | None) -> SupervisionGroup:
    """Rename the group and set (or clear) its leader."""
    group = _group_locked(actor, group)
    group.name = _group_name(name, group.dispatched_by, exclude=group)
    group.leader = _check_leader(actor, group.dispatched_by, leader)
    _stamp(group, actor, "修改")
    group.save()
    return group


@transaction.atomic
def supervision_group_assign(*, actor, group: SupervisionGroup, assigned_units: list[Unit]) -> SupervisionGroup:
    group = _group_locked(actor, group)
    kept = frozenset(group.assigned_units.values_list("pk", flat=True))
    _check_assigned_units(actor, group.dispatched_by, assigned_units, kept)
    _stamp(group, actor, "调整督导单位")
    # One history row for the act, written by the save with the units as they now are, rather than
    # one per added and removed batch.
    group.skip_history_when_saving = True
    group.assigned_units.set(assigned_units)
    del group.skip_history_when_saving
    group.save()
    return group


def _group_set_active(actor, group: SupervisionGroup, active: bool) -> SupervisionGroup:
    group = _group_locked(actor, group)
    if group.is_active == active:
        raise OrgsError(OrgsErrorCode.GROUP_ALREADY_ACTIVE if active else OrgsErrorCode.GROUP_ALREADY_INACTIVE,
                        name=group.name)
    group.is_active = active
    _stamp(group, actor, "启用" if active else "停用")
    group.save()
    return group


@transaction.atomic
def supervision_group_deactivate(*, actor, group: SupervisionGroup) -> SupervisionGroup:
    """停用: the group stays with its history, and its members' grants cover nothing while it is stopped
    (access.policy reads no scope from an inactive group)."""
    return _group_set_active(actor, group, False)


@transaction.atomic
def supervision_group_reactivate(*, actor, group: SupervisionGroup) -> SupervisionGroup:
    return _group_set_active(actor, group, True)
