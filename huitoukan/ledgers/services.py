"""Writes to ledgers: items, progress, evidence, closing (销号), sending back (回炉), relapse (反弹).

`actor` None is the command line (imports, the demo), which runs with the operator's rights.
Every change leaves a history row (items) or is itself an appended row (progress, events).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core import hooks
from huitoukan.ledgers import chain, selectors, totals, workflow
from huitoukan.ledgers.errors import LedgerError, LedgerErrorCode
from huitoukan.ledgers.evidence import StoredFile, evidence_store
from huitoukan.ledgers.layouts import LAYOUTS, LedgerKind
from huitoukan.ledgers.models import (
    OPEN_STATUSES,
    STATUS_ONLY_CHANGE_REASON,
    ClosingRequest,
    ClosingState,
    DeadlineMode,
    Evidence,
    Item,
    ItemEvent,
    ItemEventKind,
    ItemStatus,
    Ledger,
    ProgressEntry,
    SpecialTask,
    Subject,
    TaskTier,
)
from huitoukan.ledgers.workflow import Action
from huitoukan.orgs.models import Person, Unit

ITEM_FIELDS = frozenset({
    "problem", "measures", "four_winds", "subject", "problem_level", "handling", "source", "deadline_mode",
    "due_on", "review_on", "special_task", "category", "institution_action",
})


def _check(actor, perm: Perm, unit: Unit) -> None:
    if actor is not None:
        policy.require(actor, perm, unit)


def _event(item: Item, kind: ItemEventKind, actor, before: str, note: str = "") -> ItemEvent:
    return ItemEvent.objects.create(item=item, kind=kind, actor=actor, status_before=before,
                                    status_after=item.status, note=note)


def _save_item(item: Item, actor, reason: str) -> None:
    stored = Item.objects.values("status", "four_winds", "due_on", "deadline_mode").get(pk=item.pk)
    mode = stored.pop("deadline_mode")
    item._history_user = actor
    item._change_reason = reason
    item.save()
    chain.seal_item(item)
    totals.record([(item, totals.key_of(item, **stored), totals.key_of(item))])
    if ((stored["status"] in OPEN_STATUSES) != (item.status in OPEN_STATUSES) or stored["due_on"] != item.due_on
            or mode != item.deadline_mode):  # closed, reopened or a new 整改时限: what 逾期 rests on
        hooks.units_changed(hooks.ITEMS_CHANGED, [item.ledger.unit_id], item.ledger.campaign_id)


@transaction.atomic
def ledger_open(*, actor, campaign, unit: Unit, kind: str, person: Person | None = None) -> Ledger:
    """The ledger of (campaign, unit, kind), or of (campaign, person) for 党员领导干部; made if absent."""
    kind = LedgerKind(kind)
    if kind == LedgerKind.PERSONAL:
        if person is None:
            raise LedgerError(LedgerErrorCode.PERSON_LEDGER_NEEDS_PERSON)
        unit = person.unit
    else:
        person = None
    _check(actor, Perm.LEDGER_EDIT, unit)
    lookup = {"campaign": campaign, "person": person} if person else {"campaign": campaign, "unit": unit,
                                                                      "kind": kind, "person": None}
    ledger = Ledger.objects.filter(**lookup).first()
    if ledger is None:
        ledger = Ledger(campaign=campaign, unit=unit, kind=kind, person=person)
        ledger._history_user = actor
        ledger.save()
        totals.ledger_opened(ledger)
    return ledger


def _validate_deadline(fields: dict) -> None:
    mode = fields.get("deadline_mode", DeadlineMode.NONE)
    if mode == DeadlineMode.DATE and not fields.get("due_on"):
        raise LedgerError(LedgerErrorCode.DEADLINE_DATE_REQUIRED)
    if mode != DeadlineMode.DATE and fields.get("due_on"):
        raise LedgerError(LedgerErrorCode.DEADLINE_DATE_FORBIDDEN, mode=DeadlineMode(mode).label)


def _validate_people_and_units(ledger: Ledger, lead_leaders: Iterable[Person], responsible_units: Iterable[Unit]):
    base = ledger.unit
    for person in lead_leaders:
        if not person.unit.path.startswith(base.path):
            raise LedgerError(LedgerErrorCode.PERSON_OUTSIDE_UNIT, person=person.name, unit=base.full_name)
    for unit in responsible_units:
        if not unit.path.startswith(base.path):
            raise LedgerError(LedgerErrorCode.UNIT_OUTSIDE_SCOPE, unit=unit.full_name, ledger_unit=base.full_name)


def _validate_kind_fields(ledger: Ledger, fields: dict) -> None:
    kind = ledger.kind
    if fields.get("special_task") is not None and kind != LedgerKind.SPECIAL:
        raise LedgerError(LedgerErrorCode.WRONG_KIND_FIELD, field="专项整治任务", kind=LAYOUTS[LedgerKind.SPECIAL].title)
    if (fields.get("category") or fields.get("institution_action")) and kind != LedgerKind.INSTITUTION:
        raise LedgerError(LedgerErrorCode.WRONG_KIND_FIELD, field="类别/废改立",
                          kind=LAYOUTS[LedgerKind.INSTITUTION].title)
    task = fields.get("special_task")
    if task is not None and task.tier in (TaskTier.CITY, TaskTier.OWN):
        if task.owner_unit is None or not ledger.unit.path.startswith(task.owner_unit.path):
            raise LedgerError(LedgerErrorCode.SPECIAL_TASK_OUT_OF_TIER, task=task.name)
    if not (fields.get("problem") or "").strip():
        problem_heading = next(c.heading for c in LAYOUTS[kind].columns if c.key == "problem")
        raise LedgerError(LedgerErrorCode.PROBLEM_REQUIRED, column=problem_heading)


@transaction.atomic
def item_create(
    *,
    actor,
    ledger: Ledger,
    problem: str,
    lead_leaders: Iterable[Person] = (),
    responsible_units: Iterable[Unit] = (),
    seq: int | None = None,
    **fields,
) -> Item:
    """One new item: the bulk creation of one row."""
    unknown = set(fields) - ITEM_FIELDS
    if unknown:
        raise TypeError(f"item_create() got unexpected fields {sorted(unknown)}")
    row = NewItem(seq=seq, problem=problem, fields=fields, lead_leaders=list(lead_leaders),
                  responsible_units=list(responsible_units))
    return items_create_bulk(actor=actor, ledger=ledger, rows=[row])[0]


@dataclass
class NewItem:
    """One row of a creation: the item's fields and, if given, its first progress (or plan)."""

    seq: int | None  # None: after the ledger's last
    problem: str
    fields: dict
    lead_leaders: list[Person]
    responsible_units: list[Unit]
    progress: dict | None = None  # progress_add's text fields: progress, next_steps, strict_execution
    progress_leader: Person | None = None
    reported_on: dt.date | None = None


