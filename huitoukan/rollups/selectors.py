"""汇总: what lies under a unit, read from the kept totals (ledgers.ItemTally) in a fixed number of queries.

A unit's own rows already count its whole subtree, so the figures of a province and of a village
cost the same: one query for the unit, one for its direct children, whatever lies below.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone

from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.core.lights import AMBER_DAYS, LIGHT_LABELS, Light, light_for
from huitoukan.ledgers.models import ItemDueTally, ItemStatus, ItemTally
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.models import Unit

REOPENED = frozenset({ItemStatus.SENT_BACK, ItemStatus.RELAPSED})


@dataclass
class Figures:
    """The counts of one unit's subtree: in all, closed (销号), overdue, due soon, 回炉 or 反弹."""

    total: int = 0
    closed: int = 0
    overdue: int = 0
    due_soon: int = 0
    reopened: int = 0

    def add_status(self, status: str, n: int) -> None:
        self.total += n
        if status == ItemStatus.CLOSED:
            self.closed += n
        if status in REOPENED:
            self.reopened += n

    def add_due(self, due_on: dt.date, n: int, today: dt.date) -> None:
        """Open items with this deadline (ItemDueTally holds only those), coloured by the one 红黄绿灯 rule."""
        light = light_for(due_on=due_on, today=today)
        if light == Light.RED:
            self.overdue += n
        elif light == Light.AMBER:
            self.due_soon += n

    @property
    def closed_rate(self) -> float | None:
        """销号率, or None with no items to close."""
        return self.closed / self.total if self.total else None

    @property
    def closed_percent(self) -> int | None:
        """销号率 as the pages and charts show it: a whole percentage."""
        return None if self.closed_rate is None else round(100 * self.closed_rate)

    @property
    def light_label(self) -> str:
        return str(LIGHT_LABELS[self.light])

    @property
    def light(self) -> Light:
        """红 with an overdue item, 黄 with one due within the week, 灰 when all are closed, else 绿."""
        if self.overdue:
            return Light.RED
        if self.due_soon:
            return Light.AMBER
        if self.total and self.closed == self.total:
            return Light.GREY
        return Light.GREEN


@dataclass
class Rollup:
    unit: Unit
    campaign: object
    today: dt.date
    figures: Figures = field(default_factory=Figures)
    by_status: Counter = field(default_factory=Counter)
    by_four_winds: Counter = field(default_factory=Counter)
    by_kind: Counter = field(default_factory=Counter)
    by_level: Counter = field(default_factory=Counter)
    children: list[tuple[Unit, Figures]] = field(default_factory=list)

    @property
    def own(self) -> Figures:
        """The unit's own ledgers (本级): its subtree less its children."""
        own = Figures()
        for name in ("total", "closed", "overdue", "due_soon", "reopened"):
            setattr(own, name, getattr(self.figures, name) - sum(getattr(f, name) for _c, f in self.children))
        return own


def campaigns_for(*, user, unit: Unit):
    """The campaigns the reader sees that apply to `unit`: run by it or by a unit above it, or inside it."""
    return [c for c in campaign_selectors.campaigns_visible_to(user=user)
            if unit.path.startswith(c.owner_unit.path) or c.owner_unit.path.startswith(unit.path)]


def rollup_for(*, unit: Unit, campaign, today: dt.date | None = None) -> Rollup:
    """The 汇总 of the unit's subtree for one campaign (the caller fetched the unit through its scope):
    four queries of the kept totals and one of the children, whatever lies below."""
    rollup = Rollup(unit=unit, campaign=campaign, today=today or timezone.localdate())
    soon = rollup.today + dt.timedelta(days=AMBER_DAYS)
    rows = ItemTally.objects.filter(unit=unit, campaign=campaign, n__gt=0).values_list(
        "kind", "unit_level", "status", "four_winds", "n")
    for kind, level, status, four_winds, n in rows:
        rollup.figures.add_status(status, n)
        rollup.by_status[status] += n
        rollup.by_four_winds[four_winds] += n
        rollup.by_kind[kind] += n
        rollup.by_level[level] += n
    for due_on, n in ItemDueTally.objects.filter(unit=unit, campaign=campaign, due_on__lte=soon, n__gt=0).values_list(
            "due_on", "n"):
        rollup.figures.add_due(due_on, n, rollup.today)
    children = list(org_selectors.children(unit).order_by("path"))
    per_child = {child.pk: Figures() for child in children}
    by_status = (ItemTally.objects.filter(unit__in=per_child, campaign=campaign, n__gt=0)
                 .values_list("unit_id", "status").annotate(count=Sum("n")).order_by())
    for unit_id, status, count in by_status:
        per_child[unit_id].add_status(status, count)
    by_due = (ItemDueTally.objects.filter(unit__in=per_child, campaign=campaign, due_on__lte=soon, n__gt=0)
              .values_list("unit_id", "due_on", "n"))
    for unit_id, due_on, n in by_due:
        per_child[unit_id].add_due(due_on, n, rollup.today)
    rollup.children = [(child, per_child[child.pk]) for child in children]
    return rollup
