"""Reads of 分析研判 and 评估验收: scoped objects (404 outside the reader's scope), a campaign's units with their
kept class, the acceptance verdicts, and the class counts of subtrees for the roll-ups."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.assessments.models import (
    Acceptance,
    AcceptanceResult,
    Assessment,
    Checklist,
    ChecklistVersion,
    Grade,
    RemedialState,
    RemedialTask,
    UnitStanding,
)
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.campaigns.models import Campaign
from huitoukan.core import asof, sql
from huitoukan.core.paths import path_range_q
from huitoukan.orgs import totals as unit_totals
from huitoukan.orgs.models import Unit
from huitoukan.plans.models import Plan, PlanKind, PlanTask

FAILED_LABEL = "不合格"
CLASS_TOPIC = "class"  # the kept counts (orgs.WorkTally) of units by class (Grade), per campaign
FAILED_TOPIC = "acceptance"  # … and of units 不合格 (key FAILED_KEY), per campaign
FAILED_KEY = "failed"
# The keys of class_counts: the four classes by their labels, and 不合格.
COUNT_KEYS = ("好", "较好", "一般", "差", FAILED_LABEL)
_GRADE_LABELS = {Grade.GOOD: "好", Grade.FAIRLY_GOOD: "较好", Grade.AVERAGE: "一般", Grade.POOR: "差"}


# --- 评估验收 verdicts -------------------------------------------------------------------------------------


@dataclass
class Verdict:
    """A unit's 评估验收 in a campaign: 不合格 while the latest acceptance of any task of its 专项整治方案 is
    不通过 (`failed_tasks` names them); 合格 when every task's latest acceptance is 通过; else 待验收 (no task,
    or tasks not yet evaluated: `pending_tasks`)."""

    failed_tasks: list[str] = field(default_factory=list)
    pending_tasks: list[str] = field(default_factory=list)
    passed_tasks: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.failed_tasks)

    @property
    def state(self) -> str:
        if self.failed_tasks:
            return "failed"
        if self.passed_tasks and not self.pending_tasks:
            return "passed"
        return "pending"

    @property
    def label(self) -> str:
        return {"failed": str(_("不合格")), "passed": str(_("合格")), "pending": str(_("待验收"))}[self.state]

    @property
    def reasons(self) -> list[str]:
        return self.failed_tasks


def _latest_result(as_of: dt.date | None = None) -> Subquery:
    """The task's latest acceptance; with `as_of`, the latest of those recorded before that day ended (an
    acceptance is never changed: a re-evaluation is a new row)."""
    acceptances = Acceptance.objects.filter(plan_task=OuterRef("pk"))
    if as_of is not None:
        acceptances = acceptances.filter(created_at__lt=asof.end_of(as_of))
    return Subquery(acceptances.order_by("-accepted_on", "-id").values("result")[:1])


def verdicts_of(units, campaign: Campaign, as_of: dt.date | None = None) -> dict[int, Verdict]:
    """The verdict of each unit (objects or ids) in the campaign, in one query; with `as_of`, as it stood when
    that day ended."""
    ids = [getattr(u, "pk", u) for u in units]
    verdicts = {pk: Verdict() for pk in ids}
    rows = (PlanTask.objects.filter(plan__kind=PlanKind.SPECIAL, plan__campaign=campaign, plan__unit_id__in=ids)
            .annotate(latest=_latest_result(as_of)).order_by("plan__unit_id", "order")
            .values_list("plan__unit_id", "task", "latest"))
    for unit_id, task, latest in rows:
        verdict = verdicts[unit_id]
        if latest == AcceptanceResult.FAILED:
            verdict.failed_tasks.append(task)
        elif latest == AcceptanceResult.PASSED:
            verdict.passed_tasks.append(task)
        else:
            verdict.pending_tasks.append(task)
    return verdicts


def acceptance_verdict(unit: Unit, campaign: Campaign) -> Verdict:
    return verdicts_of([unit], campaign)[unit.pk]


# --- roll-ups ---------------------------------------------------------------------------------------------


def count_topics(campaign: Campaign) -> list[tuple[str, int]]:
    """The kept counts `class_counts` reads, for a caller reading several apps' counts at once."""
    return [(CLASS_TOPIC, campaign.pk), (FAILED_TOPIC, campaign.pk)]


