"""Writes of 督查督办: inspections, their evidence, findings and what becomes of them.

Every write names its actor (a login; never None) and is checked through `supervision.rules`.
A finding moves through FINDING_MOVES; turning it into a ledger item or sending an item back goes
through huitoukan.ledgers.services, whose own checks apply to the same actor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.models import Item, Ledger, Source
from huitoukan.orgs import totals as unit_totals
from huitoukan.orgs.models import SupervisionGroup, Unit
from huitoukan.supervision import evidence, rules
from huitoukan.supervision.errors import SupervisionError, SupervisionErrorCode
from huitoukan.supervision.models import (
    Finding,
    FindingState,
    Inspection,
    InspectionEvidence,
    InspectionKind,
    InspectionState,
    LinkKind,
    Method,
    Severity,
)
from huitoukan.supervision.selectors import FINDINGS_TOPIC, SEALED_KEY, finding_key

E = SupervisionErrorCode
F = FindingState

# (state, action) -> next state of a finding. Linking (转为台账问题, 回炉) keeps the state.
FINDING_MOVES: dict[tuple[str, str], str] = {
    (F.AWAITING, "answer"): F.ANSWERED,
    (F.ANSWERED, "answer"): F.ANSWERED,  # the office may amend its answer until the finding is closed
    (F.AWAITING, "close"): F.CLOSED,
    (F.ANSWERED, "close"): F.CLOSED,
    (F.AWAITING, "link"): F.AWAITING,
    (F.ANSWERED, "link"): F.ANSWERED,
}
ACTION_LABELS = {"answer": "答复", "close": "办结", "link": "转为台账问题或回炉"}


def _save(obj, actor, **kwargs) -> None:
    obj._history_user = actor
    obj.save(**kwargs)


def _move(finding: Finding, action: str) -> None:
    after = FINDING_MOVES.get((finding.state, action))
    if after is None:
        raise SupervisionError(E.WRONG_STATE, state=finding.get_state_display(), action=ACTION_LABELS[action])
    unit_totals.work_counted(finding.unit, topic=FINDINGS_TOPIC, before=finding_key(finding),
                             after=finding_key(finding, after))
    finding.state = after


def _clean_inspection(*, actor, kind, title, ordering_unit: Unit, group: SupervisionGroup | None, team, units,
                      starts_on, ends_on, methods) -> tuple[list, list, list]:
    InspectionKind(kind)
    if not (title or "").strip():
        raise SupervisionError(E.TITLE_REQUIRED)
    units = list(units)
    if not units:
        raise SupervisionError(E.UNITS_REQUIRED)
    for unit in units:
        if not unit.path.startswith(ordering_unit.path):
            raise SupervisionError(E.UNIT_OUTSIDE, unit=unit.full_name, ordering=ordering_unit.full_name)
        # A 暗访's side is the office at the ordering unit: never the visited unit's own.
        if kind == InspectionKind.COVERT and unit.pk == ordering_unit.pk:
            raise SupervisionError(E.COVERT_OWN_UNIT, unit=unit.full_name)
    methods = list(dict.fromkeys(methods or []))
    for method in methods:
        if method not in Method.values:
            raise SupervisionError(E.METHOD_UNKNOWN, method=method)
    if ends_on is not None and ends_on < starts_on:
        raise SupervisionError(E.DATES)
    if group is not None and not ordering_unit.path.startswith(group.dispatched_by.path):
        raise SupervisionError(E.GROUP_OUTSIDE, group=group.name, ordering=ordering_unit.full_name)
    team = list(team)
    for member in team:
        policy.forget(member)
        for unit in units:
            if not policy.can(member, Perm.WORK_VIEW, unit):
                raise SupervisionError(E.MEMBER_CANNOT_READ, member=member.get_username(), unit=unit.full_name)
    return team, units, methods


UNCHANGED = object()  # an inspection's 解密日期 left as it is


def _seal_date(kind: str, sealed_until: dt.date | None, starts_on: dt.date) -> dt.date | None:
    if kind != InspectionKind.COVERT:
        return None
    if sealed_until is not None and sealed_until < starts_on:
        raise SupervisionError(E.SEAL_BEFORE_START)
    return sealed_until


@transaction.atomic
def inspection_create(*, actor, kind: str, title: str, ordering_unit: Unit, units: Iterable[Unit],
                      starts_on: dt.date, ends_on: dt.date | None = None, group: SupervisionGroup | None = None,
                      team: Iterable = (), methods: Iterable[str] = (), record: str = "",
                      sealed_until: dt.date | None = None, ordered_by=None) -> Inspection:
    """An office orders an inspection of units in its part of the tree (a 暗访 sealed until `sealed_until`,
    or until the office releases it). `ordered_by`: the office login that ordered it when another writes it
    (a spot check committed by the office and drawn by a member of its team: spotchecks.spotcheck_draw)."""
    ordered_by = ordered_by or actor
    policy.require(ordered_by, Perm.INSPECTION_ORDER, ordering_unit)
    if kind == InspectionKind.COVERT and not policy.holds_at(ordered_by, Perm.INSPECTION_ORDER, ordering_unit):
        raise SupervisionError(E.COVERT_BY_THE_OFFICE, unit=ordering_unit.full_name)
    team, units, methods = _clean_inspection(actor=actor, kind=kind, title=title, ordering_unit=ordering_unit,
                                             group=group, team=team, units=units, starts_on=starts_on,
                                             ends_on=ends_on, methods=methods)
    inspection = Inspection(kind=kind, title=title.strip(), ordering_unit=ordering_unit, group=group,
                            starts_on=starts_on, ends_on=ends_on, methods=methods, record=(record or "").strip(),
                            created_by=ordered_by, sealed_until=_seal_date(kind, sealed_until, starts_on))
    _save(inspection, actor)
    inspection.units.set(units)
    inspection.team.set(team)
    return inspection


def _locked(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update(of=("self",)).select_related("ordering_unit", "group").get(
        pk=inspection.pk)


@transaction.atomic
def inspection_update(*, actor, inspection: Inspection, kind: str, title: str, units: Iterable[Unit],
                      starts_on: dt.date, ends_on: dt.date | None = None, group: SupervisionGroup | None = None,
                      team: Iterable = (), methods: Iterable[str] = (), record: str = "",
                      state: str = InspectionState.PLANNED, sealed_until=UNCHANGED) -> Inspection:
    """The ordering office edits a planned or ongoing inspection (its record too). Its kind stays a 暗访 or not
    a 暗访 (sealing or unsealing what readers saw), and a 重点抽查 stays one (its draw names it); a 暗访's
    解密日期 changes only while it is sealed (`sealed_until` UNCHANGED: as it is)."""
    inspection = _locked(inspection)
    rules.raise_if(rules.order_refusal(actor, inspection))
    if inspection.state == InspectionState.DONE:
        raise SupervisionError(E.DONE)
    if state not in (InspectionState.PLANNED, InspectionState.ONGOING):  # 已完成 is inspection_complete's
        raise ValueError(state)
    if kind != inspection.kind and InspectionKind.COVERT in (kind, inspection.kind) \
            or kind != inspection.kind and inspection.kind == InspectionKind.SPOT_CHECK:
        raise SupervisionError(E.KIND_FIXED, kind=inspection.get_kind_display())
    team, units, methods = _clean_inspection(actor=actor, kind=kind, title=title,
                                             ordering_unit=inspection.ordering_unit, group=group, team=team,
                                             units=units, starts_on=starts_on, ends_on=ends_on, methods=methods)
    sealed_now = inspection.is_sealed(timezone.localdate())
    inspection.kind, inspection.title, inspection.group = kind, title.strip(), group
    inspection.starts_on, inspection.ends_on, inspection.methods = starts_on, ends_on, methods
    inspection.record, inspection.state = (record or "").strip(), state
    if sealed_now and sealed_until is not UNCHANGED:
        inspection.sealed_until = _seal_date(kind, sealed_until, starts_on)
    _save(inspection, actor)
    inspection.units.set(units)
    inspection.team.set(team)
    return inspection


@transaction.atomic
def inspection_complete(*, actor, inspection: Inspection, record: str | None = None) -> Inspection:
    """The inspection is done: its record is kept (a team member or the ordering office)."""
    inspection = _locked(inspection)
    rules.raise_if(rules.record_refusal(actor, inspection))
    if inspection.state == InspectionState.DONE:
        raise SupervisionError(E.DONE)
    if record is not None and record.strip():
        inspection.record = record.strip()
    inspection.state = InspectionState.DONE
    inspection.completed_by, inspection.completed_at = actor, timezone.now()
    _save(inspection, actor)
    return inspection


@transaction.atomic
def inspection_release(*, actor, inspection: Inspection, on: dt.date | None = None) -> Inspection:
    """发布暗访发现的问题: now (`on` None), or from a later date (解密日期). Only the ordering office itself;
    the record, team and media stay sealed for good."""
    inspection = _locked(inspection)
    rules.raise_if(rules.order_refusal(actor, inspection))
    if inspection.kind != InspectionKind.COVERT:
        raise SupervisionError(E.NOT_COVERT)
    if not inspection.is_sealed(timezone.localdate()):
        raise SupervisionError(E.ALREADY_RELEASED)
    if on is None:
        _released(inspection, actor)
    elif on <= timezone.localdate():
        raise SupervisionError(E.RELEASE_DATE_PAST)
    else:
        inspection.sealed_until = on
    _save(inspection, actor)
    return inspection


RELEASED_ANSWER_DAYS = 7  # the answer deadline a released finding without one gets


def _released(inspection: Inspection, actor) -> None:
    """The findings reach their units: counted by their state from now on, and given an answer deadline."""
    inspection.released_at, inspection.released_by = timezone.now(), actor
    findings = list(inspection.findings.select_related("unit"))
    unit_totals.work_counted_many([(f.unit, SEALED_KEY, f.state) for f in findings], topic=FINDINGS_TOPIC)
    due = timezone.localdate() + dt.timedelta(days=RELEASED_ANSWER_DAYS)
    for finding in findings:
        if finding.answer_due_on is None and finding.state != FindingState.CLOSED:
            finding.answer_due_on = due
            _save(finding, actor)


def covert_releases_due(*, today: dt.date | None = None) -> int:
    """The 暗访 whose 解密日期 has come are released (a daily task, `huitoukan covert-release`): their findings are
    already readable by date; this moves their counts and gives them answer deadlines. How many."""
    today = today or timezone.localdate()
    released = 0
    for pk in Inspection.objects.filter(kind=InspectionKind.COVERT, released_at__isnull=True,
                                        sealed_until__lte=today).values_list("pk", flat=True):
        with transaction.atomic():
            inspection = _locked(inspection=Inspection(pk=pk))
            if inspection.released_at is None:
                inspection._change_reason = "到解密日期自动发布"
                _released(inspection, None)
                _save(inspection, None)
                released += 1
    return released


def _evidence_rows(*, actor, files, inspection=None, finding=None) -> list[InspectionEvidence]:
    return InspectionEvidence.rows_of(evidence.evidence_store(files), actor=actor, inspection=inspection,
                                      finding=finding)


@transaction.atomic
def evidence_attach(*, actor, inspection: Inspection, files) -> list[InspectionEvidence]:
    """Photos, recordings, video, documents of an inspection (a team member or the ordering office)."""
    inspection = _locked(inspection)
    rules.raise_if(rules.record_refusal(actor, inspection))
    files = list(files)
    if not files:
        raise SupervisionError(E.FILE_REQUIRED)
    return _evidence_rows(actor=actor, files=files, inspection=inspection)


@transaction.atomic
def finding_record(*, actor, unit: Unit, description: str, inspection: Inspection | None = None,
                   item: Item | None = None, severity: str = Severity.GENERAL, answer_due_on: dt.date | None = None,
                   files=()) -> Finding:
    """What an inspection (or a check of one unit) found at `unit`, for the unit's office to answer."""
    if inspection is not None:
        inspection = _locked(inspection)
        rules.raise_if(rules.record_refusal(actor, inspection))
        if not any(unit.path.startswith(u.path) for u in inspection.units.all()):
            raise SupervisionError(E.UNIT_NOT_INSPECTED, unit=unit.full_name)
    else:
        rules.raise_if(rules.unit_record_refusal(actor, unit))
    Severity(severity)
    if not (description or "").strip():
        raise SupervisionError(E.DESCRIPTION_REQUIRED)
    if item is not None and item.ledger.unit_id != unit.pk:
        raise SupervisionError(E.ITEM_OTHER_UNIT, unit=unit.full_name)
    finding = Finding(unit=unit, inspection=inspection, item=item, description=description.strip(),
                      severity=severity, answer_due_on=answer_due_on, recorded_by=actor)
    _save(finding, actor)
    unit_totals.work_counted(unit, topic=FINDINGS_TOPIC, after=finding_key(finding))
    files = list(files)
    if files:
        _evidence_rows(actor=actor, files=files, finding=finding)
    return finding


