"""The day's figures of every unit, kept for the 汇总's charts over time."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from huitoukan.ledgers.models import ItemDueTally, ItemStatus, ItemTally
from huitoukan.rollups.models import DailyFigures

BATCH = 2000


@transaction.atomic
def daily_figures_record(*, day: dt.date | None = None) -> int:
    """Record (or record again) `day`'s figures of every unit and campaign holding items, from the
    kept totals: two grouped reads and one upsert, whatever the number of items. Overdue counts
    the open items whose deadline fell before `day`, as the 汇总 counts them on that day.

    Returns the number of rows written.
    """
    day = day or timezone.localdate()
    figures: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for unit_id, campaign_id, total, closed in (
        ItemTally.objects.filter(n__gt=0).values("unit_id", "campaign_id").order_by()
        .annotate(total=Sum("n"), closed=Sum("n", filter=Q(status=ItemStatus.CLOSED)))
        .values_list("unit_id", "campaign_id", "total", "closed")
    ):
        figures[unit_id, campaign_id][:2] = [total, closed or 0]
    for unit_id, campaign_id, overdue in (
        ItemDueTally.objects.filter(n__gt=0, due_on__lt=day).values("unit_id", "campaign_id").order_by()
        .annotate(overdue=Sum("n")).values_list("unit_id", "campaign_id", "overdue")
    ):
        figures[unit_id, campaign_id][2] = overdue
    rows = [DailyFigures(unit_id=u, campaign_id=c, day=day, total=t, closed=cl, overdue=o)
            for (u, c), (t, cl, o) in figures.items()]
    DailyFigures.objects.bulk_create(rows, batch_size=BATCH, update_conflicts=True,
                                     unique_fields=["unit", "campaign", "day"],
                                     update_fields=["total", "closed", "overdue"])
    return len(rows)
