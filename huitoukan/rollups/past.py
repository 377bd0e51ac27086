"""汇总 as it stood at the end of a past day, read from the history already kept (no second copy of the data).

The present 汇总 reads kept totals (ledgers.ItemTally); a past day has none, so this reads the historical rows by
the one reading rule (core.asof: each object's newest row written before the day ended, a deletion meaning it was
gone; `ledgers.past.items_as_of` for the items) and groups them in SQL by the child unit they lie under: two
statements whatever the size of the subtree, beside the one for the units above and the children
(`selectors.ancestors_and_children`, which the page makes anyway).

What the day saw: items by status, 已销号, 销号率, 回炉/反弹, and 已逾期 / 7天内到期 by the 红黄绿灯 rule of that
day (an item open when the day ended whose 整改时限 was before the day was overdue); the 领导班子 ledgers built by
then (Ledger.history) against the units above village level that existed that day (the rule of the units expected
to report, `orgs.selectors.existing_on`). The tree (which unit lies under which, each unit's level) is today's.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from huitoukan.core import asof, sql
from huitoukan.core.paths import STEPLEN, path_range_q
from huitoukan.ledgers import past as ledger_past
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import ItemStatus, ItemTally, Ledger
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.models import Unit, UnitLevel
from huitoukan.rollups.selectors import Figures, Rollup, due_bounds

# A past day's 汇总 reads every historical row of the subtree's items: above this many items today (the kept
# totals, one query) the page refuses and says why. benchmarks/rollup_as_of.py measured the cost (docs/as-of.md).
MAX_ITEMS = 60_000


def items_today(*, unit: Unit, campaign) -> int:
    """How many items the subtree holds today (kept totals, one query): the measure of a past day's cost."""
    (n,), = sql.fetch(f"SELECT COALESCE(SUM(n), 0) FROM {ItemTally._meta.db_table} WHERE unit_id = %s "
                      "AND campaign_id = %s AND n > 0", [unit.pk, campaign.pk])
    return n


def _grouped(versions, select: str, group: str, params: list, after: list) -> list[tuple]:
    """GROUP BY around a queryset filtered on a window (the ORM would group inside the window): `select` and
    `group` name the columns of `versions.values(...)` as v."<name>"; deletions left out."""
    inner, inner_params = versions.query.sql_with_params()
    return sql.fetch(f'SELECT {select} FROM ({inner}) v WHERE v."history_type" <> %s GROUP BY {group}',
                     [*params, *inner_params, asof.DELETED, *after])


def rollup_as_of(*, unit: Unit, campaign, day: dt.date, children: list[Unit], today: dt.date | None = None) -> Rollup:
    """The 汇总 of the unit's subtree for one campaign as it stood when `day` ended; `children` are the unit's
    direct children in path order (`selectors.ancestors_and_children`). Three queries."""
    result = Rollup(unit=unit, campaign=campaign, today=today or day, as_of=day)
    per_child = {child.path: Figures() for child in children}
    width = len(unit.path) + STEPLEN

    def figures_of(under: str):
        return (result.figures, per_child.get(under))

    items = (ledger_past.items_as_of(day, path_range_q(unit.path, "ledger__unit__path"),
                                     ledger__campaign_id=campaign.pk)
             .annotate(under=Substr("ledger__unit__path", 1, width)).order_by()
             .values("under", "history_type", "status", "four_winds", "due_on", "ledger__kind", "ledger__unit__level"))
    red_before, amber_until = due_bounds(day)
    closed = str(ItemStatus.CLOSED)
    columns = 'v."under", v."status", v."four_winds", v."ledger__kind", v."ledger__unit__level"'
    for under, status, four_winds, kind, level, n, overdue, due_soon in _grouped(
            items,
            f'{columns}, COUNT(*), '
            'COALESCE(SUM(CASE WHEN v."status" <> %s AND v."due_on" < %s THEN 1 ELSE 0 END), 0), '
            'COALESCE(SUM(CASE WHEN v."status" <> %s AND v."due_on" >= %s AND v."due_on" <= %s THEN 1 ELSE 0 END), 0)',
            columns, [closed, red_before, closed, red_before, amber_until], []):
        for figures in figures_of(under):
            if figures is not None:
                figures.add_status(status, n)
                figures.overdue += overdue
                figures.due_soon += due_soon
        result.by_status[status] += n
        result.by_four_winds[four_winds] += n
        result.by_kind[kind] += n
        result.by_level[level] += n

    ledgers = (asof.as_of(Ledger.history, day, path_range_q(unit.path, "unit__path"), campaign_id=campaign.pk)
               .annotate(under=Substr("unit__path", 1, width)).order_by().values("under", "history_type", "kind"))
    for under, kind, n in _grouped(ledgers, 'v."under", v."kind", COUNT(*)', 'v."under", v."kind"', [], []):
        result.ledgers_by_kind[kind] += n
        if kind == LedgerKind.LEADERSHIP:
            for figures in figures_of(under):
                if figures is not None:
                    figures.built += n

    # units above village level that existed that day (orgs.selectors.existing_on, the rule of the units expected
    # to report)
    for under, n in (org_selectors.existing_on(Unit.objects.filter(path_range_q(unit.path)), day)
                     .exclude(level=UnitLevel.VILLAGE).annotate(under=Substr("path", 1, width)).order_by()
                     .values("under").annotate(n=Count("id")).values_list("under", "n")):
        for figures in figures_of(under):
            if figures is not None:
                figures.units += n
    result.children = [(child, per_child[child.path]) for child in children]
    return result



class TooLarge(Exception):
    """A subtree too large to read its past 汇总 from the history on a page: the message says so, in Chinese."""


def rollup_of_day(*, unit: Unit, campaign, day: dt.date, children: list[Unit], today: dt.date | None = None,
                  limit: int | None = None) -> Rollup:
    """`rollup_as_of`, refused (TooLarge) above `limit` items today (MAX_ITEMS unless given)."""
    limit = MAX_ITEMS if limit is None else limit
    n = items_today(unit=unit, campaign=campaign)
    if n > limit:
        raise TooLarge(_("%(unit)s有整改事项%(n)s项，超过%(limit)s项，历史状态的汇总请从下级单位分别查看。")
                       % {"unit": unit.name, "n": n, "limit": limit})
    return rollup_as_of(unit=unit, campaign=campaign, day=day, children=children, today=today)
