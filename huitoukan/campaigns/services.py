"""Writes to campaigns, phases and deadlines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns.errors import CampaignError, CampaignErrorCode
from huitoukan.campaigns.models import Campaign, Deadline, Phase
from huitoukan.orgs.models import Unit, UnitLevel


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


def _check_deadline(spec: DeadlineSpec, phase_names) -> None:
    _check_levels(spec.name, spec.levels)
    if spec.phase_name and spec.phase_name not in phase_names:
        raise CampaignError(CampaignErrorCode.PHASE_UNKNOWN, name=spec.name, phase=spec.phase_name)


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
) -> Campaign:
    if actor is not None:
        policy.require(actor, Perm.CAMPAIGN_MANAGE, owner_unit)
    name = name.strip()
    _check_dates(name, starts_on, ends_on)
    if Campaign.objects.filter(owner_unit=owner_unit, name=name).exists():
        raise CampaignError(CampaignErrorCode.DUPLICATE_NAME, unit=owner_unit.full_name, name=name)
    ordered = _check_phases(phases, starts_on, ends_on)
    phase_names = {spec.name for spec in ordered}
    for spec in deadlines:
        _check_deadline(spec, phase_names)
    campaign = Campaign(
        owner_unit=owner_unit,
        name=name,
        batch=batch,
        starts_on=starts_on,
        ends_on=ends_on,
        basis=basis,
        description=description,
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
        deadline = Deadline(
            campaign=campaign,
            phase=phase_by_name.get(spec.phase_name),
            name=spec.name,
            due_on=spec.due_on,
            levels=list(spec.levels),
            basis=spec.basis,
        )
        deadline._history_user = actor
        deadline.save()
    return campaign


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
) -> Campaign:
    """The campaign's own fields; its owner unit stays. Its phases must still fit its dates."""
    policy.require(actor, Perm.CAMPAIGN_MANAGE, campaign.owner_unit)
    name = name.strip()
    _check_dates(name, starts_on, ends_on)
    if Campaign.objects.filter(owner_unit=campaign.owner_unit, name=name).exclude(pk=campaign.pk).exists():
        raise CampaignError(CampaignErrorCode.DUPLICATE_NAME, unit=campaign.owner_unit.full_name, name=name)
    for phase in campaign.phases.all():
        if phase.starts_on < starts_on or phase.ends_on > ends_on:
            raise CampaignError(CampaignErrorCode.CAMPAIGN_SHRINKS, name=phase.name)
    campaign.name, campaign.starts_on, campaign.ends_on = name, starts_on, ends_on
    campaign.batch, campaign.basis, campaign.description = batch, basis, description
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
    _check_deadline(spec, set(campaign.phases.values_list("name", flat=True)))
    deadline = Deadline(
        campaign=campaign,
        phase=_phase_of(campaign, spec.phase_name),
        name=spec.name.strip(),
        due_on=spec.due_on,
        levels=list(spec.levels),
        basis=spec.basis,
    )
    _save(deadline, actor)
    return deadline


@transaction.atomic
def deadline_update(*, actor, deadline: Deadline, spec: DeadlineSpec) -> Deadline:
    campaign = deadline.campaign
    policy.require(actor, Perm.CAMPAIGN_MANAGE, campaign.owner_unit)
    _check_deadline(spec, set(campaign.phases.values_list("name", flat=True)))
    deadline.name, deadline.due_on, deadline.levels = spec.name.strip(), spec.due_on, list(spec.levels)
    deadline.phase, deadline.basis = _phase_of(campaign, spec.phase_name), spec.basis
    _save(deadline, actor)
    return deadline


@transaction.atomic
def deadline_delete(*, actor, deadline: Deadline) -> None:
    policy.require(actor, Perm.CAMPAIGN_MANAGE, deadline.campaign.owner_unit)
    _delete(deadline, actor)
