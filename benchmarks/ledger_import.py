"""Time and query count of importing a filled 领导班子 ledger of N rows (附件1 layout, built with openpyxl).

    .venv/bin/python benchmarks/ledger_import.py [--rows 5000]

Runs on a throwaway database made the way the test runner makes one: a temporary SQLite file by
default, or a `huitoukan_bench_<pid>` database on the server of DATABASE_URL=postgres://...
Nothing is written to the configured database. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huitoukan.settings")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from benchmarks.subtree_page import build_tree  # noqa: E402  (the same tree, built the same way)
from benchmarks.throwaway_db import throwaway_database  # noqa: E402
from huitoukan.access import services as access_services  # noqa: E402
from huitoukan.access.models import Role  # noqa: E402
from huitoukan.campaigns import services as campaign_services  # noqa: E402
from huitoukan.ledgers.imports import ledger_import  # noqa: E402
from huitoukan.ledgers.layouts import LAYOUTS, LedgerKind  # noqa: E402
from huitoukan.ledgers.models import Item, ProgressEntry  # noqa: E402
from huitoukan.orgs import services as org_services  # noqa: E402
from huitoukan.orgs.models import Unit  # noqa: E402

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("建国", "海波", "卫东", "志强", "红梅")
PROBLEMS = [
    "文山会海问题突出，会议多、文件多、简报多，以会议落实会议、以文件落实文件",
    "深入基层调查研究不够，调研走马观花，蹲点调研少，解决实际问题少",
    "公务接待超标准、超范围，公务用车管理不严，存在公车私用现象",
    "服务群众意识不强，办事拖拉推诿，“门难进、脸难看、事难办”",
]
MEASURES = ("严格控制会议数量和规模，全年会议数量减少30%以上；精简文件简报，发文数量减少三分之一；"
            "建立会议文件审批制度，实行月度计划管理，确保整改落到实处。")
PROGRESS = ("已制定《关于精简会议文件的实施办法》，1月份召开会议数量同比下降35%，发文数量下降40%，"
            "清理各类简报12种，群众反映的问题已逐项整改销号。")
NEXT_STEPS = "建立长效机制，纳入年度绩效考核，每季度通报一次执行情况。"
# The forms offices write a deadline in, one after the other.
DEADLINES = ["2015年3月31日", "3月底前", "立行立改", "长期坚持", dt.date(2015, 6, 30), "2015.4.30", "2015年5月底"]
HEADINGS = ["序\n\n号", "突出问题", "具体整改措施", "整改\n时限", "牵 头\n领 导", "责任\n\n单位", "整改落实情况",
            "后段工作措施"]


class QueryCounter:
    """Counts statements through an execute wrapper: Django's query log keeps only the last 9,000."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def build_people(county: Unit) -> list[str]:
    names = [s + g for s in SURNAMES for g in GIVEN][:60]
    for name in names:
        org_services.person_create(actor=None, unit=county, name=name, position="县委常委", is_party_leader=True)
    return names


def ledger_file(rows: int, leaders: list[str], units: list[str], progress: str) -> bytes:
    """附件1 as an office fills it: label, title, header, broken headings, the rows, 说明."""
    layout = LAYOUTS[LedgerKind.LEADERSHIP]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([f"{layout.attachment}："])
    sheet.append([layout.title])
    sheet.append(["单位：涟源市                填报时间：2015年1月20日"])
    sheet.append(HEADINGS)
    for seq in range(1, rows + 1):
        who = leaders[seq % len(leaders)] + ("、" + leaders[(seq * 7) % len(leaders)] if seq % 3 == 0 else "")
        where = units[seq % len(units)] + ("、" + units[(seq * 11) % len(units)] if seq % 4 == 0 else "")
        sheet.append([seq, f"{PROBLEMS[seq % len(PROBLEMS)]}（第{seq}项）", MEASURES, DEADLINES[seq % len(DEADLINES)],
                      who, where, f"{progress}（第{seq}项）", NEXT_STEPS])
    sheet.append([])
    sheet.append([layout.notes])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000, help="rows of the ledger (default 5000)")
    args = parser.parse_args()

    with throwaway_database() as where:
        county = build_tree(200)
        leaders = build_people(county)
        units = list(Unit.objects.filter(path__startswith=county.path, depth=county.depth + 1)
                     .values_list("name", flat=True)[:40])
        campaign = campaign_services.campaign_create(actor=None, owner_unit=county, name="回头看",
                                                     starts_on=dt.date(2014, 12, 31), ends_on=dt.date(2015, 2, 28))
        user = get_user_model().objects.create_user(username="bench_office", password=settings.DEMO_PASSWORD)
        access_services.role_grant(actor=None, user=user, role=Role.CAMPAIGN_OFFICE, unit=county)

        started = time.perf_counter()
        first = ledger_file(args.rows, leaders, units, PROGRESS)
        later = ledger_file(args.rows, leaders, units, PROGRESS + "2月份继续下降10%。")
        built = time.perf_counter() - started

        steps = [
            ("preview (dry run)", first, True),
            ("import: all new", first, False),
            ("re-import: no change", first, False),
            ("import: new progress", later, False),
        ]
        print(f"Huitoukan ledger import on {where}")
        print(f"附件1 with {args.rows} rows ({len(first) / 1024:.0f} KB, built with openpyxl in {built:.1f} s),"
              f" {len(leaders)} leaders and {len(units)} responsible units to match; actor: 活动办 at 涟源市")
        print(f"{'step':<22} {'rows':>6} {'new':>6} {'changed':>7} {'progress':>8} {'seconds':>8} {'rows/s':>7}"
              f" {'queries':>8}")
        for name, data, dry_run in steps:
            actor = get_user_model().objects.get(pk=user.pk)  # a fresh login, as a request has
            queries = QueryCounter()
            with connection.execute_wrapper(queries):
                start = time.perf_counter()
                result = ledger_import(actor=actor, data=data, filename="附件1.xlsx", campaign=campaign, unit=county,
                                       kind=None, dry_run=dry_run)
                seconds = time.perf_counter() - start
            if not result.ok:
                raise SystemExit("the benchmark file was refused:\n" + "\n".join(map(str, result.errors[:10])))
            print(f"{name:<22} {len(result.rows):>6} {result.created:>6} {result.updated:>7}"
                  f" {result.progress_added:>8} {seconds:>8.2f} {len(result.rows) / seconds:>7.0f} {queries.count:>8}")
        print(f"in the database: {Item.objects.count()} items, {ProgressEntry.objects.count()} progress entries,"
              f" {Item.history.count()} item history rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
