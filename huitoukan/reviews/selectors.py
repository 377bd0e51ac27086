"""Reads of 报送 and 逐级审阅: a version for its reader, a unit's versions, the reporting status, work waiting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.campaigns.models import Deadline
from huitoukan.core import sql
from huitoukan.core.paths import STEPLEN, path_range_sql
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.models import Batch, Unit, UnitKind, UnitLevel
from huitoukan.reviews import past, workflow
from huitoukan.reviews.expected import expected_refresh
from huitoukan.reviews.models import (
    ExpectedUnit,
    PackageState,
    PackageVersion,
    ReportState,
    Submission,
)
from huitoukan.reviews.workflow import VersionSubject

# The logins with the person each is, for the names the pages show.
_VERSION_RELATED = ("submission__deadline__campaign__owner_unit", "submission__unit", "reviewer_unit",
                    "built_by__person", "head_approved_by__person", "group_audited_by__person",
                    "submitted_by__person", "decided_by__person")


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
    rows = key is not None and sql.fetch(
        f'SELECT {sql.columns(Deadline, "d")} FROM {Deadline._meta.db_table} d WHERE d."id" = %s', [key])
    if not rows:
        raise Http404
    deadline = sql.instance(Deadline, rows[0])
    deadline.campaign = campaign_selectors.campaign_get_for(user=user, pk=deadline.campaign_id)
    return deadline


def submission_of(*, deadline: Deadline, unit: Unit) -> Submission | None:
    return Submission.objects.filter(deadline=deadline, unit=unit).select_related("current").first()


def versions_of(submission: Submission | None) -> list[PackageVersion]:
    if submission is None:
        return []
    return list(submission.versions.select_related("built_by__person", "submitted_by__person",
                                                   "decided_by__person", "reviewer_unit")
                .order_by("-number"))


def version_subject(version: PackageVersion) -> VersionSubject:
    return VersionSubject(version)


def actions_for(*, user, version: PackageVersion) -> frozenset[str]:
    return workflow.actions_for(user, VersionSubject(version))


def may_build(*, user, deadline: Deadline, unit: Unit, submission: Submission | None) -> bool:
    """Whether to offer 生成报送材料: the unit's own office, a unit the deadline expects, and no version under
    review above or approved (the service checks the same again)."""
    if not policy.holds_at(user, Perm.PACKAGE_SUBMIT, unit):
        return False
    current = submission.current if submission is not None else None
    if current is not None and current.state in (PackageState.SUBMITTED, PackageState.APPROVED):
        return False
    return unit_expected(deadline=deadline, unit=unit)


def unit_expected(*, deadline: Deadline, unit: Unit) -> bool:
    expected_refresh(deadline)
    return bool(sql.fetch(f'SELECT 1 FROM {ExpectedUnit._meta.db_table} e WHERE e."deadline_id" = %s '
                          'AND e."unit_id" = %s', [deadline.pk, unit.pk]))


def own_expected_units(*, user, deadline: Deadline, fresh: bool = False) -> list[Unit]:
    """The units whose office the user is and that the deadline expects: where they report from. One read of
    the kept expected units, none for a login that is no unit's office."""
    units = {a.unit.pk: a.unit for a in policy.assignments_of(user)
             if policy.holds_at(user, Perm.PACKAGE_SUBMIT, a.unit)}
    if not units:
        return []
    if not fresh:  # (`fresh`: the caller has just read the status, which refreshed the kept units)
        expected_refresh(deadline)
    found = {pk for (pk,) in sql.fetch(
        f'SELECT e."unit_id" FROM {ExpectedUnit._meta.db_table} e WHERE e."deadline_id" = %s '
        f'AND e."unit_id" IN ({sql.marks(units)})', [deadline.pk, *units])}
    return [u for pk, u in units.items() if pk in found]


def status_roots(*, user, deadline: Deadline) -> list[Unit]:
    """The parts of the deadline's tree the user may choose among: the owner when they read it, else each
    top unit of their scope inside it (a supervision group's several assigned units)."""
    owner = deadline.campaign.owner_unit
    if policy.can(user, Perm.WORK_VIEW, owner):
        return [owner]
    scope = policy.scope(user, Perm.WORK_VIEW)
    inside = [p for p in scope.prefixes if p.startswith(owner.path)]
    return list(Unit.objects.filter(path__in=inside).order_by("path")) if inside else []


# --- reporting status (报送情况) -------------------------------------------------------------------------


_REPORT_LABELS = dict(ReportState.choices)


_LEVELS, _KINDS, _BATCHES = dict(UnitLevel.choices), dict(UnitKind.choices), dict(Batch.choices)


@dataclass(frozen=True)
class ExpectedUnitRef:
    """An expected unit as the status lists it (a model instance per row costs more than the row's read)."""

    pk: int
    full_name: str
    name: str
    level: str
    kind: str
    batch: str

    def get_level_display(self) -> str:
        return str(_LEVELS.get(self.level, self.level))

    def get_kind_display(self) -> str:
        return str(_KINDS.get(self.kind, self.kind))

    def get_batch_display(self) -> str:
        return str(_BATCHES.get(self.batch, self.batch))


