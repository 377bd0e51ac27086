"""Writes to campaigns, phases and deadlines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns.errors import CampaignError, CampaignErrorCode
from huitoukan.campaigns.models import (
    DEFAULT_RECHECK_MONTHS,
    MAX_RECHECK_MONTHS,
    Campaign,
    Deadline,
    PackagePart,
    Phase,
    ReminderRecipient,
    TargetRule,
    default_reminder_steps,
    recheck_months_parse,
)
from huitoukan.orgs.models import LEVEL_RANK, Unit, UnitKind, UnitLevel

# The four ledgers: what a deadline's package holds unless told otherwise (seed 001 三.1 建立台账).
LEDGER_PARTS = [PackagePart.LEDGER_LEADERSHIP, PackagePart.LEDGER_PERSONAL, PackagePart.LEDGER_SPECIAL,
                PackagePart.LEDGER_INSTITUTION]
STEP_DAYS_LIMIT = 60


@dataclass(frozen=True)
class PhaseSpec:
    name: str
    starts_on: dt.date
    ends_on: dt.date
    tasks: str = ""


@dataclass(frozen=True)
class DeadlineSpec:
    name: str
    due_on: dt.date
    levels: list[str] = field(default_factory=list)
    phase_name: str = ""
    basis: str = ""
    target_rule: str = TargetRule.LEVELS
    kinds: list[str] = field(default_factory=list)
    contents: list[str] = field(default_factory=lambda: list(LEDGER_PARTS))
    reminder_steps: list[dict] = field(default_factory=default_reminder_steps)


def _check_dates(what: str, starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        raise CampaignError(CampaignErrorCode.DATES_REVERSED, what=what, starts=starts_on, ends=ends_on)


def _check_levels(name: str, levels: list[str]) -> None:
    if not levels:
        raise CampaignError(CampaignErrorCode.NO_LEVELS, name=name)
    for level in levels:
        if level not in UnitLevel.values:
            raise CampaignError(CampaignErrorCode.UNKNOWN_LEVEL, level=level)


def _check_phases(phases, starts_on: dt.date, ends_on: dt.date) -> list:
    """Phases (specs or Phase rows) sorted by start: each inside the campaign's dates, none overlapping."""
    ordered = sorted(phases, key=lambda p: p.starts_on)
    for spec in ordered:
        _check_dates(spec.name, spec.starts_on, spec.ends_on)
        if spec.starts_on < starts_on or spec.ends_on > ends_on:
            raise CampaignError(CampaignErrorCode.PHASE_OUTSIDE_CAMPAIGN, name=spec.name)
    for first, second in zip(ordered, ordered[1:], strict=False):
        if second.starts_on <= first.ends_on:
            raise CampaignError(CampaignErrorCode.PHASES_OVERLAP, first=first.name, second=second.name)
    return ordered


def recheck_months_clean(text: str) -> str:
    """A campaign's recheck months as kept: "3,6,12" (ascending, no repeats), or "" for none."""
    try:
        months = recheck_months_parse(text)
    except ValueError as e:
        raise CampaignError(CampaignErrorCode.RECHECK_MONTHS_INVALID, part=str(e), max=MAX_RECHECK_MONTHS) from None
    return ",".join(str(m) for m in months)


