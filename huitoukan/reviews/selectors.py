"""Reads of 报送 and 逐级审阅: a version for its reader, a unit's versions, the reporting status, work waiting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.campaigns.models import Deadline
from huitoukan.core import sql
from huitoukan.core.paths import path_range_q
from huitoukan.orgs.models import Batch, Unit, UnitKind, UnitLevel
from huitoukan.reviews import workflow
from huitoukan.reviews.models import PackageState, PackageVersion, ReportState, Submission
from huitoukan.reviews.workflow import VersionSubject

_VERSION_RELATED = ("submission__deadline__campaign__owner_unit", "submission__unit", "reviewer_unit", "built_by",
                    "head_approved_by", "group_audited_by", "submitted_by", "decided_by")


def version_get_for(*, user, pk) -> PackageVersion:
    """The version, or 404 when absent or outside the reader's scope (the same answer)."""
    key = sql.key_or_none(pk)
    version = (PackageVersion.objects.select_related(*_VERSION_RELATED).filter(pk=key).first()
               if key is not None else None)
    if version is None:
        raise Http404
    policy.require(user, Perm.WORK_VIEW, version.submission.unit)
    return version


def deadline_get_for(*, user, pk) -> Deadline:
    """The deadline of a campaign the user sees, or 404."""
    key = sql.key_or_none(pk)
    deadline = Deadline.objects.select_related("campaign__owner_unit").filter(pk=key).first() if key else None
    if deadline is None:
        raise Http404
    campaign = campaign_selectors.campaign_get_for(user=user, pk=deadline.campaign_id)
    deadline.campaign = campaign
    return deadline


def submission_of(*, deadline: Deadline, unit: Unit) -> Submission | None:
    return Submission.objects.filter(deadline=deadline, unit=unit).select_related("current").first()


def versions_of(submission: Submission | None) -> list[PackageVersion]:
    if submission is None:
        return []
    return list(submission.versions.select_related("built_by", "submitted_by", "decided_by", "reviewer_unit")
                .order_by("-number"))


def version_subject(version: PackageVersion) -> VersionSubject:
    return VersionSubject(version)


def actions_for(*, user, version: PackageVersion) -> frozenset[str]:
    return workflow.actions_for(user, VersionSubject(version))


def may_build(*, user, unit: Unit) -> bool:
    return policy.holds_at(user, Perm.PACKAGE_SUBMIT, unit)


# --- reporting status (报送情况) -------------------------------------------------------------------------


@dataclass
class UnitStatus:
    unit: Unit
    state: str
    submission_id: int | None
    version_id: int | None
    versions: int
    first_submitted_at: dt.datetime | None
    last_submitted_at: dt.datetime | None
    on_time: bool | None  # None: not submitted yet

    @property
    def state_label(self) -> str:
        return str(ReportState(self.state).label)

    @property
    def timing_label(self) -> str:
        if self.on_time is None:
            return ""
        return "按时" if self.on_time else "逾期"


@dataclass
class Tally:
    """Counts of a group of expected units."""

    key: str
    label: str
    expected: int = 0
    submitted: int = 0  # ever reported up, whatever came after
    on_time: int = 0
    late: int = 0
    returned: int = 0
    approved: int = 0
    waiting: int = 0  # submitted, awaiting review
    not_submitted: int = 0

    def add(self, row: UnitStatus) -> None:
        self.expected += 1
        if row.on_time is None:
            self.not_submitted += 1
        else:
            self.submitted += 1
            self.on_time += row.on_time
            self.late += not row.on_time
        self.returned += row.state == ReportState.RETURNED
        self.approved += row.state == ReportState.APPROVED
        self.waiting += row.state == ReportState.SUBMITTED

    @property
    def rate(self) -> float:
        return self.submitted / self.expected if self.expected else 0.0

    @property
    def rate_text(self) -> str:
        return f"{self.rate * 100:.1f}%"


@dataclass
class ReportingStatus:
    deadline: Deadline
    within: Unit
    today: dt.date
    rows: list[UnitStatus]
    total: Tally
    by_level: list[Tally] = field(default_factory=list)
    by_kind: list[Tally] = field(default_factory=list)
    by_batch: list[Tally] = field(default_factory=list)
    children: list[tuple[Unit, Tally]] = field(default_factory=list)

    @property
    def laggards(self) -> list[UnitStatus]:
        """Units that owe the report: not submitted yet, or returned and not yet submitted again."""
        return [r for r in self.rows if r.state in (ReportState.NOT_SUBMITTED, ReportState.RETURNED)]

    @property
    def overdue(self) -> bool:
        return self.today > self.deadline.due_on


def _tallies(rows, key, labels) -> list[Tally]:
    found: dict[str, Tally] = {}
    for row in rows:
        value = key(row.unit)
        tally = found.get(value)
        if tally is None:
            tally = found[value] = Tally(value, str(labels.get(value, value or "—")))
        tally.add(row)
    order = list(labels)
    return sorted(found.values(), key=lambda t: order.index(t.key) if t.key in order else len(order))