def class_counts(units, campaign: Campaign, kept=None) -> dict[int, dict[str, int]]:
    """For each unit, how many units of its subtree (itself included) are 好 / 较好 / 一般 / 差 and 不合格 in the
    campaign, from the kept counts (orgs.WorkTally): one query whatever lies below (none with `kept`: what
    orgs.totals.work_counts_many already read, with `count_topics(campaign)` among its topics)."""
    units = list(units)
    kept = kept or unit_totals.work_counts_many(units, count_topics(campaign))
    grades, failed = kept[(CLASS_TOPIC, campaign.pk)], kept[(FAILED_TOPIC, campaign.pk)]
    counts = {}
    for u in units:
        row = {label: grades[u.pk][grade] for grade, label in _GRADE_LABELS.items()}
        row[FAILED_LABEL] = failed[u.pk][FAILED_KEY]
        counts[u.pk] = row
    return counts


def counts_own(campaign: Campaign | None = None) -> Counter:
    """The units' classes and 不合格 counted at the units themselves, as WorkTally keys them (of one campaign, or
    of all: orgs.totals.work_own_register)."""
    own: Counter = Counter()
    standings = UnitStanding.objects.all() if campaign is None else UnitStanding.objects.filter(campaign=campaign)
    for unit_id, campaign_id, grade, failed in standings.values_list("unit_id", "campaign_id", "grade", "failed"):
        if grade:
            own[(unit_id, campaign_id, CLASS_TOPIC, grade)] += 1
        if failed:
            own[(unit_id, campaign_id, FAILED_TOPIC, FAILED_KEY)] += 1
    return own


def counts_recount(campaign: Campaign) -> Counter:
    """What the kept counts of the campaign's classes and 不合格 should be, from the kept standings (tests)."""
    return unit_totals.work_recount(counts_own(campaign))


# --- scoped objects ---------------------------------------------------------------------------------------


def campaign_get_for(*, user, pk, perm: Perm = Perm.CAMPAIGN_VIEW) -> Campaign:
    return campaign_selectors.campaign_get_for(user=user, pk=pk, perm=perm)


def campaigns_for(*, user) -> list[Campaign]:
    return campaign_selectors.campaigns_visible(user=user)


def checklist_get_for(*, user, pk, perm: Perm = Perm.CAMPAIGN_VIEW) -> Checklist:
    """The checklist of a campaign the reader sees (404 else); with CAMPAIGN_MANAGE, 403 to a reader."""
    key = sql.key_or_none(pk)
    checklist = key and Checklist.objects.select_related("campaign__owner_unit").filter(pk=key).first()
    if not checklist:
        raise Http404
    campaign_get_for(user=user, pk=checklist.campaign_id, perm=perm)
    return checklist


def checklists_of(campaign: Campaign) -> list[Checklist]:
    """The campaign's checklists, each with its versions (newest first) and their items."""
    versions = ChecklistVersion.objects.order_by("-number").prefetch_related("items")
    checklists = list(campaign.checklists.order_by("id").prefetch_related(Prefetch("versions", queryset=versions)))
    for c in checklists:
        all_versions = list(c.versions.all())
        c.latest = all_versions[0] if all_versions else None
        c.published = next((v for v in all_versions if v.is_published), None)
    return checklists


def version_get_for(*, user, pk) -> ChecklistVersion:
    key = sql.key_or_none(pk)
    version = key and ChecklistVersion.objects.select_related("checklist__campaign__owner_unit").filter(
        pk=key).first()
    if not version:
        raise Http404
    campaign_get_for(user=user, pk=version.checklist.campaign_id)
    return version


def unit_in_campaign_get_for(*, user, pk, campaign: Campaign, perm: Perm = Perm.WORK_VIEW) -> Unit:
    """A unit the reader reads, of the campaign (its owner unit's subtree): 404 else."""
    key = sql.key_or_none(pk)
    unit = key and Unit.objects.filter(pk=key).first()
    if not unit:
        raise Http404
    policy.require(user, perm, unit)
    if not unit.path.startswith(campaign.owner_unit.path):
        raise Http404
    return unit


