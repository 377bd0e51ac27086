"""Concurrent writers on the kept totals: items and progress written into different counties at once.

    .venv/bin/python benchmarks/concurrent_writers.py [--writers 1,8] [--seconds 8] [--rounds 1]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huitoukan_ci .venv/bin/python benchmarks/concurrent_writers.py

Every write of an item adds to the kept totals (huitoukan/ledgers/totals.py) of every unit above it in
the same transaction, so the province's rows are touched by every write in the province. This
measures what that costs when writers run at once. On a throwaway database (benchmarks/throwaway_db.py)
filled by `huitoukan synth`, each writer is a process with its own county (one per city as far as
there are cities, so that only the province's rows are shared) and a campaign office login of that
county (made here, as synth makes its logins). For `--seconds` it repeats, through the real services
of huitoukan.ledgers.services: create an item in the county's 领导班子 ledger (a dated deadline, a
四风 drawn at random, led by one of the county's leaders), then two progress reports written for that
leader (代填), each moving an open item of the ledger between 整改中 and 基本完成 — every one of these
writes changes the item's keys, so every one goes through `totals.record`.

A write refused by the database for a lock (SQLite "database is locked", PostgreSQL deadlock or
serialization failure) is retried up to 5 times by the benchmark (the services do not retry) and
counted. Each configuration runs in up to three variants (`--variants`), patched in the writer
processes only (the product is not changed): `on`, the product as it is; `sorted`, the same with the
rows of each upsert statement ordered by key, so that two transactions lock shared rows in the same
order; `off`, `totals.record` a no-op, so that what the contended rows cost shows beside the rest of
the write. After a run with the totals kept, they are compared with a recount; after one without,
they are rebuilt (untimed). On PostgreSQL a thread samples pg_stat_activity for writers waiting on a
lock. `--four-winds` puts every writer on items of one 四风, so that all of them add to the very
same rows of the province (the worst case); by default the 四风 is drawn at random.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import multiprocessing as mp
import os
import random
import statistics
import sys
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huitoukan.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import DatabaseError, connection  # noqa: E402

from benchmarks.throwaway_db import throwaway_database  # noqa: E402
from huitoukan.access.models import Role, RoleAssignment  # noqa: E402
from huitoukan.campaigns.models import Campaign  # noqa: E402
from huitoukan.ledgers import services, totals  # noqa: E402
from huitoukan.ledgers.layouts import LedgerKind  # noqa: E402
from huitoukan.ledgers.models import DeadlineMode, FourWinds, Item, ItemStatus, Ledger  # noqa: E402
from huitoukan.orgs.models import Person, Unit, UnitKind, UnitLevel  # noqa: E402

RETRIES = 5
TOGGLE = {ItemStatus.IN_PROGRESS: ItemStatus.BASICALLY_DONE, ItemStatus.BASICALLY_DONE: ItemStatus.IN_PROGRESS,
          ItemStatus.NOT_STARTED: ItemStatus.IN_PROGRESS}


def lock_kind(error: Exception) -> str | None:
    """What kind of lock refused the write, or None for any other error."""
    text = str(error).lower()
    for needle, kind in (("deadlock", "deadlock"), ("could not serialize", "serialization"),
                         ("database is locked", "database is locked"), ("lock timeout", "lock timeout")):
        if needle in text:
            return kind
    return None


@dataclass
class Result:
    writes: Counter = field(default_factory=Counter)  # op -> done
    times: list[float] = field(default_factory=list)  # ms per write, retries included
    in_totals: list[float] = field(default_factory=list)  # ms of each write spent in totals.record
    retries: Counter = field(default_factory=Counter)  # lock kind -> retried
    failed: Counter = field(default_factory=Counter)  # lock kind -> gave up after RETRIES
    error: str = ""


def writer(index: int, county_id: int, username: str, seconds: float, variant: str, winds: str, start, out
           ) -> None:
    """One writer process: items and progress in its county until the time is up."""
    result = Result()
    try:
        connection.close()  # never share the parent's connection
        # This process only, and its children: the product is untouched.
        spent = [0.0]
        if variant == "sorted":  # what ordering the upserts by key would do (a suggestion, not the product)
            upsert = totals._upsert
            totals._upsert = lambda model, columns, counts: upsert(model, columns, Counter(dict(sorted(counts.items()))))
        if variant in ("on", "sorted"):
            record = totals.record

            def timed(changes):
                began = time.perf_counter()
                try:
                    return record(changes)
                finally:
                    spent[0] += time.perf_counter() - began
            totals.record = timed
        else:
            totals.record = lambda changes: None
        rng = random.Random(index)
        actor = get_user_model().objects.get(username=username)
        county = Unit.objects.get(pk=county_id)
        campaign = Campaign.objects.latest("pk")
        ledger = Ledger.objects.get(campaign=campaign, unit=county, kind=LedgerKind.LEADERSHIP)
        leaders = list(Person.objects.filter(unit=county).order_by("pk"))
        mine = Item.objects.filter(ledger=ledger, status__in=list(TOGGLE))
        open_items = list((mine.filter(four_winds=winds) if winds else mine).order_by("pk")[:50])
        for item in open_items:  # the synth leader of an item may be any of the county's
            item.lead = item.lead_leaders.first()
        today = dt.date.today()

        def create():
            lead = rng.choice(leaders)
            item = services.item_create(
                actor=actor, ledger=ledger, problem="会议多、文件多，文山会海问题仍然存在",
                measures="严格控制会议和发文数量", four_winds=winds or rng.choice(FourWinds.values), lead_leaders=[lead],
                responsible_units=[county], deadline_mode=DeadlineMode.DATE,
                due_on=today + dt.timedelta(days=rng.randrange(1, 60)))
            item.lead = lead
            open_items.append(item)

        def progress():
            item = rng.choice(open_items)
            entry = services.progress_add(actor=actor, item=item, progress="已按措施推进，完成阶段目标。",
                                          leader=item.lead, status_after=TOGGLE[item.status])
            item.status = entry.status_after

        ops = [("item", create), ("progress", progress), ("progress", progress)]
        start.wait()
        until = time.monotonic() + seconds
        n = 0
        while time.monotonic() < until:
            name, op = ops[n % len(ops)]
            n += 1
            began, spent[0] = time.perf_counter(), 0.0
            for attempt in range(RETRIES + 1):
                try:
                    op()
                    break
                except DatabaseError as e:
                    kind = lock_kind(e)
                    if kind is None:
                        raise
                    if attempt == RETRIES:
                        result.failed[kind] += 1
                    else:
                        result.retries[kind] += 1
                        time.sleep(rng.uniform(0, 0.01 * (attempt + 1)))
            else:
                continue
            result.times.append((time.perf_counter() - began) * 1000)
            result.in_totals.append(spent[0] * 1000)
            result.writes[name] += 1
    except Exception:
        result.error = traceback.format_exc()
        start.abort()  # the parent must not wait for a writer that will never start
    finally:
        connection.close()
    out.put((index, result))


def counties(n: int) -> list[Unit]:
    """n counties (县 party committees) of the province, one per city in turn."""
    by_city: dict[str, list[Unit]] = {}
    for unit in Unit.objects.filter(level=UnitLevel.COUNTY, kind=UnitKind.PARTY_COMMITTEE).order_by("path"):
        by_city.setdefault(unit.path[:-unit.steplen], []).append(unit)
    chosen, rows = [], list(by_city.values())
    while len(chosen) < n and any(rows):
        for row in rows:
            if row and len(chosen) < n:
                chosen.append(row.pop(0))
    if len(chosen) < n:
        raise SystemExit(f"only {len(chosen)} counties: give synth more --units")
    return chosen


def office_of(county: Unit, seed: int) -> str:
    username = f"bench{seed}_writer_{county.pk}"
    User = get_user_model()
    if not User.objects.filter(username=username).exists():
        user = User.objects.create(username=username)
        RoleAssignment.objects.create(user=user, role=Role.CAMPAIGN_OFFICE, unit=county)
    return username


class LockSampler(threading.Thread):
    """PostgreSQL only: how often the writers' backends wait for a lock (pg_stat_activity, every 20 ms)."""

    def __init__(self, writers: int):
        super().__init__(daemon=True)
        self.writers, self.samples, self.waiting = writers, 0, 0
        self.done = threading.Event()

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                while not self.done.wait(0.02):
                    cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                   "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'")
                    self.waiting += cursor.fetchone()[0]
                    self.samples += 1
        finally:
            connection.close()

    @property
    def share(self) -> float:
        """The share of the writers' time spent waiting for a lock."""
        return self.waiting / (self.samples * self.writers) if self.samples else float("nan")