def _locked_finding(finding: Finding) -> Finding:
    return (Finding.objects.select_for_update(of=("self",))
            .select_related("unit", "inspection__ordering_unit", "item__ledger__unit").get(pk=finding.pk))


@transaction.atomic
def finding_answer(*, actor, finding: Finding, answer: str) -> Finding:
    """The inspected unit's own office answers what was found."""
    finding = _locked_finding(finding)
    rules.raise_if(rules.answer_refusal(actor, finding))
    if not (answer or "").strip():
        raise SupervisionError(E.ANSWER_REQUIRED)
    _move(finding, "answer")
    finding.answer, finding.answered_by, finding.answered_at = answer.strip(), actor, timezone.now()
    _save(finding, actor)
    return finding


@transaction.atomic
def finding_close(*, actor, finding: Finding, note: str = "") -> Finding:
    """The inspection side closes the finding (办结)."""
    finding = _locked_finding(finding)
    rules.raise_if(rules.side_refusal(actor, finding))
    _move(finding, "close")
    finding.close_note, finding.closed_by, finding.closed_at = (note or "").strip(), actor, timezone.now()
    _save(finding, actor)
    return finding


def _linkable(actor, finding: Finding, action: str) -> None:
    _move(finding, "link")
    inspection = finding.inspection
    if rules.sealed(inspection):
        raise SupervisionError(E.SEALED, action=action)
    # The item's history names its actor: of a 暗访, the office, never the team.
    if not rules.speaks_for(actor, inspection):
        raise SupervisionError(E.COVERT_LINK_BY_OFFICE, action=action)
    if finding.linked_item_id is not None:
        raise SupervisionError(E.ALREADY_LINKED, action=action)


