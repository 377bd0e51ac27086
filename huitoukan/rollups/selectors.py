"""汇总: what lies under a unit, read from the kept totals (ledgers.ItemTally) in a fixed number of queries.

A unit's own rows already count its whole subtree, so the figures of a province and of a village
cost the same: one query for the unit, one for its direct children, whatever lies below.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.core import sql
from huitoukan.core.lights import AMBER_DAYS, LIGHT_LABELS, Light
from huitoukan.core.paths import ancestor_paths, path_range_sql
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import ItemDueTally, ItemStatus, ItemTally, LedgerTally
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.models import Unit, UnitLevel, UnitTally
from huitoukan.rollups.models import DailyFigures

REOPENED = frozenset({ItemStatus.SENT_BACK, ItemStatus.RELAPSED})


@dataclass
class Figures:
    """The counts of one unit's subtree: in all, closed (销号), overdue, due soon, 回炉 or 反弹."""

    total: int = 0
    closed: int = 0
    overdue: int = 0
    due_soon: int = 0
    reopened: int = 0
    units: int = 0  # units in force above village level: those that build the four ledgers (应建)
    built: int = 0  # of them, those with a 领导班子 ledger in the campaign (已建)

    @property
    def not_built(self) -> int:
        return max(self.units - self.built, 0)

    def add_status(self, status: str, n: int) -> None:
        self.total += n
        if status == ItemStatus.CLOSED:
            self.closed += n
        if status in REOPENED:
            self.reopened += n

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
    ledgers_by_kind: Counter = field(default_factory=Counter)  # ledgers built in the subtree, by kind
    children: list[tuple[Unit, Figures]] = field(default_factory=list)
    as_of: dt.date | None = None  # a past day's 汇总 (rollups.past): its figures are those of that day's end

    @property
    def ledgers_built(self) -> list[tuple[str, int]]:
        """Each of the four ledgers with how many the subtree has built."""
        return [(label, self.ledgers_by_kind[kind]) for kind, label in LedgerKind.choices]

    @property
    def own(self) -> Figures:
        """The unit's own ledgers (本级): its subtree less its children."""
        own = Figures()
        for name in ("total", "closed", "overdue", "due_soon", "reopened", "units", "built"):
            setattr(own, name, getattr(self.figures, name) - sum(getattr(f, name) for _c, f in self.children))
        return own


def campaigns_for(*, user, unit: Unit):
    """The campaigns the reader sees that apply to `unit`: run by it or by a unit above it, or inside it."""
    return [c for c in campaign_selectors.campaigns_visible(user=user)
            if unit.path.startswith(c.owner_unit.path) or c.owner_unit.path.startswith(unit.path)]


def ancestors_and_children(unit: Unit) -> tuple[list[Unit], list[Unit]]:
    """The units above `unit` (top first) and its direct children (in path order), in one query."""
    above_paths = ancestor_paths(unit.path)
    below, below_params = path_range_sql(unit.path, 'u."path"')  # with the depth: the children
    rows = sql.fetch(
        f"SELECT {sql.columns(Unit, 'u')} FROM {Unit._meta.db_table} u "
        f'WHERE u."path" IN ({sql.marks(above_paths)}) OR ({below} AND u."depth" = %s) ORDER BY u."path"',
        [*above_paths, *below_params, unit.depth + 1])
    above, children = [], []
    for row in rows:
        found = sql.instance(Unit, row)
        (above if found.depth < unit.depth else children).append(found)
    return above, children


def rollup_for(*, unit: Unit, campaign, today: dt.date | None = None, children: list[Unit] | None = None) -> Rollup:
    """The 汇总 of the unit's subtree for one campaign (the caller fetched the unit through its scope):
    five reads of the kept totals, and one of the children unless the caller passes them (in path
    order), whatever lies below. The reads are SQL written once (core.sql): compiling them through the
    ORM cost more than running them."""
    rollup = Rollup(unit=unit, campaign=campaign, today=today or timezone.localdate())
    for kind, level, status, four_winds, n in sql.fetch(
            f"SELECT kind, unit_level, status, four_winds, n FROM {ItemTally._meta.db_table} "
            "WHERE unit_id = %s AND campaign_id = %s AND n > 0", [unit.pk, campaign.pk]):
        rollup.figures.add_status(status, n)
        rollup.by_status[status] += n
        rollup.by_four_winds[four_winds] += n
        rollup.by_kind[kind] += n
        rollup.by_level[level] += n
    if children is None:
        children = list(org_selectors.children(unit).order_by("path"))
    per_child = {child.pk: Figures() for child in children}
    if per_child:
        for unit_id, status, count in sql.fetch(
                f"SELECT unit_id, status, SUM(n) FROM {ItemTally._meta.db_table} WHERE unit_id IN "
                f"({sql.marks(per_child)}) AND campaign_id = %s AND n > 0 GROUP BY unit_id, status",
                [*per_child, campaign.pk]):
            per_child[unit_id].add_status(status, count)
    figures = {unit.pk: rollup.figures, **per_child}
    for unit_id, overdue, due_soon in _due_counts(list(figures), campaign, rollup.today):
        figures[unit_id].overdue, figures[unit_id].due_soon = overdue, due_soon
    _built_counts(figures, rollup, campaign)
    rollup.children = [(child, per_child[child.pk]) for child in children]
    return rollup


