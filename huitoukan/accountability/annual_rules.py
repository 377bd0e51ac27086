"""评先选优: who may be put forward for the year's awards, by the one list of rules of seed 000 三.4
(整改不力的不能列入评先选优对象, basis key `annual.excluded`).

A candidate is a child unit of the chosen unit, or a party leader of the chosen unit. Each rule says, for a
candidate, the reasons it is 不能列入 (with the case an action belongs to, to link it); a candidate no rule
excludes is 可列入. The rules read the year's summary (accountability.annual), never the database themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huitoukan.accountability.annual import (
    LeaderYear,
    UnitYear,
    YearSummary,
    leaders_of_year,
    year_summary,
)

BASIS = "annual.excluded"


@dataclass(frozen=True)
class Reason:
    rule: str
    label: str
    text: str
    case: object = None  # the Case an action belongs to, linked from the list


@dataclass(frozen=True)
class Rule:
    key: str
    label: object  # Chinese, lazy
    applies_to: frozenset  # "unit", "person"
    check: Callable
    basis: str = BASIS


def _action_reasons(rule: str, label: str, actions) -> list[Reason]:
    reasons = []
    for action in actions:
        who = action.person.name if action.person_id else action.unit.name
        reasons.append(Reason(rule, label, _("%(date)s %(who)s 受到“%(kind)s”（%(case)s）") % {
            "date": f"{action.decided_on:%Y-%m-%d}", "who": who, "kind": action.get_kind_display(),
            "case": action.case.title}, action.case))
    return reasons


def _accountability(candidate, facts) -> list[Reason]:
    label = str(RULE_LABELS["accountability"])
    if isinstance(candidate, LeaderYear):
        return _action_reasons("accountability", label, candidate.actions)
    return _action_reasons("accountability", label, candidate.action_list)


def _not_passed(candidate: UnitYear, facts) -> list[Reason]:
    label = str(RULE_LABELS["not_passed"])
    return [Reason("not_passed", label, _("%(campaign)s：不过关（%(why)s）") % {
        "campaign": v.campaign.name, "why": "；".join(r.get("text", "") for r in v.reasons) or _("未写明原因")})
        for v in candidate.verdicts if not v.passed]


def _overdue(candidate, facts) -> list[Reason]:
    if not candidate.overdue:
        return []
    text = (_("牵头的整改事项中有 %(n)s 项年底仍逾期未完成") if isinstance(candidate, LeaderYear)
            else _("整改事项中有 %(n)s 项年底仍逾期未完成")) % {"n": candidate.overdue}
    return [Reason("overdue", str(RULE_LABELS["overdue"]), text)]


def _red_notice(candidate: UnitYear, facts) -> list[Reason]:
    if not candidate.red_open:
        return []
    return [Reason("red_notice", str(RULE_LABELS["red_notice"]),
                   _("有 %(n)s 份红色督办通知单未办结") % {"n": candidate.red_open})]


RULE_LABELS = {
    "accountability": gettext_lazy("年度内受到责任追究"),
    "not_passed": gettext_lazy("教育实践活动不过关"),
    "overdue": gettext_lazy("整改不力：整改事项逾期未完成"),
    "red_notice": gettext_lazy("整改不力：红色督办通知单未办结"),
}
UNIT, PERSON = "unit", "person"
RULES: list[Rule] = [
    Rule("accountability", RULE_LABELS["accountability"], frozenset({UNIT, PERSON}), _accountability),
    Rule("not_passed", RULE_LABELS["not_passed"], frozenset({UNIT}), _not_passed),
    Rule("overdue", RULE_LABELS["overdue"], frozenset({UNIT, PERSON}), _overdue),
    Rule("red_notice", RULE_LABELS["red_notice"], frozenset({UNIT}), _red_notice),
]


@dataclass
class Candidate:
    kind: str  # UNIT or PERSON
    row: object  # UnitYear or LeaderYear
    reasons: list[Reason] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def name(self) -> str:
        return self.row.unit.name if self.kind == UNIT else str(self.row.person)

    @property
    def commended(self) -> bool:
        return bool(self.row.commendations)


def candidates(summary: YearSummary, rules: list[Rule] | None = None) -> list[Candidate]:
    """Every child unit of the summary's unit, then every party leader of it, each with its reasons."""
    rules = RULES if rules is None else rules
    facts: dict = {}
    found = [Candidate(UNIT, row) for row in summary.children] + [Candidate(PERSON, row) for row in summary.leaders]
    for candidate in found:
        for rule in rules:
            if candidate.kind in rule.applies_to:
                candidate.reasons.extend(rule.check(candidate.row, facts))
    return found


def exclusion_of(*, unit, year: int, person=None) -> list[Reason]:
    """The reasons `unit` (or `person` of it) is 不能列入 in `year`, as the 评先选优 list of the unit's parent says
    (the unit's row there is the unit's whole subtree, its own summary's total row); empty when 可列入. A person who
    is not a party leader is read by the person rules all the same."""
    summary = year_summary(unit=unit, year=year)
    if person is None:
        candidate = Candidate(UNIT, summary.total)
    else:
        row = next((r for r in summary.leaders if r.person.pk == person.pk), None)
        if row is None:
            row = leaders_of_year(unit=unit, year=year, campaign_ids=[c.pk for c in summary.campaigns],
                                  today=summary.today, people=[person])[0]
        candidate = Candidate(PERSON, row)
    for rule in RULES:
        if candidate.kind in rule.applies_to:
            candidate.reasons.extend(rule.check(candidate.row, {}))
    return candidate.reasons