def run(writers: list[tuple[int, str]], seconds: float, variant: str, winds: str
        ) -> tuple[Result, float, float]:
    ctx = mp.get_context("fork")
    start, out = ctx.Barrier(len(writers) + 1), ctx.Queue()
    connection.close()
    procs = [ctx.Process(target=writer, args=(i, county_id, username, seconds, variant, winds, start, out))
             for i, (county_id, username) in enumerate(writers)]
    for p in procs:
        p.start()
    sampler = LockSampler(len(writers)) if connection.vendor == "postgresql" else None
    try:
        start.wait(timeout=300)
    except threading.BrokenBarrierError:
        pass  # a writer failed before the start: its error comes with its result
    began = time.monotonic()
    if sampler is not None:
        sampler.start()
    results = [out.get() for _ in procs]
    elapsed = time.monotonic() - began
    if sampler is not None:
        sampler.done.set()
        sampler.join()
    for p in procs:
        p.join()
    total = Result()
    for index, r in sorted(results, key=lambda x: x[0]):
        if r.error:
            raise SystemExit(f"writer {index} failed:\n{r.error}")
        total.writes += r.writes
        total.times += r.times
        total.in_totals += r.in_totals
        total.retries += r.retries
        total.failed += r.failed
    return total, elapsed, sampler.share if sampler is not None else float("nan")


