"""汇总, home and unit pages on a synthetic province, side by side with a bare view and the raw SQL.

    .venv/bin/python benchmarks/rollup_pages.py [--units 2000] [--items 40000] [--requests 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huitoukan_ci .venv/bin/python benchmarks/rollup_pages.py

Runs on a throwaway database (benchmarks/throwaway_db.py), filled by `huitoukan synth`. For each
page it counts the queries of one request and times `--requests` more through Django's test client
(the whole middleware stack), and prints them beside two references measured in the same run: a
bare Django view through the same middleware, and the raw SQL that reads the same kept totals.
The issue's target: page ≤ 2 × (raw SQL + bare view), and the same query count at every size.
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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from benchmarks.measure import interleaved, queried  # noqa: E402
from benchmarks.throwaway_db import throwaway_database  # noqa: E402
from huitoukan.campaigns.models import Campaign  # noqa: E402
from huitoukan.ledgers.models import ItemDueTally, ItemTally  # noqa: E402
from huitoukan.orgs.models import Unit, UnitKind, UnitLevel  # noqa: E402
from huitoukan.portal import synth  # noqa: E402


def _raw_totals(unit: Unit, campaign: Campaign):
    """The same reads as the 汇总 page, as raw SQL: the unit's own rows, its children, their rows grouped,
    and the overdue and due-soon counts of the unit and its children summed by the database."""
    tally, due = ItemTally._meta.db_table, ItemDueTally._meta.db_table
    today = dt.date.today()
    soon = today + dt.timedelta(days=7)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT kind, unit_level, status, four_winds, n FROM {tally} "
                       "WHERE unit_id = %s AND campaign_id = %s AND n > 0", [unit.pk, campaign.pk])
        cursor.fetchall()
        cursor.execute("SELECT id FROM orgs_unit WHERE path > %s AND path < %s AND depth = %s",
                       [unit.path, unit.path + "Z", unit.depth + 1])
        children = [row[0] for row in cursor.fetchall()]
        marks = ", ".join(["%s"] * len(children)) or "NULL"
        cursor.execute(f"SELECT unit_id, status, SUM(n) FROM {tally} WHERE unit_id IN ({marks}) "
                       "AND campaign_id = %s AND n > 0 GROUP BY unit_id, status", [*children, campaign.pk])
        cursor.fetchall()
        cursor.execute(f"SELECT unit_id, SUM(CASE WHEN due_on < %s THEN n ELSE 0 END), "
                       f"SUM(CASE WHEN due_on >= %s THEN n ELSE 0 END) FROM {due} WHERE unit_id IN (%s, {marks}) "
                       "AND campaign_id = %s AND due_on <= %s AND n > 0 GROUP BY unit_id",
                       [today, today, unit.pk, *children, campaign.pk, soon])
        cursor.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--items", type=int, default=40000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with throwaway_database() as where, override_settings(ROOT_URLCONF="benchmarks.bare_urls", ALLOWED_HOSTS=["*"],
                                                          DEBUG=False):
        print(f"# {where}: synth --units {args.units} --items {args.items} --seed {args.seed}")
        started = time.perf_counter()
        result = synth.synth(units=args.units, items=args.items, seed=args.seed)
        print(f"# synth: {time.perf_counter() - started:.1f} s ({result.units} units, {result.items} items)")
        campaign = Campaign.objects.latest("pk")
        province = Unit.objects.get(name=f"合成省{args.seed}")
        county = Unit.objects.filter(level=UnitLevel.COUNTY, kind=UnitKind.PARTY_COMMITTEE,
                                     path__startswith=province.path).order_by("path").first()
        users = get_user_model().objects
        offices = {"province": users.get(username=f"s{args.seed}_province_campaign_office"),
                   "county": users.get(username=f"s{args.seed}_county_campaign_office")}
        rows = []
        for who, unit in (("province", province), ("county", county)):
            client = Client()
            client.force_login(offices[who])
            pages = ((f"汇总 ({who})", f"/rollups/{unit.pk}/?campaign={campaign.pk}"),
                     (f"home ({who} office)", "/"),
                     (f"unit page ({who})", f"/units/{unit.pk}/"))
            queries = [queried(client, url)[1] for _name, url in pages]
            runs = [lambda c=client: c.get("/__bare__/"), lambda u=unit: _raw_totals(u, campaign),
                    *(lambda c=client, url=url: c.get(url) for _name, url in pages)]
            bare, raw, *page_times = interleaved(runs, args.requests)
            bare_ms, raw_ms = statistics.median(bare), statistics.median(raw)
            for (name, _url), count, times in zip(pages, queries, page_times, strict=True):
                rows.append((name, count, statistics.median(times), statistics.quantiles(times, n=10)[-1],
                             bare_ms, raw_ms))
        print(f"{'page':<26} {'queries':>7} {'median ms':>10} {'p90 ms':>8} {'bare ms':>8} {'raw SQL ms':>10}"
              f" {'ratio':>6}")
        for name, queries, median, p90, bare_ms, raw_ms in rows:
            print(f"{name:<26} {queries:>7} {median:>10.1f} {p90:>8.1f} {bare_ms:>8.1f} {raw_ms:>10.2f}"
                  f" {median / (bare_ms + raw_ms):>6.1f}")
        print(f"# ratio = page median / (bare view + raw SQL of the same totals); DEBUG={settings.DEBUG}")


if __name__ == "__main__":
    main()
