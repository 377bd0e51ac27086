"""Reads of ledgers and items, always through the policy's scopes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils import timezone

from huitoukan.access import policy
from huitoukan.access.models import RoleAssignment
from huitoukan.access.policy import Perm
from huitoukan.core import sql
from huitoukan.core.lights import AMBER_DAYS, Light, light_for
from huitoukan.core.paths import ancestor_paths, path_range_q, path_range_sql
from huitoukan.ledgers.models import (
    OPEN_STATUSES,
    ClosingRequest,
    ClosingState,
    ClosingTally,
    DeadlineMode,
    Item,
    ItemDueTally,
    ItemLink,
    ItemStatus,
    ItemTally,
    Ledger,
    LinkState,
    ProgressEntry,
    SpecialTask,
    TaskTier,
)
from huitoukan.orgs.models import Person, Unit


def overdue_q(today: dt.date | None = None, prefix: str = "") -> Q:
    """逾期: a dated item past its deadline and not closed."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}status__in": OPEN_STATUSES, f"{prefix}deadline_mode": DeadlineMode.DATE,
                f"{prefix}due_on__lt": today})


def item_light(item: Item, today: dt.date | None = None) -> Light:
    """红黄绿灯 of an item: the shared rule, on its deadline when it has a date (限期)."""
    due_on = item.due_on if item.deadline_mode == DeadlineMode.DATE else None
    return light_for(due_on=due_on, today=today, closed=item.status == ItemStatus.CLOSED)


def ledgers_visible_to(*, user) -> QuerySet[Ledger]:
    return Ledger.objects.filter(policy.units_q(user, Perm.WORK_VIEW, "unit__path")).select_related(
        "campaign", "unit", "person"
    )


