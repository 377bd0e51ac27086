"""Writes to plans, their 路线图 steps and 任务书 tasks. Reading needs WORK_VIEW over the plan's unit,
writing LEDGER_EDIT (the unit's office and filler, and the offices above); out of scope is 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns.models import Campaign
from huitoukan.orgs.models import Person, Unit
from huitoukan.plans import rules
from huitoukan.plans.errors import PlanError, PlanErrorCode
from huitoukan.plans.files import plan_file_store
from huitoukan.plans.models import Plan, PlanKind, PlanStep, PlanTask


def _check(actor, unit: Unit) -> None:
    """`actor` None is the command line (or a builder of test data): the operator's own authority."""
    if actor is not None:
        policy.require(actor, Perm.LEDGER_EDIT, unit)


def _save(obj, actor) -> None:
    obj._history_user = actor
    obj.save()


def _touch(plan: Plan, actor) -> None:
    """A change to a plan's parts is a change to the plan: who changed it last, and when."""
    plan.updated_by = actor
    _save(plan, actor)


def _title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise PlanError(PlanErrorCode.TITLE_REQUIRED)
    return title


@transaction.atomic
def plan_create(*, actor, unit: Unit, campaign: Campaign, kind: str, title: str, body: str = "") -> Plan:
    _check(actor, unit)
    if kind not in PlanKind.values:
        raise PlanError(PlanErrorCode.UNKNOWN_KIND, kind=kind)
    rules.check_campaign_applies(unit=unit, campaign=campaign)
    if Plan.objects.filter(unit=unit, campaign=campaign, kind=kind).exists():
        raise PlanError(PlanErrorCode.DUPLICATE_KIND, unit=unit.full_name, campaign=campaign.name,
                        kind=PlanKind(kind).label)
    plan = Plan(unit=unit, campaign=campaign, kind=kind, title=_title(title), body=rules.body_clean(body),
                created_by=actor, updated_by=actor)
    try:
        with transaction.atomic():
            _save(plan, actor)
    except IntegrityError:
        # Two writers at once: the other one made it first.
        raise PlanError(PlanErrorCode.DUPLICATE_KIND, unit=unit.full_name, campaign=campaign.name,
                        kind=PlanKind(kind).label) from None
    return plan


@transaction.atomic
def plan_update(*, actor, plan: Plan, title: str, body: str) -> Plan:
    _check(actor, plan.unit)
    plan.title, plan.body = _title(title), rules.body_clean(body)
    _touch(plan, actor)
    return plan


@transaction.atomic
def plan_link_items(*, actor, plan: Plan, items: Iterable) -> Plan:
    """The plan covers exactly `items` (ledgers.Item, with their ledger), all of its own unit and campaign."""
    _check(actor, plan.unit)
    items = list(items)
    rules.check_items_belong(plan=plan, items=items)
    plan._history_user = actor
    plan.items.set(items)
    _touch(plan, actor)
    return plan


@transaction.atomic
def plan_file_attach(*, actor, plan: Plan, upload) -> Plan:
    """Attach (or replace) the plan's Word or PDF file; the old file stays stored under its digest."""
    _check(actor, plan.unit)
    stored = plan_file_store(upload)
    plan.file_name, plan.file_sha256 = stored.name, stored.sha256
    plan.file_size, plan.file_content_type = stored.size, stored.content_type
    _touch(plan, actor)
    return plan


# --- 路线图 ---------------------------------------------------------------------------------------------


def _step_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise PlanError(PlanErrorCode.STEP_REQUIRED)
    return title


@transaction.atomic
def step_add(*, actor, plan: Plan, title: str, description: str = "", order: int | None = None) -> PlanStep:
    _check(actor, plan.unit)
    if order is None:
        order = (plan.steps.aggregate(m=Max("order"))["m"] or 0) + 1
    step = PlanStep(plan=plan, order=order, title=_step_title(title), description=(description or "").strip())
    _save(step, actor)
    _touch(plan, actor)
    return step


@transaction.atomic
def step_update(*, actor, step: PlanStep, title: str, description: str, order: int) -> PlanStep:
    _check(actor, step.plan.unit)
    step.title, step.description, step.order = _step_title(title), (description or "").strip(), order
    _save(step, actor)
    _touch(step.plan, actor)
    return step


@transaction.atomic
def step_delete(*, actor, step: PlanStep) -> None:
    _check(actor, step.plan.unit)
    step._history_user = actor
    step.delete()
    _touch(step.plan, actor)


# --- 任务书 ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskSpec:
    """A 任务书 row as a page, the API or an imported sheet gives it."""

    task: str
    lead: str = ""
    owner: Person | None = None
    owner_text: str = ""
    due_on: dt.date | None = None
    done: bool = False
    notes: str = ""


def _task_fields(plan: Plan, spec: TaskSpec) -> dict:
    task = (spec.task or "").strip()
    if not task:
        raise PlanError(PlanErrorCode.TASK_REQUIRED)
    rules.check_owner_belongs(plan=plan, owner=spec.owner)
    owner_text = (spec.owner_text or "").strip() or (spec.owner.name if spec.owner is not None else "")
    return {"task": task, "lead": (spec.lead or "").strip(), "owner": spec.owner, "owner_text": owner_text,
            "due_on": spec.due_on, "done": bool(spec.done), "notes": (spec.notes or "").strip()}


def _check_order_free(plan: Plan, order: int, *, task_pk=None) -> None:
    if plan.tasks.filter(order=order).exclude(pk=task_pk).exists():
        raise PlanError(PlanErrorCode.ORDER_TAKEN, order=order)


def task_fields_differ(task: PlanTask, plan: Plan, spec: TaskSpec) -> bool:
    """Would writing `spec` change the task? (A re-imported 任务书 changes nothing.)"""
    fields = _task_fields(plan, spec)
    return any(getattr(task, name) != value for name, value in fields.items())


@transaction.atomic
def task_add(*, actor, plan: Plan, spec: TaskSpec, order: int | None = None) -> PlanTask:
    _check(actor, plan.unit)
    fields = _task_fields(plan, spec)
    if order is None:
        order = (plan.tasks.aggregate(m=Max("order"))["m"] or 0) + 1
    _check_order_free(plan, order)
    task = PlanTask(plan=plan, order=order, **fields)
    try:
        with transaction.atomic():
            _save(task, actor)
    except IntegrityError:
        raise PlanError(PlanErrorCode.ORDER_TAKEN, order=order) from None
    _touch(plan, actor)
    return task


@transaction.atomic
def task_update(*, actor, task: PlanTask, spec: TaskSpec, order: int | None = None) -> PlanTask:
    plan = task.plan
    _check(actor, plan.unit)
    fields = _task_fields(plan, spec)
    if order is not None and order != task.order:
        _check_order_free(plan, order, task_pk=task.pk)
        task.order = order
    for name, value in fields.items():
        setattr(task, name, value)
    _save(task, actor)
    _touch(plan, actor)
    return task


@transaction.atomic
def task_delete(*, actor, task: PlanTask) -> None:
    _check(actor, task.plan.unit)
    # An evaluated task keeps its 评估验收 (huitoukan.assessments, above): deleting it would erase a 不合格.
    if getattr(task, "acceptances", None) is not None and task.acceptances.exists():
        raise PlanError(PlanErrorCode.TASK_EVALUATED, task=task.task[:30])
    task._history_user = actor
    task.delete()
    _touch(task.plan, actor)