def reminder_steps_clean(steps, *, what: str) -> list[dict]:
    """Reminder steps checked and normalised, ordered by their days: each an integer in -60..60, no two
    alike, each with at least one valid recipient (named by `what` and the step's row in errors)."""
    if not isinstance(steps, (list, tuple)):
        raise CampaignError(CampaignErrorCode.STEPS_MALFORMED, what=what)
    cleaned, seen = [], set()
    for row, step in enumerate(steps, start=1):
        if not isinstance(step, dict) or "days" not in step:
            raise CampaignError(CampaignErrorCode.STEPS_MALFORMED, what=what)
        days = step["days"]
        if isinstance(days, bool) or not isinstance(days, int) or abs(days) > STEP_DAYS_LIMIT:
            raise CampaignError(CampaignErrorCode.STEP_DAYS_INVALID, what=what, row=row, days=days)
        if days in seen:
            raise CampaignError(CampaignErrorCode.STEP_DAYS_REPEATED, what=what, row=row, days=days)
        seen.add(days)
        to = step.get("to") or []
        if not isinstance(to, (list, tuple)) or not to:
            raise CampaignError(CampaignErrorCode.STEP_NO_RECIPIENTS, what=what, row=row)
        for recipient in to:
            if recipient not in ReminderRecipient.values:
                raise CampaignError(CampaignErrorCode.STEP_UNKNOWN_RECIPIENT, what=what, row=row, to=recipient)
        cleaned.append({"days": days, "to": [r for r in ReminderRecipient.values if r in to]})
    return sorted(cleaned, key=lambda step: step["days"])


def _check_deadline(spec: DeadlineSpec, phase_names, campaign_dates: tuple[dt.date, dt.date]) -> DeadlineSpec:
    """The one check of a deadline, for every way in (create, add, update; pages and API): returns the
    spec normalised (levels dropped for the direct-subordinates rule, steps ordered)."""
    name = spec.name.strip()
    if spec.target_rule not in TargetRule.values:
        raise CampaignError(CampaignErrorCode.UNKNOWN_TARGET_RULE, name=name, rule=spec.target_rule)
    levels = list(spec.levels)
    if spec.target_rule == TargetRule.LEVELS:
        _check_levels(name, levels)
    else:
        levels = []
    for kind in spec.kinds:
        if kind not in UnitKind.values:
            raise CampaignError(CampaignErrorCode.UNKNOWN_KIND, name=name, kind=kind)
    if not spec.contents:
        raise CampaignError(CampaignErrorCode.NO_CONTENTS, name=name)
    for part in spec.contents:
        if part not in PackagePart.values:
            raise CampaignError(CampaignErrorCode.UNKNOWN_CONTENT, name=name, part=part)
    steps = reminder_steps_clean(spec.reminder_steps, what=f"报送事项“{name}”的催办步骤")
    if spec.phase_name and spec.phase_name not in phase_names:
        raise CampaignError(CampaignErrorCode.PHASE_UNKNOWN, name=name, phase=spec.phase_name)
    starts_on, ends_on = campaign_dates
    if not starts_on <= spec.due_on <= ends_on:
        raise CampaignError(CampaignErrorCode.DUE_OUTSIDE_CAMPAIGN, name=name, due=spec.due_on, starts=starts_on,
                            ends=ends_on)
    return DeadlineSpec(
        name=name, due_on=spec.due_on, levels=levels, phase_name=spec.phase_name, basis=spec.basis,
        target_rule=spec.target_rule,
        kinds=[k for k in UnitKind.values if k in spec.kinds],
        contents=[p for p in PackagePart.values if p in spec.contents],
        reminder_steps=steps,
    )


def _check_review_levels(owner_unit: Unit, review_levels) -> list[str]:
    """Levels strictly below the owner unit's, in the tree's order (the owner reviews last)."""
    for level in review_levels:
        if level not in UnitLevel.values or LEVEL_RANK[level] <= LEVEL_RANK.get(owner_unit.level, -1):
            raise CampaignError(CampaignErrorCode.REVIEW_LEVEL_INVALID, level=level, owner=owner_unit.full_name)
    return [level for level in UnitLevel.values if level in review_levels]


def _check_parent(owner_unit: Unit, parent: Campaign | None) -> None:
    """A parent campaign is run by a unit above the owner (a county's campaign from the city's)."""
    if parent is None:
        return
    above = parent.owner_unit
    if above.pk == owner_unit.pk or not owner_unit.path.startswith(above.path):
        raise CampaignError(CampaignErrorCode.PARENT_NOT_ABOVE, name=parent.name)


