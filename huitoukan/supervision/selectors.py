"""Reads of 督查督办: scoped lists and objects (404 outside the reader's scope), a group member's work list,
and a finding with its chain finding → item → progress → 销号 in a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from huitoukan.access import policy
from huitoukan.access.models import Role
from huitoukan.access.policy import Perm
from huitoukan.audit.models import SecurityEventKind
from huitoukan.audit.services import security_event_record
from huitoukan.core import sql
from huitoukan.ledgers import selectors as ledger_selectors
from huitoukan.ledgers.models import ClosingRequest, Ledger, ProgressEntry
from huitoukan.orgs import totals as unit_totals
from huitoukan.orgs.models import Unit
from huitoukan.supervision import rules
from huitoukan.supervision.models import (
    Finding,
    FindingState,
    Inspection,
    InspectionKind,
    InspectionState,
)

OPEN_FINDINGS = (FindingState.AWAITING, FindingState.ANSWERED)
FINDINGS_TOPIC = "finding"  # the findings' kept counts (orgs.WorkTally), keyed by state
SEALED_KEY = "sealed"  # … and a 暗访's findings until released: counted, never shown


def counts_sealed(inspection) -> bool:
    """A 暗访 not released yet (by decision, or by `covert_releases_due` once its 解密日期 came): its findings
    count under SEALED_KEY, which no roll-up shows."""
    return inspection is not None and inspection.kind == InspectionKind.COVERT and inspection.released_at is None


def finding_key(finding, state: str | None = None) -> str:
    return SEALED_KEY if counts_sealed(finding.inspection) else (state or finding.state)


def inspections_for(*, user) -> QuerySet[Inspection]:
    return (Inspection.objects.filter(pk__in=Inspection.objects.filter(rules.inspections_q(user)).values("pk"))
            .select_related("ordering_unit", "group"))


def covert_views_record(*, user, request=None, inspections=(), findings=(), what: str = "") -> None:
    """Every view of a 暗访 (its record, team, media: always sealed) and of a sealed finding goes to the
    security log: one event per page or answer, naming what was shown."""
    inspection_ids = sorted({i.pk for i in inspections if rules.is_covert(i)})
    today = timezone.localdate()
    finding_ids = sorted({f.pk for f in findings if f.inspection_id and rules.sealed(f.inspection, today)})
    if inspection_ids or finding_ids:
        security_event_record(kind=SecurityEventKind.COVERT_VIEW, user=user, request=request, detail={
            "what": what, "inspections": inspection_ids, "findings": finding_ids})


def inspection_get_for(*, user, pk, request=None, what: str = "督查") -> Inspection:
    """The inspection, 404 outside the reader's scope; a 暗访's view is logged."""
    key = sql.key_or_none(pk)
    inspection = key and (Inspection.objects.select_related("ordering_unit", "group", "created_by")
                          .prefetch_related("units", "team").filter(pk=key).first())
    if not inspection or not rules.may_read_inspection(user, inspection):
        raise Http404
    covert_views_record(user=user, request=request, inspections=[inspection], what=what)
    return inspection


def _finding_chain() -> list:
    """What a finding page reads of its item: the item, its ledger and unit, its progress, its closings."""
    return [
        Prefetch("linked_item__progress", queryset=ProgressEntry.objects.order_by("-reported_on", "-id")),
        Prefetch("linked_item__closing_requests", queryset=ClosingRequest.objects.order_by("-id")),
    ]


def finding_get_for(*, user, pk, request=None, what: str = "发现的问题") -> Finding:
    """The finding with its chain (inspection, item → progress → 销号): one query and two prefetches.
    404 outside the reader's scope (a sealed 暗访's finding to all but its side); a sealed one's view is logged."""
    key = sql.key_or_none(pk)
    finding = key and (Finding.objects.select_related(
        "unit", "inspection__ordering_unit", "item__ledger", "linked_item__ledger__unit", "recorded_by",
        "answered_by", "closed_by").prefetch_related(*_finding_chain()).filter(pk=key).first())
    if not finding or not rules.may_read_finding(user, finding):
        raise Http404
    covert_views_record(user=user, request=request, findings=[finding], what=what)
    return finding