def status_root_for(*, user, deadline: Deadline, unit_pk=None) -> Unit:
    """The unit whose part of the expected units is shown: the one asked for (in scope, inside the
    campaign), else the campaign's owner when the user sees it, else the user's own top unit inside it."""
    owner = deadline.campaign.owner_unit
    if unit_pk not in (None, ""):
        key = sql.key_or_none(unit_pk)
        unit = Unit.objects.filter(pk=key).first() if key is not None else None
        if unit is None or not unit.path.startswith(owner.path):
            raise Http404
        policy.require(user, Perm.WORK_VIEW, unit)
        return unit
    if policy.can(user, Perm.WORK_VIEW, owner):
        return owner
    scope = policy.scope(user, Perm.WORK_VIEW)
    inside = sorted((p for p in scope.prefixes if p.startswith(owner.path)), key=len)
    if not inside:
        raise policy.Denied(Perm.WORK_VIEW, owner)
    return Unit.objects.get(path=inside[0])


def reporting_status(*, user, deadline: Deadline, within: Unit, today: dt.date | None = None) -> ReportingStatus:
    """Every unit the deadline expects in `within`'s part of the tree, with its standing; tallies by level,
    kind, batch and by `within`'s children. A fixed number of queries, whatever the number of units."""
    today = today or timezone.localdate()
    policy.require(user, Perm.WORK_VIEW, within)
    expected = list(campaign_selectors.deadline_expected_units(deadline=deadline, within=within)
                    .filter(policy.units_q(user, Perm.WORK_VIEW)))
    by_unit = {}
    if expected:
        subs = Submission.objects.filter(deadline=deadline)
        if within.pk != deadline.campaign.owner_unit_id:
            subs = subs.filter(Q(unit_id=within.pk) | Q(path_range_q(within.path, "unit__path")))
        by_unit = {s.unit_id: s for s in subs.only("id", "unit_id", "state", "current_id", "versions_count",
                                                     "first_submitted_at", "last_submitted_at")}
    rows = []
    for unit in expected:
        sub = by_unit.get(unit.pk)
        first = sub.first_submitted_at if sub else None
        on_time = None if first is None else timezone.localdate(first) <= deadline.due_on
        rows.append(UnitStatus(
            unit=unit, state=sub.state if sub else ReportState.NOT_SUBMITTED, submission_id=sub.pk if sub else None,
            version_id=sub.current_id if sub else None, versions=sub.versions_count if sub else 0,
            first_submitted_at=first, last_submitted_at=sub.last_submitted_at if sub else None, on_time=on_time))
    total = Tally("all", "合计")
    for row in rows:
        total.add(row)
    children = list(Unit.objects.filter(depth=within.depth + 1).filter(path_range_q(within.path)).order_by("path"))
    drill = []
    for child in children:
        tally = Tally(str(child.pk), child.name)
        for row in rows:
            if row.unit.path.startswith(child.path):
                tally.add(row)
        if tally.expected:
            drill.append((child, tally))
    return ReportingStatus(
        deadline=deadline, within=within, today=today, rows=rows, total=total,
        by_level=_tallies(rows, lambda u: u.level, dict(UnitLevel.choices)),
        by_kind=_tallies(rows, lambda u: u.kind, dict(UnitKind.choices)),
        by_batch=_tallies(rows, lambda u: u.batch, dict(Batch.choices)),
        children=drill)


# --- work waiting for the user ---------------------------------------------------------------------------


def waiting_for(*, user, limit: int = 50) -> list[PackageVersion]:
    """Versions waiting for something the user may do now: approve as head, audit as the group, submit as
    the office, review as a unit of the chain."""
    held = policy.assignments_of(user)
    head_units = [a.unit_id for a in held if policy.holds_at(user, Perm.PACKAGE_APPROVE, a.unit)]
    office_units = [a.unit_id for a in held if policy.holds_at(user, Perm.PACKAGE_SUBMIT, a.unit)]
    reviewer_units = [a.unit_id for a in held if policy.holds_at(user, Perm.PACKAGE_REVIEW, a.unit)]
    q = Q(pk__in=[])
    if head_units:
        q |= Q(state=PackageState.AWAITING_HEAD, submission__unit_id__in=head_units)
    if office_units:
        q |= Q(state=PackageState.READY, submission__unit_id__in=office_units)
    if reviewer_units:
        q |= Q(state=PackageState.SUBMITTED, reviewer_unit_id__in=reviewer_units)
    audit = policy.scope(user, Perm.PACKAGE_AUDIT)
    if audit:
        q |= Q(state=PackageState.AWAITING_GROUP) & audit.q("submission__unit__path")
    candidates = list(PackageVersion.objects.filter(q).select_related(*_VERSION_RELATED)
                      .order_by("submitted_at", "built_at")[:limit])
    return [v for v in candidates if workflow.actions_for(user, VersionSubject(v)) - {"comment"}]
