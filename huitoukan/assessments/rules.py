"""Who may do what in 分析研判 and 评估验收: every decision through huitoukan.access.policy.

A refusal answers 404 to whoever cannot read the unit (as for an absent object) and 403 to a reader.
- Checklists and thresholds: the offices managing the campaign (CAMPAIGN_MANAGE over its owner unit).
- Scoring a unit, confirming its 回炉 / 补课 done: ASSESSMENT_SCORE over the unit (活动办; 督导组 over the
  group's assigned units) — never by a grant at the unit itself (a unit does not score itself).
- 评估验收 of a unit's special-rectification task: ACCEPTANCE_DECIDE over the unit, from a unit above it —
  never by a grant at the unit itself (a unit does not accept its own rectification).
"""

from __future__ import annotations

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.assessments.errors import AssessmentErrorCode


def may_manage(user, campaign) -> bool:
    return policy.can(user, Perm.CAMPAIGN_MANAGE, campaign.owner_unit)


def may_score(user, unit) -> bool:
    """Over the unit, never by a grant at the unit itself: a unit does not score (or sign off) itself."""
    return policy.can(user, Perm.ASSESSMENT_SCORE, unit) and not policy.holds_at(user, Perm.ASSESSMENT_SCORE, unit)


def score_refusal(user, unit):
    if may_score(user, unit):
        return None
    if policy.holds_at(user, Perm.ASSESSMENT_SCORE, unit):
        return policy.Forbidden(Perm.ASSESSMENT_SCORE, unit, AssessmentErrorCode.OWN_UNIT_SCORE)
    return policy.refusal(user, Perm.ASSESSMENT_SCORE, unit, AssessmentErrorCode.NOT_ASSESSOR)


def may_accept(user, unit) -> bool:
    return policy.can(user, Perm.ACCEPTANCE_DECIDE, unit) and not policy.holds_at(
        user, Perm.ACCEPTANCE_DECIDE, unit)


def accept_refusal(user, unit):
    if may_accept(user, unit):
        return None
    if policy.holds_at(user, Perm.ACCEPTANCE_DECIDE, unit):
        return policy.Forbidden(Perm.ACCEPTANCE_DECIDE, unit, AssessmentErrorCode.OWN_UNIT)
    return policy.refusal(user, Perm.ACCEPTANCE_DECIDE, unit)


def raise_if(refused) -> None:
    if refused is not None:
        raise refused
