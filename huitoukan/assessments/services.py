"""Writes of 分析研判 and 评估验收: checklists and their versions, thresholds, scores, 回炉 / 补课, acceptances.

Every write names its actor (a login, never None) and is checked
through `assessments.rules`. A unit's kept standing (`UnitStanding`: its class and whether its acceptance
failed) is rewritten in the transaction of the write that changes it, so the roll-ups read kept values.

The class of a unit in a campaign: for each checklist of the campaign, the unit's latest assessment against
it (actor date, then actor record); the mean of their percentages; 好 from `good` up, 较好 from `fairly_good`,
一般 from `average`, else 差 (each bound included).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from huitoukan.access.policy import Perm
from huitoukan.assessments import rules
from huitoukan.assessments.errors import AssessmentError, AssessmentErrorCode
from huitoukan.assessments.models import (
    Acceptance,
    AcceptanceResult,
    Assessment,
    AssessmentEvidence,
    AssessmentScore,
    Checklist,
    ChecklistItem,
    ChecklistVersion,
    ClassThresholds,
    Grade,
    RemedialKind,
    RemedialState,
    RemedialTask,
    UnitStanding,
)
from huitoukan.assessments.selectors import CLASS_TOPIC, FAILED_KEY, FAILED_TOPIC, verdicts_of
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.campaigns.models import Campaign
from huitoukan.core import hooks
from huitoukan.orgs import totals as unit_totals
from huitoukan.orgs.models import Unit
from huitoukan.plans.models import PlanKind, PlanTask
from huitoukan.supervision import evidence

E = AssessmentErrorCode
HUNDRED = Decimal("100")
CENT = Decimal("0.01")
MAX_ITEM_SCORE = Decimal("1000")
# Days given for a 回炉 / 补课 task when nobody set its due date.
REMEDIAL_DAYS = 15

# (state, action) -> next state of a 回炉 / 补课 task.
REMEDIAL_MOVES: dict[tuple[str, str], str] = {(RemedialState.OPEN, "done"): RemedialState.DONE}


def number_text(value: Decimal) -> str:
    """A score as people write it: 10, 8.5."""
    return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value)


def _save(obj, actor, **kwargs) -> None:
    obj._history_user = actor
    obj.save(**kwargs)


def _require_manage(actor, campaign: Campaign) -> None:
    """The campaign's managers: 403 to whoever sees the campaign (run here or above), 404 to anybody else."""
    campaign_selectors.campaign_get_for(user=actor, pk=campaign.pk, perm=Perm.CAMPAIGN_MANAGE)


# --- checklists -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSpec:
    text: str
    max_score: Decimal | int | str


def _clean_items(items: Iterable[ItemSpec]) -> list[tuple[str, Decimal]]:
    cleaned = []
    for n, spec in enumerate(items, start=1):
        text = (spec.text or "").strip()
        if not text:
            raise AssessmentError(E.ITEM_TEXT_REQUIRED, n=n)
        try:
            top = Decimal(str(spec.max_score)).quantize(Decimal("0.1"))
        except (InvalidOperation, ValueError):
            raise AssessmentError(E.ITEM_MAX, n=n) from None
        if not Decimal(0) < top <= MAX_ITEM_SCORE:
            raise AssessmentError(E.ITEM_MAX, n=n)
        cleaned.append((text, top))
    if not cleaned:
        raise AssessmentError(E.ITEMS_REQUIRED)
    return cleaned


def _write_items(version: ChecklistVersion, items: list[tuple[str, Decimal]], actor) -> None:
    for n, (text, top) in enumerate(items, start=1):
        _save(ChecklistItem(version=version, order=n, text=text, max_score=top), actor)


@transaction.atomic
def checklist_create(*, actor, campaign: Campaign, name: str, items: Iterable[ItemSpec], basis: str = "") -> Checklist:
    """A new check standard of the campaign, its items as version 1 (a draft until published)."""
    _require_manage(actor, campaign)
    name = (name or "").strip()
    if not name:
        raise AssessmentError(E.NAME_REQUIRED)
    if Checklist.objects.filter(campaign=campaign, name=name).exists():
        raise AssessmentError(E.NAME_TAKEN, campaign=campaign.name, name=name)
    cleaned = _clean_items(items)
    checklist = Checklist(campaign=campaign, name=name, basis=(basis or "").strip(), created_by=actor)
    _save(checklist, actor)
    version = ChecklistVersion(checklist=checklist, number=1, created_by=actor)
    _save(version, actor)
    _write_items(version, cleaned, actor)
    return checklist