def _deadline_fields(spec: DeadlineSpec) -> dict:
    return {"name": spec.name, "due_on": spec.due_on, "levels": list(spec.levels), "basis": spec.basis,
            "target_rule": spec.target_rule, "kinds": list(spec.kinds), "contents": list(spec.contents),
            "reminder_steps": spec.reminder_steps}


def _save(obj, actor) -> None:
    obj._history_user = actor
    obj.save()


def _delete(obj, actor) -> None:
    obj._history_user = actor
    obj.delete()


def _renumber(campaign: Campaign, actor) -> None:
    """Phases numbered by their start dates; through a free range, as (campaign, order) is unique."""
    phases = sorted(campaign.phases.all(), key=lambda p: p.starts_on)
    moved = [(order, p) for order, p in enumerate(phases, start=1) if p.order != order]
    for order, phase in moved:
        Phase.objects.filter(pk=phase.pk).update(order=10000 + order)
    for order, phase in moved:
        phase.order = order
        _save(phase, actor)


@transaction.atomic
def campaign_create(
    *,
    actor,
    owner_unit: Unit,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    batch: str = "",
    basis: str = "",
    description: str = "",
    phases: list[PhaseSpec] = (),
    deadlines: list[DeadlineSpec] = (),
    parent: Campaign | None = None,
    review_levels: list[str] = (),
    group_audit: bool = False,
    item_reminder_steps: list[dict] | None = None,
    recheck_months: str = DEFAULT_RECHECK_MONTHS,
    recheck_ask_public: bool = False,
) -> Campaign:
    if actor is not None:
        policy.require(actor, Perm.CAMPAIGN_MANAGE, owner_unit)
    name = name.strip()
    _check_dates(name, starts_on, ends_on)
    if Campaign.objects.filter(owner_unit=owner_unit, name=name).exists():
        raise CampaignError(CampaignErrorCode.DUPLICATE_NAME, unit=owner_unit.full_name, name=name)
    ordered = _check_phases(phases, starts_on, ends_on)
    phase_names = {spec.name for spec in ordered}
    deadlines = [_check_deadline(spec, phase_names, (starts_on, ends_on)) for spec in deadlines]
    _check_parent(owner_unit, parent)
    campaign = Campaign(
        owner_unit=owner_unit,
        name=name,
        batch=batch,
        starts_on=starts_on,
        ends_on=ends_on,
        basis=basis,
        description=description,
        parent=parent,
        review_levels=_check_review_levels(owner_unit, review_levels),
        group_audit=group_audit,
        item_reminder_steps=reminder_steps_clean(
            default_reminder_steps() if item_reminder_steps is None else item_reminder_steps,
            what="整改时限催办步骤"),
        recheck_months=recheck_months_clean(recheck_months),
        recheck_ask_public=recheck_ask_public,
        created_by=actor,
    )
    campaign._history_user = actor
    campaign.save()
    phase_by_name: dict[str, Phase] = {}
    for order, spec in enumerate(ordered, start=1):
        phase = Phase(campaign=campaign, name=spec.name, order=order, starts_on=spec.starts_on,
                      ends_on=spec.ends_on, tasks=spec.tasks)
        phase._history_user = actor
        phase.save()
        phase_by_name[spec.name] = phase
    for spec in deadlines:
        deadline = Deadline(campaign=campaign, phase=phase_by_name.get(spec.phase_name), **_deadline_fields(spec))
        deadline._history_user = actor
        deadline.save()
    return campaign


