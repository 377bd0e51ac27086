"""The ledger page of a large ledger (50 rows a page), side by side with a bare view and the raw SQL.

    .venv/bin/python benchmarks/ledger_page.py [--units 2000] [--items 40000] [--ledger-items 2000] [--requests 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huitoukan_ci .venv/bin/python benchmarks/ledger_page.py

Runs on a throwaway database (benchmarks/throwaway_db.py), filled by `huitoukan synth`; the first county's
领导班子 ledger is then grown to `--ledger-items` items, each with one or two lead leaders, one or two
responsible units and up to three progress reports. The county's campaign office opens the ledger page
(the first page, and filtered by a leader, a unit and a status) through Django's test client (the whole
middleware stack, templates rendered as served). For each page it counts the queries of one request,
then times `--requests` rounds of three, interleaved so that they share the machine's load: a bare
Django view through the same middleware, the raw SQL that reads what the page shows (the counts above
the table and the filtered count, the 50 rows with their leaders, units and latest progress, and the
two filter lists), and the page. The issue's target: page ≤ 3 × (raw SQL + bare view)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
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
from django.db.models import Max  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from benchmarks.measure import interleaved, queried  # noqa: E402
from benchmarks.throwaway_db import throwaway_database  # noqa: E402
from huitoukan.campaigns.models import Campaign  # noqa: E402
from huitoukan.core.statistics import planner_statistics_refresh  # noqa: E402
from huitoukan.ledgers.layouts import LedgerKind  # noqa: E402
from huitoukan.ledgers.models import (  # noqa: E402
    OPEN_STATUSES,
    ClosingRequest,
    ClosingState,
    DeadlineMode,
    FourWinds,
    Item,
    ItemStatus,
    Ledger,
    ProgressEntry,
)
from huitoukan.orgs.models import Person, Unit, UnitKind, UnitLevel  # noqa: E402
from huitoukan.portal import synth  # noqa: E402

PER_PAGE = 50
STATUSES = [ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS, ItemStatus.IN_PROGRESS, ItemStatus.BASICALLY_DONE,
            ItemStatus.CLOSED, ItemStatus.SENT_BACK]




@transaction.atomic
def grow_ledger(ledger: Ledger, size: int, seed: int, requester) -> None:
    """The ledger up to `size` items (bulk writes, like synth: a benchmark's fixture, without history)."""
    rng = random.Random(seed)
    leaders = list(Person.objects.filter(unit=ledger.unit).order_by("pk"))
    units = [ledger.unit, *Unit.objects.filter(path__startswith=ledger.unit.path, depth=ledger.unit.depth + 1)
             .order_by("path")[:30]]
    seq = ledger.items.aggregate(m=Max("seq"))["m"] or 0
    start = dt.date(2014, 12, 31)
    items = []
    for n in range(seq + 1, size + 1):
        problem, measures = synth.PROBLEMS[n % len(synth.PROBLEMS)]
        status = rng.choice(STATUSES)
        mode = rng.choice([DeadlineMode.DATE, DeadlineMode.DATE, DeadlineMode.LONG_TERM, DeadlineMode.IMMEDIATE])
        due_on = start + dt.timedelta(days=rng.randrange(0, 900)) if mode == DeadlineMode.DATE else None
        items.append(Item(ledger=ledger, seq=n, problem=f"{problem}（第{n}项）", measures=measures,
                          four_winds=rng.choice(FourWinds.values), deadline_mode=mode, due_on=due_on, status=status,
                          closed_on=due_on or start if status == ItemStatus.CLOSED else None))
    items = Item.objects.bulk_create(items, batch_size=1000)
    if items and items[0].pk is None:  # a database that does not return ids
        items = list(ledger.items.filter(seq__gt=seq).order_by("seq"))
    leader_links, unit_links, reports, closings = [], [], [], []
    for item in items:
        led = rng.sample(leaders, rng.choice([1, 1, 2]))
        leader_links += [Item.lead_leaders.through(item_id=item.pk, person_id=p.pk) for p in led]
        unit_links += [Item.responsible_units.through(item_id=item.pk, unit_id=u.pk)
                       for u in rng.sample(units, rng.choice([1, 1, 2]))]
        if item.status != ItemStatus.NOT_STARTED:
            for k in range(rng.randint(1, 3)):
                reports.append(ProgressEntry(
                    item_id=item.pk, reported_on=start + dt.timedelta(days=10 * k + rng.randrange(10)),
                    progress=f"第{k + 1}次进展：已按措施推进，完成阶段目标。", next_steps="巩固整改成果，建立长效机制。",
                    strict_execution="", status_after=item.status, leader_id=led[0].pk, by_office=k == 1))
        if item.status == ItemStatus.BASICALLY_DONE and rng.random() < 0.3:
            closings.append(ClosingRequest(item_id=item.pk, summary="已完成整改，申请销号。", requested_by=requester))
    Item.lead_leaders.through.objects.bulk_create(leader_links, batch_size=1000)
    Item.responsible_units.through.objects.bulk_create(unit_links, batch_size=1000)
    ProgressEntry.objects.bulk_create(reports, batch_size=1000)
    ClosingRequest.objects.bulk_create(closings, batch_size=1000)


def _page(client: Client, url: str, raw, requests: int) -> tuple[int, int, float, float, float, float]:
    """Queries and rows of one request, then `requests` rounds of (bare view, raw SQL, page), interleaved
    so that the three see the same load on a shared machine. Medians in ms, and the page's p90."""
    response, queries = queried(client, url)
    rows = len(re.findall(r'<tr id="item-\d+"', response.content.decode()))
    assert rows == raw(), (url, rows)
    bare, raw_times, page = interleaved([lambda: client.get("/__bare__/"), raw, lambda: client.get(url)], requests)
    return (queries, rows, statistics.median(page), statistics.quantiles(page, n=10)[-1],
            statistics.median(bare), statistics.median(raw_times))


def _raw_page(ledger: Ledger, where: str, params: list, today: dt.date) -> int:
    """What the page shows, as raw SQL: the counts above the table (and the filtered count the pager
    needs), the page's 50 rows with a pending closing flagged, their leaders, units and progress (the
    newest picked here), and the two filter lists. Returns the rows read."""
    item, leads, resp = Item._meta.db_table, Item.lead_leaders.through._meta.db_table, \
        Item.responsible_units.through._meta.db_table
    person, unit, report, closing = Person._meta.db_table, Unit._meta.db_table, ProgressEntry._meta.db_table, \
        ClosingRequest._meta.db_table
    open_marks = ", ".join(["%s"] * len(OPEN_STATUSES))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT status, COUNT(*) FROM {item} WHERE ledger_id = %s GROUP BY status", [ledger.pk])
        cursor.fetchall()
        cursor.execute(f"SELECT COUNT(*) FROM {item} WHERE ledger_id = %s AND status IN ({open_marks}) "
                       "AND deadline_mode = %s AND due_on < %s",
                       [ledger.pk, *OPEN_STATUSES, DeadlineMode.DATE, today])
        cursor.fetchall()
        if where:
            cursor.execute(f"SELECT COUNT(*) FROM {item} i WHERE i.ledger_id = %s{where}", [ledger.pk, *params])
            cursor.fetchall()
        cursor.execute(
            f"SELECT i.id, i.seq, i.problem, i.measures, i.four_winds, i.deadline_mode, i.due_on, i.review_on, "
            f"i.category, i.institution_action, i.status, EXISTS (SELECT 1 FROM {closing} c WHERE c.item_id = i.id "
            f"AND c.state = '{ClosingState.PENDING}') FROM {item} i WHERE i.ledger_id = %s{where} ORDER BY i.seq LIMIT {PER_PAGE}",
            [ledger.pk, *params])
        ids = [row[0] for row in cursor.fetchall()]
        marks = ", ".join(["%s"] * len(ids)) or "NULL"
        cursor.execute(f"SELECT 0, l.item_id, p.id, p.name FROM {leads} l JOIN {person} p ON p.id = l.person_id "
                       f"WHERE l.item_id IN ({marks}) UNION ALL SELECT 1, l.item_id, u.id, u.name FROM {resp} l "
                       f"JOIN {unit} u ON u.id = l.unit_id WHERE l.item_id IN ({marks})", ids + ids)
        cursor.fetchall()
        cursor.execute(f"SELECT r.item_id, r.reported_on, r.progress, r.strict_execution, r.next_steps, r.by_office, "
                       f"p.name FROM {report} r JOIN {person} p ON p.id = r.leader_id WHERE r.item_id IN ({marks}) "
                       "ORDER BY r.item_id, r.reported_on DESC, r.id DESC", ids)
        newest = {}
        for row in cursor.fetchall():
            newest.setdefault(row[0], row)
        # The links of this ledger's items only: PostgreSQL would hash-join a whole link table to an IN (subquery).
        of_ledger = (f"= ANY(ARRAY(SELECT id FROM {item} WHERE ledger_id = %s))" if connection.vendor == "postgresql"
                     else f"IN (SELECT id FROM {item} WHERE ledger_id = %s)")
        cursor.execute(f"SELECT 0, p.id, p.name, p.name FROM {person} p WHERE p.id IN (SELECT l.person_id FROM "
                       f"{leads} l WHERE l.item_id {of_ledger}) UNION ALL SELECT 1, u.id, u.name, u.path FROM {unit} u "
                       f"WHERE u.id IN (SELECT l.unit_id FROM {resp} l WHERE l.item_id {of_ledger}) ORDER BY 1, 4",
                       [ledger.pk, ledger.pk])
        cursor.fetchall()
    return len(ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--items", type=int, default=40000)
    parser.add_argument("--ledger-items", type=int, default=2000, help="items of the measured ledger")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with throwaway_database() as where, override_settings(ROOT_URLCONF="benchmarks.bare_urls", ALLOWED_HOSTS=["*"],
                                                          DEBUG=False):
        print(f"# {where}: synth --units {args.units} --items {args.items} --seed {args.seed}")
        started = time.perf_counter()
        result = synth.synth(units=args.units, items=args.items, seed=args.seed)
        campaign = Campaign.objects.latest("pk")
        province = Unit.objects.get(name=f"合成省{args.seed}")
        county = Unit.objects.filter(level=UnitLevel.COUNTY, kind=UnitKind.PARTY_COMMITTEE,
                                     path__startswith=province.path).order_by("path").first()
        ledger = Ledger.objects.get(campaign=campaign, unit=county, kind=LedgerKind.LEADERSHIP)
        office = get_user_model().objects.get(username=f"s{args.seed}_county_campaign_office")
        grow_ledger(ledger, args.ledger_items, args.seed, requester=office)
        planner_statistics_refresh()  # the grown ledger's rows came after synth's
        print(f"# synth and the ledger: {time.perf_counter() - started:.1f} s ({result.units} units, "
              f"{Item.objects.count()} items; {county.full_name}'s 领导班子 ledger: {ledger.items.count()} items, "
              f"{Item.lead_leaders.through.objects.filter(item__ledger=ledger).count()} leader links)")

        client = Client()
        client.force_login(office)
        leader = Item.lead_leaders.through.objects.filter(item__ledger=ledger).order_by("person_id") \
            .values_list("person_id", flat=True).last()
        unit = Item.responsible_units.through.objects.filter(item__ledger=ledger).exclude(unit=county) \
            .order_by("unit_id").values_list("unit_id", flat=True).first()
        leads, resp = Item.lead_leaders.through._meta.db_table, Item.responsible_units.through._meta.db_table
        today = dt.date.today()
        pages = [
            ("ledger, page 1", "", "", []),
            ("leader filter", f"?lead_leader={leader}",
             f" AND i.id IN (SELECT item_id FROM {leads} WHERE person_id = %s)", [leader]),
            ("unit filter", f"?responsible_unit={unit}",
             f" AND i.id IN (SELECT item_id FROM {resp} WHERE unit_id = %s)", [unit]),
            ("status filter", f"?status={ItemStatus.IN_PROGRESS}", " AND i.status = %s", [ItemStatus.IN_PROGRESS]),
        ]
        client.get("/__bare__/")
        rows = []
        for name, query, where_sql, params in pages:
            rows.append((name, *_page(client, f"/ledgers/{ledger.pk}/{query}",
                                      lambda w=where_sql, p=params: _raw_page(ledger, w, p, today), args.requests)))
        print(f"{'page':<16} {'rows':>4} {'queries':>7} {'median ms':>10} {'p90 ms':>8} {'bare ms':>8}"
              f" {'raw SQL ms':>10} {'ratio':>6}")
        for name, queries, shown, median, p90, bare_ms, raw_ms in rows:
            print(f"{name:<16} {shown:>4} {queries:>7} {median:>10.1f} {p90:>8.1f} {bare_ms:>8.1f} {raw_ms:>10.2f}"
                  f" {median / (bare_ms + raw_ms):>6.1f}")
        print(f"# ratio = page median / (bare view + raw SQL of what the page shows); target ≤ 3; "
              f"DEBUG={settings.DEBUG}")


if __name__ == "__main__":
    main()
