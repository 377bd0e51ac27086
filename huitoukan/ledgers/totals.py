"""Kept totals of items under every unit (ItemTally): written with each write, read by the roll-ups.

Every write of an item goes through `record` in its own transaction: the items' keys before and
after, counted once for each unit from the top of the tree down to the ledger's unit. A unit
moving to another parent takes its own rows (its whole subtree) from its old ancestors to its new
ones (`subtree_moved`, connected to orgs' `unit_moved` signal); a unit changing level re-keys its own
ledgers' items (`unit_level_changed`). `recount` counts from the items
themselves: `rebuild` writes it, and the tests hold the kept totals to it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count

from huitoukan.core.paths import ancestor_paths
from huitoukan.ledgers.models import Item, ItemTally
from huitoukan.orgs.models import Unit

# The deadline of an item that has no date (立行立改, 长期坚持, 未定): never overdue.
NO_DATE = dt.date(9999, 12, 31)

Key = tuple  # (campaign_id, kind, unit_level, status, four_winds, due_on)
_COLUMNS = ("unit_id", "campaign_id", "kind", "unit_level", "status", "four_winds", "due_on", "n")
_BATCH = 400


def key_of(item: Item, **stored) -> Key:
    """What the item counts under; `stored` (status, four_winds, due_on) stands in for its own values,
    for the state before a change."""
    values = {"status": item.status, "four_winds": item.four_winds, "due_on": item.due_on} | stored
    ledger = item.ledger
    return (ledger.campaign_id, ledger.kind, ledger.unit.level, values["status"], values["four_winds"] or "",
            values["due_on"] or NO_DATE)


def ancestors(unit: Unit, _cache: dict | None = None) -> list[int]:
    """The ids of the unit and of every unit above it."""
    if _cache is not None and unit.pk in _cache:
        return _cache[unit.pk]
    paths = ancestor_paths(unit.path, include_self=True)
    ids = list(Unit.objects.filter(path__in=paths).values_list("pk", flat=True))
    if _cache is not None:
        _cache[unit.pk] = ids
    return ids


def record(changes: Iterable[tuple[Item, Key | None, Key | None]]) -> None:
    """Count each (item, before, after): before None for a new item, after None for one gone."""
    delta: Counter = Counter()
    cache: dict = {}
    for item, before, after in changes:
        if before == after:
            continue
        for unit_id in ancestors(item.ledger.unit, cache):
            if before is not None:
                delta[(unit_id, *before)] -= 1
            if after is not None:
                delta[(unit_id, *after)] += 1
    apply(delta)


def apply(delta: Counter) -> None:
    """Add each count to its row, creating rows as needed, in one statement per batch."""
    rows = [(*key, n) for key, n in delta.items() if n]
    if not rows:
        return
    table = ItemTally._meta.db_table
    keys = ", ".join(_COLUMNS[:-1])
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _BATCH):
            batch = rows[start:start + _BATCH]
            values = ", ".join(["(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(_COLUMNS)}) VALUES {values} "
                f"ON CONFLICT ({keys}) DO UPDATE SET n = {table}.n + excluded.n",
                [value for row in batch for value in row],
            )


def subtree_moved(*, unit: Unit, old_ancestor_ids: list[int], new_ancestor_ids: list[int]) -> None:
    """A unit moved: its own rows (everything under it) leave its old ancestors and join its new ones."""
    own = Counter({row[:-1]: row[-1] for row in ItemTally.objects.filter(unit=unit).exclude(n=0).values_list(
        *_COLUMNS[1:])})
    delta: Counter = Counter()
    for key, n in own.items():
        for unit_id in set(old_ancestor_ids) - set(new_ancestor_ids):
            delta[(unit_id, *key)] -= n
        for unit_id in set(new_ancestor_ids) - set(old_ancestor_ids):
            delta[(unit_id, *key)] += n
    apply(delta)


def unit_level_changed(*, unit: Unit, old_level: str) -> None:
    """The items of the unit's own ledgers count under its new level, at the unit and every unit above."""
    rows = (Item.objects.filter(ledger__unit=unit)
            .values_list("ledger__campaign_id", "ledger__kind", "status", "four_winds", "due_on")
            .annotate(n=Count("pk")).order_by())
    delta: Counter = Counter()
    ids = ancestors(unit)
    for campaign_id, kind, status, four_winds, due_on, n in rows:
        rest = (status, four_winds or "", due_on or NO_DATE)
        for unit_id in ids:
            delta[(unit_id, campaign_id, kind, old_level, *rest)] -= n
            delta[(unit_id, campaign_id, kind, unit.level, *rest)] += n
    apply(delta)


def recount() -> Counter:
    """The totals as the items are now: {(unit_id, *key): n} for every non-zero count."""
    per_unit: Counter = Counter()
    rows = Item.objects.values_list("ledger__unit_id", "ledger__campaign_id", "ledger__kind", "ledger__unit__level",
                                    "status", "four_winds", "due_on")
    for unit_id, campaign_id, kind, level, status, four_winds, due_on in rows.iterator(chunk_size=5000):
        per_unit[(unit_id, campaign_id, kind, level, status, four_winds or "", due_on or NO_DATE)] += 1
    paths = dict(Unit.objects.values_list("pk", "path"))
    ids = {path: pk for pk, path in paths.items()}
    totals: Counter = Counter()
    for (unit_id, *key), n in per_unit.items():
        for path in ancestor_paths(paths[unit_id], include_self=True):
            totals[(ids[path], *key)] += n
    return totals


def kept() -> Counter:
    """The totals as kept, in the shape of `recount`."""
    return Counter({row[:-1]: row[-1] for row in ItemTally.objects.exclude(n=0).values_list(*_COLUMNS)})


@transaction.atomic
def rebuild() -> int:
    """Replace the kept totals by a recount; returns how many rows it wrote."""
    totals = recount()
    ItemTally.objects.all().delete()
    ItemTally.objects.bulk_create(
        [ItemTally(**dict(zip(_COLUMNS, (*key, n), strict=True))) for key, n in totals.items()], batch_size=2000)
    return len(totals)