@transaction.atomic
def campaign_copy(
    *,
    actor,
    source: Campaign,
    owner_unit: Unit,
    name: str | None = None,
    starts_on: dt.date | None = None,
    with_deadlines: bool = False,
) -> Campaign:
    """据此建立本单位活动: a campaign made from another the actor can read (a county's from the city's, or a
    template): its phases with their dates and tasks, its review rules and item reminder steps, and with
    `with_deadlines` its deadlines. `starts_on` moves every date by the same days (a template of last
    year). The source is the new campaign's parent when it is run above the owner unit."""
    from huitoukan.campaigns.selectors import campaigns_visible

    if actor is not None:
        if source.pk not in {c.pk for c in campaigns_visible(user=actor)}:
            raise policy.Denied(Perm.CAMPAIGN_VIEW, source.owner_unit)
        policy.require(actor, Perm.CAMPAIGN_MANAGE, owner_unit)
    shift = starts_on - source.starts_on if starts_on is not None else dt.timedelta(0)
    above = source.owner_unit
    parent = source if above.pk != owner_unit.pk and owner_unit.path.startswith(above.path) else None
    phases = [PhaseSpec(p.name, p.starts_on + shift, p.ends_on + shift, p.tasks) for p in source.phases.all()]
    deadlines = [
        DeadlineSpec(name=d.name, due_on=d.due_on + shift, levels=list(d.levels),
                     phase_name=d.phase.name if d.phase else "", basis=d.basis, target_rule=d.target_rule,
                     kinds=list(d.kinds), contents=list(d.contents), reminder_steps=list(d.reminder_steps))
        for d in source.deadlines.select_related("phase")
    ] if with_deadlines else []
    # Only the review levels that still lie below the new owner: a county's campaign from the city's
    # drops the county level, which is now its own.
    rank = LEVEL_RANK.get(owner_unit.level, -1)
    return campaign_create(
        actor=actor, owner_unit=owner_unit, name=(name or source.name), batch=source.batch,
        starts_on=source.starts_on + shift, ends_on=source.ends_on + shift, basis=source.basis,
        description=source.description, phases=phases, deadlines=deadlines, parent=parent,
        review_levels=[lv for lv in source.review_levels if LEVEL_RANK.get(lv, -1) > rank],
        group_audit=source.group_audit, item_reminder_steps=list(source.item_reminder_steps),
        recheck_months=source.recheck_months, recheck_ask_public=source.recheck_ask_public,
    )


def _phase_of(campaign: Campaign, name: str) -> Phase | None:
    return campaign.phases.filter(name=name).first() if name else None


@transaction.atomic
def campaign_update(
    *,
    actor,
    campaign: Campaign,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    batch: str = "",
    basis: str = "",
    description: str = "",
    parent: Campaign | None = None,
    review_levels: list[str] = (),
    group_audit: bool = False,
    item_reminder_steps: list[dict] | None = None,
    recheck_months: str | None = None,
    recheck_ask_public: bool | None = None,
) -> Campaign:
    """The campaign's own fields; its owner unit stays. Its phases and deadlines must still fit its dates."""
    policy.require(actor, Perm.CAMPAIGN_MANAGE, campaign.owner_unit)
    name = name.strip()
    _check_dates(name, starts_on, ends_on)
    if Campaign.objects.filter(owner_unit=campaign.owner_unit, name=name).exclude(pk=campaign.pk).exists():
        raise CampaignError(CampaignErrorCode.DUPLICATE_NAME, unit=campaign.owner_unit.full_name, name=name)
    for phase in campaign.phases.all():
        if phase.starts_on < starts_on or phase.ends_on > ends_on:
            raise CampaignError(CampaignErrorCode.CAMPAIGN_SHRINKS, name=phase.name)
    for deadline in campaign.deadlines.all():
        if not starts_on <= deadline.due_on <= ends_on:
            raise CampaignError(CampaignErrorCode.CAMPAIGN_SHRINKS_DEADLINE, name=deadline.name, due=deadline.due_on)
    _check_parent(campaign.owner_unit, parent)
    campaign.name, campaign.starts_on, campaign.ends_on = name, starts_on, ends_on
    campaign.batch, campaign.basis, campaign.description = batch, basis, description
    campaign.parent = parent
    campaign.review_levels = _check_review_levels(campaign.owner_unit, review_levels)
    campaign.group_audit = group_audit
    campaign.item_reminder_steps = reminder_steps_clean(
        campaign.item_reminder_steps if item_reminder_steps is None else item_reminder_steps,
        what="整改时限催办步骤")
    if recheck_months is not None:
        campaign.recheck_months = recheck_months_clean(recheck_months)
    if recheck_ask_public is not None:
        campaign.recheck_ask_public = recheck_ask_public
    _save(campaign, actor)
    return campaign