def assessment_get_for(*, user, pk) -> Assessment:
    key = sql.key_or_none(pk)
    assessment = key and (Assessment.objects.select_related("unit", "campaign__owner_unit", "version", "checklist",
                                                            "assessor")
                          .prefetch_related("scores__item", "evidence", "remedial_tasks").filter(pk=key).first())
    if not assessment:
        raise Http404
    policy.require(user, Perm.WORK_VIEW, assessment.unit)
    return assessment


def remedial_get_for(*, user, pk) -> RemedialTask:
    key = sql.key_or_none(pk)
    task = key and RemedialTask.objects.select_related("unit", "campaign").filter(pk=key).first()
    if not task:
        raise Http404
    policy.require(user, Perm.WORK_VIEW, task.unit)
    return task


def plan_task_get_for(*, user, pk) -> PlanTask:
    """A task of a 专项整治方案 the reader reads (404 else, and for the tasks of the other plans)."""
    key = sql.key_or_none(pk)
    task = key and PlanTask.objects.select_related("plan__unit", "plan__campaign__owner_unit").filter(
        pk=key, plan__kind=PlanKind.SPECIAL).first()
    if not task:
        raise Http404
    policy.require(user, Perm.WORK_VIEW, task.plan.unit)
    return task


# --- pages ------------------------------------------------------------------------------------------------


@dataclass
class UnitRow:
    unit: Unit
    standing: UnitStanding | None
    open_tasks: int
    verdict: Verdict


def campaign_units(*, user, campaign: Campaign, limit: int = 200) -> list[UnitRow]:
    """The campaign's units the reader reads (by path, at most `limit`), with their kept class and latest
    score, their open 回炉 / 补课 tasks and their acceptance verdict: four queries whatever the number."""
    units = list(Unit.objects.filter(policy.units_q(user, Perm.WORK_VIEW), path_range_q(campaign.owner_unit.path))
                 .order_by("path")[:limit])
    ids = [u.pk for u in units]
    standings = {s.unit_id: s for s in UnitStanding.objects.filter(campaign=campaign, unit_id__in=ids)}
    open_tasks = dict(RemedialTask.objects.filter(campaign=campaign, unit_id__in=ids, state=RemedialState.OPEN)
                      .values("unit_id").annotate(n=Count("*")).values_list("unit_id", "n").order_by())
    verdicts = verdicts_of(ids, campaign)
    return [UnitRow(u, standings.get(u.pk), open_tasks.get(u.pk, 0), verdicts[u.pk]) for u in units]


def standing_of(unit: Unit, campaign: Campaign) -> UnitStanding | None:
    return UnitStanding.objects.filter(unit=unit, campaign=campaign).first()


def assessments_of(unit: Unit, campaign: Campaign) -> QuerySet[Assessment]:
    return (Assessment.objects.filter(unit=unit, campaign=campaign)
            .select_related("checklist", "version", "assessor").order_by("-assessed_on", "-id"))


def remedial_tasks_of(unit: Unit, campaign: Campaign) -> QuerySet[RemedialTask]:
    return (RemedialTask.objects.filter(unit=unit, campaign=campaign).select_related("assessment__checklist",
                                                                                     "done_by")
            .order_by("state", "due_on", "id"))


def special_plan_of(unit: Unit, campaign: Campaign) -> Plan | None:
    """The unit's 专项整治方案 with its tasks, each with its acceptances newest first (`task.history_rows`)."""
    acceptances = Acceptance.objects.select_related("evaluator").prefetch_related("evidence").order_by(
        "-accepted_on", "-id")
    plan = (Plan.objects.filter(unit=unit, campaign=campaign, kind=PlanKind.SPECIAL)
            .prefetch_related(Prefetch("tasks", queryset=PlanTask.objects.order_by("order").prefetch_related(
                Prefetch("acceptances", queryset=acceptances)))).first())
    if plan is not None:
        for task in plan.tasks.all():
            task.rows = list(task.acceptances.all())
            task.latest = task.rows[0] if task.rows else None
    return plan


def acceptances_of_task(task: PlanTask) -> QuerySet[Acceptance]:
    return task.acceptances.select_related("evaluator").prefetch_related("evidence").order_by("-accepted_on", "-id")
