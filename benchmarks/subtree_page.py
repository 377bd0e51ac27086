"""Query counts and response times of the pages that show a subtree, for a unit with N descendants.

    .venv/bin/python benchmarks/subtree_page.py [--descendants 1000] [--requests 20]

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
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huitoukan.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from simple_history.utils import bulk_create_with_history  # noqa: E402

from benchmarks.throwaway_db import throwaway_database  # noqa: E402
from huitoukan.access import services as access_services  # noqa: E402
from huitoukan.access.models import Role  # noqa: E402
from huitoukan.orgs import services as org_services  # noqa: E402
from huitoukan.orgs.models import Batch, Unit, UnitKind, UnitLevel  # noqa: E402

ESTABLISHED = dt.date(2013, 6, 18)
VILLAGES_PER_TOWNSHIP = 40


@dataclass
class Row:
    name: str
    url: str
    status: int
    queries: int
    median_ms: float
    p90_ms: float
    size_kb: float
    sql: list[str]


def _children(parent: Unit, specs: list[tuple[str, str, str]]) -> list[Unit]:
    """Children of `parent` with treebeard paths computed here: one INSERT batch, not N add_child calls.

    The paths are exactly the ones add_child would give (steps 1..n after the parent's path),
    so the tree stays valid; history rows are written too, as the services would.
    """
    depth = parent.depth + 1
    units = [
        Unit(
            path=Unit._get_path(parent.path, depth, step),
            depth=depth,
            numchild=0,
            name=name,
            full_name=f"{parent.full_name}/{name}",
            level=level,
            kind=kind,
            batch=Batch.SECOND,
            established_on=ESTABLISHED,
        )
        for step, (name, level, kind) in enumerate(specs, start=1)
    ]
    created = bulk_create_with_history(units, Unit, batch_size=500, default_change_reason="成立")
    Unit.objects.filter(pk=parent.pk).update(numchild=len(specs))
    return created


@transaction.atomic
def build_tree(descendants: int) -> Unit:
    """娄底市 > 县 with `descendants` units below it: townships of VILLAGES_PER_TOWNSHIP villages."""
    city = org_services.unit_create(
        actor=None, parent=None, name="娄底市", level=UnitLevel.CITY, kind=UnitKind.PARTY_COMMITTEE,
        batch=Batch.FIRST, established_on=ESTABLISHED,
    )
    county = org_services.unit_create(
        actor=None, parent=city, name="涟源市", level=UnitLevel.COUNTY, kind=UnitKind.PARTY_COMMITTEE,
        batch=Batch.SECOND, established_on=ESTABLISHED,
    )
    org_services.unit_create(
        actor=None, parent=city, name="娄星区", level=UnitLevel.COUNTY, kind=UnitKind.PARTY_COMMITTEE,
        batch=Batch.SECOND, established_on=ESTABLISHED,
    )
    townships = max(1, round(descendants / (VILLAGES_PER_TOWNSHIP + 1)))
    villages = descendants - townships
    towns = _children(county, [(f"第{i}镇", UnitLevel.TOWNSHIP, UnitKind.PARTY_COMMITTEE) for i in range(1, townships + 1)])
    towns = list(Unit.objects.filter(pk__in=[t.pk for t in towns]).order_by("path"))
    for t_index, town in enumerate(towns):
        count = villages // townships + (1 if t_index < villages % townships else 0)
        if count:
            _children(town, [(f"{town.name}第{i}村", UnitLevel.VILLAGE, UnitKind.GRASSROOTS) for i in range(1, count + 1)])
    county.refresh_from_db()
    return county


def measure(client: Client, name: str, url: str, requests: int) -> Row:
    client.get(url)  # warm-up: template loading, first-use caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Count now: the next request's request_started signal empties the query log.
    sql = [q["sql"] for q in queries.captured_queries]
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return Row(
        name=name, url=url, status=response.status_code, queries=len(sql),
        median_ms=statistics.median(timings), p90_ms=timings[max(0, int(len(timings) * 0.9) - 1)],
        size_kb=len(response.content) / 1024, sql=sql,
    )


def print_table(rows: list[Row]) -> None:
    print(f"{'page':<14} {'url':<28} {'status':>6} {'queries':>7} {'median ms':>9} {'p90 ms':>7} {'KB':>6}")
    for r in rows:
        if r.status == 200:
            print(f"{r.name:<14} {r.url:<28} {r.status:>6} {r.queries:>7} {r.median_ms:>9.1f} {r.p90_ms:>7.1f} {r.size_kb:>6.1f}")
        else:
            print(f"{r.name:<14} {r.url:<28} {r.status:>6} {'—':>7} {'—':>9} {'—':>7} {'—':>6}  (not measured)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--descendants", type=int, default=1000, help="units under the measured unit (default 1000)")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--sql", action="store_true", help="also print the SQL of each counted request")
    args = parser.parse_args()

    with throwaway_database() as where:
        started = time.perf_counter()
        county = build_tree(args.descendants)
        built = time.perf_counter() - started
        problems = Unit.objects.find_problems()
        if any(problems):
            raise SystemExit(f"the benchmark tree is invalid (treebeard find_problems): {problems}")
        below = Unit.objects.filter(path__startswith=county.path).exclude(pk=county.pk).count()
        user = get_user_model().objects.create_user(username="bench_office", password=settings.DEMO_PASSWORD)
        access_services.role_grant(actor=None, user=user, role=Role.CAMPAIGN_OFFICE, unit=county)

        client = Client(raise_request_exception=False)
        client.force_login(user)
        pk = county.pk
        pages = [
            ("unit list", f"/units/?under={pk}"),
            ("unit detail", f"/units/{pk}/"),
            ("tree fragment", f"/units/tree/?node={pk}"),
            ("API list", f"/api/v1/units/?under={pk}"),
        ]
        rows = [measure(client, name, url, args.requests) for name, url in pages]

        print(f"Huitoukan subtree pages on {where}")
        print(f"unit 娄底市/涟源市 with {below} descendants ({county.numchild} children), built in {built:.1f} s;"
              f" user: 活动办管理员 at that unit; median of {args.requests} requests after one warm-up")
        print_table(rows)
        for r in rows:
            if r.status == 404 and r.url.startswith("/api/"):
                print(f"note: {r.url.split('?')[0]} answered 404: the units API is not there yet.")
            elif r.status != 200:
                print(f"note: {r.url} answered {r.status}.")
        if args.sql:
            for r in rows:
                print(f"\n-- {r.name} {r.url}: {r.queries} queries")
                for statement in r.sql:
                    print(f"   {statement[:300]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