def ledger_get_for(*, user, pk, perm: Perm = Perm.WORK_VIEW) -> Ledger:
    try:
        ledger = Ledger.objects.select_related("campaign", "unit", "person").get(pk=pk)
    except (Ledger.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    policy.require(user, perm, ledger.unit)
    return ledger


def item_get_for(*, user, pk, perm: Perm = Perm.WORK_VIEW) -> Item:
    try:
        item = Item.objects.select_related("ledger__unit", "ledger__campaign", "ledger__person", "special_task").get(
            pk=pk)
    except (Item.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    # A lead leader reads the items they lead wherever their own role scope stops (a claimed link's leaders too).
    persons = policy.persons_of(user) if perm == Perm.WORK_VIEW else set()
    if persons and persons & item_leads([item.pk]).get(item.pk, NO_LEAD).leader_ids:
        return item
    if perm == Perm.WORK_VIEW and not policy.can(user, perm, item.ledger.unit) and _read_through_link(user, item):
        return item
    policy.require(user, perm, item.ledger.unit)
    return item


def _read_through_link(user, item: Item) -> bool:
    """上下联动: whoever reads the receiving unit of the item's open link (待认领 or 已认领) reads the item."""
    scope = policy.scope(user, Perm.WORK_VIEW)
    if not scope:
        return False
    paths = ItemLink.objects.filter(item=item, state__in=[LinkState.PENDING, LinkState.CLAIMED]).values_list(
        "to_unit__path", flat=True)
    return any(scope.covers_path(path) for path in paths)


@dataclass(frozen=True)
class Lead:
    """Who leads an item for the workflow: its own lead leaders and those of its claimed link (上下联动), and
    the unit leading it through that link, whose office may write for them (代填)."""

    leader_ids: frozenset[int]
    lead_unit: Unit | None = None


NO_LEAD = Lead(frozenset())


def _lead_rows(*, item_ids=None, persons=None):
    """The one relation "a person leads an item": the item's own lead leaders, and the lead leaders of its
    claimed link (上下联动), as two querysets of the through tables (own, linked), narrowed to the items or the
    people asked. `item_leads` (the workflow) and `items_led_by` (我的事项) both read it."""
    own = Item.lead_leaders.through.objects.all()
    linked = ItemLink.lead_leaders.through.objects.filter(itemlink__state=LinkState.CLAIMED)
    if item_ids is not None:
        own, linked = own.filter(item_id__in=item_ids), linked.filter(itemlink__item_id__in=item_ids)
    if persons is not None:
        own, linked = own.filter(person_id__in=persons), linked.filter(person_id__in=persons)
    return own, linked


def item_leads(item_ids) -> dict[int, Lead]:
    """Per item id, its Lead: one query (two when an item has a claimed link). The one place the workflow's
    lead leaders are read."""
    ids = list(item_ids)
    if not ids:
        return {}
    own_rows, linked_rows = _lead_rows(item_ids=ids)
    own = own_rows.annotate(unit=Value(None, output_field=IntegerField())).values_list("item_id", "person_id", "unit")
    linked = linked_rows.values_list("itemlink__item_id", "person_id", "itemlink__to_unit_id")
    leaders: dict[int, set[int]] = {}
    unit_of: dict[int, int] = {}
    for item_id, person_id, unit_id in own.union(linked, all=True):
        leaders.setdefault(item_id, set()).add(person_id)
        if unit_id is not None:
            unit_of[item_id] = unit_id
    units = Unit.objects.in_bulk(set(unit_of.values())) if unit_of else {}
    return {item_id: Lead(frozenset(leaders.get(item_id, ())), units.get(unit_of.get(item_id)))
            for item_id in ids}


@dataclass
class ItemPageReads:
    """What an item's page shows besides the item, each read once: its reports newest first, its closing
    requests, the pending one, its events; every file where it belongs (`files` of a report or a request,
    or loose)."""

    progress: list
    closings: list
    pending: ClosingRequest | None
    events: list
    loose_evidence: list

    @property
    def latest(self):
        return self.progress[0] if self.progress else None

    @property
    def has_progress(self) -> bool:
        """Real reports only, not a plan entered before the work started (workflow.ItemSubject)."""
        return any(p.progress for p in self.progress)


def item_page_reads(item: Item, *, event_kinds) -> ItemPageReads:
    """The item page's reads: five queries, whatever the item's history. The lead leaders and responsible
    units are prefetched on `item`, where the workflow's subject reads them."""
    prefetch_related_objects([item], "lead_leaders", "responsible_units")
    progress = list(item.progress.select_related("leader", "author__person").order_by("-reported_on", "-id"))
    closings = list(item.closing_requests.select_related("requested_by__person", "decided_by__person")
                    .order_by("requested_at", "id"))
    owners = {("p", p.pk): p for p in progress} | {("c", c.pk): c for c in closings}
    for owner in owners.values():
        owner.files = []
    loose = []
    for file in item.evidence.order_by("id"):
        if file.progress_entry_id:
            owners[("p", file.progress_entry_id)].files.append(file)
        elif file.closing_request_id:
            owners[("c", file.closing_request_id)].files.append(file)
        else:
            loose.append(file)
    events = list(item.events.select_related("actor__person").filter(kind__in=event_kinds))
    pending = next((c for c in closings if c.state == ClosingState.PENDING), None)
    return ItemPageReads(progress, closings, pending, events, loose)


def closing_get_for(*, user, pk) -> ClosingRequest:
    """A closing request, to whoever may read its item (404 otherwise, like an absent one)."""
    item_id = ClosingRequest.objects.filter(pk=pk).values_list("item_id", flat=True).first() if str(
        pk).isdigit() else None
    item = item_get_for(user=user, pk=item_id if item_id is not None else 0)
    closing = ClosingRequest.objects.select_related("requested_by").get(pk=pk)
    closing.item = item
    return closing


@dataclass(frozen=True)
class ItemFilters:
    status: str = ""
    four_winds: str = ""
    overdue: bool = False
    lead_leader: int | None = None
    responsible_unit: int | None = None
    text: str = ""
    order: str = "seq"
    kind: str = ""  # across ledgers only (事项查询): one kind of ledger


ORDERINGS = {"seq": ["seq"], "due_on": ["due_on", "seq"], "-due_on": ["-due_on", "seq"], "status": ["status", "seq"]}


def _latest_progress_prefetch() -> Prefetch:
    return Prefetch("progress", queryset=ProgressEntry.objects.select_related("leader").order_by("-reported_on", "-id"),
                    to_attr="progress_newest_first")


def _items_filtered(*, ledger: Ledger, filters: ItemFilters, today: dt.date | None) -> QuerySet[Item]:
    """The ledger's items that pass the filters, in the chosen order, a pending closing request flagged.

    No DISTINCT: a leader or a unit is linked to an item at most once, so a filter on a link cannot
    repeat a row, and DISTINCT over the items' long texts made the database sort the whole ledger
    before it could count it or take a page."""
    qs = _filtered(ledger.items.all(), filters, today)
    pending = ClosingRequest.objects.filter(item=OuterRef("pk"), state=ClosingState.PENDING)
    return qs.annotate(closing_pending=Exists(pending)).order_by(*ORDERINGS.get(filters.order, ["seq"]))


def _filtered(qs: QuerySet[Item], filters: ItemFilters, today: dt.date | None) -> QuerySet[Item]:
    """The ledger filters, on one ledger's items or on those of a whole subtree (the one copy of them)."""
    if filters.kind:
        qs = qs.filter(ledger__kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.four_winds:
        qs = qs.filter(four_winds=filters.four_winds)
    if filters.overdue:
        qs = qs.filter(overdue_q(today))
    if filters.lead_leader:
        qs = qs.filter(lead_leaders__pk=filters.lead_leader)
    if filters.responsible_unit:
        qs = qs.filter(responsible_units__pk=filters.responsible_unit)
    if filters.text:
        qs = qs.filter(Q(problem__contains=filters.text) | Q(measures__contains=filters.text))
    return qs


def items_of_ledger(*, ledger: Ledger, filters: ItemFilters = ItemFilters(), today: dt.date | None = None):
    """The ledger's rows with their latest progress, for the API and the imports (fixed query count)."""
    return (
        _items_filtered(ledger=ledger, filters=filters, today=today)
        .select_related("special_task")
        .prefetch_related("lead_leaders", "responsible_units", _latest_progress_prefetch())
    )


# What the ledger page's table shows of an item; the rest of its row comes from ledger_sheet_links.
SHEET_FIELDS = ("id", "ledger", "seq", "problem", "measures", "four_winds", "deadline_mode", "due_on", "review_on",
                "category", "institution_action", "status")


def ledger_sheet_items(*, ledger: Ledger, filters: ItemFilters = ItemFilters(),
                       today: dt.date | None = None) -> QuerySet[Item]:
    """The ledger page's rows, with the fields its table shows."""
    return _items_filtered(ledger=ledger, filters=filters, today=today).only(*SHEET_FIELDS)


@dataclass(frozen=True)
class LatestProgress:
    """The newest progress entry of an item, as the ledger shows it (see latest_progress)."""

    reported_on: dt.date
    progress: str
    strict_execution: str
    next_steps: str
    by_office: bool
    leader_name: str


@dataclass(frozen=True)
class SheetLinks:
    """Per item id: its lead leaders (id, name) in the people's order, its responsible units' names in
    tree order (as the exports list them), its newest progress."""

    leaders: dict[int, list[tuple[int, str]]]
    units: dict[int, list[str]]
    latest: dict[int, LatestProgress]


def ledger_sheet_links(*, items: list[Item]) -> SheetLinks:
    """The rest of the page's rows, as values rather than model objects (two queries for a page)."""
    ids = [item.pk for item in items]
    leaders: dict[int, list[tuple[int, str]]] = {}
    units: dict[int, list[str]] = {}
    if not ids:
        return SheetLinks(leaders, units, {})
    # SQL written once (core.sql): the page's rows are what it is about, and compiling these two reads
    # through the ORM cost more than running them.
    marks = sql.marks(ids)
    leads, places = Item.lead_leaders.through._meta.db_table, Item.responsible_units.through._meta.db_table
    people, units_table = Person._meta.db_table, Unit._meta.db_table
    # People in Person.Meta's order (unit path, unit head first), units in tree order: one query for both.
    for is_unit, item_id, pk, name, _path, _head in sql.fetch(
            f'SELECT 0, l."item_id", p."id", p."name", pu."path", p."is_unit_head" FROM {leads} l '
            f'INNER JOIN {people} p ON p."id" = l."person_id" INNER JOIN {units_table} pu ON pu."id" = p."unit_id" '
            f'WHERE l."item_id" IN ({marks}) UNION ALL '
            f'SELECT 1, r."item_id", u."id", u."name", u."path", %s FROM {places} r '
            f'INNER JOIN {units_table} u ON u."id" = r."unit_id" WHERE r."item_id" IN ({marks}) '
            "ORDER BY 1, 5, 6 DESC, 3", [*ids, False, *ids]):
        if is_unit:
            units.setdefault(item_id, []).append(name)
        else:
            leaders.setdefault(item_id, []).append((pk, name))
    latest: dict[int, LatestProgress] = {}
    for row in sql.fetch(
            f'SELECT e."item_id", e."reported_on", e."progress", e."strict_execution", e."next_steps", e."by_office", '
            f'lp."name" FROM {ProgressEntry._meta.db_table} e LEFT OUTER JOIN {people} lp ON lp."id" = e."leader_id" '
            f'WHERE e."item_id" IN ({marks}) ORDER BY e."item_id", e."reported_on" DESC, e."id" DESC', ids):
        if row[0] not in latest:
            latest[row[0]] = LatestProgress(*row[1:])
    return SheetLinks(leaders, units, latest)


@dataclass(frozen=True)
class LedgerCounts:
    by_status: dict[str, int]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def ledger_counts(*, ledger: Ledger, today: dt.date | None = None) -> LedgerCounts:
    """The ledger's items by status, and how many are overdue (one query)."""
    rows = (ledger.items.order_by().values_list("status")
            .annotate(n=Count("*"), late=Count("pk", filter=overdue_q(today))))
    return LedgerCounts(by_status={status: n for status, n, _late in rows}, overdue=sum(late for *_, late in rows))


def _linked_to_items(link_table: str, column: str) -> str:
    """The `column` (person or unit) of a link table's rows that belong to the items of one ledger (the
    query's parameter).

    PostgreSQL plans a join or an IN (subquery) against a whole link table as a hash join when its
    statistics lean that way: a parallel scan of every ledger's links (~150 ms for 400,000). Against
    an array of the ledger's item ids it can only probe the links' (item, …) index. SQLite always
    probes that index from the ledger's items, fastest through a join."""
    items = Item._meta.db_table
    if connection.vendor == "postgresql":
        return (f'SELECT k."{column}" FROM {link_table} k '
                f'WHERE k."item_id" = ANY(ARRAY(SELECT i."id" FROM {items} i WHERE i."ledger_id" = %s))')
    return f'SELECT k."{column}" FROM {link_table} k INNER JOIN {items} i ON i."id" = k."item_id" WHERE i."ledger_id" = %s'


class Choice(NamedTuple):
    pk: int
    name: str


def ledger_filter_choices(*, ledger: Ledger) -> tuple[list[Choice], list[Choice]]:
    """The search form's lead leaders (by name) and responsible units (in tree order): those linked to an
    item of this ledger, read from this ledger's links only (one query whatever its size)."""
    # SQL written once (core.sql), like the rows: the ORM took longer to compile this than to run it.
    leaders = _linked_to_items(Item.lead_leaders.through._meta.db_table, "person_id")
    units = _linked_to_items(Item.responsible_units.through._meta.db_table, "unit_id")
    both = sql.fetch(
        f'SELECT 0, p."id", p."name", p."name" FROM {Person._meta.db_table} p WHERE p."id" IN ({leaders}) '
        f'UNION ALL SELECT 1, u."id", u."name", u."path" FROM {Unit._meta.db_table} u WHERE u."id" IN ({units}) '
        "ORDER BY 1, 4, 2", [ledger.pk, ledger.pk])
    people, places = [], []
    for is_unit, pk, name, _sort in both:
        (places if is_unit else people).append(Choice(pk, name))
    return people, places


def latest_progress(item: Item) -> ProgressEntry | None:
    """The newest entry: what the ledger shows in 整改落实情况 and 后段工作措施."""
    newest = getattr(item, "progress_newest_first", None)
    if newest is not None:
        return newest[0] if newest else None
    return item.progress.order_by("-reported_on", "-id").first()


def items_led_by(*, user) -> QuerySet[Item]:
    """我的事项: the items a responsible leader leads, across every unit: as their own lead leader, or as a
    leader of the claimed link through which another unit leads them (上下联动, `_lead_rows`, the workflow's
    rule), once each."""
    persons = policy.persons_of(user)
    own, linked = _lead_rows(persons=persons)
    today = timezone.localdate()
    last_closing = ClosingRequest.objects.filter(item=OuterRef("pk")).order_by("-requested_at", "-id")
    # What needs the leader first: overdue, then sent back or relapsed, then a closing returned to them.
    urgency = Case(
        When(overdue_q(today), then=Value(0)),
        When(status__in=[ItemStatus.SENT_BACK, ItemStatus.RELAPSED], then=Value(1)),
        When(last_closing_state=ClosingState.RETURNED, then=Value(2)),
        default=Value(3),
    )
    return (
        Item.objects.filter(Q(pk__in=own.values("item_id")) | Q(pk__in=linked.values("itemlink__item_id")))
        .annotate(last_closing_state=Subquery(last_closing.values("state")[:1]))
        .annotate(urgency=urgency)
        .select_related("ledger__unit", "ledger__campaign")
        .prefetch_related("lead_leaders", "responsible_units", _latest_progress_prefetch())
        .order_by("urgency", "ledger__unit__path", "ledger__kind", "seq")
    )


# Across ledgers, items keep the tree's order within each choice of the ledger page.
SUBTREE_ORDERINGS = {"seq": ["ledger__unit__path", "ledger_id", "seq"],
                     "due_on": ["due_on", "ledger__unit__path", "ledger_id", "seq"],
                     "-due_on": ["-due_on", "ledger__unit__path", "ledger_id", "seq"],
                     "status": ["status", "ledger__unit__path", "ledger_id", "seq"]}


def items_under(*, user, unit: Unit | None, campaign_id: int | None = None, filters: ItemFilters = ItemFilters(),
                today: dt.date | None = None) -> QuerySet[Item]:
    """事项查询: the items of `unit`'s subtree (or of the reader's whole scope) that the reader may see,
    through the ledger page's filters and in its orders, ready for the item cards (fixed query count
    per page). The caller fetched `unit` through the reader's scope."""
    qs = Item.objects.filter(policy.units_q(user, Perm.WORK_VIEW, "ledger__unit__path"))
    if unit is not None:
        qs = qs.filter(path_range_q(unit.path, "ledger__unit__path"))
    if campaign_id is not None:
        qs = qs.filter(ledger__campaign_id=campaign_id)
    return (_filtered(qs, filters, today)
            .select_related("ledger__unit", "ledger__campaign")
            .prefetch_related("lead_leaders", _latest_progress_prefetch())
            .order_by(*SUBTREE_ORDERINGS.get(filters.order, SUBTREE_ORDERINGS["seq"])))


def items_overdue_count_for(*, user, today: dt.date | None = None) -> int:
    """How many items of the reader's whole scope are overdue, from the kept totals: the top units of the
    scope hold everything below them, and the scope's prefixes never overlap (one query, SQL written once:
    every home page shows it)."""
    scope = policy.scope(user, Perm.WORK_VIEW)
    if not scope:
        return 0
    tops, params = (('u."depth" = 1', []) if scope.everywhere
                    else (f'u."path" IN ({sql.marks(scope.prefixes)})', list(scope.prefixes)))
    return sql.fetch(f'SELECT SUM(t."n") FROM {ItemDueTally._meta.db_table} t JOIN {Unit._meta.db_table} u '
                     f'ON u."id" = t."unit_id" WHERE {tops} AND t."due_on" < %s',
                     [*params, today or timezone.localdate()])[0][0] or 0


def lights_of(units, *, campaign=None, today: dt.date | None = None) -> dict[int, Light]:
    """红黄绿灯 of each unit's whole subtree, from the kept totals (two queries): red with an overdue item,
    amber with one due within the week, green with open items on track. Units without open items have none."""
    today = today or timezone.localdate()
    ids = [u.pk for u in units]
    open_rows = ItemTally.objects.filter(unit__in=ids, status__in=OPEN_STATUSES, n__gt=0)
    due_rows = ItemDueTally.objects.filter(unit__in=ids, due_on__lte=today + dt.timedelta(days=AMBER_DAYS), n__gt=0)
    if campaign is not None:
        open_rows, due_rows = open_rows.filter(campaign=campaign), due_rows.filter(campaign=campaign)
    lights: dict[int, Light] = dict.fromkeys(open_rows.values_list("unit_id", flat=True).distinct(), Light.GREEN)
    for unit_id, due_on in due_rows.values_list("unit_id", "due_on").distinct():
        light = light_for(due_on=due_on, today=today)
        if light == Light.RED or lights.get(unit_id) != Light.RED:
            lights[unit_id] = light
    return lights


class WaitingClosing(NamedTuple):
    """A closing request waiting for the reader's 核验, as the home page's 待办 lists it."""

    pk: int
    item_id: int
    problem: str
    unit_name: str
    requested_at: dt.datetime
    requester: str


_CR = ClosingRequest._meta.db_table
_LEADS = Item.lead_leaders.field
_WAITING_FROM = (f'{_CR} JOIN {Item._meta.db_table} it ON it."id" = {_CR}."item_id" '
                 f'JOIN {Ledger._meta.db_table} lg ON lg."id" = it."ledger_id" '
                 f'JOIN {Unit._meta.db_table} un ON un."id" = lg."unit_id"')


def _pending_in_scope(scope) -> tuple[str, list]:
    """The pending closing requests (table ledgers_closingrequest, its ledger's unit as `un`) of a
    non-empty CLOSE_VERIFY scope, as an SQL condition and its parameters."""
    condition, params = f'{_CR}."state" = %s', [ClosingState.PENDING.value]
    if scope.everywhere:
        return condition, params
    ranges = [path_range_sql(prefix, 'un."path"') for prefix in scope.prefixes]
    return (f"{condition} AND ({' OR '.join(c for c, _ in ranges)})",
            params + [value for _, values in ranges for value in values])


def _not_theirs_to_decide(user) -> list[tuple[str, list]]:
    """The requests the workflow will not let `user` decide (rules.may_decide_closing): their own, and
    those on an item they lead. Separate conditions, so each can be excluded, or looked up alone.

    This and `_pending_in_scope` are SQL written once: the home page lists and counts the requests on
    every request, and the ORM's compiling of these joins cost more than running them."""
    persons = sorted(policy.persons_of(user))
    if not persons:
        return [(f'{_CR}."requested_by_id" = %s', [user.pk])]
    # Their own under any login (rules.is_same_person): this login, and every login acting as one of its people.
    conditions = [(f'({_CR}."requested_by_id" = %s OR {_CR}."requested_by_id" IN ('
                   f'SELECT p."user_id" FROM {Person._meta.db_table} p WHERE p."id" IN ({sql.marks(persons)}) '
                   # NULL in the list would make NOT IN unknown, and drop every request.
                   f'AND p."user_id" IS NOT NULL UNION SELECT ra."user_id" FROM {RoleAssignment._meta.db_table} ra '
                   f'WHERE ra."person_id" IN ({sql.marks(persons)})))', [user.pk, *persons, *persons])]
    conditions.append((f'EXISTS (SELECT 1 FROM {_LEADS.m2m_db_table()} l '
                       f'WHERE l."{_LEADS.m2m_column_name()}" = {_CR}."item_id" '
                       f'AND l."{_LEADS.m2m_reverse_name()}" IN ({sql.marks(persons)}))', persons))
    return conditions


NARROW_SCOPE_SHARE = 100  # a scope holding under 1/100 of all the waiting requests finds its own from its items


def _kept_waiting(tops: str, params: list) -> int:
    return sql.fetch(f'SELECT SUM(t."n") FROM {ClosingTally._meta.db_table} t '
                     f'JOIN {Unit._meta.db_table} u ON u."id" = t."unit_id" WHERE {tops}', params)[0][0] or 0


def pending_closings_oldest(*, user, count: int, limit: int) -> list[WaitingClosing]:
    """The first `limit` closing requests waiting for `user`'s 核验, oldest first; `count` is how many there
    are (pending_closings_count_for). Walked by age (an index) they come at once for a wide scope, but a
    township's few lie among a province's thousands: a scope holding a small share of all the waiting
    requests finds its own from its items instead (measured on a synthetic province of 29,000 waiting:
    29 ms walking against 8 ms for a township; the other way round, 7 ms against 479 for the province)."""
    scope = policy.scope(user, Perm.CLOSE_VERIFY)
    if not scope or not count:
        return []
    condition, params = _pending_in_scope(scope)
    for excluded, excluded_params in _not_theirs_to_decide(user):
        condition += f" AND NOT ({excluded})"
        params += excluded_params
    if count * NARROW_SCOPE_SHARE < _kept_waiting('u."depth" = 1', []):
        # The scope's items first: the planner then reaches the few requests through them.
        ranges = [path_range_sql(prefix, 'un2."path"') for prefix in scope.prefixes]
        condition += (f' AND {_CR}."item_id" IN (SELECT it2."id" FROM {Item._meta.db_table} it2 '
                      f'JOIN {Ledger._meta.db_table} lg2 ON lg2."id" = it2."ledger_id" '
                      f'JOIN {Unit._meta.db_table} un2 ON un2."id" = lg2."unit_id" '
                      f'WHERE {" OR ".join(c for c, _ in ranges)})')
        params += [value for _, values in ranges for value in values]
    rows = sql.fetch(
        f'SELECT {_CR}."id", {_CR}."item_id", it."problem", un."name", {_CR}."requested_at", '
        # The requester's name by a subquery, not a join: SQLite's statistics make a join on the sparse unique
        # Person.user scan every person for each request.
        f'(SELECT p."name" FROM {Person._meta.db_table} p WHERE p."user_id" = {_CR}."requested_by_id" LIMIT 1), '
        f'(SELECT au."username" FROM {get_user_model()._meta.db_table} au WHERE au."id" = {_CR}."requested_by_id") '
        f'FROM {_WAITING_FROM} WHERE {condition} ORDER BY {_CR}."requested_at", {_CR}."id" LIMIT %s',
        [*params, limit])
    return [WaitingClosing(pk, item_id, problem, unit_name, sql.aware(at), name or username)
            for pk, item_id, problem, unit_name, at, name, username in rows]


def pending_closings_count_for(*, user) -> int:
    """How many closing requests wait for `user`'s 核验, without counting a province's requests per request:
    the kept count of the scope's top units (ClosingTally), less the requests the user may not decide,
    found from their side (their own requests, the items they lead: few, and indexed)."""
    scope = policy.scope(user, Perm.CLOSE_VERIFY)
    if not scope:
        return 0
    if scope.everywhere:
        kept = _kept_waiting('u."depth" = 1', [])
    else:
        kept = _kept_waiting(f'u."path" IN ({sql.marks(scope.prefixes)})', list(scope.prefixes))
    if not kept:
        return 0
    condition, params = _pending_in_scope(scope)
    excluded = _not_theirs_to_decide(user)
    either = " OR ".join(f"({c})" for c, _ in excluded)
    left_out = sql.fetch(f"SELECT COUNT(*) FROM {_WAITING_FROM} WHERE {condition} AND ({either})",
                         [*params, *(value for _, values in excluded for value in values)])[0][0]
    return kept - left_out


def special_tasks_for(*, unit) -> QuerySet[SpecialTask]:
    """The catalogue a unit picks from: 中央 and 省 tasks, its own and its ancestors' 市/本单位 tasks."""
    return SpecialTask.objects.filter(is_active=True).filter(
        Q(tier__in=[TaskTier.CENTRAL, TaskTier.PROVINCE])
        | Q(owner_unit__path__in=ancestor_paths(unit.path, include_self=True))
    )


@dataclass(frozen=True)
class ItemCounts:
    by_status: dict
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def closed(self) -> int:
        return self.by_status.get(ItemStatus.CLOSED, 0)


def item_counts_under(*, unit, today: dt.date | None = None) -> ItemCounts:
    """Items of every ledger in the unit's subtree, by status, and how many are overdue: one read of the
    kept totals, whatever the size of the subtree (SQL written once: every unit page makes it)."""
    rows = sql.fetch(
        f"SELECT status, SUM(n) FROM {ItemTally._meta.db_table} WHERE unit_id = %s AND n > 0 GROUP BY status "
        f"UNION ALL SELECT NULL, SUM(n) FROM {ItemDueTally._meta.db_table} WHERE unit_id = %s AND due_on < %s",
        [unit.pk, unit.pk, today or timezone.localdate()])
    by_status = {status: count for status, count in rows if status is not None}
    overdue = next((count for status, count in rows if status is None), None)
    return ItemCounts(by_status=by_status, overdue=overdue or 0)