def _phases_with(campaign: Campaign, spec: PhaseSpec, *, replacing: Phase | None = None) -> None:
    others = [p for p in campaign.phases.all() if replacing is None or p.pk != replacing.pk]
    if any(p.name == spec.name for p in others):
        raise CampaignError(CampaignErrorCode.DUPLICATE_PHASE, name=spec.name)
    _check_phases([*others, spec], campaign.starts_on, campaign.ends_on)


@transaction.atomic
def phase_add(*, actor, campaign: Campaign, spec: PhaseSpec) -> Phase:
    policy.require(actor, Perm.CAMPAIGN_MANAGE, campaign.owner_unit)
    spec = PhaseSpec(spec.name.strip(), spec.starts_on, spec.ends_on, spec.tasks)
    _phases_with(campaign, spec)
    phase = Phase(campaign=campaign, name=spec.name, order=10000 + campaign.phases.count() + 1,
                  starts_on=spec.starts_on, ends_on=spec.ends_on, tasks=spec.tasks)
    _save(phase, actor)
    _renumber(campaign, actor)
    phase.refresh_from_db()
    return phase


@transaction.atomic
def phase_update(*, actor, phase: Phase, spec: PhaseSpec) -> Phase:
    campaign = phase.campaign
    policy.require(actor, Perm.CAMPAIGN_MANAGE, campaign.owner_unit)
    spec = PhaseSpec(spec.name.strip(), spec.starts_on, spec.ends_on, spec.tasks)
    _phases_with(campaign, spec, replacing=phase)
    phase.name, phase.starts_on, phase.ends_on, phase.tasks = spec.name, spec.starts_on, spec.ends_on, spec.tasks
    _save(phase, actor)
    _renumber(campaign, actor)
    phase.refresh_from_db()
    return phase


@transaction.atomic
def phase_delete(*, actor, phase: Phase) -> None:
    """The phase goes; its deadlines stay, without a phase (each change in their history)."""
    campaign = phase.campaign
    policy.require(actor, Perm.CAMPAIGN_MANAGE, campaign.owner_unit)
    for deadline in phase.deadlines.all():
        deadline.phase = None
        _save(deadline, actor)
    _delete(phase, actor)
    _renumber(campaign, actor)


@transaction.atomic
def deadline_add(*, actor, campaign: Campaign, spec: DeadlineSpec) -> Deadline:
    if actor is not None:
        policy.require(actor, Perm.CAMPAIGN_MANAGE, campaign.owner_unit)
    spec = _check_deadline(spec, set(campaign.phases.values_list("name", flat=True)),
                           (campaign.starts_on, campaign.ends_on))
    deadline = Deadline(campaign=campaign, phase=_phase_of(campaign, spec.phase_name), **_deadline_fields(spec))
    _save(deadline, actor)
    return deadline


@transaction.atomic
def deadline_update(*, actor, deadline: Deadline, spec: DeadlineSpec) -> Deadline:
    campaign = deadline.campaign
    policy.require(actor, Perm.CAMPAIGN_MANAGE, campaign.owner_unit)
    spec = _check_deadline(spec, set(campaign.phases.values_list("name", flat=True)),
                           (campaign.starts_on, campaign.ends_on))
    for name, value in _deadline_fields(spec).items():
        setattr(deadline, name, value)
    deadline.phase = _phase_of(campaign, spec.phase_name)
    _save(deadline, actor)
    return deadline


@transaction.atomic
def deadline_delete(*, actor, deadline: Deadline) -> None:
    policy.require(actor, Perm.CAMPAIGN_MANAGE, deadline.campaign.owner_unit)
    _delete(deadline, actor)