def _locked_checklist(checklist: Checklist) -> Checklist:
    return Checklist.objects.select_for_update().select_related("campaign__owner_unit").get(pk=checklist.pk)


@transaction.atomic
def checklist_draft_save(*, actor, checklist: Checklist, items: Iterable[ItemSpec]) -> ChecklistVersion:
    """Edit the items: the draft version is rewritten; when the latest version is published (frozen), a new
    draft version is made from them. Assessments keep pointing at the version they used."""
    checklist = _locked_checklist(checklist)
    _require_manage(actor, checklist.campaign)
    cleaned = _clean_items(items)
    latest = checklist.versions.order_by("-number").first()
    if latest.is_published:
        latest = ChecklistVersion(checklist=checklist, number=latest.number + 1, created_by=actor)
        _save(latest, actor)
    else:
        for item in latest.items.all():
            item._history_user = actor
            item.delete()
    _write_items(latest, cleaned, actor)
    return latest


@transaction.atomic
def checklist_publish(*, actor, checklist: Checklist) -> ChecklistVersion:
    """Publish the draft version: from now on it is frozen and may be scored against."""
    checklist = _locked_checklist(checklist)
    _require_manage(actor, checklist.campaign)
    draft = checklist.versions.filter(published_at__isnull=True).order_by("-number").first()
    if draft is None:
        raise AssessmentError(E.NO_DRAFT, name=checklist.name)
    draft.published_at, draft.published_by = timezone.now(), actor
    _save(draft, actor)
    return draft


# --- thresholds and classification ------------------------------------------------------------------------


def thresholds_of(campaign: Campaign) -> ClassThresholds:
    """The campaign's thresholds, or the defaults (好 ≥ 90, 较好 ≥ 75, 一般 ≥ 60) unsaved."""
    found = ClassThresholds.objects.filter(campaign=campaign).first()
    return found or ClassThresholds(campaign=campaign)


def grade_of(percentage: Decimal | None, thresholds: ClassThresholds) -> str:
    if percentage is None:
        return ""
    if percentage >= thresholds.good:
        return Grade.GOOD
    if percentage >= thresholds.fairly_good:
        return Grade.FAIRLY_GOOD
    if percentage >= thresholds.average:
        return Grade.AVERAGE
    return Grade.POOR


def _percent(value) -> Decimal:
    try:
        result = Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, ValueError):
        raise AssessmentError(E.THRESHOLDS) from None
    return result


@transaction.atomic
def thresholds_set(*, actor, campaign: Campaign, good, fairly_good, average) -> ClassThresholds:
    """The campaign's managers change the thresholds; every unit of the campaign is classed again."""
    _require_manage(actor, campaign)
    good, fairly_good, average = _percent(good), _percent(fairly_good), _percent(average)
    if not HUNDRED >= good > fairly_good > average > 0:
        raise AssessmentError(E.THRESHOLDS)
    thresholds = ClassThresholds.objects.select_for_update().filter(campaign=campaign).first() or ClassThresholds(
        campaign=campaign)
    thresholds.good, thresholds.fairly_good, thresholds.average, thresholds.updated_by = (
        good, fairly_good, average, actor)
    _save(thresholds, actor)
    unit_ids = set(Assessment.objects.filter(campaign=campaign).values_list("unit_id", flat=True).distinct())
    _classify(unit_ids, campaign, actor, today=timezone.localdate())
    return thresholds


def _latest_per_checklist(unit_ids, campaign: Campaign) -> dict[int, list[Assessment]]:
    """Each unit's latest assessment per checklist of the campaign (actor date, then actor record)."""
    latest: dict[int, dict[int, Assessment]] = {}
    rows = (Assessment.objects.filter(campaign=campaign, unit_id__in=list(unit_ids))
            .select_related("checklist").order_by("unit_id", "checklist_id", "-assessed_on", "-id"))
    for a in rows:
        latest.setdefault(a.unit_id, {}).setdefault(a.checklist_id, a)
    return {unit_id: list(by_checklist.values()) for unit_id, by_checklist in latest.items()}


