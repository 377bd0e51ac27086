"""Kept totals of items under every unit (ItemTally, ItemDueTally): written with each write, read by the roll-ups.

Every write of an item goes through `record` in its own transaction: the items' keys before and
after, counted once for each unit from the top of the tree down to the ledger's unit. An item
counts in ItemTally by what the roll-ups group by, and, while it is open and has a date, in
ItemDueTally by its deadline and 四风. A unit moving to another parent takes its own rows (its whole
subtree) from its old ancestors to its new ones (`subtree_moved`, connected to orgs' `unit_moved`
signal); a unit changing level re-keys its own ledgers' items (`unit_level_changed`). `recount`
counts from the items themselves: `rebuild` writes it, and the tests hold the kept totals to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from huitoukan.core.tallies import counted_up, moved, tally_add, tally_replace, tally_rows
from huitoukan.ledgers.models import (
    OPEN_STATUSES,
    ClosingRequest,
    ClosingState,
    ClosingTally,
    Item,
    ItemDueTally,
    ItemTally,
    Ledger,
    LedgerTally,
)
from huitoukan.orgs import totals as unit_totals
from huitoukan.orgs.models import Unit

_LEDGERS = ("unit_id", "campaign_id", "kind", "n")
_TALLY = ("unit_id", "campaign_id", "kind", "unit_level", "status", "four_winds", "n")
_DUE = ("unit_id", "campaign_id", "due_on", "four_winds", "n")
_CLOSINGS = ("unit_id", "campaign_id", "n")


@dataclass(frozen=True)
class Key:
    """What one item counts under: its tally key, and its deadline key while it is open and dated."""

    tally: tuple  # (campaign_id, kind, unit_level, status, four_winds)
    due: tuple | None  # (campaign_id, due_on, four_winds)


def _key(campaign_id, kind, level, status, four_winds, due_on) -> Key:
    due = (campaign_id, due_on, four_winds or "") if due_on is not None and status in OPEN_STATUSES else None
    return Key((campaign_id, kind, level, status, four_winds or ""), due)


def key_of(item: Item, **stored) -> Key:
    """What the item counts under; `stored` (status, four_winds, due_on) stands in for its own values,
    for the state before a change."""
    values = {"status": item.status, "four_winds": item.four_winds, "due_on": item.due_on} | stored
    ledger = item.ledger
    return _key(ledger.campaign_id, ledger.kind, ledger.unit.level, values["status"], values["four_winds"],
                values["due_on"])


def ancestors(unit: Unit, _cache: dict | None = None) -> list[int]:
    """The ids of the unit and of every unit above it."""
    if _cache is not None and unit.pk in _cache:
        return _cache[unit.pk]
    ids = unit_totals.above_and_self(unit)
    if _cache is not None:
        _cache[unit.pk] = ids
    return ids


@dataclass
class Delta:
    tally: Counter
    due: Counter

    @classmethod
    def empty(cls) -> Delta:
        return cls(Counter(), Counter())

    def add(self, unit_id: int, key: Key, n: int) -> None:
        self.tally[(unit_id, *key.tally)] += n
        if key.due is not None:
            self.due[(unit_id, *key.due)] += n


def record(changes: Iterable[tuple[Item, Key | None, Key | None]]) -> None:
    """Count each (item, before, after): before None for a new item, after None for one gone."""
    delta = Delta.empty()
    cache: dict = {}
    for item, before, after in changes:
        if before == after:
            continue
        for unit_id in ancestors(item.ledger.unit, cache):
            if before is not None:
                delta.add(unit_id, before, -1)
            if after is not None:
                delta.add(unit_id, after, 1)
    apply(delta)


def _upsert(model, columns: tuple, counts: Counter) -> None:
    tally_add(model, columns, counts)


def apply(delta: Delta) -> None:
    """Add each count to its row, creating rows as needed: additive upserts, a statement per batch."""
    _upsert(ItemTally, _TALLY, delta.tally)
    _upsert(ItemDueTally, _DUE, delta.due)


def _own_rows(unit: Unit) -> Delta:
    return Delta(tally_rows(ItemTally, _TALLY[1:], unit=unit), tally_rows(ItemDueTally, _DUE[1:], unit=unit))


def subtree_moved(*, unit: Unit, old_ancestor_ids: list[int], new_ancestor_ids: list[int]) -> None:
    """A unit moved: its own rows (everything under it) leave its old ancestors and join its new ones."""
    own = _own_rows(unit)
    apply(Delta(moved(own.tally, old_ancestor_ids, new_ancestor_ids),
                moved(own.due, old_ancestor_ids, new_ancestor_ids)))
    tally_add(LedgerTally, _LEDGERS, moved(tally_rows(LedgerTally, _LEDGERS[1:], unit=unit), old_ancestor_ids,
                                           new_ancestor_ids))
    tally_add(ClosingTally, _CLOSINGS, moved(tally_rows(ClosingTally, _CLOSINGS[1:], unit=unit), old_ancestor_ids,
                                             new_ancestor_ids))


def closing_counted(item: Item, n: int) -> None:
    """A closing request of the item began waiting for 核验 (n=1) or stopped (n=−1: verified, returned,
    voided by 回炉): counted at the item's unit and every unit above."""
    tally_add(ClosingTally, _CLOSINGS, Counter({(unit_id, item.ledger.campaign_id): n
                                                 for unit_id in ancestors(item.ledger.unit)}))