@dataclass(frozen=True)
class ChildUnit:
    """A child of the unit whose status is shown: what the drill-down links and names."""

    pk: int
    path: str
    name: str


@dataclass
class UnitStatus:
    unit: ExpectedUnitRef
    state: str
    submission_id: int | None
    version_id: int | None
    versions: int
    first_submitted_at: dt.datetime | None
    last_submitted_at: dt.datetime | None
    on_time: bool | None  # None: not submitted yet

    @property
    def state_label(self) -> str:
        return str(_REPORT_LABELS[self.state])

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

    def add(self, state: str, timing: int, n: int = 1) -> None:
        """`timing`: 0 never submitted, 1 first submitted on time, 2 late."""
        self.expected += n
        if timing == 0:
            self.not_submitted += n
        else:
            self.submitted += n
            self.on_time += n if timing == 1 else 0
            self.late += n if timing == 2 else 0
        self.returned += n if state == ReportState.RETURNED else 0
        self.approved += n if state == ReportState.APPROVED else 0
        self.waiting += n if state == ReportState.SUBMITTED else 0

    def of_state(self, state: str) -> int:
        return {ReportState.NOT_SUBMITTED: self.not_submitted, ReportState.SUBMITTED: self.waiting,
                ReportState.RETURNED: self.returned, ReportState.APPROVED: self.approved}.get(state, self.expected)

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
    total: Tally
    rows: list[UnitStatus]  # the page of units shown (every one with `per_page` None)
    state: str = ""  # the units shown: of this state only, when set
    page: int = 1
    pages: int = 1
    by_level: list[Tally] = field(default_factory=list)
    by_kind: list[Tally] = field(default_factory=list)
    by_batch: list[Tally] = field(default_factory=list)
    children: list[tuple[ChildUnit, Tally]] = field(default_factory=list)
    as_of: dt.date | None = None  # the standing as it was when that past day ended (reviews.past)

    @property
    def shown(self) -> int:
        """How many units the state filter leaves (over all pages)."""
        return self.total.of_state(self.state) if self.state else self.total.expected

    @property
    def overdue(self) -> bool:
        return self.today > self.deadline.due_on


def _ordered(found: dict[str, Tally], labels: dict) -> list[Tally]:
    order = list(labels)
    return sorted(found.values(), key=lambda t: order.index(t.key) if t.key in order else len(order))


def status_root_for(*, user, deadline: Deadline, unit_pk=None) -> Unit:
    """The unit whose part of the expected units is shown: the one asked for (in scope, inside the
    campaign), else the campaign's owner when the user sees it, else the user's own top unit inside it."""
    owner = deadline.campaign.owner_unit
    if unit_pk not in (None, ""):
        unit = org_selectors.unit_get_for(user=user, pk=unit_pk, perm=Perm.WORK_VIEW)
        if not unit.path.startswith(owner.path):
            raise Http404
        return unit
    if policy.can(user, Perm.WORK_VIEW, owner):
        return owner
    scope = policy.scope(user, Perm.WORK_VIEW)
    inside = sorted((p for p in scope.prefixes if p.startswith(owner.path)), key=len)
    if not inside:
        raise policy.Denied(Perm.WORK_VIEW, owner)
    return Unit.objects.get(path=inside[0])


_STATE = 'COALESCE(s."state", %s)'
_TIMING = 'CASE WHEN s."first_submitted_at" IS NULL THEN 0 WHEN s."first_submitted_at" < %s THEN 1 ELSE 2 END'


def _from_expected(deadline: Deadline, within: Unit, as_of: dt.date | None = None,
                   join: str = "") -> tuple[str, list]:
    """The FROM and WHERE of the expected units in `within`'s part, each with its submission if any: as it
    stands, or as it stood when the day `as_of` ended (reviews.past, from the versions' history)."""
    in_part, params = path_range_sql(within.path, 'e."path"')
    submissions, before = (Submission._meta.db_table, []) if as_of is None else past.submissions_as_of(deadline, as_of, within)
    return (f'FROM {ExpectedUnit._meta.db_table} e LEFT OUTER JOIN {submissions} s '
            f'ON s."deadline_id" = e."deadline_id" AND s."unit_id" = e."unit_id" {join}'
            f'WHERE e."deadline_id" = %s AND {in_part}', [*before, deadline.pk, *params])