def _mean(assessments: list[Assessment]) -> Decimal | None:
    if not assessments:
        return None
    return (sum((a.percentage for a in assessments), Decimal(0)) / len(assessments)).quantize(
        CENT, rounding=ROUND_HALF_UP)


def _standings(unit_ids, campaign: Campaign, actor) -> dict[int, UnitStanding]:
    """The kept rows of the units, made when missing, locked for this transaction."""
    unit_ids = sorted(set(unit_ids))
    existing = set(UnitStanding.objects.filter(campaign=campaign, unit_id__in=unit_ids).values_list(
        "unit_id", flat=True))
    for unit_id in unit_ids:
        if unit_id not in existing:
            _save(UnitStanding(unit_id=unit_id, campaign=campaign), actor)
    rows = UnitStanding.objects.select_for_update().filter(campaign=campaign, unit_id__in=unit_ids).order_by("pk")
    return {s.unit_id: s for s in rows}


def _remedial_for(assessment: Assessment, thresholds: ClassThresholds, *, actor, kind: str,
                  due_on: dt.date) -> list[RemedialTask]:
    """One task per item scored below the 一般 bound (its own percentage), or one for the whole assessment."""
    tasks = []
    for s in assessment.scores.select_related("item").order_by("item__order"):
        if s.score * HUNDRED / s.item.max_score < thresholds.average:
            text = f"第{s.item.order}条“{s.item.text[:60]}”得分 {number_text(s.score)}/{number_text(s.item.max_score)}"
            tasks.append(text + (f"：{s.comment}" if s.comment else ""))
    if not tasks:
        tasks = [f"“{assessment.checklist.name}”得分率 {assessment.percentage}%"]
    made = []
    for description in tasks:
        task = RemedialTask(unit_id=assessment.unit_id, campaign_id=assessment.campaign_id, assessment=assessment,
                            kind=kind, description=description, due_on=due_on, created_by=actor)
        _save(task, actor)
        made.append(task)
    return made


def _classify(unit_ids, campaign: Campaign, actor, *, today: dt.date, kind: str = RemedialKind.MAKE_UP,
              due_on: dt.date | None = None) -> dict[int, UnitStanding]:
    """Class the units again from their latest assessments and keep it; a unit classed 差 gets 回炉 / 补课 tasks
    from each of its latest assessments that has none yet. Tasks are never removed when the class rises."""
    thresholds = thresholds_of(campaign)
    standings = _standings(unit_ids, campaign, actor)
    latest = _latest_per_checklist(standings, campaign)
    changed, poor, regraded = [], [], []
    for unit_id, standing in standings.items():
        assessments = latest.get(unit_id, [])
        percentage = _mean(assessments)
        grade = grade_of(percentage, thresholds)
        assessed_on = max((a.assessed_on for a in assessments), default=None)
        if (standing.grade, standing.percentage, standing.assessed_on) != (grade, percentage, assessed_on):
            regraded.append((standing.unit_id, standing.grade or None, grade or None))
            standing.grade, standing.percentage, standing.assessed_on = grade, percentage, assessed_on
            standing.updated_at = timezone.now()  # bulk_update leaves auto_now alone
            changed.append(standing)
        if grade == Grade.POOR:
            poor += assessments
    with_tasks = set(RemedialTask.objects.filter(assessment__in=[a.pk for a in poor]).values_list(
        "assessment_id", flat=True)) if poor else set()
    for a in poor:
        if a.pk not in with_tasks:
            _remedial_for(a, thresholds, actor=actor, kind=kind,
                          due_on=due_on or today + dt.timedelta(days=REMEDIAL_DAYS))
    if changed:
        bulk_update_with_history(changed, UnitStanding, ["grade", "percentage", "assessed_on", "updated_at"],
                                 default_user=actor)
        _counted(regraded, CLASS_TOPIC, campaign)
    return standings


