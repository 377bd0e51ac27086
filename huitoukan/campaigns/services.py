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
    ordered = sorted(phases, key=lambda p: p.starts_on)
    for spec in ordered:
        _check_dates(spec.name, spec.starts_on, spec.ends_on)
        if spec.starts_on < starts_on or spec.ends_on > ends_on:
            raise CampaignError(CampaignErrorCode.PHASE_OUTSIDE_CAMPAIGN, name=spec.name)
    for first, second in zip(ordered, ordered[1:], strict=False):
        if second.starts_on <= first.ends_on:
            raise CampaignError(CampaignErrorCode.PHASES_OVERLAP, first=first.name, second=second.name)
    for spec in deadlines:
        _check_levels(spec.name, spec.levels)
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


@transaction.atomic
def deadline_add(*, actor, campaign: Campaign, spec: DeadlineSpec) -> Deadline:
    if actor is not None:
        policy.require(actor, Perm.CAMPAIGN_MANAGE, campaign.owner_unit)
    _check_levels(spec.name, spec.levels)
    deadline = Deadline(
        campaign=campaign,
        phase=campaign.phases.filter(name=spec.phase_name).first() if spec.phase_name else None,
        name=spec.name,
        due_on=spec.due_on,
        levels=list(spec.levels),
        basis=spec.basis,
    )
    deadline._history_user = actor
    deadline.save()
    return deadline
