"""驾驶舱: one screen for a unit head or a city leader, everything read from kept totals.

What it shows, and where each figure is kept (every read is one statement, whatever lies below the unit):
- items, closed, 销号率, overdue and units that built their ledgers, and a light per child: `selectors.rollup_for`
  (ledgers.ItemTally, ItemDueTally, LedgerTally, orgs.UnitTally);
- the open and the overdue items by 四风: ledgers.ItemTally (the open ones, not closed) and ItemDueTally (the
  open dated ones by deadline and 四风), in one statement;
- 销号率 over time: rollups.DailyFigures (one row a day, written by the daily task) and today's figures;
- 督办通知单 by colour, open 督查 findings, opinions from the public, units marked 群众满意度严重偏低 and the
  责任追究 actions by kind: orgs.WorkTally, in one statement for the unit and its children together;
- 过关: units passed and not passed (accountability.passing_selectors' kept counts, in the same statement).

Accountability is shown to every reader of the unit's work as counts by kind, with no names: who was held to
account is read on the case pages, under their own right.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from huitoukan.accountability import passing_selectors
from huitoukan.accountability.case_tally import ACCOUNTABILITY_TOPIC
from huitoukan.accountability.models import ActionKind
from huitoukan.core import sql
from huitoukan.core.lights import LIGHT_LABELS, Light
from huitoukan.ledgers.models import FourWinds, ItemDueTally, ItemStatus, ItemTally
from huitoukan.notices.escalation import CLOSED_KEY, NOTICES_TOPIC
from huitoukan.orgs import totals as unit_totals
from huitoukan.orgs.models import Unit
from huitoukan.publicity.opinion_selectors import OPINION_TOPIC
from huitoukan.publicity.survey_selectors import LOW_KEY, SATISFACTION_TOPIC
from huitoukan.rollups import selectors
from huitoukan.supervision.models import FindingState
from huitoukan.supervision.selectors import FINDINGS_TOPIC

COLOURS = ("blue", "yellow", "red")
NO_ITEMS = "none"  # a child with no item in the campaign: no light
LIGHT_ORDER = (Light.RED, Light.AMBER, Light.GREEN, Light.GREY)



@dataclass
class ChildRow:
    unit: Unit
    figures: selectors.Figures
    notices: dict  # colour -> open notices addressed to the child's subtree

    @property
    def light(self) -> str:
        return self.figures.light if self.figures.total else NO_ITEMS


@dataclass
class Dashboard:
    unit: Unit
    campaign: object
    today: dt.date
    above: list[Unit]
    figures: selectors.Figures
    children: list[ChildRow]
    by_four_winds: list[tuple[str, int, int]]  # (label, open items, overdue items), in the order of the choices
    notices: dict  # colour -> open notices under the unit, and "closed"
    findings_open: int
    opinions: dict  # opinions and reports from the public under the unit, by state
    satisfaction_low: int  # (closed survey, unit) marks of 群众满意度严重偏低 in the campaign
    accountability: list[tuple[str, int]]  # (kind's label, actions) in the order of the kinds the reader may count
    accountability_all: bool  # every kind (the reader reads the cases), or only the public ones
    passing: dict  # units of the subtree by 过关 verdict: {"passed": n, "failed": n}
    trend: dict | None  # {"labels": [...], "rates": [...], "overdue": [...]} or None before any day was recorded
    lights: dict = field(default_factory=dict)  # light -> children with it

    @property
    def light_counts(self) -> list[tuple[str, str, int]]:
        """(light, label, children) for 红 / 黄 / 绿 / 灰, and the children with no item."""
        rows = [(str(light), str(LIGHT_LABELS[light]), self.lights.get(light, 0)) for light in LIGHT_ORDER]
        return [*rows, (NO_ITEMS, _("暂无事项"), self.lights.get(NO_ITEMS, 0))]

    @property
    def notices_open(self) -> int:
        return sum(self.notices.get(c, 0) for c in COLOURS)

    @property
    def actions_total(self) -> int:
        return sum(n for _label, n in self.accountability)

    @property
    def chart_four_winds(self) -> dict:
        return {"labels": [label for label, *_n in self.by_four_winds],
                "series": [{"name": _("未销号"), "values": [n for _label, n, _o in self.by_four_winds]},
                           {"name": _("已逾期"), "values": [o for _label, _n, o in self.by_four_winds]}]}

    @property
    def chart_trend(self) -> dict | None:
        if self.trend is None:
            return None
        return {"labels": self.trend["labels"], "series": [{"name": _("销号率（%）"), "values": self.trend["rates"]}]}


def _by_four_winds(unit: Unit, campaign, today: dt.date) -> list[tuple[str, int, int]]:
    """(label, open items, overdue items) under the unit by 四风, in one statement of the unit's own kept rows:
    the open ones from ItemTally, the overdue ones from ItemDueTally (deadline before today)."""
    open_counts: Counter = Counter()
    overdue_counts: Counter = Counter()
    for part, four_winds, n in sql.fetch(
            f"SELECT 'open', four_winds, SUM(n) FROM {ItemTally._meta.db_table} WHERE unit_id = %s "
            "AND campaign_id = %s AND status <> %s AND n > 0 GROUP BY four_winds "
            f"UNION ALL SELECT 'overdue', four_winds, SUM(n) FROM {ItemDueTally._meta.db_table} WHERE unit_id = %s "
            "AND campaign_id = %s AND due_on < %s AND n > 0 GROUP BY four_winds",
            [unit.pk, campaign.pk, str(ItemStatus.CLOSED), unit.pk, campaign.pk, today]):
        (open_counts if part == "open" else overdue_counts)[four_winds] += n
    labels = dict(FourWinds.choices)
    keys = [*labels, *sorted(k for k in open_counts if k not in labels)]
    return [(str(labels[k]) if k in labels else (k or _("未分类")), open_counts[k], overdue_counts[k])
            for k in keys if open_counts.get(k)]


def _trend(unit: Unit, campaign, figures: selectors.Figures, today: dt.date,
           days: int = selectors.TREND_DAYS) -> dict | None:
    """销号率 and overdue items day by day over the last `days` days (rollups.DailyFigures, one query), today last."""
    recorded = selectors.days_recorded(unit=unit, campaign=campaign, today_figures=figures, today=today, days=days)
    if recorded is None:
        return None
    return {"labels": [selectors.day_label(d) for d, *_n in recorded],
            "rates": [round(100 * closed / total) if total else 0 for _d, total, closed, _o in recorded],
            "overdue": [overdue for *_r, overdue in recorded]}


def dashboard_for(*, unit: Unit, campaign, today: dt.date | None = None, kinds=tuple(ActionKind.values)) -> Dashboard:
    """The 驾驶舱 of the unit's subtree in one campaign (the caller fetched the unit through its scope): the
    same nine statements for a township and for a province (eight for a unit without children). `kinds`: the
    责任追究 kinds the reader may count (accountability.case_tally.kinds_shown_to)."""
    above, children = selectors.ancestors_and_children(unit)
    rollup = selectors.rollup_for(unit=unit, campaign=campaign, today=today, children=children)
    topics = [(NOTICES_TOPIC, 0), (FINDINGS_TOPIC, 0), (OPINION_TOPIC, 0), (SATISFACTION_TOPIC, campaign.pk),
              (ACCOUNTABILITY_TOPIC, campaign.pk), *passing_selectors.count_topics(campaign)]
    kept = unit_totals.work_counts_many([unit, *children], topics)
    notices = kept[(NOTICES_TOPIC, 0)]
    rows = [ChildRow(unit=child, figures=f, notices={c: notices[child.pk][c] for c in COLOURS})
            for child, f in rollup.children]
    findings = kept[(FINDINGS_TOPIC, 0)][unit.pk]
    actions = kept[(ACCOUNTABILITY_TOPIC, campaign.pk)][unit.pk]
    return Dashboard(
        unit=unit, campaign=campaign, today=rollup.today, above=above, figures=rollup.figures, children=rows,
        by_four_winds=_by_four_winds(unit, campaign, rollup.today),
        notices={c: notices[unit.pk][c] for c in (*COLOURS, CLOSED_KEY)},
        findings_open=findings[FindingState.AWAITING] + findings[FindingState.ANSWERED],
        opinions=dict(kept[(OPINION_TOPIC, 0)][unit.pk]),
        satisfaction_low=kept[(SATISFACTION_TOPIC, campaign.pk)][unit.pk][LOW_KEY],
        accountability=[(str(label), actions[kind]) for kind, label in ActionKind.choices if kind in kinds],
        accountability_all=set(ActionKind.values) <= set(kinds),
        passing=passing_selectors.passing_counts([unit], campaign, kept)[unit.pk],
        trend=_trend(unit, campaign, rollup.figures, rollup.today),
        lights=Counter(row.light for row in rows),
    )
