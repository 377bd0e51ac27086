"""汇总, 驾驶舱, home and unit pages on a synthetic province, side by side with a bare view and the raw SQL.

    .venv/bin/python benchmarks/rollup_pages.py [--units 2000] [--items 40000] [--requests 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huitoukan_ci .venv/bin/python benchmarks/rollup_pages.py

Runs on a throwaway database (benchmarks/throwaway_db.py), filled by `huitoukan synth`. For each
page it counts the queries of one request and times `--requests` more through Django's test client
(the whole middleware stack), and prints them beside two references measured in the same run: a
bare Django view through the same middleware, and the raw SQL of the same answer: the page's own
statements (beyond the session and user reads the bare view makes too), captured from one request
and run again through a bare cursor, every row fetched.
The issue's target: page ≤ 2 × (raw SQL + bare view), and the same query count at every size.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huitoukan.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from benchmarks.measure import pages_against_references, print_pages  # noqa: E402
from benchmarks.throwaway_db import throwaway_database  # noqa: E402
from huitoukan.campaigns.models import Campaign  # noqa: E402
from huitoukan.orgs.models import Unit, UnitKind, UnitLevel  # noqa: E402
from huitoukan.portal import synth  # noqa: E402


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
                     (f"驾驶舱 ({who})", f"/rollups/dashboard/?unit={unit.pk}&campaign={campaign.pk}"),
                     (f"home ({who} office)", "/"),
                     (f"unit page ({who})", f"/units/{unit.pk}/"))
            rows += pages_against_references(client, pages, args.requests)
        print_pages(rows, settings.DEBUG)


if __name__ == "__main__":
    main()
