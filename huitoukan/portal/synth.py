"""A synthetic province for benchmarks and load tests: `huitoukan synth --units N --items M --seed S`.

省 > 市 > 县市区 > 乡镇/街道 > 村/社区, with 机关单位 and 窗口单位 at the city and county levels and
高校 and 国有企业 under the province; three leaders in every unit above the villages; the four
ledgers of every such unit (the personal one for its head); items with realistic mixes of status,
四风, deadline kinds and overdue dates, one progress report each once work has started; the kept
totals of them all; and one login per role at the province, a city, a county and a township. The
same seed gives the same rows.

How it is fast. Every row is made as a tuple of the values the database stores, with its id, and
written raw: COPY on PostgreSQL, executemany on SQLite; no model object, no history (the province is
a benchmark's fixture, not anybody's work). The items are drawn a column at a time, with three
`random.choices(k=...)` in all (the ledgers; status, deadline kind, 四风, problem and leader as one
draw from their product; the two dates as one), from pools of ready-made texts and dates, and put
in the order of their ledgers, so every index grows at its end. On PostgreSQL a table's rows are
formatted as COPY text a block at a time, constant columns baked into the line's template, and the
server takes a block in while the next one is formatted. The kept totals are counted from the drawn
columns and summed up the tree, not recounted from the tables. Statistics (ANALYZE) are brought up
to date at the end, so the planner knows the new tables (SQLite has none until then).

`reference` writes the very same rows again, the same way, into copies of the same tables (same
indexes, constraints and foreign keys) in a scratch schema (PostgreSQL) or an attached scratch
database (SQLite), commit included: what the whole synth is measured against.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter

from huitoukan.access.models import Account, AccountKind, Role, RoleAssignment
from huitoukan.campaigns.models import Campaign
from huitoukan.core.paths import ALPHABET, STEPLEN
from huitoukan.core.statistics import planner_statistics_refresh
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import (
    OPEN_STATUSES,
    ClosingRequest,
    ClosingState,
    ClosingTally,
    DeadlineMode,
    FourWinds,
    Item,
    ItemDueTally,
    ItemEvent,
    ItemEventKind,
    ItemStatus,
    ItemTally,
    Ledger,
    LedgerTally,
    ProgressEntry,
)
from huitoukan.orgs.models import Person, Unit, UnitKind, UnitLevel, UnitTally

PROBLEMS = [
    ("文山会海问题仍然存在，会议多、文件多", "严格控制会议和发文数量，推行视频会议"),
    ("窗口单位“门难进、脸难看、事难办”", "推行首问负责、限时办结、一次性告知"),
    ("公务接待超标准、陪餐人员多", "执行公务接待标准，实行公函制度和清单制度"),
    ("深入基层调研不够，到联系点次数少", "每月到联系点调研不少于4天"),
    ("公车私用、超标配车", "清理公务用车，建立使用登记制度"),
    ("办公用房超标", "按标准腾退调整超标办公用房"),
    ("干部“走读”现象", "工作日住乡住村，实行去向公示"),
    ("评比达标表彰过多过滥", "清理规范评比达标表彰项目"),
]
PROGRESS_TEXT = ("已按措施推进，完成阶段目标。", "巩固整改成果，建立长效机制。")
STATUS_MIX = [(ItemStatus.IN_PROGRESS, 38), (ItemStatus.BASICALLY_DONE, 24), (ItemStatus.CLOSED, 22),
              (ItemStatus.NOT_STARTED, 9), (ItemStatus.SENT_BACK, 4), (ItemStatus.RELAPSED, 3)]
KIND_MIX = [(LedgerKind.LEADERSHIP, 50), (LedgerKind.PERSONAL, 25), (LedgerKind.SPECIAL, 15),
            (LedgerKind.INSTITUTION, 10)]
MODE_MIX = [(DeadlineMode.DATE, 65), (DeadlineMode.LONG_TERM, 22), (DeadlineMode.IMMEDIATE, 13)]
WINDS_KINDS = frozenset({LedgerKind.LEADERSHIP.value, LedgerKind.PERSONAL.value})  # the ledgers with a 四风 column
CAMPAIGN_START, CAMPAIGN_END = dt.date(2014, 12, 31), dt.date(2015, 2, 28)
DUE_DAYS = [(CAMPAIGN_START + dt.timedelta(days=d)).isoformat() for d in range(150)]
REPORT_DAYS = [(CAMPAIGN_START + dt.timedelta(days=d)).isoformat() for d in range(5, 40)]
REPORT_GAP = 10  # days between an item's reports
REPORTS_MIX = [(1, 5), (2, 3), (3, 2)]  # reports of a started item
PENDING_SHARE = 0.3  # of the items 基本完成, those with a closing request waiting for 核验
CLOSING_TEXT = ("已按整改措施完成整改，申请销号。", "经核验，整改到位，同意销号。")
ESTABLISHED_ON = dt.date(2013, 6, 18)
# An item's independent draws as one, from their product: (status, deadline kind, 四风, problem,
# measures, which of its unit's three leaders leads it), weighted by status and deadline kind.
_ITEM_DRAWS = [(str(status), str(mode), winds, problem, measures, leader)
               for status, _s in STATUS_MIX for mode, _m in MODE_MIX for winds in FourWinds.values
               for problem, measures in PROBLEMS for leader in range(3)]
_ITEM_WEIGHTS = list(itertools.accumulate(
    s * m for _status, s in STATUS_MIX for _mode, m in MODE_MIX for _w in FourWinds.values for _p in PROBLEMS
    for _l in range(3)))
_DAY_DRAWS = list(itertools.product(DUE_DAYS, REPORT_DAYS))  # a deadline, and the day progress was reported
SCRATCH = "synth_reference"  # the schema (PostgreSQL) or attached database (SQLite) of the reference's tables
_BLOCK = 20_000  # rows per COPY block / executemany call

# Texts go into COPY lines as they are: none may hold what COPY's text format escapes.
assert not any(c in text for pair in PROBLEMS for text in (*pair, *PROGRESS_TEXT) for c in "\t\n\r\\")


@dataclass
class Table:
    """One table's rows, in its column order: `blocks()` makes them from their columns a block at a
    time (COPY text on PostgreSQL, tuples for executemany on SQLite), the same each time it is called,
    so `reference` sends exactly what synth sent."""

    model: type
    columns: list[str]
    count: int
    blocks: Callable[[], Iterator] = field(repr=False)


def _is_column(value) -> bool:
    return isinstance(value, list | tuple)


def _table(model, count: int, values: dict) -> Table:
    """The rows of `model` from `values`: for each column, a list (one value per row, already as the
    database stores it, NULL as `_null()`) or a constant (any Python value, adapted here once)."""
    columns = [f.column for f in model._meta.concrete_fields]
    if set(columns) != set(values):
        raise ValueError(f"{model._meta.db_table}: columns {sorted(set(columns) ^ set(values))}")
    ordered = [values[c] for c in columns]
    if connection.vendor == "postgresql":
        # One %-template per line: a %s per listed column, constants written in (ints and texts as
        # they are; bools as Python prints them, which PostgreSQL's boolean input takes).
        template = "\t".join("%s" if _is_column(v) else _copy_text(v) for v in ordered) + "\n"
        lists = [v for v in ordered if _is_column(v)]

        def blocks():
            for start in range(0, count, _BLOCK):
                yield "".join(map(template.__mod__, zip(*(v[start:start + _BLOCK] for v in lists), strict=True)))
    else:
        adapted = [v if _is_column(v) else _sqlite_value(v) for v in ordered]

        def blocks():
            for start in range(0, count, _BLOCK):
                size = min(_BLOCK, count - start)
                yield zip(*(v[start:start + _BLOCK] if _is_column(v) else itertools.repeat(v, size) for v in adapted),
                          strict=True)
    return Table(model, columns, count, blocks)


def _null():
    return r"\N" if connection.vendor == "postgresql" else None


def _copy_text(value) -> str:
    """A constant as it stands in a COPY text line (and in a %-template: `%` doubled)."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        text = "t" if value else "f"
    elif isinstance(value, dt.date):  # dates and aware datetimes
        text = value.isoformat()
    else:
        text = str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text.replace("%", "%%")