def _counted(changes, topic: str, campaign: Campaign) -> None:
    """Move the units' counts under every unit above them: changes are (unit id, before, after)."""
    changes = [c for c in changes if c[1] != c[2]]
    if changes:
        units = Unit.objects.in_bulk([unit_id for unit_id, _b, _a in changes])
        unit_totals.work_counted_many([(units[unit_id], before, after) for unit_id, before, after in changes],
                                      topic=topic, campaign_id=campaign.pk)


def _failed_set(standing: UnitStanding, failed: bool, campaign: Campaign, actor) -> None:
    if standing.failed != failed:
        _counted([(standing.unit_id, FAILED_KEY if standing.failed else None, FAILED_KEY if failed else None)],
                 FAILED_TOPIC, campaign)
        standing.failed = failed
        _save(standing, actor)


@transaction.atomic
def standings_rebuild(*, actor, campaign: Campaign) -> int:
    """Class every unit of the campaign again and recompute its 不合格 mark from the acceptances, from scratch
    (e.g. after a 专项整治方案's task was deleted); the kept rows then agree with a recomputation. Returns
    how many units were looked at."""
    _require_manage(actor, campaign)
    unit_ids = set(Assessment.objects.filter(campaign=campaign).values_list("unit_id", flat=True))
    unit_ids |= set(UnitStanding.objects.filter(campaign=campaign).values_list("unit_id", flat=True))
    unit_ids |= set(Acceptance.objects.filter(campaign=campaign).values_list("unit_id", flat=True))
    standings = _classify(unit_ids, campaign, actor, today=timezone.localdate())
    verdicts = verdicts_of(list(standings), campaign)
    for unit_id, standing in standings.items():
        standing.refresh_from_db()
        _failed_set(standing, verdicts[unit_id].failed, campaign, actor)
    return len(standings)


# --- scoring ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreSpec:
    item_id: int
    score: Decimal | int | str | None
    comment: str = ""


def _clean_scores(version: ChecklistVersion, scores: Iterable[ScoreSpec]) -> list[tuple[ChecklistItem, Decimal, str]]:
    items = list(version.items.order_by("order"))
    given = {s.item_id: s for s in scores}
    if set(given) - {i.pk for i in items}:
        raise AssessmentError(E.SCORE_UNKNOWN)
    cleaned = []
    for item in items:
        spec = given.get(item.pk)
        label = item.text[:20]
        if spec is None or spec.score is None or str(spec.score).strip() == "":
            raise AssessmentError(E.SCORE_MISSING, n=item.order, item=label)
        try:
            score = Decimal(str(spec.score).strip()).quantize(Decimal("0.1"))
        except (InvalidOperation, ValueError):
            raise AssessmentError(E.SCORE_RANGE, n=item.order, item=label, max=number_text(item.max_score)) from None
        if not Decimal(0) <= score <= item.max_score:
            raise AssessmentError(E.SCORE_RANGE, n=item.order, item=label, max=number_text(item.max_score))
        cleaned.append((item, score, (spec.comment or "").strip()))
    return cleaned


def _evidence_rows(*, actor, files, assessment=None, acceptance=None) -> list[AssessmentEvidence]:
    return AssessmentEvidence.rows_of(evidence.evidence_store(files), actor=actor, assessment=assessment,
                                      acceptance=acceptance)


