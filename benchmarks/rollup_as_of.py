"""汇总 as of a past day (rollups.past) on a synthetic province, beside the present 汇总 of the same unit.

    .venv/bin/python benchmarks/rollup_as_of.py [--units 2000] [--items 40000] [--requests 10]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huitoukan_ci .venv/bin/python benchmarks/rollup_as_of.py

Runs on a throwaway database (benchmarks/throwaway_db.py), filled by `huitoukan synth`. Synth writes no history
(its province is nobody's work), so this gives every item the history a real one would have: a row made ten days
before the day asked for (未启动) and a row the day before with its status today, and every ledger the row of its
opening; written raw, INSERT … SELECT from the items. For a county and for the province it prints, measured in
turn in the same run: the present 汇总 page (kept totals: the reference), the past 汇总 page, and
`rollups.past.rollup_as_of` alone (the province's page refuses above `past.MAX_ITEMS` items); query counts and
median / p90 times.
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

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.measure import interleaved  # noqa: E402
from benchmarks.throwaway_db import throwaway_database  # noqa: E402
from huitoukan.campaigns.models import Campaign  # noqa: E402
from huitoukan.ledgers.models import Item, ItemStatus, Ledger  # noqa: E402
from huitoukan.orgs.models import Unit, UnitKind, UnitLevel  # noqa: E402
from huitoukan.portal import synth  # noqa: E402
from huitoukan.rollups import past, selectors  # noqa: E402

DAY = dt.date(2015, 1, 20)


def _history(model, rows: list[tuple[str, dt.datetime, list[tuple[str, str]]]]) -> int:
    """Write history rows of every `model` row: for each (type, date, overrides), INSERT … SELECT copying the
    row's columns, with the overrides (column → SQL) in place of some."""
    historical = model.history.model
    own = [f.column for f in historical._meta.concrete_fields if not f.column.startswith("history_")]
    written = 0
    with connection.cursor() as cursor, transaction.atomic():
        for kind, when, overrides in rows:
            replaced = dict(overrides)
            cursor.execute(
                f'INSERT INTO {historical._meta.db_table} ({", ".join(own)}, history_date, history_type, '
                f'history_change_reason) SELECT {", ".join(replaced.get(c, c) for c in own)}, %s, %s, NULL '
                f"FROM {model._meta.db_table}", [connection.ops.adapt_datetimefield_value(when), kind])
            written += cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return written


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _counted(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--items", type=int, default=40000)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with throwaway_database() as where, override_settings(ALLOWED_HOSTS=["*"], DEBUG=False):
        print(f"# {where}: synth --units {args.units} --items {args.items} --seed {args.seed}")
        started = time.perf_counter()
        result = synth.synth(units=args.units, items=args.items, seed=args.seed)
        print(f"# synth: {time.perf_counter() - started:.1f} s ({result.units} units, {result.items} items)")
        started = time.perf_counter()
        written = _history(Item, [("+", _at(DAY - dt.timedelta(days=10), 9), [("status", f"'{ItemStatus.NOT_STARTED}'")]),
                                  ("~", _at(DAY - dt.timedelta(days=1), 9), [])])
        written += _history(Ledger, [("+", _at(DAY - dt.timedelta(days=10), 8), [])])
        print(f"# history: {written} rows in {time.perf_counter() - started:.1f} s (two per item, one per ledger)")
        campaign = Campaign.objects.latest("pk")
        province = Unit.objects.get(name=f"合成省{args.seed}")
        county = Unit.objects.filter(level=UnitLevel.COUNTY, kind=UnitKind.PARTY_COMMITTEE,
                                     path__startswith=province.path).order_by("path").first()
        office = {"province": f"s{args.seed}_province_campaign_office", "county": f"s{args.seed}_county_campaign_office"}
        from django.contrib.auth import get_user_model

        print(f"{'what':<34} {'items':>7} {'queries':>7} {'median ms':>10} {'p90 ms':>8}")
        for who, unit in (("county", county), ("province", province)):
            client = Client()
            client.force_login(get_user_model().objects.get(username=office[who]))
            items = past.items_today(unit=unit, campaign=campaign)
            _above, children = selectors.ancestors_and_children(unit)
            present_url = f"/rollups/{unit.pk}/?campaign={campaign.pk}"
            past_url = f"/rollups/{unit.pk}/as-of/?campaign={campaign.pk}&day={DAY:%Y-%m-%d}"
            runs = {f"汇总 today, page ({who})": lambda url=present_url, c=client: c.get(url),
                    f"汇总 as of {DAY}, page ({who})": lambda url=past_url, c=client: c.get(url),
                    f"rollup_as_of alone ({who})": lambda u=unit, ch=children: past.rollup_as_of(
                        unit=u, campaign=campaign, day=DAY, children=ch)}
            statuses = {name: None for name in runs}
            statuses[f"汇总 today, page ({who})"] = client.get(present_url).status_code
            statuses[f"汇总 as of {DAY}, page ({who})"] = client.get(past_url).status_code
            counts = {name: _counted(run) for name, run in runs.items()}
            times = interleaved(list(runs.values()), args.requests)
            for (name, _run), kept in zip(runs.items(), times, strict=True):
                status = f" (HTTP {statuses[name]})" if statuses[name] not in (None, 200) else ""
                print(f"{name:<34} {items:>7} {counts[name]:>7} {statistics.median(kept):>10.1f} "
                      f"{statistics.quantiles(kept, n=10)[-1]:>8.1f}{status}")
            check = past.rollup_as_of(unit=unit, campaign=campaign, day=DAY, children=children)
            today = selectors.rollup_for(unit=unit, campaign=campaign)
            assert check.figures.total == today.figures.total and check.figures.closed == today.figures.closed, \
                "the day before's history rows hold today's statuses: the totals must agree"
        print(f"# page refuses above past.MAX_ITEMS = {past.MAX_ITEMS} items (HTTP 400 with a message)")


if __name__ == "__main__":
    main()