def _sqlite_value(value):
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _write(table: Table, blocks=None, *, schema: str | None = None, done: Callable[[int], None] | None = None
           ) -> None:
    """Write the table's rows (`blocks`, else made now): COPY on PostgreSQL, executemany on SQLite;
    `done(rows)` after each block."""
    quote = connection.ops.quote_name
    name = f"{schema}.{quote(table.model._meta.db_table)}" if schema else quote(table.model._meta.db_table)
    names = ", ".join(quote(c) for c in table.columns)
    sizes = (min(_BLOCK, table.count - start) for start in range(0, table.count, _BLOCK))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The queued writer sends from a thread of its own: the server takes a block in while
            # the next one is formatted.
            raw = cursor.cursor
            with raw.copy(f"COPY {name} ({names}) FROM STDIN", writer=QueuedLibpqWriter(raw)) as copy:
                for block, size in zip(blocks or table.blocks(), sizes, strict=True):
                    copy.write(block)
                    if done:
                        done(size)
        else:
            sql = f"INSERT INTO {name} ({names}) VALUES ({', '.join(['%s'] * len(table.columns))})"
            for block, size in zip(blocks or table.blocks(), sizes, strict=True):
                cursor.executemany(sql, block)
                if done:
                    done(size)


@dataclass
class SynthResult:
    units: int = 0
    people: int = 0
    ledgers: int = 0
    items: int = 0
    progress: int = 0
    closings: int = 0
    events: int = 0
    tallies: int = 0
    campaign_id: int | None = None
    user_ids: list[int] = field(default_factory=list)  # logins that written rows name (made through the ORM)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, unit
    seconds: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    total: float = 0.0  # seconds, commit included
    tables: list[Table] = field(default_factory=list, repr=False)  # every table written, as written

    @property
    def rows(self) -> int:
        return sum(t.count for t in self.tables)


def _step(n: int) -> str:
    digits = ""
    while n:
        n, r = divmod(n, len(ALPHABET))
        digits = ALPHABET[r] + digits
    return digits.rjust(STEPLEN, ALPHABET[0])


