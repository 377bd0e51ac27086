"""过关: the campaign's pass rules, in this one place.

A unit's 教育实践活动 in a campaign passes (过关) unless one of these rules holds; each names the clause it rests
on (a key of huitoukan.core.basis):

- 专项整治评估验收不合格 (004 二: 凡验收不过关的，教育实践活动视为不合格): the latest acceptance of a task of the
  unit's 专项整治方案 failed (assessments.selectors.verdicts_of);
- 群众满意度严重偏低 (004 五: …不能过关): a closed survey of the campaign marked the unit
  (publicity.survey_selectors.units_seriously_low);
- 述职评议考核不合格 (004 一: …不能过关): the unit's latest 述职评议考核 in the campaign (ReportAppraisal) failed;
- 整改事项超期未完成 (001 二.1(2): 列入整改的问题是否按期解决): an item of the unit's own ledgers in the campaign is
  still open after its 整改时限 (ledgers.selectors.overdue_q).

Each rule is a function over a batch of units and the campaign, returning the reasons of the units it fails,
each reason naming what caused it, in a fixed number of queries whatever the batch's size. The units a
campaign judges are those in force in its owner unit's subtree, the owner included, above village level (the
units that build the four ledgers). `verdicts_check` runs every rule over a batch; `unit_verdict` is one
unit's verdict worked out now (the unit page); accountability.passing_services keeps them (UnitVerdict).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huitoukan.accountability.models import AppraisalResult, ReportAppraisal
from huitoukan.assessments.selectors import verdicts_of
from huitoukan.campaigns.models import Campaign
from huitoukan.core import asof
from huitoukan.core.basis import clause
from huitoukan.core.paths import path_range_q
from huitoukan.ledgers.models import Item
from huitoukan.ledgers.selectors import overdue_q
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.models import Unit, UnitLevel
from huitoukan.publicity.models import Survey, SurveyState
from huitoukan.publicity.survey_selectors import survey_low_units, units_seriously_low

Reasons = dict[int, list[str]]  # unit id -> the reasons a rule fails it (absent: the rule passes it)


@dataclass(frozen=True)
class Rule:
    key: str
    label: str  # how the pages name the rule
    basis: str  # the clause it rests on (huitoukan.core.basis)
    check: Callable[..., Reasons]  # (unit ids, campaign, today, memo, as_of=None) -> Reasons

    @property
    def clause(self):
        return clause(self.basis)


@dataclass(frozen=True)
class Reason:
    rule: str
    text: str

    @property
    def rule_of(self) -> Rule | None:
        return RULES_BY_KEY.get(self.rule)

    def as_json(self) -> dict:
        return {"rule": self.rule, "text": self.text}


@dataclass
class Verdict:
    unit_id: int
    reasons: list[Reason] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.reasons

    @property
    def label(self) -> str:
        return _("过关") if self.passed else _("不过关")

    def reasons_json(self) -> list[dict]:
        return [r.as_json() for r in self.reasons]


# --- the rules ----------------------------------------------------------------------------------------------


def acceptance_failed(unit_ids: list[int], campaign: Campaign, today: dt.date, memo: dict,
                      as_of: dt.date | None = None) -> Reasons:
    """004 二: a task of the unit's 专项整治方案 whose latest acceptance failed (with `as_of`: the latest recorded
    by the end of that day)."""
    return {unit_id: [_("专项整治评估验收不合格：%(tasks)s验收未通过") % {
        "tasks": "、".join(f"“{task}”" for task in verdict.failed_tasks)}]
        for unit_id, verdict in verdicts_of(unit_ids, campaign, as_of=as_of).items() if verdict.failed}


def satisfaction_low(unit_ids: list[int], campaign: Campaign, today: dt.date, memo: dict,
                     as_of: dt.date | None = None) -> Reasons:
    """004 五: a closed survey of the campaign about the unit marked it 群众满意度严重偏低 (an open one marks
    nothing yet; with `as_of`, the surveys closed by the end of that day, by their history: a closed survey takes
    no more answers). Only the surveys about the batch's units are read, each worked out once per refresh
    (`memo`)."""
    wanted = set(unit_ids)
    reasons: Reasons = {}
    if as_of is None:
        closed = Q(state=SurveyState.CLOSED)
    else:
        closed = Q(pk__in=asof.rows_as_of(Survey.history, as_of, campaign_id=campaign.pk)
                   .filter(state=SurveyState.CLOSED).values("id"))
    surveys = (Survey.objects.filter(closed, campaign=campaign, target_units__in=unit_ids)
               .distinct().order_by("ends_on", "pk"))
    for survey in surveys:
        key = ("satisfaction", survey.pk)
        if key not in memo:
            memo[key] = (units_seriously_low(survey=survey, campaign=campaign) if as_of is None
                         else survey_low_units(survey))
        for unit_id in sorted(memo[key] & wanted):
            reasons.setdefault(unit_id, []).append(
                _("%(survey)s（%(ends)s结束）：群众满意度严重偏低") % {
                    "survey": survey.title, "ends": f"{survey.ends_on.year}年{survey.ends_on.month}月{survey.ends_on.day}日"})
    return reasons


def appraisal_failed(unit_ids: list[int], campaign: Campaign, today: dt.date, memo: dict,
                     as_of: dt.date | None = None) -> Reasons:
    """004 一: the unit's latest 述职评议考核 in the campaign (by date, then by record) is 不合格 (with `as_of`: the
    records as they stood when that day ended, by their history). The reason names its date only: the
    appraisal's note is for the readers of appraisals (ACCOUNTABILITY_VIEW), while the verdicts are read with
    WORK_VIEW."""
    latest: dict = {}
    records = (ReportAppraisal.objects if as_of is None else
               asof.rows_as_of(ReportAppraisal.history, as_of, campaign_id=campaign.pk, unit_id__in=unit_ids))
    for appraisal in (records.filter(campaign=campaign, unit_id__in=unit_ids)
                      .only("unit_id", "result", "appraised_on").order_by("unit_id", "-appraised_on", "-id")):
        latest.setdefault(appraisal.unit_id, appraisal)
    reasons: Reasons = {}
    for unit_id, appraisal in latest.items():
        if appraisal.result == AppraisalResult.FAILED:
            day = appraisal.appraised_on
            reasons[unit_id] = [_("%(day)s述职评议考核不合格") % {"day": f"{day.year}年{day.month}月{day.day}日"}]
    return reasons


def items_overdue(unit_ids: list[int], campaign: Campaign, today: dt.date, memo: dict,
                  as_of: dt.date | None = None) -> Reasons:
    """001 二.1(2): items of the unit's own ledgers in the campaign (its 党员领导干部 ledgers included) still open
    after their 整改时限: one grouped query (with `as_of`: the items as they stood when that day ended, by the
    ledgers' reading rule, past their 整改时限 that day)."""
    items = (Item.objects if as_of is None else
             asof.rows_as_of(Item.history, as_of, ledger__campaign=campaign, ledger__unit_id__in=unit_ids))
    rows = (items.filter(Q(ledger__campaign=campaign, ledger__unit_id__in=unit_ids), overdue_q(as_of or today))
            .values("ledger__unit_id").annotate(n=Count("*"), first=Min("due_on")).order_by())
    return {row["ledger__unit_id"]: [_("%(n)s项整改事项超过整改时限仍未完成（最早于%(first)s到期）") % {
        "n": row["n"], "first": f"{row['first'].year}年{row['first'].month}月{row['first'].day}日"}] for row in rows}


RULES: list[Rule] = [
    Rule("acceptance", "专项整治评估验收不合格", "passing.acceptance", acceptance_failed),
    Rule("satisfaction", "群众满意度严重偏低", "passing.satisfaction", satisfaction_low),
    Rule("appraisal", "述职评议考核不合格", "passing.appraisal", appraisal_failed),
    Rule("overdue", "整改事项超期未完成", "passing.overdue", items_overdue),
]
RULES_BY_KEY = {rule.key: rule for rule in RULES}


# --- the verdicts -------------------------------------------------------------------------------------------


def units_judged(campaign: Campaign, as_of: dt.date | None = None):
    """The units the campaign judges: in force in its owner unit's subtree (the owner included), above village
    level, in path order; with `as_of`, those that existed that day (`orgs.selectors.existing_on`, the rule of
    the units expected to report), in today's tree."""
    units = Unit.objects.filter(path_range_q(campaign.owner_unit.path)).exclude(level=UnitLevel.VILLAGE)
    units = units.filter(abolished_on__isnull=True) if as_of is None else org_selectors.existing_on(units, as_of)
    return units.order_by("path")


def judged(unit: Unit, campaign: Campaign) -> bool:
    return (unit.path.startswith(campaign.owner_unit.path) and unit.abolished_on is None
            and unit.level != UnitLevel.VILLAGE)


def verdicts_check(unit_ids: Iterable[int], campaign: Campaign, today: dt.date | None = None,
                   rules: list[Rule] | None = None, memo: dict | None = None,
                   as_of: dt.date | None = None) -> dict[int, Verdict]:
    """Every rule over a batch of units: each unit's verdict, its reasons in the rules' order. `memo` carries
    what a rule worked out for one batch to the next batches of the same refresh (a survey's low units). With
    `as_of`, each rule reads its inputs as they stood when that day ended (accountability.passing_past)."""
    ids = sorted(set(unit_ids))
    today = as_of or today or timezone.localdate()
    verdicts = {pk: Verdict(pk) for pk in ids}
    if not ids:
        return verdicts
    for rule in RULES if rules is None else rules:
        for unit_id, texts in rule.check(ids, campaign, today, {} if memo is None else memo, as_of=as_of).items():
            if unit_id in verdicts:
                verdicts[unit_id].reasons += [Reason(rule.key, text) for text in texts]
    return verdicts


def unit_verdict(unit: Unit, campaign: Campaign, today: dt.date | None = None) -> Verdict:
    """The unit's verdict worked out now (the unit page): what the kept one will be at its next refresh."""
    return verdicts_check([unit.pk], campaign, today)[unit.pk]


def reasons_of(rows: list[dict]) -> list[Reason]:
    """A kept verdict's reasons (UnitVerdict.reasons) as Reason objects."""
    return [Reason(row.get("rule", ""), row.get("text", "")) for row in rows or []]