@transaction.atomic
def items_create_bulk(*, actor, ledger: Ledger, rows: list[NewItem]) -> list[Item]:
    """Create one or many items, with their first progress, in a fixed number of queries.

    Each row's rules are checked before anything is written; a refused row raises with
    `row_index` set. History is one creation record per item with its leaders and units; the
    first progress goes through progress_add_bulk, the one path of every report.
    """
    _check(actor, Perm.LEDGER_EDIT, ledger.unit)
    ledger = Ledger.objects.select_for_update(of=("self",)).select_related("unit", "person__unit").get(pk=ledger.pk)
    people = {p.pk: p for p in Person.objects.filter(
        pk__in={p.pk for r in rows for p in r.lead_leaders}).select_related("unit")}
    next_seq = (ledger.items.aggregate(m=Max("seq"))["m"] or 0) + 1
    items: list[Item] = []
    for index, row in enumerate(rows):
        try:
            items.append(_bulk_item(ledger, row, people))
        except LedgerError as e:
            e.row_index = index  # which row of `rows` was refused, for the caller's message
            raise
        if items[-1].seq is None:
            items[-1].seq = next_seq
        next_seq = max(next_seq, items[-1].seq + 1)
    bulk_create_with_history(items, Item, default_user=actor, default_change_reason="列入台账", batch_size=500)
    if any(item.pk is None for item in items):  # databases that return no ids from a bulk insert
        by_seq = dict(Item.objects.filter(ledger=ledger, seq__in=[i.seq for i in items]).values_list("seq", "pk"))
        for item in items:
            item.pk = item.id = by_seq[item.seq]
    _bulk_m2m_with_history(items, rows)
    for item in items:
        item.ledger = ledger
    totals.record([(item, None, totals.key_of(item)) for item in items])
    ItemEvent.objects.bulk_create(
        [ItemEvent(item=item, kind=ItemEventKind.CREATED, actor=actor, status_after=item.status) for item in items],
        batch_size=500,
    )
    chain.seal_created(items)
    reports = [(index, NewProgress(
        item=item, leader=row.progress_leader, reported_on=row.reported_on, progress=row.progress["progress"],
        next_steps=row.progress.get("next_steps", ""), strict_execution=row.progress.get("strict_execution", ""),
    )) for index, (item, row) in enumerate(zip(items, rows, strict=True)) if row.progress is not None]
    try:
        entries = progress_add_bulk(actor=actor, entries=[report for _, report in reports], note="导入，")
    except LedgerError as e:
        e.row_index = reports[getattr(e, "row_index", 0)][0]
        raise
    status_of = {entry.item_id: entry.status_after for entry in entries}
    for item in items:
        item.status = status_of.get(item.pk, item.status)
    if any(item.deadline_mode == DeadlineMode.DATE for item in items):  # an open dated item: maybe 逾期 already
        hooks.units_changed(hooks.ITEMS_CHANGED, [ledger.unit_id], ledger.campaign_id)
    return items