class _Tree:
    """Units as rows (parent index, name, level, kind), with paths assigned as treebeard would."""

    def __init__(self):
        self.rows: list[dict] = []
        self._children: dict[int, int] = {}
        # A new root after the last one, as treebeard's add_root would (the alphabet is base 36's).
        last_root = Unit.objects.filter(depth=1).order_by("-path").values_list("path", flat=True).first()
        self._roots = int(last_root, len(ALPHABET)) if last_root else 0

    def add(self, parent: int | None, name: str, level: str, kind: str) -> int:
        if parent is None:
            self._roots += 1
            path, full_name, depth = _step(self._roots), name, 1
        else:
            up = self.rows[parent]
            self._children[parent] = self._children.get(parent, 0) + 1
            path = up["path"] + _step(self._children[parent])
            full_name, depth = f"{up['full_name']}/{name}", up["depth"] + 1
        self.rows.append({"path": path, "depth": depth, "name": name, "full_name": full_name, "level": str(level),
                          "kind": str(kind), "parent": parent})
        return len(self.rows) - 1

    def numchild(self, index: int) -> int:
        return self._children.get(index, 0)


def _plan_tree(units: int, seed: int) -> _Tree:
    tree = _Tree()
    province = tree.add(None, f"合成省{seed}", UnitLevel.PROVINCE, UnitKind.PARTY_COMMITTEE)
    for i, (kind, name) in enumerate([(UnitKind.UNIVERSITY, "大学"), (UnitKind.UNIVERSITY, "师范大学"),
                                      (UnitKind.STATE_ENTERPRISE, "建设投资集团"), (UnitKind.ORGAN, "教育厅")]):
        tree.add(province, f"省{name}{i + 1}", UnitLevel.PROVINCE, kind)
    cities = max(1, min(14, round(units / 1400)))
    counties = max(cities, round(units / 165))
    townships = max(counties, round(units * 0.09))
    city_ids = [tree.add(province, f"第{c + 1:02d}市", UnitLevel.CITY, UnitKind.PARTY_COMMITTEE)
                for c in range(cities)]
    for city in city_ids:
        for organ in ("教育局", "公安局", "住建局"):
            tree.add(city, f"{tree.rows[city]['name']}{organ}", UnitLevel.CITY, UnitKind.ORGAN)
        tree.add(city, f"{tree.rows[city]['name']}政务服务中心", UnitLevel.CITY, UnitKind.LAW_ENFORCEMENT)
    county_ids = [tree.add(city_ids[c % cities], f"第{c + 1:03d}县", UnitLevel.COUNTY, UnitKind.PARTY_COMMITTEE)
                  for c in range(counties)]
    for county in county_ids:
        tree.add(county, f"{tree.rows[county]['name']}教育局", UnitLevel.COUNTY, UnitKind.ORGAN)
        tree.add(county, f"{tree.rows[county]['name']}政务服务中心", UnitLevel.COUNTY, UnitKind.LAW_ENFORCEMENT)
    township_ids = [tree.add(county_ids[t % counties], f"第{t + 1:04d}镇", UnitLevel.TOWNSHIP,
                             UnitKind.PARTY_COMMITTEE) for t in range(townships)]
    for v in range(max(0, units - len(tree.rows))):
        tree.add(township_ids[v % townships], f"第{v + 1:05d}村", UnitLevel.VILLAGE, UnitKind.GRASSROOTS)
    return tree


def _next_id(model) -> int:
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1


def _ids(model, count: int) -> list[int]:
    first = _next_id(model)
    return list(range(first, first + count))


@dataclass
class _Province:
    """What the items are drawn against: the units, the people and the ledgers, by index."""

    unit_ids: list[int]
    unit_levels: list[str]
    parents: list[int | None]  # per unit: the index of its parent
    first_leader: dict[int, int]  # unit id -> the id of its head; its two other leaders follow it
    ledger_ids: list[int]
    ledger_units: list[int]  # index into unit_ids
    ledger_kinds: list[str]
    campaign_id: int = 0
    leader_logins: dict[int, int] = field(default_factory=dict)  # person id -> the id of the leader's login
    verifier_id: int = 0  # the login that verified the closings


def synth(*, units: int, items: int, seed: int, report: Callable[[str, int, int], None] | None = None
          ) -> SynthResult:
    """Build the province in one transaction, then ANALYZE its tables; `report(stage, done, total)`
    follows the progress. `result.total` is the whole time, the commit and ANALYZE included;
    `result.seconds` splits it by stage."""
    report = report or (lambda *args: None)
    result = SynthResult()
    started = time.perf_counter()
    with transaction.atomic():
        _build(result, units=units, items=items, seed=seed, report=report)
        clock = time.perf_counter()
    result.seconds["commit"] = time.perf_counter() - clock
    # Statistics once the rows are in (and before, on PostgreSQL, the foreign keys were checked at
    # commit without them, as the reference's are).
    clock = time.perf_counter()
    report("statistics", 0, 1)
    # The whole database, with core.statistics' corrections: the tables synth leaves empty (closing
    # requests…) recorded as empty, or SQLite takes them for a million rows and misplans the home page.
    planner_statistics_refresh()
    report("statistics", 1, 1)
    result.seconds["statistics (ANALYZE)"] = time.perf_counter() - clock
    result.total = time.perf_counter() - started
    return result


