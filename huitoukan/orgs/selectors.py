"""Reads of units, people and supervision groups, always through the policy's scopes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, F, Prefetch, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone

from huitoukan.access import policy
from huitoukan.access.models import Role
from huitoukan.access.policy import Perm
from huitoukan.access.selectors import assignments_visible_to
from huitoukan.core import sql, timeline
from huitoukan.core.paths import ancestor_paths, path_range_q, path_range_sql
from huitoukan.orgs.errors import OrgsError, OrgsErrorCode
from huitoukan.orgs.models import Person, SupervisionGroup, Unit, UnitTally

PATH_SEPARATOR = "/"


def subtree(unit: Unit, *, include_self: bool = True) -> QuerySet[Unit]:
    """Everything under `unit` as one index range on the materialized path."""
    qs = Unit.objects.filter(path_range_q(unit.path))
    if not include_self:
        qs = qs.exclude(pk=unit.pk)
    return qs.order_by("path")


def children(unit: Unit) -> QuerySet[Unit]:
    return subtree(unit, include_self=False).filter(depth=unit.depth + 1)


def unit_people(unit: Unit) -> list[Person]:
    """The unit's own people, its head first (SQL written once: every unit page shows them)."""
    return [sql.instance(Person, row) for row in sql.fetch(
        f'SELECT {sql.columns(Person, "p")} FROM {Person._meta.db_table} p WHERE p."unit_id" = %s '
        'ORDER BY p."is_unit_head" DESC, p."id"', [unit.pk])]


def unit_groups(unit: Unit) -> list[SupervisionGroup]:
    """The supervision groups assigned to the unit itself."""
    m2m = SupervisionGroup.assigned_units.field
    return [sql.instance(SupervisionGroup, row) for row in sql.fetch(
        f'SELECT {sql.columns(SupervisionGroup, "g")} FROM {m2m.m2m_db_table()} a '
        f'JOIN {SupervisionGroup._meta.db_table} g ON g."id" = a."{m2m.m2m_column_name()}" '
        f'WHERE a."{m2m.m2m_reverse_name()}" = %s ORDER BY g."id"',
        [unit.pk])]


