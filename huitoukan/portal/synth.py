"""A synthetic province for benchmarks and load tests: `huitoukan synth --units N --items M --seed S`.

省 > 市 > 县市区 > 乡镇/街道 > 村/社区, with 机关单位 and 窗口单位 at the city and county levels and
高校 and 国有企业 under the province; three leaders in every unit above the villages; the four
ledgers of every such unit (the personal one for its head); items with realistic mixes of status,
四风, deadline kinds and overdue dates, one progress report each once work has started; and one
login per role at the province, a city, a county and a township. The same seed gives the same rows.

The units, people and ledgers are written in bulk; the items, their links and their progress, which
are nearly all the rows, are written as tuples with their ids (COPY on PostgreSQL, executemany on
SQLite), without history: the province is a benchmark's fixture, not anybody's work. The kept
totals are recounted at the end. `reference` writes the same item rows raw, to compare.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from huitoukan.access.models import Role, RoleAssignment
from huitoukan.campaigns.models import Campaign
from huitoukan.core.paths import ALPHABET, STEPLEN
from huitoukan.ledgers import totals
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import (
    DeadlineMode,
    FourWinds,
    Item,
    ItemStatus,
    Ledger,
    ProgressEntry,
)
from huitoukan.orgs.models import Person, Unit, UnitKind, UnitLevel

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
STATUS_MIX = [(ItemStatus.IN_PROGRESS, 38), (ItemStatus.BASICALLY_DONE, 24), (ItemStatus.CLOSED, 22),
              (ItemStatus.NOT_STARTED, 9), (ItemStatus.SENT_BACK, 4), (ItemStatus.RELAPSED, 3)]
KIND_MIX = [(LedgerKind.LEADERSHIP, 50), (LedgerKind.PERSONAL, 25), (LedgerKind.SPECIAL, 15),
            (LedgerKind.INSTITUTION, 10)]
CAMPAIGN_START, CAMPAIGN_END = dt.date(2014, 12, 31), dt.date(2015, 2, 28)


@dataclass
class SynthResult:
    units: int = 0
    people: int = 0
    ledgers: int = 0
    items: int = 0
    progress: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, unit
    seconds: dict[str, float] = field(default_factory=dict)
    rows: dict = field(default_factory=dict, repr=False)  # model -> (columns, rows) of the items' tables


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

    def add(self, parent: int | None, name: str, level: str, kind: str) -> int:
        if parent is None:
            path, full_name, depth = _step(Unit.objects.filter(depth=1).count() + 1 + len(
                [r for r in self.rows if r["depth"] == 1])), name, 1
        else:
            up = self.rows[parent]
            self._children[parent] = self._children.get(parent, 0) + 1
            path = up["path"] + _step(self._children[parent])
            full_name, depth = f"{up['full_name']}/{name}", up["depth"] + 1
        self.rows.append({"path": path, "depth": depth, "name": name, "full_name": full_name, "level": level,
                          "kind": kind, "parent": parent})
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


def _weighted(rng: random.Random, mix):
    return rng.choices([value for value, _w in mix], weights=[w for _v, w in mix])[0]


@transaction.atomic
def synth(*, units: int, items: int, seed: int, report: Callable[[str, int, int], None] | None = None
          ) -> SynthResult:
    """Build the province; `report(stage, done, total)` follows the progress."""
    report = report or (lambda *args: None)
    rng = random.Random(seed)
    result = SynthResult()
    clock = time.perf_counter()

    tree = _plan_tree(units, seed)
    unit_objs = Unit.objects.bulk_create([
        Unit(path=r["path"], depth=r["depth"], numchild=tree.numchild(i), name=r["name"], full_name=r["full_name"],
             level=r["level"], kind=r["kind"], established_on=dt.date(2013, 6, 18))
        for i, r in enumerate(tree.rows)], batch_size=2000)
    if any(u.pk is None for u in unit_objs):
        ids = dict(Unit.objects.filter(path__in=[u.path for u in unit_objs]).values_list("path", "pk"))
        for u in unit_objs:
            u.pk = u.id = ids[u.path]
    result.units = len(unit_objs)
    report("units", result.units, result.units)

    working = [u for u in unit_objs if u.level != UnitLevel.VILLAGE]
    people = Person.objects.bulk_create([
        Person(unit=u, name=f"{u.name}{title}", position=title, is_party_leader=True, is_unit_head=(i == 0))
        for u in working for i, title in enumerate(("书记", "副书记", "纪委书记"))], batch_size=2000)
    leaders_of: dict[int, list[Person]] = {}
    for p in people:
        leaders_of.setdefault(p.unit_id, []).append(p)
    result.people = len(people)

    campaign = Campaign.objects.create(owner_unit=unit_objs[0], name=f"整改落实情况“回头看”（合成{seed}）",
                                       starts_on=CAMPAIGN_START, ends_on=CAMPAIGN_END)
    ledgers = Ledger.objects.bulk_create([
        Ledger(campaign=campaign, unit=u, kind=kind, person=leaders_of[u.pk][0] if kind == LedgerKind.PERSONAL else None,
               filled_on=CAMPAIGN_START) for u in working for kind in LedgerKind], batch_size=2000)
    by_kind: dict[str, list[Ledger]] = {}
    for ledger in ledgers:
        by_kind.setdefault(ledger.kind, []).append(ledger)
    result.ledgers = len(ledgers)
    result.seconds["units, people, ledgers"] = time.perf_counter() - clock

    clock = time.perf_counter()
    tables = _item_rows(rng, items, by_kind, leaders_of, report)
    for model, (columns, rows) in tables.items():
        _write(model, columns, rows)
    result.items, result.progress = len(tables[Item][1]), len(tables[ProgressEntry][1])
    result.rows = tables
    result.seconds["items, leaders, units, progress"] = time.perf_counter() - clock

    clock = time.perf_counter()
    totals.rebuild()
    result.seconds["kept totals"] = time.perf_counter() - clock
    result.logins = _logins(unit_objs, leaders_of, seed)
    return result


def _next_id(model) -> int:
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1


def _item_rows(rng: random.Random, items: int, by_kind: dict, leaders_of: dict, report) -> dict:
    """The rows of the items, their lead leaders, responsible units and first progress, as tuples in
    their tables' column order, with their ids: written as they are, with no model object on the way."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    adapt_date = connection.ops.adapt_datefield_value
    item_id, leader_link, unit_link, report_id = (_next_id(m) for m in (
        Item, Item.lead_leaders.through, Item.responsible_units.through, ProgressEntry))
    item_rows, leader_rows, unit_rows, progress_rows, seq = [], [], [], [], {}
    for n in range(items):
        kind = _weighted(rng, KIND_MIX)
        ledger = rng.choice(by_kind[kind])
        seq[ledger.pk] = seq.get(ledger.pk, 0) + 1
        problem, measures = rng.choice(PROBLEMS)
        status = _weighted(rng, STATUS_MIX)
        mode = rng.choices([DeadlineMode.DATE, DeadlineMode.LONG_TERM, DeadlineMode.IMMEDIATE], weights=[65, 22, 13])[0]
        due_on = CAMPAIGN_START + dt.timedelta(days=rng.randrange(0, 150)) if mode == DeadlineMode.DATE else None
        winds = rng.choice(FourWinds.values) if kind in (LedgerKind.LEADERSHIP, LedgerKind.PERSONAL) else ""
        closed_on = (due_on or CAMPAIGN_END) if status == ItemStatus.CLOSED else None
        item_rows.append((item_id, ledger.pk, seq[ledger.pk], problem, measures, winds, "", "", "", "", mode,
                          adapt_date(due_on), None, None, "", "", status, adapt_date(closed_on), now, now))
        leader = rng.choice(leaders_of[ledger.unit_id])
        leader_rows.append((leader_link + n, item_id, leader.pk))
        unit_rows.append((unit_link + n, item_id, ledger.unit_id))
        if status != ItemStatus.NOT_STARTED:
            progress_rows.append((
                report_id + len(progress_rows), item_id,
                adapt_date(CAMPAIGN_START + dt.timedelta(days=rng.randrange(5, 40))),
                "已按措施推进，完成阶段目标。", "", "巩固整改成果，建立长效机制。",
                ItemStatus.BASICALLY_DONE if status == ItemStatus.CLOSED else status, leader.pk, False, None, now))
        item_id += 1
        if n % 20000 == 0:
            report("items", n, items)
    report("items", items, items)

    def columns(model):
        return [f.column for f in model._meta.concrete_fields]

    return {Item: (columns(Item), item_rows),
            Item.lead_leaders.through: (columns(Item.lead_leaders.through), leader_rows),
            Item.responsible_units.through: (columns(Item.responsible_units.through), unit_rows),
            ProgressEntry: (columns(ProgressEntry), progress_rows)}