def _build(result: SynthResult, *, units: int, items: int, seed: int, report) -> None:
    rng = random.Random(seed)
    now = timezone.now()
    null = _null()
    stage = _Stages(result, report)

    # Units, their leaders and ledgers.
    tree = _plan_tree(units, seed)
    count = len(tree.rows)
    unit_ids = _ids(Unit, count)
    rows = tree.rows
    unit_table = _table(Unit, count, {
        "id": unit_ids, "path": [r["path"] for r in rows], "depth": [r["depth"] for r in rows],
        "numchild": [tree.numchild(i) for i in range(count)], "full_name": [r["full_name"] for r in rows],
        "name": [r["name"] for r in rows], "level": [r["level"] for r in rows], "kind": [r["kind"] for r in rows],
        "batch": "", "sector": "", "established_on": ESTABLISHED_ON, "abolished_on": None, "merged_into_id": None,
        "created_at": now, "updated_at": now})
    working = [i for i, r in enumerate(rows) if r["level"] != UnitLevel.VILLAGE]
    titles = ("书记", "副书记", "纪委书记")
    person_ids = _ids(Person, 3 * len(working))
    person_units = [unit_ids[u] for u in working for _t in titles]
    person_table = _table(Person, len(person_ids), {
        "id": person_ids, "name": [f"{rows[u]['name']}{t}" for u in working for t in titles],
        "position": [t for _u in working for t in titles], "unit_id": person_units,
        "is_party_leader": True, "is_unit_head": [t == titles[0] for _u in working for t in titles],
        "user_id": None, "is_active": True, "created_at": now})
    first_leader = {unit_ids[u]: person_ids[3 * k] for k, u in enumerate(working)}
    stage.write(unit_table, person_table, progress="units")

    campaign = Campaign.objects.create(owner_unit_id=unit_ids[0], name=f"整改落实情况“回头看”（合成{seed}）",
                                       starts_on=CAMPAIGN_START, ends_on=CAMPAIGN_END)
    result.campaign_id = campaign.pk
    kinds = [str(kind) for kind in LedgerKind]
    ledger_units = [u for u in working for _k in kinds]
    ledger_kinds = [k for _u in working for k in kinds]
    ledger_ids = _ids(Ledger, len(ledger_units))
    ledger_table = _table(Ledger, len(ledger_ids), {
        "id": ledger_ids, "campaign_id": campaign.pk, "unit_id": [unit_ids[u] for u in ledger_units],
        "kind": ledger_kinds,
        "person_id": [first_leader[unit_ids[u]] if k == LedgerKind.PERSONAL else null
                      for u, k in zip(ledger_units, ledger_kinds, strict=True)],
        "filled_on": CAMPAIGN_START, "created_at": now})
    stage.write(ledger_table, progress="ledgers")
    result.units, result.people, result.ledgers = count, len(person_ids), len(ledger_ids)
    stage.done("units, people, ledgers")

    province = _Province(unit_ids, [r["level"] for r in rows], [r["parent"] for r in rows], first_leader,
                         ledger_ids, ledger_units, ledger_kinds, campaign.pk)
    # The logins come first: a login for each leader (责任领导 of their unit), who asks to close their items;
    # the province office verifies them.
    result.logins = _logins(tree, unit_ids, first_leader, seed)
    province.verifier_id = get_user_model().objects.get(
        username=f"s{seed}_{UnitLevel.PROVINCE}_{Role.CAMPAIGN_OFFICE}").pk
    result.user_ids = [province.verifier_id]
    leader_users, leader_accounts, leader_grants = _leader_logins(person_ids, person_units, seed, now, province)
    stage.write(leader_users, leader_accounts, leader_grants, progress="logins")
    stage.done("logins")
    tables, columns = _items(rng, items, province, now, null)
    result.items, result.progress = tables[0].count, tables[3].count
    result.closings, result.events = tables[4].count, tables[5].count
    stage.done("items, reports, closings: drawn")
    stage.write(*tables, progress="items")
    stage.done("items, reports, closings: written")

    tallies = [*_tallies(province, columns, null), *_unit_and_ledger_tallies(province)]
    result.tallies = sum(t.count for t in tallies)
    stage.done("kept totals: counted")
    stage.write(*tallies, progress="totals")
    stage.done("kept totals: written")

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [t.model for t in result.tables]):
                cursor.execute(sql)


