"""督查督办 in the 汇总: per child unit, the open findings (督查发现的问题 not yet 办结), the 督办通知单 by colour
stage, and the units classed 好 / 较好 / 一般 / 差 or 不合格 in the campaign, with the unit's own subtree as
the total; and for the 开门整改 card, the opinions and reports from the public by state and the units a closed
survey of the campaign marked 群众满意度严重偏低. Every figure is a kept count of the app that owns it, all read
in one query whatever lies below."""

from __future__ import annotations

from dataclasses import dataclass

from huitoukan.accountability import passing_selectors
from huitoukan.assessments import selectors as assessment_selectors
from huitoukan.notices import selectors as notice_selectors
from huitoukan.notices.escalation import NOTICES_TOPIC
from huitoukan.orgs import totals as unit_totals
from huitoukan.orgs.models import Unit
from huitoukan.publicity.opinion_selectors import OPINION_TOPIC
from huitoukan.publicity.survey_selectors import LOW_KEY, SATISFACTION_TOPIC
from huitoukan.supervision import selectors as supervision_selectors

CLASSES = ("好", "较好", "一般", "差")
COLOURS = ("blue", "yellow", "red")


@dataclass
class SupervisionRow:
    unit: Unit
    findings_open: int
    findings_answered: int
    notices: dict  # colour -> open notices, and "closed"
    classes: dict  # 好 / 较好 / 一般 / 差 -> units
    failed: int  # units 不合格 (a special-rectification acceptance failed)
    opinions: dict  # opinions and reports from the public handled under the unit, by state
    satisfaction_low: int  # (closed survey, unit) marks of 群众满意度严重偏低 in the campaign
    passing: dict  # units of the subtree 过关 ("passed") and 不过关 ("failed") in the campaign (kept verdicts)
    own: bool = False  # the unit's own figures (本级): its subtree less its children's

    @property
    def public_empty(self) -> bool:
        return not (any(self.opinions.values()) or self.satisfaction_low)

    @property
    def notices_open(self) -> int:
        return sum(self.notices.get(c, 0) for c in COLOURS)

    @property
    def empty(self) -> bool:
        return not (self.findings_open or self.notices_open or self.notices.get("closed") or any(
            self.classes.values()) or self.failed)


def _less(total: dict, parts: list[dict]) -> dict:
    return {k: n - sum(p.get(k, 0) for p in parts) for k, n in total.items()}


def own_row(total: SupervisionRow, rows: list[SupervisionRow]) -> SupervisionRow:
    """The unit's own figures (本级): its subtree's less its children's, so the rows add up to the 合计."""
    return SupervisionRow(
        unit=total.unit, own=True,
        findings_open=total.findings_open - sum(r.findings_open for r in rows),
        findings_answered=total.findings_answered - sum(r.findings_answered for r in rows),
        notices=_less(total.notices, [r.notices for r in rows]),
        classes=_less(total.classes, [r.classes for r in rows]),
        failed=total.failed - sum(r.failed for r in rows),
        opinions=_less(total.opinions, [r.opinions for r in rows]),
        satisfaction_low=total.satisfaction_low - sum(r.satisfaction_low for r in rows),
        passing=_less(total.passing, [r.passing for r in rows]))


def supervision_rows(*, unit: Unit, children: list[Unit], campaign) -> tuple[list[SupervisionRow], SupervisionRow]:
    """(a row per child and, last, the unit's own (本级) row; the row of the unit's whole subtree)."""
    units = [*children, unit]
    kept = unit_totals.work_counts_many(units, [(supervision_selectors.FINDINGS_TOPIC, 0), (NOTICES_TOPIC, 0),
                                                *assessment_selectors.count_topics(campaign),
                                                (OPINION_TOPIC, 0), (SATISFACTION_TOPIC, campaign.pk),
                                                *passing_selectors.count_topics(campaign)])
    opinions, satisfaction = kept[(OPINION_TOPIC, 0)], kept[(SATISFACTION_TOPIC, campaign.pk)]
    findings = supervision_selectors.open_findings_by_unit(units, kept)
    notices = notice_selectors.colour_counts(units, kept)
    classes = assessment_selectors.class_counts(units, campaign, kept)
    verdicts = passing_selectors.passing_counts(units, campaign, kept)

    def row(u: Unit) -> SupervisionRow:
        c = classes.get(u.pk, {})
        return SupervisionRow(unit=u, findings_open=findings[u.pk]["open"], findings_answered=findings[u.pk]["answered"],
                              notices=notices.get(u.pk, {}), classes={k: c.get(k, 0) for k in CLASSES},
                              failed=c.get(assessment_selectors.FAILED_LABEL, 0),
                              opinions=dict(opinions.get(u.pk, {})),
                              satisfaction_low=satisfaction.get(u.pk, {}).get(LOW_KEY, 0),
                              passing=verdicts[u.pk])

    rows, total = [row(child) for child in children], row(unit)
    return [*rows, own_row(total, rows)], total