@transaction.atomic
def assessment_record(*, actor, unit: Unit, version: ChecklistVersion, scores: Iterable[ScoreSpec],
                      assessed_on: dt.date, comment: str = "", files=(), remedial_kind: str = RemedialKind.MAKE_UP,
                      remedial_due_on: dt.date | None = None) -> Assessment:
    """An assessor scores a unit against a published checklist version (every item, 0..its full score). The
    unit is classed again in the same transaction; classed 差, it gets 回炉 / 补课 tasks (`remedial_kind`, due
    `remedial_due_on` or REMEDIAL_DAYS after the scoring)."""
    rules.raise_if(rules.score_refusal(actor, unit))
    version = ChecklistVersion.objects.select_related("checklist__campaign__owner_unit").get(pk=version.pk)
    checklist = version.checklist
    campaign = checklist.campaign
    if not version.is_published:
        raise AssessmentError(E.NOT_PUBLISHED, name=checklist.name, number=version.number)
    if not unit.path.startswith(campaign.owner_unit.path):
        raise AssessmentError(E.UNIT_NOT_IN_CAMPAIGN, unit=unit.full_name, campaign=campaign.name)
    if assessed_on is None:
        raise AssessmentError(E.DATE_REQUIRED, field="评分日期")
    RemedialKind(remedial_kind)
    _standings([unit.pk], campaign, actor)  # lock the unit's row first: one scoring of a unit at a time
    cleaned = _clean_scores(version, scores)
    total = sum((score for _, score, _ in cleaned), Decimal(0))
    max_total = sum((item.max_score for item, _, _ in cleaned), Decimal(0))
    assessment = Assessment(unit=unit, campaign=campaign, version=version, checklist=checklist, assessor=actor,
                            assessed_on=assessed_on, comment=(comment or "").strip(), total=total,
                            max_total=max_total,
                            percentage=(total * HUNDRED / max_total).quantize(CENT, rounding=ROUND_HALF_UP))
    _save(assessment, actor)
    for item, score, item_comment in cleaned:
        _save(AssessmentScore(assessment=assessment, item=item, score=score, comment=item_comment), actor)
    files = list(files)
    if files:
        _evidence_rows(actor=actor, files=files, assessment=assessment)
    _classify([unit.pk], campaign, actor, today=assessed_on, kind=remedial_kind, due_on=remedial_due_on)
    return assessment


@transaction.atomic
def assessment_evidence_attach(*, actor, assessment: Assessment, files) -> list[AssessmentEvidence]:
    rules.raise_if(rules.score_refusal(actor, assessment.unit))
    files = list(files)
    if not files:
        raise AssessmentError(E.FILE_REQUIRED)
    return _evidence_rows(actor=actor, files=files, assessment=assessment)


@transaction.atomic
def remedial_done(*, actor, task: RemedialTask, note: str = "") -> RemedialTask:
    """The assessing side confirms a 回炉 / 补课 task done."""
    task = RemedialTask.objects.select_for_update().select_related("unit").get(pk=task.pk)
    rules.raise_if(rules.score_refusal(actor, task.unit))
    after = REMEDIAL_MOVES.get((task.state, "done"))
    if after is None:
        raise AssessmentError(E.TASK_DONE)
    task.state, task.note, task.done_by, task.done_at = after, (note or "").strip(), actor, timezone.now()
    _save(task, actor)
    return task


# --- 评估验收 -----------------------------------------------------------------------------------------------


@transaction.atomic
def acceptance_record(*, actor, plan_task: PlanTask, result: str, accepted_on: dt.date, comments: str = "",
                      files=()) -> Acceptance:
    """An office above the unit evaluates one task of the unit's 专项整治方案 (通过 / 不通过). A new evaluation
    is a new row; the unit's kept 不合格 mark follows the latest evaluation of each task."""
    plan_task = PlanTask.objects.select_related("plan__unit", "plan__campaign").get(pk=plan_task.pk)
    plan = plan_task.plan
    rules.raise_if(rules.accept_refusal(actor, plan.unit))
    if plan.kind != PlanKind.SPECIAL:
        raise AssessmentError(E.NOT_SPECIAL_PLAN)
    if result not in AcceptanceResult.values:
        raise AssessmentError(E.RESULT_UNKNOWN, result=result)
    if accepted_on is None:
        raise AssessmentError(E.DATE_REQUIRED, field="验收日期")
    standing = _standings([plan.unit_id], plan.campaign, actor)[plan.unit_id]
    acceptance = Acceptance(plan_task=plan_task, unit=plan.unit, campaign=plan.campaign, result=result,
                            comments=(comments or "").strip(), accepted_on=accepted_on, evaluator=actor)
    _save(acceptance, actor)
    files = list(files)
    if files:
        _evidence_rows(actor=actor, files=files, acceptance=acceptance)
    _failed_set(standing, verdicts_of([plan.unit], plan.campaign)[plan.unit_id].failed, plan.campaign, actor)
    hooks.units_changed(hooks.ACCEPTANCE_DECIDED, [plan.unit_id], plan.campaign_id)  # e.g. the kept 过关 verdict
    return acceptance