def _leader_logins(person_ids: list[int], person_units: list[int], seed: int, now, p: _Province
                   ) -> tuple[Table, Table, Table]:
    """A login for every leader, granted 责任领导 of their unit as that person, as an office would set them
    up: leaders report progress and ask to close their own items. No password: they cannot sign in."""
    User = get_user_model()
    user_ids = _ids(User, len(person_ids))
    p.leader_logins = dict(zip(person_ids, user_ids, strict=True))
    users = _table(User, len(user_ids), {
        "id": user_ids, "password": "!", "last_login": None, "is_superuser": False,
        "username": [f"s{seed}_leader_{pk}" for pk in person_ids], "first_name": "", "last_name": "", "email": "",
        "is_staff": False, "is_active": True, "date_joined": now})
    # Business logins of their own unit (access.models.Account).
    accounts = _table(Account, len(user_ids), {
        "id": _ids(Account, len(user_ids)), "user_id": user_ids, "kind": str(AccountKind.BUSINESS),
        "unit_id": person_units, "must_change_password": False, "created_by_id": None, "created_at": now})
    grants = _table(RoleAssignment, len(user_ids), {
        "id": _ids(RoleAssignment, len(user_ids)), "user_id": user_ids, "role": str(Role.RESPONSIBLE_LEADER),
        "unit_id": person_units, "person_id": person_ids, "supervision_group_id": None, "granted_by_id": None,
        "granted_at": now})
    return users, accounts, grants


class _Stages:
    """The clock of each stage, and the tables written so far (for the reference)."""

    def __init__(self, result: SynthResult, report):
        self.result, self.report = result, report
        self.clock = time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.result.seconds[name] = self.result.seconds.get(name, 0.0) + now - self.clock
        self.clock = now

    def write(self, *tables: Table, progress: str | None = None) -> None:
        total = sum(t.count for t in tables)
        written = 0

        def done(rows):
            nonlocal written
            written += rows
            if progress:
                self.report(progress, written, total)

        if progress:
            self.report(progress, 0, total)
        for table in tables:
            _write(table, done=done)
            self.result.tables.append(table)


def _items(rng: random.Random, n: int, province: _Province, now, null) -> tuple[list[Table], dict]:
    """The items, their lead leader and responsible unit links, their progress reports, closings and
    events, drawn a column at a time; also the columns the kept totals are counted from."""
    p = province
    # A ledger is drawn with its kind's share of the items, spread evenly over the ledgers of the kind.
    per_kind = Counter(p.ledger_kinds)
    weight = dict(KIND_MIX)
    picks = rng.choices(range(len(p.ledger_ids)), k=n, cum_weights=list(itertools.accumulate(
        weight[k] / per_kind[k] for k in p.ledger_kinds)))
    picks.sort()  # a ledger's items are entered together: ids, (ledger, seq) and the links grow at their ends
    seq = [s for c in Counter(picks).values() for s in range(1, c + 1)]
    # The rest in two draws an item: status, deadline kind, 四风, problem and lead leader together
    # (independent, so drawn as one from their product), then the deadline and report dates.
    statuses, modes, winds, problems, measures, leaders = _columns(
        rng.choices(_ITEM_DRAWS, cum_weights=_ITEM_WEIGHTS, k=n), 6)
    days, reported = _columns(rng.choices(_DAY_DRAWS, k=n), 2)

    date, closed, end = str(DeadlineMode.DATE), str(ItemStatus.CLOSED), CAMPAIGN_END.isoformat()
    due = [d if m == date else null for d, m in zip(days, modes, strict=True)]
    has_winds = [k in WINDS_KINDS for k in p.ledger_kinds]
    winds = [w if has_winds[ledger] else "" for w, ledger in zip(winds, picks, strict=True)]
    ledger_unit_ids = [p.unit_ids[u] for u in p.ledger_units]
    unit_of = [ledger_unit_ids[ledger] for ledger in picks]
    leader_ids = [p.first_leader[u] + k for u, k in zip(unit_of, leaders, strict=True)]
    item_ids = _ids(Item, n)

    item = _table(Item, n, {
        "id": item_ids, "ledger_id": [p.ledger_ids[ledger] for ledger in picks], "seq": seq,
        "problem": problems, "measures": measures, "four_winds": winds,
        "subject": "", "problem_level": "", "handling": "", "source": "", "deadline_mode": modes, "due_on": due,
        "review_on": None, "special_task_id": None, "category": "", "institution_action": "", "status": statuses,
        "closed_on": [(d if d != null else end) if s == closed else null for s, d in zip(statuses, due, strict=True)],
        "created_at": now, "updated_at": now})
    leader_links = Item.lead_leaders.through
    leader_link = _table(leader_links, n, {"id": _ids(leader_links, n), "item_id": item_ids,
                                           "person_id": leader_ids})
    unit_links = Item.responsible_units.through
    unit_link = _table(unit_links, n, {"id": _ids(unit_links, n), "item_id": item_ids, "unit_id": unit_of})
    not_started, basically_done = str(ItemStatus.NOT_STARTED), str(ItemStatus.BASICALLY_DONE)
    in_progress = str(ItemStatus.IN_PROGRESS)
    started = [i for i, s in enumerate(statuses) if s != not_started]
    # Each started item's reports, REPORT_GAP days apart: the earlier ones 推进中, the last one its status now
    # (基本完成 for a closed item: the closing, not a report, closed it).
    counts = rng.choices([k for k, _w in REPORTS_MIX], weights=[w for _k, w in REPORTS_MIX], k=len(started))
    report_of, day_of, last_of = [], [], []
    for i, k in zip(started, counts, strict=True):
        day = dt.date.fromisoformat(reported[i])
        for j in range(k):
            report_of.append(i)
            day_of.append((day + dt.timedelta(days=REPORT_GAP * j)).isoformat())
            last_of.append(j == k - 1)
    progress = _table(ProgressEntry, len(report_of), {
        "id": _ids(ProgressEntry, len(report_of)), "item_id": [item_ids[i] for i in report_of],
        "reported_on": day_of, "progress": PROGRESS_TEXT[0], "strict_execution": "", "next_steps": PROGRESS_TEXT[1],
        "status_after": [(basically_done if statuses[i] == closed else statuses[i]) if last else in_progress
                         for i, last in zip(report_of, last_of, strict=True)],
        "leader_id": [leader_ids[i] for i in report_of], "by_office": False, "author_id": None, "created_at": now})
    closings, events, waiting = _closings(rng, statuses, item_ids, [p.leader_logins[pk] for pk in leader_ids], p,
                                          now, null)
    return [item, leader_link, unit_link, progress, closings, events], {
        "picks": picks, "statuses": statuses, "winds": winds, "due": due, "waiting": waiting}