def ancestors(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(path__in=ancestor_paths(unit.path)).order_by("path")


def existing_on(qs: QuerySet[Unit], day: dt.date) -> QuerySet[Unit]:
    """Units that existed on `day`: the base of every 'expected to report' count."""
    return qs.filter(Q(established_on__isnull=True) | Q(established_on__lte=day)).filter(
        Q(abolished_on__isnull=True) | Q(abolished_on__gt=day)
    )


def units_visible_to(*, user, perm: Perm = Perm.UNIT_VIEW) -> QuerySet[Unit]:
    return Unit.objects.filter(policy.units_q(user, perm)).order_by("path")


def unit_get_for(*, user, pk, perm: Perm = Perm.UNIT_VIEW) -> Unit:
    """The unit, or 404 when it is absent or outside the user's scope (the same answer). Nearly every page
    reads one, so the read is SQL written once (core.sql)."""
    key = sql.key_or_none(pk)
    rows = key is not None and sql.fetch(
        f'SELECT {sql.columns(Unit, "u")} FROM {Unit._meta.db_table} u WHERE u."id" = %s', [key])
    if not rows:
        raise Http404
    unit = sql.instance(Unit, rows[0])
    policy.require(user, perm, unit)
    return unit


def require_on_named_unit(*, user, perm: Perm, pk) -> None:
    """Refuse a write on the unit a request names, before its input is read: 404 outside the
    reader's scope (as for an absent unit), 403 inside it without `perm`; with no unit named,
    403 or 404 by whether the user may read the area at all."""
    if pk not in (None, "") and str(pk).isdigit():
        unit_get_for(user=user, pk=pk, perm=perm)
    policy.require_somewhere(user, perm)


def unit_search(*, user, text: str = "", level: str = "", kind: str = "", under: Unit | None = None,
                include_abolished: bool = True, perm: Perm = Perm.UNIT_VIEW) -> QuerySet[Unit]:
    qs = units_visible_to(user=user, perm=perm)
    if under is not None:
        qs = qs.filter(path_range_q(under.path))
    if text:
        qs = qs.filter(full_name__contains=text)
    if level:
        qs = qs.filter(level=level)
    if kind:
        qs = qs.filter(kind=kind)
    if not include_abolished:
        qs = qs.filter(abolished_on__isnull=True)
    return qs


def unit_resolve(name: str, *, within: QuerySet[Unit] | None = None, active_only: bool = True) -> Unit:
    """Find a unit by its path from the top (娄底市/涟源市/桥头河镇) or by a unique name.

    A path may also start below the top (涟源市/桥头河镇) when that suffix is unique.
    """
    name = (name or "").strip().strip(PATH_SEPARATOR)
    if not name:
        raise OrgsError(OrgsErrorCode.UNIT_NOT_FOUND, name=name)
    qs = within if within is not None else Unit.objects.all()
    if active_only:
        qs = qs.filter(abolished_on__isnull=True)
    exact = list(qs.filter(full_name=name)[:2])
    if len(exact) == 1:
        return exact[0]
    last = name.rsplit(PATH_SEPARATOR, 1)[-1]
    candidates = [u for u in qs.filter(name=last).order_by("path")[:50]]
    if PATH_SEPARATOR in name:
        suffix = PATH_SEPARATOR + name
        candidates = [u for u in candidates if (PATH_SEPARATOR + u.full_name).endswith(suffix)]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise OrgsError(OrgsErrorCode.UNIT_NOT_FOUND, name=name)
    raise OrgsError(OrgsErrorCode.UNIT_AMBIGUOUS, name=name, candidates="、".join(u.full_name for u in candidates[:10]))


def people_visible_to(*, user) -> QuerySet[Person]:
    return Person.objects.filter(policy.units_q(user, Perm.PERSON_VIEW, "unit__path")).select_related("unit")


def person_get_for(*, user, pk, perm: Perm = Perm.PERSON_VIEW) -> Person:
    try:
        person = Person.objects.select_related("unit").get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    policy.require(user, perm, person.unit)
    return person


def groups_visible_to(*, user) -> QuerySet[SupervisionGroup]:
    """Groups dispatched inside the user's scope, or assigned to a unit inside it, whole: what a
    write checks (a grant to a group's member must cover every one of its units)."""
    q = policy.units_q(user, Perm.GROUP_VIEW, "dispatched_by__path")
    assigned = SupervisionGroup.objects.filter(
        policy.units_q(user, Perm.GROUP_VIEW, "assigned_units__path")
    ).values("pk")
    return SupervisionGroup.objects.filter(q | Q(pk__in=assigned)).order_by("dispatched_by__path", "name")


def groups_shown_to(*, user) -> QuerySet[SupervisionGroup]:
    """The groups of groups_visible_to as their reader may see them: a group reaches beyond the
    reader's scope (a city's group supervises several counties), and names only what the reader
    may read. `shown_units`: its assigned units the reader may see; `shown_leader_id` and
    `shown_leader_name`: its leader, or None when that person is out of the reader's sight. Its
    dispatching unit is named whole: it is in the reader's scope or above a unit that is (a group
    supervises units below the committee that sends it), so the reader's own paths name it."""
    leader_seen = policy.units_q(user, Perm.PERSON_VIEW, "leader__unit__path")
    return (
        groups_visible_to(user=user)
        .select_related("dispatched_by")
        .prefetch_related(Prefetch(
            "assigned_units", to_attr="shown_units",
            queryset=Unit.objects.filter(policy.units_q(user, Perm.UNIT_VIEW)).order_by("path"),
        ))
        .annotate(shown_leader_id=_only_if(leader_seen, F("leader_id")),
                  shown_leader_name=_only_if(leader_seen, F("leader__name")))
    )


def _only_if(condition: Q, value):
    """`value` where `condition` holds, else NULL (an empty condition holds everywhere)."""
    return value if not condition else Case(When(condition, then=value), default=None)


def group_get_for(*, user, pk, perm: Perm = Perm.GROUP_VIEW) -> SupervisionGroup:
    """One group as groups_shown_to shows it; 404 outside the user's scope as for an absent one. With a
    write right (GROUP_MANAGE, over the dispatching unit), a group the user sees but may not manage is 403."""
    try:
        group = groups_shown_to(user=user).get(pk=pk)
    except (SupervisionGroup.DoesNotExist, ValueError, TypeError):
        existing = SupervisionGroup.objects.filter(pk=pk).select_related("dispatched_by").first() if str(pk).isdigit() else None
        if existing is not None:
            raise policy.Denied(Perm.GROUP_VIEW, existing.dispatched_by) from None
        raise Http404 from None
    if perm != Perm.GROUP_VIEW and not policy.can(user, perm, group.dispatched_by):
        raise policy.Forbidden(perm, group.dispatched_by)
    return group


def group_members(*, user, group: SupervisionGroup):
    """The logins holding the 督导组成员 role for the group, as far as the user may read grants (ROLE_VIEW
    over each grant's unit, as on the grants page)."""
    return assignments_visible_to(user=user).filter(supervision_group=group, role=Role.SUPERVISOR)


def group_history(*, user, group: SupervisionGroup) -> list | None:
    """The group's history (core.timeline) for a reader of history where it was sent or where it
    supervises, else None. A leader is named only to whoever sees the dispatching unit's people (the
    services keep leaders there); each change of its units lists, before and after, the units the
    reader may see, and a change among units out of their sight shows nothing."""
    if not any(policy.can(user, Perm.HISTORY_VIEW, unit) for unit in (group.dispatched_by, *group.shown_units)):
        return None
    hidden = frozenset() if policy.can(user, Perm.PERSON_VIEW, group.dispatched_by) else frozenset({"leader"})
    records = SupervisionGroup.history.filter(id=group.pk)
    entries = timeline.entries(records, hidden=hidden)
    snapshots = _assigned_units_by_record(group)
    seen = {u.pk: u.full_name for u in Unit.objects.filter(pk__in={pk for ids in snapshots.values() for pk in ids})
            .filter(policy.units_q(user, Perm.UNIT_VIEW)).order_by("path")}
    label = str(SupervisionGroup._meta.get_field("assigned_units").verbose_name)
    changes_at = {}
    before: list[str] = []
    for at, ids in sorted(snapshots.items()):
        shown = [name for pk, name in seen.items() if pk in ids]  # in path order
        if shown != before:
            changes_at[at] = timeline.Change(label, "、".join(before), "、".join(shown) or "—")
        before = shown
    for entry in entries:
        if entry.at in changes_at:
            entry.changes.append(changes_at[entry.at])
    return entries


def _assigned_units_by_record(group: SupervisionGroup) -> dict:
    """history_date -> the ids of the group's units as each of its history records saw them (one query)."""
    history_model = SupervisionGroup.history.model
    m2m = next(r.related_model for r in history_model._meta.related_objects if r.field.name == "history")
    snapshots = dict.fromkeys(SupervisionGroup.history.filter(id=group.pk).values_list("history_date", flat=True))
    snapshots = {at: set() for at in snapshots}
    for at, unit_id in m2m.objects.filter(history__id=group.pk).values_list("history__history_date", "unit_id"):
        snapshots[at].add(unit_id)
    return snapshots


def units_in_force(units) -> int:
    """How many units in force the subtrees of `units` hold, themselves included, from the kept counts
    (orgs.UnitTally, one query): a province's 20,000 units are not counted per request. The subtrees
    must not overlap (a scope's top units never do)."""
    ids = [u.pk for u in units]
    if not ids:
        return 0
    rows = sql.fetch(f"SELECT SUM(n) FROM {UnitTally._meta.db_table} WHERE unit_id IN ({sql.marks(ids)})", ids)
    return rows[0][0] or 0


def top_units(user, perm: Perm) -> list[Unit]:
    """The topmost units the user's scope for `perm` starts from (the roots of their tree), in path order."""
    s = policy.scope(user, perm)
    if s.everywhere:
        return _units_where('u."depth" = 1', [])
    if not s.prefixes:
        return []
    return _units_where(f'u."path" IN ({sql.marks(s.prefixes)})', list(s.prefixes))


def tree_column(*, user, perm: Perm, current: Unit | None) -> tuple[list[Unit], dict[str, Unit]]:
    """The tree column of a page: the user's top units, with the branch down to `current` opened.

    Returns the roots (each opened node carries `tree_children`) and every loaded node by path.
    At most one query per opened level (six levels), whatever the size of the tree.
    """
    s = policy.scope(user, perm)
    if s.everywhere:
        roots = _units_where('u."depth" = 1', [])
    else:
        roots = _units_where(f'u."path" IN ({sql.marks(s.prefixes)})', list(s.prefixes)) if s.prefixes else []
    opened: list[str] = []
    if current is not None:
        opened = ancestor_paths(current.path, include_self=True)
    elif len(roots) == 1:
        opened = [roots[0].path]  # a single top unit: show its children straight away
    by_path = {u.path: u for u in roots}
    # The branch opens below the roots only: the units above them are out of the reader's tree.
    opened = [p for p in opened if any(p.startswith(root.path) for root in roots)]
    if opened:
        terms, params = [], []
        for path in opened:
            term, term_params = path_range_sql(path, 'u."path"')
            terms.append(f'({term} AND u."depth" = %s)')
            params += [*term_params, len(path) // Unit.steplen + 1]
        below: dict[str, list[Unit]] = {}
        for unit in _units_where(" OR ".join(terms), params):
            below.setdefault(unit.path[:-Unit.steplen], []).append(unit)
        for path in opened:  # top down: each opened node is loaded by the one above it
            node = by_path.get(path)
            if node is None or node.numchild == 0:
                continue
            node.tree_children = below.get(path, [])
            by_path.update((c.path, c) for c in node.tree_children)
    return roots, by_path


def _units_where(where: str, params: list) -> list[Unit]:
    """Units matching a condition on `u`, in path order, read as SQL written once (core.sql): the tree
    column is on every unit page."""
    return [sql.instance(Unit, row) for row in sql.fetch(
        f'SELECT {sql.columns(Unit, "u")} FROM {Unit._meta.db_table} u WHERE {where} ORDER BY u."path"', params)]


def unit_tree_rows(*, user, root: Unit | None = None, depth: int = 2) -> list[Unit]:
    """Rows for the navigation tree: the user's top units, or the children of `root`."""
    if root is None:
        return top_units(user, Perm.UNIT_VIEW)
    policy.require(user, Perm.UNIT_VIEW, root)
    return list(children(root))


@dataclass(frozen=True)
class UnitState:
    """A unit as it stood on a day: where it sat in the tree (its name path) and its level."""

    id: int
    full_name: str
    level: str


def unit_states_on(day: dt.date, *, levels=None, under: str = "", ids=None) -> dict[int, UnitState]:
    """Units as they stood at the end of `day`, from the change history (a few queries).

    Each unit's latest record up to the day; a unit first recorded after the day (its data was
    entered after the fact) is taken as first recorded. `levels` and `under` (a name path
    prefix) filter the states, not the records, so a unit that moved or changed level counts
    where and as it was.
    """
    from django.db.models import Max, Min

    end = timezone.make_aware(dt.datetime.combine(day, dt.time.max))
    history = Unit.history.all() if ids is None else Unit.history.filter(id__in=list(ids))
    until_day = history.filter(history_date__lte=end).values("id").annotate(h=Max("history_id")).order_by()
    first_after = (
        history.exclude(id__in=history.filter(history_date__lte=end).values("id"))
        .values("id").annotate(h=Min("history_id")).order_by()
    )
    records = Unit.history.filter(
        Q(history_id__in=until_day.values("h")) | Q(history_id__in=first_after.values("h"))
    )
    if levels is not None:
        records = records.filter(level__in=list(levels))
    if under:
        records = records.filter(full_name__startswith=under)
    return {
        unit_id: UnitState(unit_id, full_name, level)
        for unit_id, full_name, level in records.values_list("id", "full_name", "level").iterator(chunk_size=5000)
    }