def closings_recount() -> Counter:
    """ClosingTally as the closing requests are now."""
    own = Counter({(unit_id, campaign_id): n for unit_id, campaign_id, n in (
        ClosingRequest.objects.filter(state=ClosingState.PENDING)
        .values_list("item__ledger__unit_id", "item__ledger__campaign_id").annotate(n=Count("pk")).order_by())})
    return counted_up(own, dict(Unit.objects.values_list("pk", "path")))


def closings_kept() -> Counter:
    return tally_rows(ClosingTally, _CLOSINGS)


@transaction.atomic
def closings_rebuild() -> int:
    return tally_replace(ClosingTally, _CLOSINGS, closings_recount())


def ledger_opened(ledger: Ledger) -> None:
    """A new ledger counts at its unit and every unit above (where the unit is now: the caller's
    copy of it may predate a move)."""
    unit = Unit.objects.only("path").get(pk=ledger.unit_id)
    tally_add(LedgerTally, _LEDGERS, Counter({(unit_id, ledger.campaign_id, ledger.kind): 1
                                               for unit_id in ancestors(unit)}))


def ledgers_recount() -> Counter:
    """LedgerTally as the ledgers are now."""
    own = Counter({(unit_id, campaign_id, kind): n for unit_id, campaign_id, kind, n in (
        Ledger.objects.values_list("unit_id", "campaign_id", "kind").annotate(n=Count("pk")).order_by())})
    return counted_up(own, dict(Unit.objects.values_list("pk", "path")))


def ledgers_kept() -> Counter:
    return tally_rows(LedgerTally, _LEDGERS)


@transaction.atomic
def ledgers_rebuild() -> int:
    return tally_replace(LedgerTally, _LEDGERS, ledgers_recount())


def unit_level_changed(*, unit: Unit, old_level: str) -> None:
    """The items of the unit's own ledgers count under its new level, at the unit and every unit above."""
    rows = (Item.objects.filter(ledger__unit=unit)
            .values_list("ledger__campaign_id", "ledger__kind", "status", "four_winds")
            .annotate(n=Count("pk")).order_by())
    delta = Delta.empty()
    ids = ancestors(unit)
    for campaign_id, kind, status, four_winds, n in rows:
        for unit_id in ids:
            delta.tally[(unit_id, campaign_id, kind, old_level, status, four_winds or "")] -= n
            delta.tally[(unit_id, campaign_id, kind, unit.level, status, four_winds or "")] += n
    apply(delta)


def recount() -> tuple[Counter, Counter]:
    """The totals as the items are now, in the shape of `kept`: every non-zero count of both tables."""
    per_unit = Delta.empty()
    rows = Item.objects.values_list("ledger__unit_id", "ledger__campaign_id", "ledger__kind", "ledger__unit__level",
                                    "status", "four_winds", "due_on")
    for unit_id, campaign_id, kind, level, status, four_winds, due_on in rows.iterator(chunk_size=5000):
        per_unit.add(unit_id, _key(campaign_id, kind, level, status, four_winds, due_on), 1)
    paths = dict(Unit.objects.values_list("pk", "path"))
    return counted_up(per_unit.tally, paths), counted_up(per_unit.due, paths)


def kept() -> tuple[Counter, Counter]:
    """The totals as kept: every non-zero count of ItemTally and of ItemDueTally."""
    return tally_rows(ItemTally, _TALLY), tally_rows(ItemDueTally, _DUE)


@transaction.atomic
def rebuild() -> int:
    """Replace the kept totals by a recount; returns how many rows it wrote."""
    tally, due = recount()
    return tally_replace(ItemTally, _TALLY, tally) + tally_replace(ItemDueTally, _DUE, due)


# ---- every kept count at once: the command and the tests ----------------------------------------


def all_kept() -> tuple[Counter, ...]:
    """ItemTally, ItemDueTally, LedgerTally, ClosingTally, orgs' UnitTally and WorkTally as kept."""
    return (*kept(), ledgers_kept(), closings_kept(), unit_totals.kept(), unit_totals.work_kept())


def all_recounted() -> tuple[Counter, ...]:
    """The same, counted from the items, ledgers and units themselves (and the apps' objects above)."""
    return (*recount(), ledgers_recount(), closings_recount(), unit_totals.recount(), unit_totals.work_recount_all())


@transaction.atomic
def rebuild_all() -> int:
    return rebuild() + ledgers_rebuild() + closings_rebuild() + unit_totals.rebuild() + unit_totals.work_rebuild()