def _closings(rng: random.Random, statuses: list[str], item_ids: list[int], requesters: list[int], p: _Province,
              now, null) -> tuple[Table, Table, list[int]]:
    """销号 and what came after it: a verified closing for each item closed, and for each item reopened
    since (回炉, 反弹: closed first); a closing waiting for 核验 for PENDING_SHARE of the items 基本完成.
    Each with its events in the item's timeline (申请销号, 核验销号, 回炉, 反弹); also the items waiting."""
    closed, basically_done = str(ItemStatus.CLOSED), str(ItemStatus.BASICALLY_DONE)
    reopened = {str(ItemStatus.SENT_BACK): str(ItemEventKind.SENT_BACK),
                str(ItemStatus.RELAPSED): str(ItemEventKind.RELAPSED)}
    verified = [i for i, s in enumerate(statuses) if s == closed or s in reopened]
    waiting = [i for i, s in enumerate(statuses) if s == basically_done and rng.random() < PENDING_SHARE]
    rows = [*((i, True) for i in verified), *((i, False) for i in waiting)]
    rows.sort()
    # A column of values is written as the database stores them (a constant is adapted by _table).
    decided_at = now.isoformat() if connection.vendor == "postgresql" else _sqlite_value(now)
    closing_table = _table(ClosingRequest, len(rows), {
        "id": _ids(ClosingRequest, len(rows)), "item_id": [item_ids[i] for i, _done in rows],
        "summary": CLOSING_TEXT[0], "requested_by_id": [requesters[i] for i, _done in rows], "requested_at": now,
        "state": [str(ClosingState.VERIFIED if done else ClosingState.PENDING) for _i, done in rows],
        "decided_by_id": [p.verifier_id if done else null for _i, done in rows],
        "decided_at": [decided_at if done else null for _i, done in rows],
        "decision_note": [CLOSING_TEXT[1] if done else "" for _i, done in rows]})
    requested, verified_kind = str(ItemEventKind.CLOSE_REQUESTED), str(ItemEventKind.CLOSED)
    events = []  # (item index, kind, actor, status before, status after)
    for i, done in rows:
        events.append((i, requested, requesters[i], basically_done, basically_done))
        if done:
            events.append((i, verified_kind, p.verifier_id, basically_done, closed))
            if statuses[i] in reopened:
                events.append((i, reopened[statuses[i]], p.verifier_id, closed, statuses[i]))
    event_table = _table(ItemEvent, len(events), {
        "id": _ids(ItemEvent, len(events)), "item_id": [item_ids[e[0]] for e in events],
        "kind": [e[1] for e in events], "at": now, "actor_id": [e[2] for e in events],
        "status_before": [e[3] for e in events], "status_after": [e[4] for e in events], "note": ""})
    return closing_table, event_table, waiting


def _columns(rows: list[tuple], width: int) -> list[list]:
    """Rows as columns (zip(*rows) calls next() on an iterator per row: several times slower)."""
    return [[row[i] for row in rows] for i in range(width)]


def _upwards(own: dict[int, Counter], parents: list[int | None]) -> dict[int, Counter]:
    """Each unit's counts with those of every unit below it: children before parents (a parent's
    index is below its children's), each adding its whole subtree's counts to its parent's."""
    total = {u: Counter(counts) for u, counts in own.items()}
    for u in sorted(total, reverse=True):
        parent = parents[u]
        if parent is not None:
            if parent in total:
                total[parent].update(total[u])
            else:
                total[parent] = Counter(total[u])
    return total