def _write(model, columns: list[str], rows: list[tuple], table: str | None = None) -> None:
    """Rows as they are: COPY on PostgreSQL, one executemany on SQLite. Ids are given, so a
    PostgreSQL table's id sequence is moved past them afterwards."""
    table = table or model._meta.db_table
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            if table == model._meta.db_table:
                for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                    cursor.execute(sql)
        else:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", rows)


def _logins(unit_objs: list[Unit], leaders_of: dict, seed: int) -> list[tuple[str, str, str]]:
    """One login per role at the province, the first city, county and township."""
    first = {}
    for u in unit_objs:
        if u.kind == UnitKind.PARTY_COMMITTEE:
            first.setdefault(u.level, u)
    password = make_password(settings.DEMO_PASSWORD)
    User = get_user_model()
    logins = []
    for level in (UnitLevel.PROVINCE, UnitLevel.CITY, UnitLevel.COUNTY, UnitLevel.TOWNSHIP):
        unit = first[level]
        for role in (Role.CAMPAIGN_OFFICE, Role.UNIT_HEAD, Role.RESPONSIBLE_LEADER, Role.DISCIPLINE):
            username = f"s{seed}_{level}_{role}"
            user = User.objects.create(username=username, password=password)
            person = None
            if role in (Role.UNIT_HEAD, Role.RESPONSIBLE_LEADER):
                person = leaders_of[unit.pk][0 if role == Role.UNIT_HEAD else 1]
            RoleAssignment.objects.create(user=user, role=role, unit=unit, person=person)
            logins.append((username, str(Role(role).label), unit.full_name))
    return logins


def reference(result: SynthResult) -> float:
    """Seconds for a raw write of the very rows synth wrote for the items, their links and progress
    (COPY on PostgreSQL, executemany on SQLite) into scratch copies of their tables: what synth's
    own time for them is measured against."""
    took = 0.0
    with connection.cursor() as cursor:
        for model, (columns, rows) in result.rows.items():
            scratch = f"synth_reference_{model._meta.db_table}"
            cursor.execute(f"CREATE TEMPORARY TABLE {scratch} AS SELECT * FROM {model._meta.db_table} WHERE 1 = 0")
            started = time.perf_counter()
            _write(model, columns, rows, table=scratch)
            took += time.perf_counter() - started
            cursor.execute(f"DROP TABLE {scratch}")
    return took