@transaction.atomic
def finding_to_item(*, actor, finding: Finding, ledger: Ledger, measures: str = "",
                    due_on: dt.date | None = None) -> Item:
    """转为台账问题: a new item of the unit's ledger, its source 上级和督导组点明, linked both ways.

    The item is written by huitoukan.ledgers.services.item_create as `actor`, whose own right to edit the
    ledger applies too (a 督导组 member points the problem out; the office puts it in the ledger)."""
    finding = _locked_finding(finding)
    rules.raise_if(rules.side_refusal(actor, finding))
    _linkable(actor, finding, "转为台账问题")
    if ledger.unit_id != finding.unit_id:
        raise SupervisionError(E.LEDGER_OTHER_UNIT, unit=finding.unit.full_name)
    fields = {"measures": (measures or "").strip(), "source": Source.HIGHER_LEVEL}
    if due_on is not None:
        fields.update(deadline_mode="date", due_on=due_on)
    item = ledger_services.item_create(actor=actor, ledger=ledger, problem=finding.description, **fields)
    finding.linked_item, finding.link_kind = item, LinkKind.CREATED
    _save(finding, actor)
    return item


@transaction.atomic
def finding_send_back(*, actor, finding: Finding, reason: str, item: Item | None = None,
                      due_on: dt.date | None = None) -> Item:
    """回炉: the item the finding is about (or `item` of the unit) is sent back, linked both ways; the
    item's history names the finding."""
    finding = _locked_finding(finding)
    rules.raise_if(rules.side_refusal(actor, finding))
    _linkable(actor, finding, "回炉")
    item = item or finding.item
    if item is None:
        raise SupervisionError(E.NO_ITEM)
    if item.ledger.unit_id != finding.unit_id:
        raise SupervisionError(E.ITEM_OTHER_UNIT, unit=finding.unit.full_name)
    if not (reason or "").strip():
        raise SupervisionError(E.REASON_REQUIRED)
    item = ledger_services.item_send_back(actor=actor, item=item, due_on=due_on,
                                          reason=f"督查发现的问题（编号 {finding.pk}）：{reason.strip()}")
    finding.linked_item, finding.link_kind = item, LinkKind.SENT_BACK
    if finding.item_id is None:
        finding.item = item
    _save(finding, actor)
    return item