def _tallies(p: _Province, columns: dict, null) -> list[Table]:
    """The kept totals (ledgers.totals) of the drawn items: counted by ledger, summed up the tree.
    The province is a new tree under a new campaign, so these rows are all new; what other
    provinces count is left as it is."""
    picks, statuses, winds, due = columns["picks"], columns["statuses"], columns["winds"], columns["due"]
    own: dict[int, Counter] = {}
    for (ledger, status, four_winds), n in Counter(zip(picks, statuses, winds, strict=True)).items():
        unit = p.ledger_units[ledger]
        key = (p.ledger_kinds[ledger], p.unit_levels[unit], status, four_winds)
        if unit not in own:
            own[unit] = Counter()
        own[unit][key] += n
    open_statuses = {str(s) for s in OPEN_STATUSES}
    own_due: dict[int, Counter] = {}
    for (ledger, day, four_winds), n in Counter((ledger, d, w) for ledger, d, s, w in zip(picks, due, statuses, winds,
                                                                                         strict=True)
                                                if d != null and s in open_statuses).items():
        unit = p.ledger_units[ledger]
        if unit not in own_due:
            own_due[unit] = Counter()
        own_due[unit][(day, four_winds)] += n
    tally = [(p.unit_ids[u], *key, n) for u, counts in _upwards(own, p.parents).items() for key, n in counts.items()]
    by_due = [(p.unit_ids[u], day, four_winds, n) for u, counts in _upwards(own_due, p.parents).items()
              for (day, four_winds), n in counts.items()]
    own_waiting = {}
    for ledger, n in Counter(picks[i] for i in columns["waiting"]).items():
        own_waiting.setdefault(p.ledger_units[ledger], Counter())[p.campaign_id] += n
    waiting = [(p.unit_ids[u], n) for u, counts in _upwards(own_waiting, p.parents).items() for n in counts.values()]
    unit_id, kind, level, status, four_winds, count = _columns(tally, 6)
    due_unit, due_on, due_winds, due_count = _columns(by_due, 4)
    waiting_unit, waiting_n = _columns(waiting, 2)
    return [
        _table(ItemTally, len(tally), {
            "id": _ids(ItemTally, len(tally)), "unit_id": unit_id, "campaign_id": p.campaign_id, "kind": kind,
            "unit_level": level, "status": status, "four_winds": four_winds, "n": count}),
        _table(ItemDueTally, len(by_due), {
            "id": _ids(ItemDueTally, len(by_due)), "unit_id": due_unit, "campaign_id": p.campaign_id,
            "due_on": due_on, "four_winds": due_winds, "n": due_count}),
        _table(ClosingTally, len(waiting), {
            "id": _ids(ClosingTally, len(waiting)), "unit_id": waiting_unit, "campaign_id": p.campaign_id,
            "n": waiting_n}),
    ]


def _unit_and_ledger_tallies(p: _Province) -> list[Table]:
    """The kept counts of the units in force by level (orgs.totals) and of the ledgers by campaign and
    kind (ledgers.totals) under every unit, its own included: counted from the plan, summed up the tree."""
    own_units = {u: Counter({level: 1}) for u, level in enumerate(p.unit_levels)}
    own_ledgers: dict[int, Counter] = {}
    for unit, kind in zip(p.ledger_units, p.ledger_kinds, strict=True):
        if unit not in own_ledgers:
            own_ledgers[unit] = Counter()
        own_ledgers[unit][kind] += 1
    units = [(p.unit_ids[u], level, n) for u, counts in _upwards(own_units, p.parents).items()
             for level, n in counts.items()]
    ledgers = [(p.unit_ids[u], kind, n) for u, counts in _upwards(own_ledgers, p.parents).items()
               for kind, n in counts.items()]
    unit_id, level, unit_n = _columns(units, 3)
    ledger_unit, kind, ledger_n = _columns(ledgers, 3)
    return [
        _table(UnitTally, len(units), {"id": _ids(UnitTally, len(units)), "unit_id": unit_id, "level": level,
                                       "n": unit_n}),
        _table(LedgerTally, len(ledgers), {"id": _ids(LedgerTally, len(ledgers)), "unit_id": ledger_unit,
                                           "campaign_id": p.campaign_id, "kind": kind, "n": ledger_n}),
    ]


def _logins(tree: _Tree, unit_ids: list[int], first_leader: dict, seed: int) -> list[tuple[str, str, str]]:
    """One login per role at the province, the first city, county and township."""
    first = {}
    for i, r in enumerate(tree.rows):
        if r["kind"] == UnitKind.PARTY_COMMITTEE:
            first.setdefault(r["level"], i)
    password = make_password(settings.DEMO_PASSWORD)
    User = get_user_model()
    logins, accounts = [], []
    for level in (UnitLevel.PROVINCE, UnitLevel.CITY, UnitLevel.COUNTY, UnitLevel.TOWNSHIP):
        unit = first[level]
        unit_id = unit_ids[unit]
        for role in (Role.CAMPAIGN_OFFICE, Role.UNIT_FILLER, Role.UNIT_HEAD, Role.RESPONSIBLE_LEADER, Role.DISCIPLINE):
            username = f"s{seed}_{level}_{role}"
            user = User.objects.create(username=username, password=password)
            person_id = None
            if role in (Role.UNIT_HEAD, Role.RESPONSIBLE_LEADER):
                person_id = first_leader[unit_id] + (0 if role == Role.UNIT_HEAD else 1)
            RoleAssignment.objects.create(user=user, role=role, unit_id=unit_id, person_id=person_id)
            accounts.append(Account(user=user, kind=AccountKind.BUSINESS, unit_id=unit_id))
            logins.append((username, str(Role(role).label), tree.rows[unit]["full_name"]))
    Account.objects.bulk_create(accounts)
    return logins


# --- the reference: the same rows, written raw into copies of the same tables ------------------------