def _built_counts(figures: dict[int, Figures], rollup: Rollup, campaign) -> None:
    """已建 / 应建 of each unit's subtree from the kept counts (ledgers.LedgerTally, orgs.UnitTally):
    two queries whatever the size of the tree."""
    for unit_id, n in sql.fetch(
            f"SELECT unit_id, SUM(n) FROM {UnitTally._meta.db_table} WHERE unit_id IN ({sql.marks(figures)}) "
            "AND n > 0 AND level <> %s GROUP BY unit_id", [*figures, str(UnitLevel.VILLAGE)]):
        figures[unit_id].units = n
    for unit_id, kind, n in sql.fetch(
            f"SELECT unit_id, kind, n FROM {LedgerTally._meta.db_table} WHERE unit_id IN ({sql.marks(figures)}) "
            "AND campaign_id = %s AND n > 0", [*figures, campaign.pk]):
        if kind == LedgerKind.LEADERSHIP:
            figures[unit_id].built = n
        if unit_id == rollup.unit.pk:
            rollup.ledgers_by_kind[kind] = n


def due_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    """The 红黄绿灯 rule (core.lights.light_for) as two dates, for sums in SQL: an open item due before the
    first is overdue (red), one due from the first to the second is due soon (amber)."""
    return today, today + dt.timedelta(days=AMBER_DAYS)


def _due_counts(unit_ids: list[int], campaign, today: dt.date) -> list[tuple[int, int, int]]:
    """(unit id, overdue, due soon) of each unit's subtree, summed by the database: one row per unit
    instead of one per deadline date (a province's children hold thousands of dates)."""
    red_before, amber_until = due_bounds(today)
    return sql.fetch(
        f"SELECT unit_id, COALESCE(SUM(CASE WHEN due_on < %s THEN n ELSE 0 END), 0), "
        f"COALESCE(SUM(CASE WHEN due_on >= %s THEN n ELSE 0 END), 0) FROM {ItemDueTally._meta.db_table} "
        f"WHERE unit_id IN ({sql.marks(unit_ids)}) AND campaign_id = %s AND due_on <= %s AND n > 0 "
        "GROUP BY unit_id", [red_before, red_before, *unit_ids, campaign.pk, amber_until])


TREND_DAYS = 90


def days_recorded(*, unit: Unit, campaign, today_figures: Figures, today: dt.date,
                  days: int = TREND_DAYS) -> list[tuple] | None:
    """(day, items, closed, overdue) of each day recorded over the last `days` days (rollups.DailyFigures, one
    query), then today's from `today_figures`; None before any day was recorded."""
    recorded = sql.fetch(
        f"SELECT day, total, closed, overdue FROM {DailyFigures._meta.db_table} WHERE unit_id = %s "
        "AND campaign_id = %s AND day >= %s AND day < %s ORDER BY day",
        [unit.pk, campaign.pk, today - dt.timedelta(days=days), today])
    if not recorded:
        return None
    recorded.append((today, today_figures.total, today_figures.closed, today_figures.overdue))
    return recorded


def day_label(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def figures_over_time(*, unit: Unit, campaign, today_figures: Figures, today: dt.date,
                      days: int = TREND_DAYS) -> dict | None:
    """The unit's items, closed and overdue over the last `days` days and today; None before any day was recorded."""
    recorded = days_recorded(unit=unit, campaign=campaign, today_figures=today_figures, today=today, days=days)
    if recorded is None:
        return None
    return {"labels": [day_label(d) for d, *_n in recorded],
            "series": [{"name": name, "values": [row[i] for row in recorded]}
                       for i, name in ((1, _("整改事项")), (2, _("已销号")), (3, _("已逾期")))]}