def _pct(times: list[float], q: int) -> float:
    if len(times) < 2:
        return times[0] if times else float("nan")
    return statistics.quantiles(times, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--writers", default="1,8", help="writer counts to run, comma-separated")
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--rounds", type=int, default=1, help="repeat every configuration; medians are printed")
    parser.add_argument("--variants", default="on,sorted,off",
                        help="on: the product's totals; sorted: the same with each statement's rows ordered by key "
                             "(patched in the writers only); off: totals.record a no-op in the writers")
    parser.add_argument("--four-winds", default="", choices=["", *FourWinds.values],
                        help="every writer writes and moves only items of this 四风: all on the same totals rows")
    args = parser.parse_args()
    counts = [int(n) for n in args.writers.split(",")]
    variants = args.variants.split(",")

    with throwaway_database() as where:
        print(f"# {where}: synth --units {args.units} --items {args.items} --seed {args.seed}")
        started = time.perf_counter()
        call_command("synth", units=args.units, items=args.items, seed=args.seed, no_reference=True,
                     stdout=io.StringIO())
        print(f"# synth: {time.perf_counter() - started:.1f} s")
        chosen = counties(max(counts))
        writers = [(c.pk, office_of(c, args.seed)) for c in chosen]
        print(f"# writers' counties: {', '.join(c.full_name for c in chosen)}")
        print(f"# each writer: item, progress, progress, ... for {args.seconds:.0f} s; {args.rounds} round(s)")

        if args.four_winds:
            print(f"# every writer on items of 四风 {args.four_winds} only: the same totals rows for all")
        rows: dict[tuple[int, bool], list[tuple[Result, float, float]]] = {}
        for _ in range(args.rounds):
            for n in counts:
                for variant in variants:
                    result, elapsed, waiting = run(writers[:n], args.seconds, variant, args.four_winds)
                    rows.setdefault((n, variant), []).append((result, elapsed, waiting))
                    if variant != "off":
                        agree = totals.kept() == totals.recount()
                        print(f"# {n} writers, totals {variant}: {sum(result.writes.values())} writes, "
                              f"kept totals equal a recount: {'yes' if agree else 'NO'}")
                    else:
                        left = totals.kept() != totals.recount()
                        print(f"# {n} writers, totals off: {sum(result.writes.values())} writes, "
                              f"kept totals behind a recount (the no-op took): {'yes' if left else 'NO'}; rebuilt")
                        totals.rebuild()

        print(f"\n{'writers':>7} {'totals':>6} {'writes':>7} {'writes/s':>9} {'p50 ms':>7} {'p95 ms':>7}"
              f" {'totals p50':>10} {'totals p95':>10} {'lock wait':>9} {'retries':>8} {'failed':>7}  lock errors")
        for (n, variant), runs in rows.items():
            rates = [sum(r.writes.values()) / elapsed for r, elapsed, _ in runs]
            p50s = [_pct(r.times, 50) for r, _, _ in runs]
            p95s = [_pct(r.times, 95) for r, _, _ in runs]
            in50 = f"{statistics.median(_pct(r.in_totals, 50) for r, _, _ in runs):>10.1f}" if variant != "off" else f"{'—':>10}"
            in95 = f"{statistics.median(_pct(r.in_totals, 95) for r, _, _ in runs):>10.1f}" if variant != "off" else f"{'—':>10}"
            waits = [w for _, _, w in runs]
            wait = f"{statistics.median(waits):>9.1%}" if all(w == w for w in waits) else f"{'—':>9}"
            retries, failed = Counter(), Counter()
            for r, _, _ in runs:
                retries += r.retries
                failed += r.failed
            kinds = ", ".join(f"{k} ×{v}" for k, v in sorted((retries + failed).items())) or "none"
            print(f"{n:>7} {variant:>6} {sum(sum(r.writes.values()) for r, _, _ in runs):>7}"
                  f" {statistics.median(rates):>9.1f} {statistics.median(p50s):>7.1f} {statistics.median(p95s):>7.1f}"
                  f" {in50} {in95} {wait} {sum(retries.values()):>8} {sum(failed.values()):>7}  {kinds}")
        print("# writes/s, p50 and p95: medians over the rounds; a write is an item creation or a progress report "
              "(each in its own transaction), timed with its retries; totals p50/p95: the part of a write spent in "
              "totals.record (its ancestors' query and upserts, lock waits included); lock wait (PostgreSQL): the "
              "share of the writers' time their backends waited for a lock, sampled; failed: given up after "
              f"{RETRIES} retries")


if __name__ == "__main__":
    main()
