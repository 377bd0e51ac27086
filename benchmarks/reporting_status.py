"""报送情况 (reporting status) of a province-wide deadline, at the province and at a county, side by side with a
bare view and the raw SQL of the same answer.

    .venv/bin/python benchmarks/reporting_status.py [--units 2000] [--items 40000] [--requests 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huitoukan_ci .venv/bin/python benchmarks/reporting_status.py

On a throwaway database filled by `huitoukan synth`, the benchmark gives every unit its creation record in the
history (synth writes none, and the expected units are the tree as it stood on the due date), adds a deadline of
the province's campaign expecting every county, township and village, and reports for 70% of them (on time,
late, returned, approved, waiting). For the status page and its API at the province and at a county it counts
the queries of one request and times `--requests` more through Django's test client, beside the bare view and
the page's own statements replayed through a bare cursor (benchmarks/measure.py), as rollup_pages.py does.
The issue's target: ≤ 2 × (raw SQL + bare view), and the same query count at every size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
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
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.measure import pages_against_references, print_pages  # noqa: E402
from benchmarks.throwaway_db import throwaway_database  # noqa: E402
from huitoukan.campaigns.models import Campaign, Deadline, PackagePart, TargetRule  # noqa: E402
from huitoukan.core.statistics import planner_statistics_refresh  # noqa: E402
from huitoukan.orgs.models import Unit, UnitKind, UnitLevel  # noqa: E402
from huitoukan.portal import synth  # noqa: E402
from huitoukan.reviews.models import ReportState, Submission  # noqa: E402

HISTORY_COLUMNS = ("id", "path", "depth", "full_name", "name", "level", "kind", "batch", "established_on",
                   "abolished_on", "created_at", "updated_at", "merged_into_id")


def _unit_history() -> int:
    """Each unit's creation record, as the services would have written it: one INSERT … SELECT."""
    history = Unit.history.model._meta.db_table
    columns = ", ".join(f'"{c}"' for c in HISTORY_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {history} ({columns}, "history_date", "history_change_reason", "history_type", '
            f'"history_user_id") SELECT {columns}, "created_at", NULL, %s, NULL FROM {Unit._meta.db_table}', ["+"])
        return cursor.rowcount


def _deadline(campaign: Campaign, rng: random.Random) -> tuple[Deadline, int]:
    due = campaign.starts_on + dt.timedelta(days=30)
    deadline = Deadline.objects.create(
        campaign=campaign, name="“回头看”情况报告（合成）", due_on=due, target_rule=TargetRule.LEVELS,
        levels=[UnitLevel.COUNTY, UnitLevel.TOWNSHIP, UnitLevel.VILLAGE], contents=[PackagePart.REPORT])
    on_time = timezone.make_aware(dt.datetime.combine(due - dt.timedelta(days=2), dt.time(10)))
    late = timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=3), dt.time(10)))
    rows = []
    states = [ReportState.SUBMITTED, ReportState.RETURNED, ReportState.APPROVED]
    for unit_id in Unit.objects.filter(level__in=deadline.levels).values_list("id", flat=True).iterator():
        if rng.random() < 0.7:
            first = on_time if rng.random() < 0.8 else late
            rows.append(Submission(deadline=deadline, unit_id=unit_id, state=rng.choice(states),
                                   versions_count=1, first_submitted_at=first, last_submitted_at=first))
    Submission.objects.bulk_create(rows, batch_size=5000)
    return deadline, len(rows)


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
        with transaction.atomic():
            histories = _unit_history()
            deadline, reported = _deadline(campaign, random.Random(args.seed))
        planner_statistics_refresh()
        province = Unit.objects.get(name=f"合成省{args.seed}")
        county = Unit.objects.filter(level=UnitLevel.COUNTY, kind=UnitKind.PARTY_COMMITTEE,
                                     path__startswith=province.path).order_by("path").first()
        print(f"# history records: {histories}; deadline {deadline.pk}: {reported} units reported")
        users = get_user_model().objects
        office = users.get(username=f"s{args.seed}_province_campaign_office")
        client = Client()
        client.force_login(office)
        pages = []
        for who, unit in (("province", province), ("county", county)):
            pages += [(f"status page ({who})", f"/reviews/deadlines/{deadline.pk}/?unit={unit.pk}"),
                      (f"status API ({who})", f"/api/v1/deadlines/{deadline.pk}/status/?unit={unit.pk}")]
        print_pages(pages_against_references(client, pages, args.requests), settings.DEBUG)


if __name__ == "__main__":
    main()