def findings_for(*, user) -> QuerySet[Finding]:
    return (Finding.objects.filter(pk__in=Finding.objects.filter(rules.findings_q(user)).values("pk"))
            .select_related("unit", "inspection", "linked_item"))


def findings_of_unit(*, user, unit: Unit) -> QuerySet[Finding]:
    """A unit's findings (the unit read in scope: 404 else), its inspections' 暗访 findings only to their side."""
    policy.require(user, Perm.WORK_VIEW, unit)
    return findings_for(user=user).filter(unit=unit)


def findings_of_inspection(inspection: Inspection) -> QuerySet[Finding]:
    return inspection.findings.select_related("unit", "linked_item").order_by("-recorded_at", "-id")


def ledgers_of_unit(unit: Unit) -> QuerySet[Ledger]:
    return Ledger.objects.filter(unit=unit).select_related("campaign").order_by("-campaign__starts_on", "kind")


def items_of_unit(unit: Unit):
    from huitoukan.ledgers.models import Item

    return Item.objects.filter(ledger__unit=unit).select_related("ledger").order_by("-id")[:200]


@dataclass
class WorkList:
    units: list  # (unit, light or None) of the reader's supervision groups' assigned units
    inspections: list
    awaiting: list  # open findings the reader's side waits on (an answer, or closing)
    to_answer: list  # findings of the units where the reader's office answers


def work_list(*, user, request=None) -> WorkList:
    """督查督办 index: the reader's groups' units with their lights, their inspections, the open findings
    (a 暗访 or a sealed finding among them is logged as viewed)."""
    groups = [a.supervision_group for a in policy.assignments_of(user)
              if a.role == Role.SUPERVISOR and a.supervision_group is not None and a.supervision_group.is_active]
    units = sorted({u.pk: u for g in groups for u in g.assigned_units.all()}.values(), key=lambda u: u.path)
    lights = ledger_selectors.lights_of(units) if units else {}
    inspections = list(inspections_for(user=user).exclude(state=InspectionState.DONE)[:50])
    open_findings = list(findings_for(user=user).filter(state__in=OPEN_FINDINGS).order_by("answer_due_on", "id")
                         .select_related("inspection__ordering_unit")[:200])
    held = policy.units_held(user)
    to_answer = [f for f in open_findings if f.unit_id in held and rules.answer_refusal(user, f) is None]
    awaiting = [f for f in open_findings if f not in to_answer]
    covert_views_record(user=user, request=request, inspections=inspections, findings=open_findings, what="督查督办")
    return WorkList(units=[(u, lights.get(u.pk)) for u in units], inspections=inspections, awaiting=awaiting,
                    to_answer=to_answer)


def open_findings_by_unit(units, kept=None) -> dict[int, dict[str, int]]:
    """{unit id: {"awaiting": n, "answered": n, "open": n}} of the findings under each unit (kept counts; `kept`:
    what orgs.totals.work_counts_many already read, with (FINDINGS_TOPIC, 0) among its topics)."""
    kept = kept or unit_totals.work_counts_many(units, [(FINDINGS_TOPIC, 0)])
    counts = kept[(FINDINGS_TOPIC, 0)]
    return {pk: {"awaiting": c[FindingState.AWAITING], "answered": c[FindingState.ANSWERED],
                 "open": c[FindingState.AWAITING] + c[FindingState.ANSWERED]} for pk, c in counts.items()}


def findings_own() -> Counter:
    """The findings counted at their own units, as WorkTally keys them (orgs.totals.work_own_register)."""
    own: Counter = Counter()
    rows = (Finding.objects.values_list("unit_id", "state", "inspection__kind", "inspection__released_at")
            .annotate(n=Count("id")).values_list("unit_id", "state", "inspection__kind", "inspection__released_at", "n"))
    for unit_id, state, kind, released_at, n in rows:
        sealed = kind == InspectionKind.COVERT and released_at is None
        own[(unit_id, 0, FINDINGS_TOPIC, SEALED_KEY if sealed else state)] += n
    return own


def findings_recount() -> Counter:
    """What the findings' kept counts should be, from the findings themselves (tests, rebuilds)."""
    return unit_totals.work_recount(findings_own())