def _bulk_item(ledger: Ledger, row: NewItem, people: dict) -> Item:
    """Validate one row of items_create_bulk and build its item (not saved)."""
    fields = dict(row.fields)
    fields["problem"] = row.problem.strip()
    fields.setdefault("deadline_mode", DeadlineMode.NONE)
    if ledger.kind == LedgerKind.LEADERSHIP:
        fields.setdefault("subject", Subject.TEAM)
    elif ledger.kind == LedgerKind.PERSONAL:
        fields.setdefault("subject", Subject.INDIVIDUAL)
        row.lead_leaders = row.lead_leaders or [ledger.person]
    if fields.get("special_task") is not None and not fields["problem"]:
        fields["problem"] = fields["special_task"].name  # 附件3: the task is the 项目
    row.lead_leaders = [people.get(p.pk, p) for p in row.lead_leaders]
    _validate_kind_fields(ledger, fields)
    _validate_deadline(fields)
    _validate_people_and_units(ledger, row.lead_leaders, row.responsible_units)
    if row.progress is not None:
        leader = row.progress_leader or (row.lead_leaders[0] if row.lead_leaders else None)
        if leader is None or leader.pk not in {p.pk for p in row.lead_leaders}:
            raise LedgerError(LedgerErrorCode.LEADER_NOT_OF_ITEM, person=getattr(leader, "name", "—"))
        row.progress_leader = leader
    return Item(ledger=ledger, seq=row.seq, status=ItemStatus.NOT_STARTED, **fields)


def _bulk_m2m_with_history(items: list[Item], rows: list[NewItem]) -> None:
    """Leaders and units of new items, and the matching m2m snapshots of their creation records."""
    history = {h.id: h for h in Item.history.filter(id__in=[i.pk for i in items], history_type="+")}
    for field_name, target, values_of in (
        ("lead_leaders", "person", lambda r: r.lead_leaders),
        ("responsible_units", "unit", lambda r: r.responsible_units),
    ):
        through = getattr(Item, field_name).through
        links = [through(item_id=item.pk, **{f"{target}_id": obj.pk})
                 for item, row in zip(items, rows, strict=True) for obj in values_of(row)]
        through.objects.bulk_create(links, batch_size=1000)
        if any(link.pk is None for link in links):
            links = list(through.objects.filter(item_id__in=[i.pk for i in items]))
        snapshot_model = Item.history.model._meta.get_field(f"historicalitem_{field_name}").related_model
        snapshot_model.objects.bulk_create(
            [snapshot_model(id=link.pk, item_id=link.item_id, history=history[link.item_id],
                            **{f"{target}_id": getattr(link, f"{target}_id")}) for link in links],
            batch_size=1000,
        )


