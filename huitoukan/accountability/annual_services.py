"""Writes of 年度考核: 表扬 (recorded by discipline / organisation staff) and 纪实评价 (kept by a supervision group
through the campaign, sent to the 组织部 at its end and frozen then).

The 纪实评价's states: (记录中, save) -> 记录中; (记录中, send) -> 已报送组织部; nothing leaves 已报送组织部.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huitoukan.access import policy
from huitoukan.access.models import Role, RoleAssignment
from huitoukan.access.policy import Perm
from huitoukan.accountability import annual_rules
from huitoukan.accountability.annual import FIRST_YEAR, LAST_YEAR, member_group_ids
from huitoukan.accountability.models import (
    Commendation,
    DocumentaryEvaluation,
    EvaluationRating,
    EvaluationState,
)
from huitoukan.core.errors import DomainError
from huitoukan.core.paths import ancestor_paths
from huitoukan.notifications import services as notifications


class AnnualErrorCode(Enum):
    YEAR_INVALID = gettext_lazy("年度：请填写%(first)s至%(last)s之间的年份。")
    REASON_REQUIRED = gettext_lazy("表扬事由：请填写。")
    DECIDER_REQUIRED = gettext_lazy("决定机关：请填写。")
    PERSON_NOT_OF_UNIT = gettext_lazy("个人：“%(person)s”不是“%(unit)s”的人员。")
    PERSON_NOT_LEADER = gettext_lazy("领导干部：“%(person)s”不是“%(unit)s”的党员领导干部。")
    RECORD_REQUIRED = gettext_lazy("纪实情况：请填写。")
    RATING_INVALID = gettext_lazy("评价等次：请从列表中选择。")
    CAMPAIGN_NOT_OF_UNIT = gettext_lazy("活动：“%(campaign)s”不适用于“%(unit)s”。")
    NOT_IN_GROUP = gettext_lazy("单位：“%(unit)s”不是您所在督导组的督导单位。")
    DUPLICATE = gettext_lazy("“%(subject)s”在本活动中已有纪实评价，请在原记录中修改。")
    FROZEN = gettext_lazy("纪实评价已报送组织部，不能再修改。")
    NOTHING_TO_SEND = gettext_lazy("没有可报送的纪实评价（记录中的）。")
    EXCLUDED = gettext_lazy("“%(subject)s”%(year)s年度不能列入评先选优对象（%(reasons)s）。确需表扬的，请勾选“仍然登记”后再提交。")
    RATING_MISSING = gettext_lazy("“%(subject)s”的纪实评价还没有评价等次，请先评定再报送。")


class AnnualError(DomainError):
    pass


E = AnnualErrorCode

# The 纪实评价's state table: (state, action) -> next state.
SAVE, SEND = "save", "send"
EVALUATION_TRANSITIONS = {
    (EvaluationState.DRAFT, SAVE): EvaluationState.DRAFT,
    (EvaluationState.DRAFT, SEND): EvaluationState.SENT,
}


def evaluation_next(state: str, action: str) -> str:
    """The next state, or the refusal of a frozen (sent) evaluation."""
    try:
        return EVALUATION_TRANSITIONS[(state, action)]
    except KeyError:
        raise AnnualError(E.FROZEN) from None


def _save(obj, actor, reason: str, fields=None) -> None:
    obj._history_user = actor
    obj._change_reason = reason[:100]
    obj.save(update_fields=fields)


def _locked(evaluation: DocumentaryEvaluation) -> DocumentaryEvaluation:
    """The row as it stands now, locked until the transaction ends: what a view read before may be stale (sent
    meanwhile)."""
    return (DocumentaryEvaluation.objects.select_for_update(of=("self",))
            .select_related("unit", "person", "campaign").get(pk=evaluation.pk))


@transaction.atomic
def commendation_record(*, actor, year: int, unit, reason: str, decided_on: dt.date, decider: str,
                        person=None, confirmed: bool = False) -> Commendation:
    """A 表扬 of a unit (or of one of its people) for rectification 抓得紧、成效好 (000 三.4). A unit or person the
    评先选优 rules list as 不能列入 in that year is refused unless the actor confirms (`confirmed=True`)."""
    policy.require(actor, Perm.ACCOUNTABILITY_RECORD, unit)
    if not (FIRST_YEAR <= int(year) <= LAST_YEAR):
        raise AnnualError(E.YEAR_INVALID, first=FIRST_YEAR, last=LAST_YEAR)
    if not (reason or "").strip():
        raise AnnualError(E.REASON_REQUIRED)
    if not (decider or "").strip():
        raise AnnualError(E.DECIDER_REQUIRED)
    if person is not None and person.unit_id != unit.pk:
        raise AnnualError(E.PERSON_NOT_OF_UNIT, person=person.name, unit=unit.name)
    if not confirmed and (reasons := annual_rules.exclusion_of(unit=unit, year=int(year), person=person)):
        raise AnnualError(E.EXCLUDED, subject=person.name if person is not None else unit.name, year=int(year),
                          reasons="；".join(f"{r.label}：{r.text}" for r in reasons))
    commendation = Commendation(year=int(year), unit=unit, person=person, reason=reason.strip(),
                                decided_on=decided_on, decider=decider.strip(), recorded_by=actor)
    _save(commendation, actor, _("登记表扬"))
    return commendation


def groups_keeping(user, unit) -> list:
    """The active supervision groups the login is a member of (its 督导组 grants) whose assigned units cover
    `unit`: the groups whose 纪实评价 of the unit it keeps."""
    found = {}
    for assignment in policy.assignments_of(user):
        group = assignment.supervision_group
        if assignment.role != Role.SUPERVISOR or group is None or not group.is_active:
            continue
        if any(unit.path.startswith(u.path) for u in group.assigned_units.all()):
            found[group.pk] = group
    return [found[pk] for pk in sorted(found)]


def _subject(unit, person) -> str:
    return f"{unit.name}·{person.name}" if person is not None else f"{unit.name}领导班子"


@transaction.atomic
def evaluation_save(*, actor, record: str, rating: str = "", campaign=None, unit=None, person=None,
                    evaluation: DocumentaryEvaluation | None = None) -> DocumentaryEvaluation:
    """A new 纪实评价 of a leading body (`person` None) or a leader of a unit the actor's group supervises, or a
    change to one still being kept (记录中). The record is the group's: only its members write it. A change re-reads
    the row under a lock and checks its state then, and writes only the fields it edits."""
    if evaluation is not None:
        evaluation = _locked(evaluation)
        unit, person, campaign = evaluation.unit, evaluation.person, evaluation.campaign
    policy.require(actor, Perm.EVALUATION_KEEP, unit)
    if evaluation is not None:
        if evaluation.group_id not in member_group_ids(actor):
            raise policy.refusal(actor, Perm.EVALUATION_KEEP, unit)
        evaluation_next(evaluation.state, SAVE)
    else:
        groups = groups_keeping(actor, unit)
        if not groups:
            raise AnnualError(E.NOT_IN_GROUP, unit=unit.name)
        if not (unit.path.startswith(campaign.owner_unit.path) or campaign.owner_unit.path.startswith(unit.path)):
            raise AnnualError(E.CAMPAIGN_NOT_OF_UNIT, campaign=campaign.name, unit=unit.name)
        if person is not None and (person.unit_id != unit.pk or not person.is_party_leader):
            raise AnnualError(E.PERSON_NOT_LEADER, person=person.name, unit=unit.name)
        group = groups[0]
        if DocumentaryEvaluation.objects.filter(campaign=campaign, group=group, unit=unit, person=person).exists():
            raise AnnualError(E.DUPLICATE, subject=_subject(unit, person))
        evaluation = DocumentaryEvaluation(campaign=campaign, group=group, unit=unit, person=person)
    if not (record or "").strip():
        raise AnnualError(E.RECORD_REQUIRED)
    if rating and rating not in EvaluationRating.values:
        raise AnnualError(E.RATING_INVALID)
    evaluation.record, evaluation.rating, evaluation.written_by = record.strip(), rating or "", actor
    if evaluation.pk:
        _save(evaluation, actor, _("修改纪实评价"), fields=["record", "rating", "written_by"])
    else:
        _save(evaluation, actor, _("记录纪实评价"))
    return evaluation


def _discipline_over(unit) -> list:
    return [a.user for a in RoleAssignment.objects.filter(
        role=Role.DISCIPLINE, unit__path__in=ancestor_paths(unit.path, include_self=True),
        user__is_active=True).select_related("user")]


@transaction.atomic
def evaluations_send(*, actor, campaign, evaluations=None,
                     now: dt.datetime | None = None) -> list[DocumentaryEvaluation]:
    """Send to the 组织部 the 纪实评价 of `campaign` the actor's groups keep: all their drafts, or the ones chosen.
    All or nothing: each must still be 记录中, of the actor's groups, and rated. They are frozen after; the
    discipline / organisation logins over each unit are notified."""
    policy.require_somewhere(actor, Perm.EVALUATION_KEEP)
    groups = member_group_ids(actor)
    # OF self: PostgreSQL refuses to lock the nullable side (person) of the outer join below.
    found = DocumentaryEvaluation.objects.select_for_update(of=("self",)).filter(campaign=campaign, group_id__in=groups)
    if evaluations is None:
        found = found.filter(state=EvaluationState.DRAFT)
    else:
        found = found.filter(pk__in=[e.pk for e in evaluations])
    chosen = list(found.select_related("unit", "person", "group").order_by("unit__path", "id"))
    if evaluations is not None and len(chosen) != len({e.pk for e in evaluations}):
        raise AnnualError(E.NOTHING_TO_SEND)
    if not chosen:
        raise AnnualError(E.NOTHING_TO_SEND)
    now = now or timezone.now()
    for evaluation in chosen:
        policy.require(actor, Perm.EVALUATION_KEEP, evaluation.unit)
        evaluation.state = evaluation_next(evaluation.state, SEND)
        if not evaluation.rating:
            raise AnnualError(E.RATING_MISSING, subject=_subject(evaluation.unit, evaluation.person))
        evaluation.sent_by, evaluation.sent_at = actor, now
        _save(evaluation, actor, _("报送组织部"))
    key = f"evaluations_sent:{campaign.pk}:{max(e.pk for e in chosen)}"
    link = f"{reverse('evaluation-list')}?campaign={campaign.pk}"
    for unit in {e.unit_id: e.unit for e in chosen}.values():
        count = sum(1 for e in chosen if e.unit_id == unit.pk)
        notifications.notify(recipients=_discipline_over(unit), key=key, unit=unit, perm=Perm.EVALUATION_VIEW,
                             title=_("督导组报送了纪实评价：%(unit)s") % {"unit": unit.name},
                             body=_("%(campaign)s：%(unit)s的纪实评价 %(n)s 份已报送组织部。") % {
                                 "campaign": campaign.name, "unit": unit.full_name, "n": count},
                             link=link, kind="evaluation")
    return chosen