def reference(result: SynthResult) -> tuple[float, float]:
    """Seconds for a raw write of every row synth wrote (COPY on PostgreSQL, executemany on SQLite,
    the same blocks in the same order) into copies of the same tables, with their indexes,
    constraints and foreign keys, in one transaction, commit included: what `result.total` is
    measured against; returns the seconds in all and those of the commit alone (where the foreign
    keys are checked on PostgreSQL). The copies live in a scratch schema (PostgreSQL) or a scratch
    database attached beside the main one with its journal and sync settings (SQLite), and are
    dropped afterwards."""
    names = list(dict.fromkeys(t.model._meta.db_table for t in result.tables))
    campaign, users = Campaign._meta.db_table, get_user_model()._meta.db_table
    # The rows made beforehand, off the clock: the reference is the writing alone.
    made = [(t, [b if isinstance(b, str) else list(b) for b in t.blocks()]) for t in result.tables]
    scratch_file = _scratch_open(names)
    nested = connection.in_atomic_block
    if connection.vendor == "postgresql" and not nested:
        _checkpoint()
    try:
        with transaction.atomic():
            # What the rows refer to and synth made through the ORM: the campaign, the closings' logins.
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {SCRATCH}.{campaign} SELECT * FROM {campaign} WHERE id = %s",
                               [result.campaign_id])
                if result.user_ids:
                    cursor.execute(f"INSERT INTO {SCRATCH}.{users} SELECT * FROM {users} WHERE id IN "
                                   f"({', '.join(['%s'] * len(result.user_ids))})", result.user_ids)
            started = time.perf_counter()
            for table, blocks in made:
                _write(table, blocks, schema=SCRATCH)
            if connection.vendor == "postgresql" and nested:
                # The foreign keys are checked at commit; inside an outer transaction (a test) there
                # is none, and the copies could not be dropped with the checks pending: check now.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            written = time.perf_counter()
        ended = time.perf_counter()
        return ended - started, ended - written
    finally:
        _scratch_close(scratch_file)


def _checkpoint() -> None:
    """Write out what synth left dirty (PostgreSQL, outside a transaction), so that the reference
    starts as synth did, on a server with nothing of another's to flush: otherwise the checkpoint
    synth's rows call for lands in the reference's time. Skipped for a role that may not."""
    with connection.cursor() as cursor:
        try:
            cursor.execute("CHECKPOINT")
        except DatabaseError:  # neither superuser nor pg_checkpoint
            pass


def _parents(table: str) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT DISTINCT confrelid::regclass::text FROM pg_constraint "
                           "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"PRAGMA foreign_key_list({connection.ops.quote_name(table)})")
        return list(dict.fromkeys(row[2] for row in cursor.fetchall()))


def _scratch_open(names: list[str]) -> str | None:
    """Copies of the tables, and of every table their foreign keys lead to, in the scratch place."""
    tables, queue = dict.fromkeys(names), list(names)
    while queue:
        for parent in _parents(queue.pop()):
            if parent not in tables:
                tables[parent] = None
                queue.append(parent)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP SCHEMA IF EXISTS {SCRATCH} CASCADE")  # left by a run that was killed
            cursor.execute(f"CREATE SCHEMA {SCRATCH}")
            foreign_keys = []
            for table in tables:
                cursor.execute(f"CREATE TABLE {SCRATCH}.{table} (LIKE {table} INCLUDING ALL)")
                cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                               "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
                foreign_keys += [(table, name, definition) for name, definition in cursor.fetchall()]
            for table, name, definition in foreign_keys:
                definition = re.sub(r"REFERENCES (\w+)\(", rf"REFERENCES {SCRATCH}.\1(", definition)
                cursor.execute(f"ALTER TABLE {SCRATCH}.{table} ADD CONSTRAINT {name} {definition}")
            return None
        main = connection.settings_dict["NAME"]
        on_disk = isinstance(main, os.PathLike) or (main and main != ":memory:" and "mode=memory" not in str(main))
        path = f"{main}.{SCRATCH}" if on_disk else ""
        for suffix in ("", "-wal", "-shm"):
            if path and os.path.exists(path + suffix):
                os.remove(path + suffix)
        cursor.execute(f"ATTACH DATABASE %s AS {SCRATCH}", [path])
        for pragma in ("journal_mode", "synchronous", "cache_size") if on_disk else ():
            cursor.execute(f"PRAGMA main.{pragma}")
            cursor.execute(f"PRAGMA {SCRATCH}.{pragma} = {cursor.fetchone()[0]}")
        for table in tables:
            cursor.execute("SELECT sql FROM main.sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL "
                           "ORDER BY type DESC", [table])  # the table, then its indexes
            for (sql,) in cursor.fetchall():
                cursor.execute(re.sub(r"^(CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)\s+)", rf"\1{SCRATCH}.", sql))
        return path


def _scratch_close(path: str | None) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP SCHEMA {SCRATCH} CASCADE")
            return
        cursor.execute(f"DETACH DATABASE {SCRATCH}")
    for suffix in ("", "-wal", "-shm"):
        if path and os.path.exists(path + suffix):
            os.remove(path + suffix)