@transaction.atomic
def item_update(
    *,
    actor,
    item: Item,
    lead_leaders: Iterable[Person] | None = None,
    responsible_units: Iterable[Unit] | None = None,
    **changes,
) -> Item:
    """Change the listed fields (the problem list's columns). Progress is never edited here."""
    unknown = set(changes) - ITEM_FIELDS - {"seq"}
    if unknown:
        raise TypeError(f"item_update() got unexpected fields {sorted(unknown)}")
    item = _locked_item(item)
    workflow.check(actor, Action.EDIT, workflow.ItemSubject.of(item, pending=None, has_progress=True))
    merged = {f: getattr(item, f) for f in ITEM_FIELDS} | changes
    if "problem" in changes:
        merged["problem"] = changes["problem"].strip()
    _validate_kind_fields(item.ledger, merged)
    _validate_deadline(merged)
    leaders = list(lead_leaders) if lead_leaders is not None else list(item.lead_leaders.all())
    units = list(responsible_units) if responsible_units is not None else list(item.responsible_units.all())
    _validate_people_and_units(item.ledger, leaders, units)
    for field, value in changes.items():
        setattr(item, field, merged.get(field, value))
    _save_item(item, actor, "修改")
    if lead_leaders is not None:
        item.lead_leaders.set(leaders)
    if responsible_units is not None:
        item.responsible_units.set(units)
    _event(item, ItemEventKind.UPDATED, actor, item.status)
    return item


def _store_evidence(*, item: Item, files, actor, progress_entry=None, closing_request=None) -> list[Evidence]:
    return _evidence_rows(item=item, stored=evidence_store(files), actor=actor, progress_entry=progress_entry,
                          closing_request=closing_request)


def _evidence_rows(*, item: Item, stored: list[StoredFile], actor, progress_entry=None,
                   closing_request=None) -> list[Evidence]:
    return [
        Evidence.objects.create(
            item=item, progress_entry=progress_entry, closing_request=closing_request, sha256=f.sha256,
            original_name=f.original_name, size=f.size, content_type=f.content_type, uploaded_by=actor,
        )
        for f in stored
    ]


def _locked_item(item: Item) -> Item:
    return Item.objects.select_for_update(of=("self",)).select_related("ledger__unit").get(pk=item.pk)


def _acting_leader(*, actor, leader_ids: frozenset[int], leader: Person | None) -> tuple[Person, bool]:
    """Who the entry is from, and whether the office wrote it on their behalf (代填).

    The workflow's guard has already let `actor` report on the item: as a lead leader, or as
    the office holding LEDGER_EDIT (then `leader` names the lead leader it writes for).
    """
    own = policy.persons_of(actor) & leader_ids if actor is not None else set()
    if leader is None and own:
        return Person.objects.get(pk=min(own)), False
    if leader is not None and leader.pk in own:
        return leader, False
    if leader is None:
        raise LedgerError(LedgerErrorCode.LEADER_REQUIRED)
    if leader.pk not in leader_ids:
        raise LedgerError(LedgerErrorCode.LEADER_NOT_OF_ITEM, person=leader.name)
    return leader, True


@dataclass
class NewProgress:
    """One progress report: by a lead leader, or by the office for one (代填, `leader` given)."""

    item: Item
    progress: str
    leader: Person | None = None
    next_steps: str = ""
    strict_execution: str = ""
    reported_on: dt.date | None = None
    status_after: str | None = None
    files: tuple = ()


@transaction.atomic
def progress_add(*, actor, item: Item, progress: str, next_steps: str = "", strict_execution: str = "",
                 reported_on: dt.date | None = None, status_after: str | None = None,
                 leader: Person | None = None, files=()) -> ProgressEntry:
    """A lead leader's dated report on the item; the office may write it for them, marked 代填."""
    return progress_add_bulk(actor=actor, entries=[NewProgress(
        item=item, progress=progress, leader=leader, next_steps=next_steps, strict_execution=strict_execution,
        reported_on=reported_on, status_after=status_after, files=tuple(files),
    )])[0]


