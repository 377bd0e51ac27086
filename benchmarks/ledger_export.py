"""Time of the subtree ledger export (附件1 layout, a sheet per unit) for N items over ~100 units.

    .venv/bin/python benchmarks/ledger_export.py [--items 50000] [--units 100] [--repeat 3]

Runs on a throwaway database made the way the test runner makes one: a temporary SQLite file by
default, or a `huitoukan_bench_<pid>` database on the server of DATABASE_URL=postgres://...
Nothing is written to the configured database. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huitoukan.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.subtree_page import build_tree  # noqa: E402  (the same tree, built the same way)
from benchmarks.throwaway_db import throwaway_database  # noqa: E402
from huitoukan.access import services as access_services  # noqa: E402
from huitoukan.access.models import Role  # noqa: E402
from huitoukan.campaigns import services as campaign_services  # noqa: E402
from huitoukan.ledgers.exports import subtree_workbook  # noqa: E402
from huitoukan.ledgers.layouts import LedgerKind  # noqa: E402
from huitoukan.ledgers.models import DeadlineMode, Item, ItemStatus, Ledger, ProgressEntry  # noqa: E402
from huitoukan.ledgers.word import ledger_document  # noqa: E402
from huitoukan.orgs.models import Person, Unit  # noqa: E402

BATCH = 2000
PROBLEMS = [
    "文山会海问题突出，会议多、文件多、简报多，以会议落实会议、以文件落实文件",
    "深入基层调查研究不够，调研走马观花，蹲点调研少，解决实际问题少",
    "公务接待超标准、超范围，公务用车管理不严，存在公车私用现象",
    "服务群众意识不强，办事拖拉推诿，“门难进、脸难看、事难办”",
]
MEASURES = "严格控制会议数量和规模，全年会议数量减少30%以上；精简文件简报，发文数量减少三分之一；" \
           "建立会议文件审批制度，实行月度计划管理，确保整改落到实处。"
PROGRESS = "已制定《关于精简会议文件的实施办法》，1月份召开会议数量同比下降35%，发文数量下降40%，" \
           "清理各类简报12种，群众反映的问题已逐项整改销号。"
NEXT_STEPS = "建立长效机制，纳入年度绩效考核，每季度通报一次执行情况。"
MODES = [(DeadlineMode.DATE, dt.date(2015, 3, 31)), (DeadlineMode.IMMEDIATE, None), (DeadlineMode.LONG_TERM, None)]


@transaction.atomic
def build_ledgers(county: Unit, items: int):
    """A 领导班子 ledger for every unit of the county's subtree, `items` items spread over them,
    each with a lead leader, a responsible unit and one progress entry; bulk writes."""
    campaign = campaign_services.campaign_create(
        actor=None, owner_unit=county, name="回头看", starts_on=dt.date(2014, 12, 31), ends_on=dt.date(2015, 2, 28))
    units = list(Unit.objects.filter(path__startswith=county.path).order_by("path"))
    people = Person.objects.bulk_create(
        [Person(unit=u, name=f"{u.name[:6]}书记", position="党委书记", is_party_leader=True) for u in units])
    ledgers = Ledger.objects.bulk_create(
        [Ledger(campaign=campaign, unit=u, kind=LedgerKind.LEADERSHIP, filled_on=dt.date(2015, 1, 6)) for u in units])
    per_ledger = [items // len(units) + (1 if i < items % len(units) else 0) for i in range(len(units))]
    item_objs = []
    for ledger, count in zip(ledgers, per_ledger, strict=True):
        for seq in range(1, count + 1):
            mode, due = MODES[seq % len(MODES)]
            item_objs.append(Item(ledger=ledger, seq=seq, problem=PROBLEMS[seq % len(PROBLEMS)], measures=MEASURES,
                                  deadline_mode=mode, due_on=due, status=ItemStatus.IN_PROGRESS))
    item_objs = Item.objects.bulk_create(item_objs, batch_size=BATCH)
    if item_objs and item_objs[0].pk is None:  # a database that does not return ids
        item_objs = list(Item.objects.filter(ledger__campaign=campaign).order_by("ledger_id", "seq"))
    owner = {ledger.pk: (person, unit) for ledger, person, unit in zip(ledgers, people, units, strict=True)}
    leaders, responsible, progress = [], [], []
    for item in item_objs:
        person, unit = owner[item.ledger_id]
        leaders.append(Item.lead_leaders.through(item_id=item.pk, person_id=person.pk))
        responsible.append(Item.responsible_units.through(item_id=item.pk, unit_id=unit.pk))
        progress.append(ProgressEntry(item_id=item.pk, reported_on=dt.date(2015, 1, 20), progress=PROGRESS,
                                      next_steps=NEXT_STEPS, status_after=ItemStatus.IN_PROGRESS,
                                      leader_id=person.pk))
    Item.lead_leaders.through.objects.bulk_create(leaders, batch_size=BATCH)
    Item.responsible_units.through.objects.bulk_create(responsible, batch_size=BATCH)
    ProgressEntry.objects.bulk_create(progress, batch_size=BATCH)
    return campaign, len(units), max(per_ledger)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50_000, help="items in the subtree (default 50000)")
    parser.add_argument("--units", type=int, default=100, help="units in the subtree, the county included (default 100)")
    parser.add_argument("--repeat", type=int, default=3, help="timed exports (default 3)")
    args = parser.parse_args()

    with throwaway_database() as where:
        started = time.perf_counter()
        county = build_tree(args.units - 1)
        campaign, units, largest = build_ledgers(county, args.items)
        built = time.perf_counter() - started
        user = get_user_model().objects.create_user(username="bench_office", password=settings.DEMO_PASSWORD)
        access_services.role_grant(actor=None, user=user, role=Role.CAMPAIGN_OFFICE, unit=county)

        def export() -> bytes:
            return subtree_workbook(user=get_user_model().objects.get(pk=user.pk), campaign=campaign,
                                    root_unit=county, kind=LedgerKind.LEADERSHIP)

        with CaptureQueriesContext(connection) as queries:
            data = export()  # also the warm-up
        timings = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            data = export()
            timings.append(time.perf_counter() - start)
        seconds = statistics.median(timings)
        rows = Item.objects.filter(ledger__campaign=campaign).count()

        biggest = Ledger.objects.filter(campaign=campaign).select_related("unit", "person").order_by("unit__path")[0]
        start = time.perf_counter()
        document = ledger_document(ledger=biggest)
        docx_seconds = time.perf_counter() - start
        docx_rows = biggest.items.count()

        print(f"Huitoukan ledger export on {where}")
        print(f"{units} units with a 领导班子 ledger each, {rows} items (up to {largest} per ledger), one progress"
              f" entry each; built in {built:.1f} s")
        print(f"{'export':<26} {'rows':>7} {'queries':>7} {'seconds':>8} {'rows/s':>8} {'KB':>8}")
        print(f"{'subtree .xlsx (median of ' + str(args.repeat) + ')':<26} {rows:>7} {len(queries):>7}"
              f" {seconds:>8.2f} {rows / seconds:>8.0f} {len(data) / 1024:>8.0f}")
        print(f"{'one ledger .docx':<26} {docx_rows:>7} {'—':>7} {docx_seconds:>8.2f}"
              f" {docx_rows / docx_seconds:>8.0f} {len(document) / 1024:>8.0f}")
        print(f"timings: {', '.join(f'{t:.2f}' for t in timings)} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
