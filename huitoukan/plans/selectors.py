"""Reads of plans: scoped gets, a unit's four documents, the 时间表, and the canonical snapshot."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core import timeline as history_timeline
from huitoukan.ledgers.models import Item
from huitoukan.plans import rules
from huitoukan.plans.models import Plan, PlanKind, PlanStep, PlanTask

SNAPSHOT_VERSION = 1


def _plans() -> QuerySet[Plan]:
    return Plan.objects.select_related("unit", "campaign__owner_unit")


def _with_children(qs: QuerySet[Plan]) -> QuerySet[Plan]:
    return qs.prefetch_related(
        Prefetch("steps", queryset=PlanStep.objects.order_by("order", "id")),
        Prefetch("tasks", queryset=PlanTask.objects.select_related("owner").order_by("order", "id")),
        Prefetch("items", queryset=Item.objects.select_related("ledger").order_by("ledger_id", "seq", "id")),
    )


def plan_get_for(*, user, pk, perm: Perm = Perm.WORK_VIEW, children: bool = False) -> Plan:
    """The plan, or 404 when absent or out of the reader's scope (the same answer); 403 in scope without `perm`."""
    qs = _with_children(_plans()) if children else _plans()
    try:
        plan = qs.get(pk=pk)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    policy.require(user, perm, plan.unit)
    return plan


def task_get_for(*, user, pk, perm: Perm = Perm.WORK_VIEW) -> PlanTask:
    try:
        task = PlanTask.objects.select_related("plan__unit", "plan__campaign", "owner").get(pk=pk)
    except (PlanTask.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    policy.require(user, perm, task.plan.unit)
    return task


def step_get_for(*, user, pk, perm: Perm = Perm.WORK_VIEW) -> PlanStep:
    try:
        step = PlanStep.objects.select_related("plan__unit", "plan__campaign").get(pk=pk)
    except (PlanStep.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    policy.require(user, perm, step.plan.unit)
    return step


def plans_visible_to(*, user, unit=None, campaign=None) -> QuerySet[Plan]:
    """The plans of the units the reader sees (WORK_VIEW), filtered by unit and campaign."""
    qs = _plans().filter(policy.units_q(user, Perm.WORK_VIEW, "unit__path"))
    if unit is not None:
        qs = qs.filter(unit=unit)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.order_by("unit__path", "campaign_id", "kind", "id")


def plans_for(unit, campaign) -> list[Plan]:
    """The unit's plans in the campaign with their steps, tasks (and owners) and items: a fixed number of queries."""
    return list(_with_children(_plans().filter(unit=unit, campaign=campaign)).order_by("kind", "id"))


@dataclass(frozen=True)
class KindSlot:
    """One of the four documents on the unit's page: the plan if written, else a place for 新建."""

    kind: PlanKind
    plan: Plan | None


def plan_slots(plans: list[Plan]) -> list[KindSlot]:
    by_kind = {p.kind: p for p in plans}
    return [KindSlot(kind, by_kind.get(kind.value)) for kind in PlanKind]


def timeline(plan: Plan) -> list[PlanTask]:
    """The 时间表: the plan's tasks by due date (undated last), then by 序号 (prefetched tasks are used)."""
    return sorted(plan.tasks.all(), key=lambda t: (t.due_on is None, t.due_on or 0, t.order, t.pk))


def linkable_items(plan: Plan) -> QuerySet[Item]:
    """The ledger items the plan may cover: those of its unit in its campaign (rules.check_items_belong)."""
    return (Item.objects.filter(ledger__unit_id=plan.unit_id, ledger__campaign_id=plan.campaign_id)
            .select_related("ledger").order_by("ledger__kind", "ledger_id", "seq", "id"))


def items_named_for(*, user, plan: Plan, ids) -> list[Item]:
    """The items a request names for the plan: 404 if any is absent or out of the reader's scope (like an id in
    a URL); those in scope but of another unit or campaign are returned, for the rule to refuse them by name."""
    keys = {int(i) for i in ids if str(i).isdigit()}
    if len(keys) != len(set(map(str, ids))):
        raise Http404
    items = list(Item.objects.filter(pk__in=keys).filter(policy.units_q(user, Perm.WORK_VIEW, "ledger__unit__path"))
                 .select_related("ledger").order_by("pk"))
    if len(items) != len(keys):
        raise Http404
    return items


def plan_snapshot(plan: Plan) -> dict:
    """The plan as a canonical, JSON-serialisable dict, to freeze into a submitted package and diff versions.

    Only what the plan says, in a stable order: the same plan gives the same dict (and so the same
    JSON with sort_keys) whatever order rows were written in or read back. Dates are ISO strings.
    Pass a plan from plans_for / plan_get_for(children=True) to read no more rows.
    """
    steps = sorted(plan.steps.all(), key=lambda s: (s.order, s.pk))
    tasks = sorted(plan.tasks.all(), key=lambda t: (t.order, t.pk))
    return {
        "version": SNAPSHOT_VERSION,
        "id": plan.pk,
        "unit_id": plan.unit_id,
        "campaign_id": plan.campaign_id,
        "kind": plan.kind,
        "kind_label": str(PlanKind(plan.kind).label),
        "title": plan.title,
        "body_html": plan.body,
        "body_text": rules.body_text(plan.body),
        "file": ({"name": plan.file_name, "sha256": plan.file_sha256, "size": plan.file_size}
                 if plan.file_sha256 else None),
        "steps": [{"id": s.pk, "order": s.order, "title": s.title, "description": s.description} for s in steps],
        "tasks": [{
            "id": t.pk, "order": t.order, "task": t.task, "lead": t.lead, "owner_id": t.owner_id,
            "owner": t.owner_label, "due_on": t.due_on.isoformat() if t.due_on else None, "done": t.done,
            "notes": t.notes,
        } for t in tasks],
        "item_ids": sorted(item.pk for item in plan.items.all()),
    }


def plan_history(plan: Plan) -> list:
    """The changes of the plan, its steps and its tasks, newest first, with who made them."""
    return history_timeline.entries(Plan.history.filter(id=plan.pk), PlanStep.history.filter(plan_id=plan.pk),
                            PlanTask.history.filter(plan_id=plan.pk), hidden=frozenset({"file_sha256"}))