@transaction.atomic
def progress_add_bulk(*, actor, entries: list[NewProgress], note: str = "") -> list[ProgressEntry]:
    """Progress reports on one or many items in a fixed number of queries (a single report is a bulk of one).

    Each entry passes the workflow's PROGRESS guard and table; a refused entry raises with
    `row_index` set to its position. `note` marks where the entries came from (an import).
    """
    if not entries:
        return []
    items = {i.pk: i for i in Item.objects.select_for_update(of=("self",)).select_related("ledger__unit").filter(
        pk__in={e.item.pk for e in entries})}
    leads = selectors.item_leads(items)
    reported = set(ProgressEntry.objects.filter(item_id__in=items).exclude(progress="").values_list(
        "item_id", flat=True))
    today = timezone.localdate()
    rows, events, changed = [], [], {}
    for index, entry in enumerate(entries):
        item = items[entry.item.pk]
        lead = leads.get(item.pk, selectors.NO_LEAD)
        leader_ids = lead.leader_ids
        # Only 后段工作措施 (or 严格制度执行情况) and no 整改落实情况: a plan before the work started,
        # which leaves the item as it is (未启动); once there is progress, a report must say it.
        action = Action.PROGRESS if entry.progress.strip() else Action.PLAN
        try:
            if action == Action.PLAN and not (entry.next_steps.strip() or entry.strict_execution.strip()):
                raise LedgerError(LedgerErrorCode.PROGRESS_OR_PLAN_REQUIRED)
            subject = workflow.ItemSubject(item, leader_ids, None, item.pk in reported, lead.lead_unit)
            workflow.check(actor, action, subject)
            leader, by_office = _acting_leader(actor=actor, leader_ids=leader_ids, leader=entry.leader)
            if entry.reported_on is not None and entry.reported_on > today:
                raise LedgerError(LedgerErrorCode.REPORTED_IN_FUTURE, date=entry.reported_on.isoformat())
            before, after = workflow.item_apply(item, action, entry.status_after)
        except LedgerError as e:
            e.row_index = index
            raise
        if after != before:
            changed.setdefault(item.pk, (item, before))
        if action == Action.PROGRESS:
            reported.add(item.pk)
        rows.append(ProgressEntry(
            item=item, reported_on=entry.reported_on or today, progress=entry.progress.strip(),
            next_steps=entry.next_steps.strip(), strict_execution=entry.strict_execution.strip(),
            status_after=after, leader=leader, by_office=by_office, author=actor,
        ))
        who = f"{leader.name}（{note}活动办代填）" if by_office else leader.name
        events.append(ItemEvent(item=item, kind=ItemEventKind.PROGRESS, actor=actor, status_before=before,
                                status_after=after, note=who))
    # Every entry's files are checked before any is stored: one refused file keeps none of them.
    stored = iter(evidence_store([upload for entry in entries for upload in entry.files]))
    created = ProgressEntry.objects.bulk_create(rows, batch_size=500)
    if any(row.pk is None for row in created):  # databases that return no ids from a bulk insert
        created = list(ProgressEntry.objects.filter(item_id__in=items).order_by("-id")[:len(rows)])[::-1]
    if any(entry.files for entry in entries):
        for entry, row in zip(entries, created, strict=True):
            _evidence_rows(item=row.item, stored=list(islice(stored, len(entry.files))), actor=actor,
                           progress_entry=row)
    if changed:
        bulk_update_with_history([item for item, _ in changed.values()], Item, ["status"], default_user=actor,
                                 default_change_reason=STATUS_ONLY_CHANGE_REASON, batch_size=500)
        totals.record([(item, totals.key_of(item, status=first), totals.key_of(item))
                       for item, first in changed.values()])
    chain.seal_progress(created, items, any(entry.files for entry in entries))
    ItemEvent.objects.bulk_create(events, batch_size=500)
    return created


@transaction.atomic
def evidence_add(*, actor, item: Item, files) -> list[Evidence]:
    """Evidence without a progress entry: a lead leader, or the office, attaches files to the item."""
    item = _locked_item(item)
    workflow.check(actor, Action.EVIDENCE, workflow.ItemSubject.of(item))
    rows = _store_evidence(item=item, files=files, actor=actor)
    chain.seal_evidence(item, rows)
    return rows


@transaction.atomic
def closing_request(*, actor, item: Item, summary: str, files=()) -> ClosingRequest:
    """A lead leader asks to close (销号) the item, with evidence."""
    item = _locked_item(item)
    workflow.check(actor, Action.REQUEST_CLOSE, workflow.ItemSubject.of(item))
    files = list(files)
    # Evidence must postdate the latest reopening (回炉/反弹): the old proof did not hold.
    reopened_at = item.events.filter(kind__in=[ItemEventKind.SENT_BACK, ItemEventKind.RELAPSED]).order_by(
        "-at").values_list("at", flat=True).first()
    fresh_evidence = item.evidence.filter(uploaded_at__gt=reopened_at) if reopened_at else item.evidence.all()
    if not files and not fresh_evidence.exists():
        raise LedgerError(LedgerErrorCode.EVIDENCE_REQUIRED)
    if not summary.strip():
        raise LedgerError(LedgerErrorCode.REASON_REQUIRED)
    request = ClosingRequest.objects.create(item=item, summary=summary.strip(), requested_by=actor)
    totals.closing_counted(item, 1)
    chain.seal_closing(item, request, _store_evidence(item=item, files=files, actor=actor, closing_request=request))
    _event(item, ItemEventKind.CLOSE_REQUESTED, actor, item.status, note=summary.strip())
    return request


