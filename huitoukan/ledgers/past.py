"""The ledgers as they stood at the end of a past day, read from the history already kept: no second copy.

- An item is its newest historical row (simple_history's `Item.history`) written before the day ended, unless
  that row records its deletion; an item made later is absent.
- Its lead leaders and responsible units are the sets kept with that historical row (the history's m2m
  tables), in the order the ledgers print them.
- Its progress columns are its newest entry (by 填报日期, then id, as `selectors.latest_progress`) among those
  entered (created_at) before the day ended: an entry written later with an earlier 填报日期 was not in the
  ledger that day.
- People's and units' names are today's (names are not what the ledger kept, and rarely change).

`ledger_rows_as_of` returns the rows in the shape of `exports.ledger_rows`, so the page and the files of a past
day are made by the same code as today's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.apps import apps
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber

from huitoukan.core import asof
from huitoukan.core.asof import DELETED, DayError, day_parse, end_of  # noqa: F401  (the ledgers' callers read them here)
from huitoukan.ledgers.models import STATUS_ONLY_CHANGE_REASON, Item, ProgressEntry


def _historical_m2m(name: str):
    return apps.get_model("ledgers", f"HistoricalItem_{name}")


# The history rows a write of the status alone leaves (ledgers.services.progress_add_bulk's bulk update): they
# carry no copy of the links (simple_history's bulk update does not take one), and the links did not change.
STATUS_ONLY_REASONS = (STATUS_ONLY_CHANGE_REASON,)


def items_as_of(day: dt.date, *conditions: Q, **filters):
    """Of the items' historical rows that match, each item's newest written before `day` ended (the rule of
    core.asof; a queryset: pages read it whole, roll-ups group it in SQL). A row whose `history_type` is DELETED
    records the item's deletion: it was gone that day, and the reader leaves it out."""
    return asof.as_of(Item.history, day, *conditions, **filters)


def item_versions(ledger_ids: Sequence[int], day: dt.date) -> list[dict]:
    """Each item of the ledgers as it stood when `day` ended: its newest historical row by then, with
    `links_id`, the newest by then that holds its links (two queries)."""
    before = Item.history.filter(ledger_id__in=ledger_ids, history_date__lt=end_of(day))
    rows = items_as_of(day, ledger_id__in=ledger_ids).values(
        "history_id", "history_type", "id", "ledger_id", "seq", "problem", "measures", "deadline_mode", "due_on",
        "category", "status")
    links = dict(asof.newest(before.exclude(history_change_reason__in=STATUS_ONLY_REASONS))
                 .values_list("id", "history_id"))
    return sorted(({**r, "links_id": links.get(r["id"], r["history_id"])} for r in rows
                   if r["history_type"] != DELETED), key=lambda r: (r["ledger_id"], r["seq"]))


def links_as_of(history_ids: Sequence[int]) -> tuple[dict, dict]:
    """(item id → [(person name, unit name)], item id → [(unit name, full name)]) kept with those historical
    rows, in the order of the ledgers' columns (two queries)."""
    leaders: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for item_id, name, unit_name in (
            _historical_m2m("lead_leaders").objects.filter(history_id__in=history_ids)
            .order_by("item_id", "person__unit__path", "-person__is_unit_head", "person_id")
            .values_list("item_id", "person__name", "person__unit__name")):
        leaders[item_id].append((name, unit_name))
    units: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for item_id, name, full_name in (
            _historical_m2m("responsible_units").objects.filter(history_id__in=history_ids)
            .order_by("item_id", "unit__path").values_list("item_id", "unit__name", "unit__full_name")):
        units[item_id].append((name, full_name))
    return leaders, units


def latest_progress_as_of(ledger_ids: Sequence[int], day: dt.date) -> dict[int, tuple[str, str, str]]:
    """item id → (progress, strict execution, next steps) of its newest entry entered before `day` ended."""
    return {
        item_id: (progress, strict, next_steps)
        for item_id, progress, strict, next_steps in ProgressEntry.objects.filter(
            item__ledger_id__in=ledger_ids, created_at__lt=end_of(day))
        .annotate(newest=Window(RowNumber(), partition_by=[F("item_id")],
                                order_by=[F("reported_on").desc(), F("id").desc()]))
        .filter(newest=1)
        .values_list("item_id", "progress", "strict_execution", "next_steps")
    }