def _moment(value) -> dt.datetime | None:
    """A datetime column read raw, aware: SQLite gives a derived table's MIN/MAX of one as text."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return sql.aware(value)


def reporting_status(*, user, deadline: Deadline, within: Unit, today: dt.date | None = None, state: str = "",
                     page: int = 1, per_page: int | None = 50, as_of: dt.date | None = None) -> ReportingStatus:
    """Every unit the deadline expects in `within`'s part of the tree, with its standing: tallies by level, kind,
    batch and by `within`'s children, and one page of the units (of `state` only, when given). Read from the
    kept expected units (reviews.expected) in a fixed number of queries, whatever the number of units.
    With `as_of`, each standing as it was when that day ended (reviews.past); `today` is then that day."""
    today = as_of or today or timezone.localdate()
    policy.require(user, Perm.WORK_VIEW, within)
    expected_refresh(deadline)
    cutoff = timezone.make_aware(dt.datetime.combine(deadline.due_on + dt.timedelta(days=1), dt.time.min))
    source, params = _from_expected(deadline, within, as_of)
    nobody, cutoff_value = ReportState.NOT_SUBMITTED, connection.ops.adapt_datetimefield_value(cutoff)
    total = Tally("all", "合计")
    levels: dict[str, Tally] = {}
    kinds: dict[str, Tally] = {}
    batches: dict[str, Tally] = {}
    level_labels, kind_labels, batch_labels = dict(UnitLevel.choices), dict(UnitKind.choices), dict(Batch.choices)
    for level, kind, batch, st, timing, n in sql.fetch(
            f'SELECT e."level", e."kind", e."batch", {_STATE}, {_TIMING}, COUNT(*) {source} '
            f'GROUP BY e."level", e."kind", e."batch", {_STATE}, {_TIMING}',
            [nobody, cutoff_value, *params, nobody, cutoff_value]):
        total.add(st, timing, n)
        for found, key, labels in ((levels, level, level_labels), (kinds, kind, kind_labels),
                                   (batches, batch, batch_labels)):
            tally = found.get(key)
            if tally is None:
                tally = found[key] = Tally(key, str(labels.get(key, key or "—")))
            tally.add(st, timing, n)
    # Drill-down: the expected units under each child of `within`, grouped by the child's path (a prefix).
    in_within, within_params = path_range_sql(within.path, 'u."path"')
    children = {path: ChildUnit(pk, path, name) for pk, path, name in sql.fetch(
        f'SELECT u."id", u."path", u."name" FROM {Unit._meta.db_table} u WHERE u."depth" = %s AND {in_within} '
        'ORDER BY u."path"', [within.depth + 1, *within_params])}
    drill: dict[str, Tally] = {}
    if children and total.expected:
        width = len(within.path) + STEPLEN
        for prefix, st, timing, n in sql.fetch(
                f'SELECT SUBSTR(e."path", 1, %s), {_STATE}, {_TIMING}, COUNT(*) {source} AND e."path" <> %s '
                f'GROUP BY SUBSTR(e."path", 1, %s), {_STATE}, {_TIMING}',
                [width, nobody, cutoff_value, *params, within.path, width, nobody, cutoff_value]):
            child = children.get(prefix)
            if child is not None:
                drill.setdefault(prefix, Tally(str(child.pk), child.name)).add(st, timing, n)
    # The page of units shown.
    where, where_params = "", []
    if state in ReportState.values:
        where, where_params = f" AND {_STATE} = %s", [nobody, state]
    shown = total.of_state(state) if state in ReportState.values else total.expected
    pages = max(1, -(-shown // per_page)) if per_page else 1
    page = min(max(1, page), pages)
    limit = f" LIMIT {int(per_page)} OFFSET {int((page - 1) * per_page)}" if per_page else ""
    rows = []
    joined, params = _from_expected(deadline, within, as_of, f'INNER JOIN {Unit._meta.db_table} u ON u."id" = e."unit_id" ')
    for (unit_id, full_name, name, level, kind, batch, sub_id, st, current_id, versions, first, last) in sql.fetch(
            f'SELECT u."id", u."full_name", u."name", e."level", e."kind", e."batch", s."id", {_STATE}, '
            f's."current_id", s."versions_count", s."first_submitted_at", s."last_submitted_at" {joined}{where} '
            f'ORDER BY e."path"{limit}', [nobody, *params, *where_params]):
        first, last = _moment(first), _moment(last)
        unit = ExpectedUnitRef(unit_id, full_name, name, level, kind, batch)
        rows.append(UnitStatus(unit=unit, state=st, submission_id=sub_id, version_id=current_id,
                               versions=versions or 0, first_submitted_at=first, last_submitted_at=last,
                               on_time=None if first is None else first < cutoff))
    return ReportingStatus(
        deadline=deadline, within=within, today=today, total=total, rows=rows, state=state, page=page, pages=pages,
        by_level=_ordered(levels, level_labels), by_kind=_ordered(kinds, kind_labels),
        by_batch=_ordered(batches, batch_labels),
        children=[(children[p], drill[p]) for p in sorted(drill)], as_of=as_of)


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
    if office_units:  # returned: the office mends and builds again (the current version only)
        q |= Q(state=PackageState.RETURNED, submission__unit_id__in=office_units, submission__current=F("pk"))
    candidates = list(PackageVersion.objects.filter(q).select_related(*_VERSION_RELATED)
                      .order_by("submitted_at", "built_at")[:limit])
    return [v for v in candidates if v.state == PackageState.RETURNED
            or workflow.actions_for(user, VersionSubject(v)) - {"comment"}]