def _closing_decided(request: ClosingRequest, action: Action, item: Item) -> None:
    """The request (of `item`) leaves 待核验 through the workflow table, and stops counting in the kept totals."""
    workflow.closing_apply(request, action)
    totals.closing_counted(item, -1)


def _decide(actor, request: ClosingRequest, action: Action, note: str) -> Item:
    """核验 or 退回 a closing request: the request and its item move through the workflow together."""
    request = ClosingRequest.objects.select_for_update().select_related("requested_by").get(pk=request.pk)
    item = _locked_item(request.item)
    workflow.check(actor, action, workflow.ItemSubject.of(item, pending=request))
    if action == Action.RETURN_CLOSE and not note:
        raise LedgerError(LedgerErrorCode.REASON_REQUIRED)
    _closing_decided(request, action, item)
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save()
    before, after = workflow.item_apply(item, action)
    if action == Action.VERIFY_CLOSE:
        item.closed_on = timezone.localdate()
        _save_item(item, actor, "核验销号")
        _event(item, ItemEventKind.CLOSED, actor, before, note=note)
    else:
        _event(item, ItemEventKind.CLOSE_RETURNED, actor, before, note=note)
    chain.seal_decisions(item, [request])
    return item


@transaction.atomic
def closing_verify(*, actor, request: ClosingRequest, note: str = "") -> Item:
    """Someone other than the requester and the lead leaders, with the right role, closes the item."""
    return _decide(actor, request, Action.VERIFY_CLOSE, note.strip())


@transaction.atomic
def closing_return(*, actor, request: ClosingRequest, reason: str) -> Item:
    return _decide(actor, request, Action.RETURN_CLOSE, reason.strip())


@transaction.atomic
def item_send_back(*, actor, item: Item, reason: str, due_on: dt.date | None = None) -> Item:
    """回炉/补课: the item is reopened with a reason (and a new deadline when one is given)."""
    item = _locked_item(item)
    workflow.check(actor, Action.SEND_BACK, workflow.ItemSubject.of(item))
    if not reason.strip():
        raise LedgerError(LedgerErrorCode.REASON_REQUIRED)
    voided = list(item.closing_requests.select_for_update().filter(state=ClosingState.PENDING))
    for pending in voided:
        _closing_decided(pending, Action.SEND_BACK, item)
        pending.decided_by, pending.decided_at = actor, timezone.now()
        pending.decision_note = f"事项回炉，申请作废：{reason.strip()}"
        pending.save()
    chain.seal_decisions(item, voided)
    before, _after = workflow.item_apply(item, Action.SEND_BACK)
    item.closed_on = None
    if due_on is not None:
        item.deadline_mode, item.due_on = DeadlineMode.DATE, due_on
    _save_item(item, actor, f"回炉：{reason.strip()}")
    _event(item, ItemEventKind.SENT_BACK, actor, before, note=reason.strip())
    return item


@transaction.atomic
def item_relapse(*, actor, item: Item, reason: str) -> Item:
    """反弹: a closed item whose problem came back is reopened; only with a reason."""
    item = _locked_item(item)
    workflow.check(actor, Action.RELAPSE, workflow.ItemSubject.of(item))
    if not reason.strip():
        raise LedgerError(LedgerErrorCode.REASON_REQUIRED)
    before, _after = workflow.item_apply(item, Action.RELAPSE)
    item.closed_on = None
    _save_item(item, actor, f"反弹：{reason.strip()}")
    _event(item, ItemEventKind.RELAPSED, actor, before, note=reason.strip())
    return item


@transaction.atomic
def special_task_create(*, actor, tier: str, name: str, order: int, owner_unit: Unit | None = None,
                        basis: str = "") -> SpecialTask:
    if owner_unit is not None:
        _check(actor, Perm.LEDGER_EDIT, owner_unit)
    elif actor is not None:
        policy.require(actor, Perm.LEDGER_EDIT, None)  # central and provincial tiers: command line only
    task = SpecialTask(tier=tier, name=name.strip(), order=order, owner_unit=owner_unit, basis=basis)
    task._history_user = actor
    task.save()
    return task
