"""Kept counts of the units in force under every unit (UnitTally), by level.

Written by the unit services in their transaction: a unit made counts +1 at itself and every unit
above it; abolished (it has no active children then), −1; a level changed moves its count from one
level to the other; a move takes the unit's own rows (its whole subtree) from its old ancestors to
its new ones. `recount` counts from the units themselves; `rebuild` writes it.
"""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from huitoukan.core import sql
from huitoukan.core.paths import ancestor_paths
from huitoukan.core.tallies import counted_up, moved, tally_add, tally_replace, tally_rows
from huitoukan.orgs.models import Unit, UnitTally, WorkTally

COLUMNS = ("unit_id", "level", "n")
WORK = ("unit_id", "campaign_id", "topic", "key", "n")


def above_and_self(unit: Unit) -> list[int]:
    """The ids of the unit and of every unit above it (one query)."""
    return list(Unit.objects.filter(path__in=ancestor_paths(unit.path, include_self=True))
                .values_list("pk", flat=True))


def unit_counted(unit: Unit, n: int = 1, level: str | None = None) -> None:
    """Count the unit (n=1: made; n=−1: abolished) at its level, at itself and every unit above."""
    tally_add(UnitTally, COLUMNS, Counter({(pk, level or unit.level): n for pk in above_and_self(unit)}))


def unit_level_changed(unit: Unit, old_level: str) -> None:
    if unit.abolished_on is None and old_level != unit.level:
        unit_counted(unit, -1, old_level)
        unit_counted(unit, 1)


def subtree_moved(unit: Unit, old_ancestor_ids: list[int], new_ancestor_ids: list[int]) -> None:
    tally_add(UnitTally, COLUMNS, moved(tally_rows(UnitTally, COLUMNS[1:], unit=unit), old_ancestor_ids,
                                        new_ancestor_ids))
    tally_add(WorkTally, WORK, moved(tally_rows(WorkTally, WORK[1:], unit=unit), old_ancestor_ids,
                                     new_ancestor_ids))


def work_counted(unit: Unit, *, topic: str, before: str | None = None, after: str | None = None,
                 campaign_id: int | None = None) -> None:
    """One object of `topic` at `unit` moves from key `before` to key `after` (None: it did not count
    before, or does not count after): counted at the unit and at every unit above it, in the caller's
    transaction. The one way the apps above keep their counts for the roll-ups (WorkTally)."""
    work_counted_many([(unit, before, after)], topic=topic, campaign_id=campaign_id)


def work_counted_many(changes, *, topic: str, campaign_id: int | None = None) -> None:
    """`work_counted` for many objects at once, [(unit, before, after), …]: two queries whatever their number."""
    changes = [(unit, before, after) for unit, before, after in changes if before != after]
    if not changes:
        return
    paths = {path for unit, _b, _a in changes for path in ancestor_paths(unit.path, include_self=True)}
    ids = dict(Unit.objects.filter(path__in=paths).values_list("path", "pk"))
    counts: Counter = Counter()
    for unit, before, after in changes:
        for path in ancestor_paths(unit.path, include_self=True):
            if before is not None:
                counts[(ids[path], campaign_id or 0, topic, before)] -= 1
            if after is not None:
                counts[(ids[path], campaign_id or 0, topic, after)] += 1
    tally_add(WorkTally, WORK, counts)


def work_counts(units, *, topic: str, campaign_id: int | None = None) -> dict[int, Counter]:
    """{unit id: Counter(key: n)} of `topic` under each of `units` (their subtrees): one query."""
    return work_counts_many(units, [(topic, campaign_id)])[(topic, campaign_id or 0)]


def work_counts_many(units, topics) -> dict[tuple[str, int], dict[int, Counter]]:
    """{(topic, campaign id): {unit id: Counter(key: n)}} of each (topic, campaign id) under each of `units`,
    in one statement (the 汇总 reads several topics per child: an SQL string, not a query compiled each time)."""
    ids = [u.pk for u in units]
    topics = [(topic, campaign_id or 0) for topic, campaign_id in topics]
    result: dict[tuple[str, int], dict[int, Counter]] = {t: {pk: Counter() for pk in ids} for t in topics}
    if ids and topics:
        wanted = " OR ".join(["(topic = %s AND campaign_id = %s)"] * len(topics))
        rows = sql.fetch(f"SELECT unit_id, topic, campaign_id, key, n FROM {WorkTally._meta.db_table} "
                         f"WHERE unit_id IN ({sql.marks(ids)}) AND ({wanted}) AND n <> 0",
                         [*ids, *(v for t in topics for v in t)])
        for unit_id, topic, campaign_id, key, n in rows:
            result[(topic, campaign_id)][unit_id][key] = n
    return result


def work_recount(own: Counter) -> Counter:
    """What WorkTally should hold, from each unit's own counts {(unit id, campaign id, topic, key): n}."""
    return counted_up(own, dict(Unit.objects.values_list("pk", "path")))


def work_kept(topic: str | None = None) -> Counter:
    return tally_rows(WorkTally, WORK, **({"topic": topic} if topic else {}))


# Each app above that keeps counts in WorkTally registers, from its AppConfig.ready(), how to count its own
# objects at their own units ({(unit id, campaign id, topic, key): n}): `totals-rebuild` recounts them all.
_OWN_COUNTS: dict[str, object] = {}


def work_own_register(name: str, own_counts) -> None:
    _OWN_COUNTS[name] = own_counts


def work_recount_all() -> Counter:
    own: Counter = Counter()
    for own_counts in _OWN_COUNTS.values():
        own.update(own_counts())
    return work_recount(+own)


@transaction.atomic
def work_rebuild() -> int:
    return tally_replace(WorkTally, WORK, work_recount_all())


def recount() -> Counter:
    own = Counter(Unit.objects.filter(abolished_on__isnull=True).values_list("pk", "level").iterator(chunk_size=5000))
    return counted_up(own, dict(Unit.objects.values_list("pk", "path")))


def kept() -> Counter:
    return tally_rows(UnitTally, COLUMNS)


@transaction.atomic
def rebuild() -> int:
    return tally_replace(UnitTally, COLUMNS, recount())
