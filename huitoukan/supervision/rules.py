"""Who may do what in 督查督办: every decision through huitoukan.access.policy.

A refusal answers 404 to whoever cannot read the object (as for an absent one) and 403 in the reader's
scope (`policy.refusal`).

暗访 (covert visits): the inspection, its record, team and media are read by its team and the office that
ordered it (a grant at the ordering unit itself: not the offices above it, not the visited unit, not other
groups) and by nobody else, ever; its findings are sealed the same way until the ordering office releases
them (`Inspection.is_sealed`), and are then read by the finding's unit's readers like any other finding,
without the inspection, its team or who recorded them.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.supervision.errors import SupervisionErrorCode
from huitoukan.supervision.models import Finding, Inspection, InspectionKind


def _team_ids(inspection: Inspection) -> set[int]:
    cached = getattr(inspection, "_team_ids", None)
    if cached is None:
        cached = inspection._team_ids = {u.pk for u in inspection.team.all()}
    return cached


def _units(inspection: Inspection) -> list:
    return list(inspection.units.all())


def on_team(user, inspection: Inspection) -> bool:
    return getattr(user, "pk", None) in _team_ids(inspection)


def orders(user, inspection: Inspection) -> bool:
    """The ordering office: the right to order inspections over the ordering unit."""
    return policy.can(user, Perm.INSPECTION_ORDER, inspection.ordering_unit)


def ordering_office(user, inspection: Inspection) -> bool:
    """The office that ordered the inspection: the right held at the ordering unit itself."""
    return policy.holds_at(user, Perm.INSPECTION_ORDER, inspection.ordering_unit)


def covert_side(user, inspection: Inspection) -> bool:
    """A 暗访's side: its team and the office that ordered it (held at the ordering unit itself)."""
    return on_team(user, inspection) or ordering_office(user, inspection)


def speaks_for(user, inspection: Inspection | None) -> bool:
    """Whether what `user` writes from a finding of `inspection` (a ledger item, a 督办通知单) may carry their
    name: anyone's for an open visit; for a 暗访, only the ordering office's (never a team member's)."""
    return not is_covert(inspection) or ordering_office(user, inspection)


def is_covert(inspection: Inspection | None) -> bool:
    return inspection is not None and inspection.kind == InspectionKind.COVERT


def sealed(inspection: Inspection | None, today=None) -> bool:
    return inspection is not None and inspection.is_sealed(today or timezone.localdate())


def may_read_inspection(user, inspection: Inspection) -> bool:
    if is_covert(inspection):
        return covert_side(user, inspection)
    if orders(user, inspection) or on_team(user, inspection):
        return True
    return policy.can(user, Perm.WORK_VIEW, inspection.ordering_unit) or any(
        policy.can(user, Perm.WORK_VIEW, u) for u in _units(inspection))


def inspections_q(user) -> Q:
    """The inspections `user` may read, as a filter (with .distinct(): it joins the units and the team)."""
    mine = Q(team=user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
    ordering = policy.units_q(user, Perm.INSPECTION_ORDER, "ordering_unit__path")
    ordered_here = Q(ordering_unit__in=policy.units_holding(user, Perm.INSPECTION_ORDER))
    read = (policy.units_q(user, Perm.WORK_VIEW, "ordering_unit__path")
            | policy.units_q(user, Perm.WORK_VIEW, "units__path"))
    covert = Q(kind=InspectionKind.COVERT)
    return mine | (covert & ordered_here) | ((ordering | read) & ~covert)


def sealed_q(prefix: str = "", today=None) -> Q:
    """The sealed 暗访 (of the inspection at `prefix`, e.g. "inspection__")."""
    today = today or timezone.localdate()
    return (Q(**{f"{prefix}kind": InspectionKind.COVERT, f"{prefix}released_at__isnull": True})
            & (Q(**{f"{prefix}sealed_until__isnull": True}) | Q(**{f"{prefix}sealed_until__gt": today})))


def records(user, inspection: Inspection) -> bool:
    """A team member with the right over an inspected unit, or the ordering office."""
    if is_covert(inspection):
        if ordering_office(user, inspection):
            return True
    elif orders(user, inspection):
        return True
    return on_team(user, inspection) and any(
        policy.can(user, Perm.INSPECTION_RECORD, u) for u in _units(inspection))


def _first_unit(inspection: Inspection):
    units = _units(inspection)
    return units[0] if units else inspection.ordering_unit


def order_refusal(user, inspection: Inspection):
    """Editing an inspection (and releasing a 暗访): the ordering office's — of a 暗访, the office itself."""
    if ordering_office(user, inspection) if is_covert(inspection) else orders(user, inspection):
        return None
    if may_read_inspection(user, inspection):
        return policy.Forbidden(Perm.INSPECTION_ORDER, inspection.ordering_unit)
    return policy.Denied(Perm.INSPECTION_ORDER, inspection.ordering_unit)


def record_refusal(user, inspection: Inspection):
    if records(user, inspection):
        return None
    if may_read_inspection(user, inspection):
        return policy.Forbidden(Perm.INSPECTION_RECORD, _first_unit(inspection), SupervisionErrorCode.NOT_RECORDER)
    return policy.Denied(Perm.INSPECTION_RECORD, _first_unit(inspection))


def may_read_finding(user, finding: Finding) -> bool:
    inspection = finding.inspection
    if inspection is not None and may_read_inspection(user, inspection):
        return True
    if sealed(inspection):
        return False
    return policy.can(user, Perm.WORK_VIEW, finding.unit)


def shows_who(user, finding: Finding) -> bool:
    """Who recorded, closed or uploaded for a 暗访's finding is shown to the 暗访's side only."""
    return not is_covert(finding.inspection) or covert_side(user, finding.inspection)


def findings_q(user) -> Q:
    readable = Inspection.objects.filter(inspections_q(user)).values("pk")
    return (policy.units_q(user, Perm.WORK_VIEW, "unit__path") & ~sealed_q("inspection__")) | Q(
        inspection__in=readable)


def finding_side(user, finding: Finding) -> bool:
    """The inspection side of a finding: who may close it, put it in a ledger or send an item back."""
    if finding.inspection is not None:
        return records(user, finding.inspection)
    return policy.can(user, Perm.INSPECTION_RECORD, finding.unit)


def _refuse(user, finding: Finding, perm: Perm, code):
    if may_read_finding(user, finding):
        return policy.Forbidden(perm, finding.unit, code)
    return policy.Denied(perm, finding.unit)


def side_refusal(user, finding: Finding):
    return None if finding_side(user, finding) else _refuse(
        user, finding, Perm.INSPECTION_RECORD, SupervisionErrorCode.NOT_RECORDER)


def answer_refusal(user, finding: Finding):
    """The inspected unit's own office answers (a grant at the unit itself, not over it from above)."""
    return None if policy.holds_at(user, Perm.FINDING_ANSWER, finding.unit) else _refuse(
        user, finding, Perm.FINDING_ANSWER, SupervisionErrorCode.NOT_THE_OFFICE)


def unit_record_refusal(user, unit):
    """Recording a finding of a unit outside any inspection."""
    if policy.can(user, Perm.INSPECTION_RECORD, unit):
        return None
    return policy.refusal(user, Perm.INSPECTION_RECORD, unit, SupervisionErrorCode.NOT_RECORDER)


def raise_if(refused) -> None:
    if refused is not None:
        raise refused
