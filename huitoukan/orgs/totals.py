"""Kept counts of the units in force under every unit (UnitTally), by level.

Written by the unit services in their transaction: a unit made counts +1 at itself and every unit
above it; abolished (it has no active children then), −1; a level changed moves its count from one
level to the other; a move takes the unit's own rows (its whole subtree) from its old ancestors to
its new ones. `recount` counts from the units themselves; `rebuild` writes it.
"""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from huitoukan.core.paths import ancestor_paths
from huitoukan.core.tallies import tally_add, tally_rows
from huitoukan.orgs.models import Unit, UnitTally

COLUMNS = ("unit_id", "level", "n")


def _above_and_self(unit: Unit) -> list[int]:
    return list(Unit.objects.filter(path__in=ancestor_paths(unit.path, include_self=True))
                .values_list("pk", flat=True))


def unit_counted(unit: Unit, n: int = 1, level: str | None = None) -> None:
    """Count the unit (n=1: made; n=−1: abolished) at its level, at itself and every unit above."""
    tally_add(UnitTally, COLUMNS, Counter({(pk, level or unit.level): n for pk in _above_and_self(unit)}))


def unit_level_changed(unit: Unit, old_level: str) -> None:
    if unit.abolished_on is None and old_level != unit.level:
        unit_counted(unit, -1, old_level)
        unit_counted(unit, 1)


def subtree_moved(unit: Unit, old_ancestor_ids: list[int], new_ancestor_ids: list[int]) -> None:
    own = tally_rows(UnitTally, COLUMNS[1:], unit=unit)
    left, joined = set(old_ancestor_ids) - set(new_ancestor_ids), set(new_ancestor_ids) - set(old_ancestor_ids)
    delta: Counter = Counter()
    for (level,), n in own.items():
        for pk in left:
            delta[(pk, level)] -= n
        for pk in joined:
            delta[(pk, level)] += n
    tally_add(UnitTally, COLUMNS, delta)


def recount() -> Counter:
    paths = dict(Unit.objects.values_list("pk", "path"))
    ids = {path: pk for pk, path in paths.items()}
    counts: Counter = Counter()
    for pk, level in Unit.objects.filter(abolished_on__isnull=True).values_list("pk", "level").iterator(
            chunk_size=5000):
        for path in ancestor_paths(paths[pk], include_self=True):
            counts[(ids[path], level)] += 1
    return +counts


def kept() -> Counter:
    return tally_rows(UnitTally, COLUMNS)


@transaction.atomic
def rebuild() -> int:
    counts = recount()
    UnitTally.objects.all().delete()
    UnitTally.objects.bulk_create([UnitTally(unit_id=pk, level=level, n=n) for (pk, level), n in counts.items()],
                                  batch_size=2000)
    return len(counts)
