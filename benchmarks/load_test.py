"""A load test: the synthetic province served by gunicorn (2 sync workers) on 127.0.0.1.

    .venv/bin/python benchmarks/load_test.py [--units 2000] [--items 40000] [--users 50] [--seconds 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huitoukan_ci .venv/bin/python benchmarks/load_test.py

It makes a throwaway database (benchmarks/throwaway_db.py: a SQLite file, or a database on the
PostgreSQL server of DATABASE_URL), fills it with `huitoukan synth`, and starts gunicorn on it the way
`huitoukan serve` does, with the settings of benchmarks/load_settings.py: the product's, plus a bare
view (`/__bare__/`) in front of its URLs, through the same middleware. Then, from one asyncio process
with a minimal HTTP/1.1 client (gunicorn's sync workers close every connection, so each request is
a new connection, as a browser's would be):

1. `--users` simulated users log in through the login form, spread over the synth logins
   (`s{seed}_{level}_{role}`: the campaign office, the unit head, a responsible leader and the
   discipline/supervision role at the province, a city, a county and a township). The logins are
   made two at a time with the right password: django-axes stays on as deployed, it only counts
   failures, and the run stops at the first login that fails instead of retrying into a lockout.
2. **Mix** (`--seconds`): every user, in a closed loop, opens pages of its own unit at random (its
   home page, its unit page, the 汇总 of its unit, its unit's 领导班子 ledger, one of that ledger's
   items), waiting `--think` seconds on average in between (default 1 s, uniform over 0-2 s; 0: the
   next page as soon as one arrives, which measures the queue in front of 2 workers rather than pages).
   Per page and level: requests, p50, p95, requests/s; a p95 ≥ 300 ms is flagged. Then the same
   users, with the same think time, open only the bare view for as long: the p95 that is the
   machine's (a queue in front of 2 busy workers), not the pages'.
3. **Each page alone** (`--page-seconds` each): the pages of the issue's Done-when (the 汇总 and 驾驶舱 of the
   province and of a county, the home and unit pages of every office), an item page and a ledger
   page, each driven by `--users` connections with no think time, after the bare view at the same
   concurrency. That is the rate the server sustains for that page: requests, p50, p95, requests/s,
   and the ratio of that rate to the bare view's; a page under 10% of the bare rate is flagged.
   `--rounds` repeats this phase (the bare view again at the start of each round) and prints medians:
   the machine may be shared, and a ratio is taken against the bare rate of its own round.

4. **The public site** (`--public-seconds`, 0: skip; `--public-only`: this phase alone): the county office
   publishes its unit's 领导班子 list (every item) before the server starts; then, with no login and no
   cookie, `--users` connections open the county's public page (/gongkai/u/<county>/) after the bare view,
   `--rounds` times: the rate and its ratio to the bare view's (the issue's target: ≥ 30%). Then a flood:
   1,000 posts of the county's opinion form from one address (with the form's CSRF token, a wrong
   captcha), 20 at a time: how they were answered (the rate limit answers 429), and that none was a 5xx.

The access log is off (`--access-log` turns it on, to a file): see benchmarks/README.md for what it
costs. The client shares the machine with the server, and its own time counts against both alike.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SETTINGS = "benchmarks.load_settings"
os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from benchmarks.throwaway_db import throwaway_database  # noqa: E402
from huitoukan.access.models import Role, RoleAssignment  # noqa: E402
from huitoukan.campaigns.models import Campaign  # noqa: E402
from huitoukan.ledgers.layouts import LedgerKind  # noqa: E402
from huitoukan.ledgers.models import Item, Ledger  # noqa: E402
from huitoukan.orgs.models import UnitLevel  # noqa: E402

LEVELS = [UnitLevel.PROVINCE, UnitLevel.CITY, UnitLevel.COUNTY, UnitLevel.TOWNSHIP]
OFFICE_ROLES = {Role.CAMPAIGN_OFFICE}
LEADER_ROLES = {Role.UNIT_HEAD, Role.RESPONSIBLE_LEADER}
# The mix a user draws its next page from: (page, weight).
MIX = [("home", 30), ("unit", 20), ("汇总", 20), ("ledger", 15), ("item", 15)]
RATE_FLOOR, P95_CEILING_MS = 0.10, 300.0
PUBLIC_FLOOR, FLOOD_POSTS, FLOOD_CONCURRENCY = 0.30, 1000, 20
TIMEOUT = 60.0


# --- a minimal HTTP/1.1 client ----------------------------------------------------------------

@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def cookies(self) -> dict[str, str]:
        found = {}
        for name, value in self.headers:
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                found[key.strip()] = rest.split(";", 1)[0]
        return found


async def fetch(port: int, path: str, *, cookies: str = "", method: str = "GET", body: bytes = b"",
                headers: dict | None = None) -> Response:
    """One request on a new connection, read to the end (the sync worker closes it)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close",
                 "Accept: text/html", "User-Agent: huitoukan-load-test"]
        if cookies:
            lines.append(f"Cookie: {cookies}")
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if method != "GET":
            lines.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        data = await reader.read()
    finally:
        writer.close()
    head, _, payload = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers_out = [tuple(part.strip() for part in line.split(":", 1)) for line in header_lines if ":" in line]
    return Response(int(status_line.split()[1]), headers_out, payload)


def _cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


async def login(port: int, username: str, password: str) -> str:
    """The Cookie header of a new session of `username`, through the login form."""
    page = await fetch(port, "/accounts/login/")
    jar = page.cookies()
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if page.status != 200 or token is None or "csrftoken" not in jar:
        raise SystemExit(f"login page: HTTP {page.status}, no CSRF token")
    form = urlencode({"csrfmiddlewaretoken": token.group(1).decode(), "username": username,
                      "password": password}).encode()
    done = await fetch(port, "/accounts/login/", method="POST", body=form, cookies=_cookie_header(jar),
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    jar |= done.cookies()
    if done.status != 302 or "sessionid" not in jar:
        raise SystemExit(f"login of {username} failed (HTTP {done.status}): no retry, so that axes does not "
                         "lock the address out")
    return _cookie_header({"sessionid": jar["sessionid"], "csrftoken": jar["csrftoken"]})


# --- what the users open ------------------------------------------------------------------------

@dataclass
class Login:
    username: str
    role: str
    level: str
    unit_id: int
    pages: dict[str, list[str]] = field(default_factory=dict)  # page -> its URLs for this login

    @property
    def group(self) -> str:
        return "office" if self.role in OFFICE_ROLES else "leader" if self.role in LEADER_ROLES else "discipline"


def synth_logins(seed: int) -> list[Login]:
    """The synth logins with a role at one of the four levels, and the URLs of their pages."""
    campaign = Campaign.objects.latest("pk")
    logins = []
    # Those that can sign in: synth's leaders' own logins have no password.
    assignments = (RoleAssignment.objects.filter(user__username__startswith=f"s{seed}_", unit__level__in=LEVELS)
                   .exclude(user__password__startswith="!").select_related("user", "unit").order_by("user__username"))
    for ra in assignments:
        unit = ra.unit
        ledger = Ledger.objects.filter(campaign=campaign, unit=unit, kind=LedgerKind.LEADERSHIP).first()
        items = list(Item.objects.filter(ledger=ledger).order_by("pk").values_list("pk", flat=True)[:20])
        login = Login(ra.user.username, ra.role, unit.level, unit.pk)
        login.pages = {"home": ["/"], "unit": [f"/units/{unit.pk}/"],
                       "汇总": [f"/rollups/{unit.pk}/?campaign={campaign.pk}"],
                       "驾驶舱": [f"/rollups/dashboard/?unit={unit.pk}&campaign={campaign.pk}"],
                       "ledger": [f"/ledgers/{ledger.pk}/"] if ledger else [],
                       "item": [f"/ledgers/items/{pk}/" for pk in items]}
        logins.append(login)
    if not logins:
        raise SystemExit(f"no logins s{seed}_* found: did synth run?")
    # Role by role, each at the four levels: the first users are the offices, one per level.
    groups = ["office", "leader", "discipline"]
    return sorted(logins, key=lambda x: (groups.index(x.group), x.role, LEVELS.index(x.level)))


def database_url() -> str:
    """DATABASE_URL of the throwaway database, for the server."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{db['NAME']}"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int, access_log: Path | None, error_log: Path) -> subprocess.Popen:
    argv = [sys.executable, "-m", "gunicorn", "huitoukan.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--no-control-socket", "--error-logfile", str(error_log)]
    if access_log is not None:
        argv += ["--access-logfile", str(access_log)]
    env = os.environ | {"DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": database_url(),
                        "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}:\n{error_log.read_text()}")
        try:
            if asyncio.run(fetch(port, "/healthz")).status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- driving ------------------------------------------------------------------------------------

@dataclass
class Tally:
    times: list[float] = field(default_factory=list)  # ms, of the requests answered 200
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))


async def _loop(port: int, cookie: str, choose, until: float, think: float, rng: random.Random,
                tallies: dict[str, Tally]) -> None:
    while time.monotonic() < until:
        name, url = choose(rng)
        tally = tallies.setdefault(name, Tally())
        started = time.perf_counter()
        try:
            response = await asyncio.wait_for(fetch(port, url, cookies=cookie), TIMEOUT)
            if response.status == 200:
                tally.times.append((time.perf_counter() - started) * 1000)
            else:
                tally.errors[f"HTTP {response.status}"] += 1
        except (TimeoutError, OSError, IndexError, ValueError) as e:
            tally.errors[type(e).__name__] += 1
        if think:
            await asyncio.sleep(rng.uniform(0, 2 * think))


async def drive(port: int, workers: list[tuple[str, object]], seconds: float, think: float, seed: int
                ) -> tuple[dict[str, Tally], float]:
    """Runs one loop per (cookie, choose) for `seconds`; returns the tallies by page and the time taken
    (from the start to the last answer)."""
    tallies: dict[str, Tally] = {}
    started = time.monotonic()
    until = started + seconds
    await asyncio.gather(*(_loop(port, cookie, choose, until, think, random.Random(seed * 1000 + i), tallies)
                           for i, (cookie, choose) in enumerate(workers)))
    return tallies, time.monotonic() - started


def _percentile(times: list[float], q: int) -> float:
    if len(times) < 2:
        return times[0] if times else float("nan")
    return statistics.quantiles(times, n=100, method="inclusive")[q - 1]


@dataclass
class Row:
    page: str
    requests: int
    p50: float
    p95: float
    rate: float
    errors: dict

    @classmethod
    def of(cls, page: str, tally: Tally, elapsed: float) -> Row:
        return cls(page, len(tally.times), _percentile(tally.times, 50), _percentile(tally.times, 95),
                   len(tally.times) / elapsed, dict(tally.errors))


def _errors(row: Row) -> str:
    return ", ".join(f"{k} ×{v}" for k, v in sorted(row.errors.items()))


def _width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def print_table(rows: list[Row], ratios: dict[str, float] | None = None) -> None:
    """With `ratios` (page -> its rate / the bare view's), the 10% floor is flagged; without, the p95 ceiling."""
    head = f"{_pad('page', 34)} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8}"
    print(head + (f" {'× bare':>7}" if ratios else "") + "  flags")
    for row in rows:
        flags = []
        line = f"{_pad(row.page, 34)} {row.requests:>8} {row.p50:>8.1f} {row.p95:>8.1f} {row.rate:>8.1f}"
        if ratios:
            line += f" {ratios[row.page]:>6.1%}"
            if ratios[row.page] < RATE_FLOOR:
                flags.append(f"< {RATE_FLOOR:.0%} of bare")
        elif not row.p95 < P95_CEILING_MS:
            flags.append(f"p95 ≥ {P95_CEILING_MS:.0f} ms")
        if row.errors:
            flags.append(f"errors: {_errors(row)}")
        print(line + "  " + "; ".join(flags))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--items", type=int, default=40000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", type=int, default=50, help="simulated users (and connections of each page alone)")
    parser.add_argument("--seconds", type=float, default=20,
                        help="length of the mix (and of the bare view under the same users after it)")
    parser.add_argument("--page-seconds", type=float, default=3, help="length of each page alone (0: skip)")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of the pages alone (medians are printed)")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds a user waits between two pages in the mix (uniform 0..2×; 0: none)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--access-log", action="store_true", help="gunicorn's access log on (to a temporary file)")
    parser.add_argument("--public-seconds", type=float, default=3,
                        help="length of the public page and of the bare view before it (0: skip the public site)")
    parser.add_argument("--public-only", action="store_true", help="only the public site's phase")
    parser.add_argument("--access-log-cost", type=int, metavar="ROUNDS", default=0,
                        help="instead: the bare view's rate with and without the access log, alternately, ROUNDS times")
    args = parser.parse_args()

    with throwaway_database() as where, tempfile.TemporaryDirectory(prefix="huitoukan-load-") as tmp:
        print(f"# {where}: synth --units {args.units} --items {args.items} --seed {args.seed}")
        started = time.perf_counter()
        call_command("synth", units=args.units, items=args.items, seed=args.seed, no_reference=True,
                     stdout=io.StringIO())
        print(f"# synth: {time.perf_counter() - started:.1f} s")
        logins = synth_logins(args.seed)
        public_county = publish_county_list(logins) if args.public_seconds else None
        connection.close()  # the server's workers have the database to themselves

        if args.access_log_cost:
            access_log_cost(logins, args, Path(tmp))
            return
        port = free_port()
        server = start_server(port, args.workers, Path(tmp) / "access.log" if args.access_log else None,
                              Path(tmp) / "error.log")
        try:
            if not args.public_only:
                run(port, logins, args)
            if public_county is not None:
                public_site(port, public_county, args)
        finally:
            stop_server(server)


def publish_county_list(logins: list[Login]) -> int:
    """The county office publishes its unit's 领导班子 list, every item (as an office would, through the
    services); the county's id."""
    from django.contrib.auth import get_user_model

    from huitoukan.publicity import services as publicity
    from huitoukan.publicity.models import PublicationKind

    office = next(w for w in logins if w.role == Role.CAMPAIGN_OFFICE and w.level == UnitLevel.COUNTY)
    user = get_user_model().objects.get(username=office.username)
    ledger = Ledger.objects.get(campaign=Campaign.objects.latest("pk"), unit_id=office.unit_id,
                                kind=LedgerKind.LEADERSHIP)
    publication = publicity.publication_create(actor=user, kind=PublicationKind.LEDGER, ledger=ledger)
    publicity.publication_choose(actor=user, publication=publication, title=publication.title,
                                 item_ids=ledger.items.values_list("pk", flat=True))
    built = publicity.publication_preview(actor=user, publication=publication)
    publicity.publication_publish(actor=user, publication=publication, digest=built.digest)
    print(f"# published: {publication.title}, {ledger.items.count()} items")
    return office.unit_id


async def flood(port: int, county: int) -> dict[int, int]:
    """FLOOD_POSTS posts of the county's opinion form from this one address; statuses counted."""
    form_path = f"/gongkai/u/{county}/yijian/"
    page = await fetch(port, form_path)
    jar = page.cookies()
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if page.status != 200 or token is None:
        raise SystemExit(f"opinion form: HTTP {page.status}, no CSRF token")
    body = urlencode({"csrfmiddlewaretoken": token.group(1).decode(), "kind": "opinion", "subject": "测试",
                      "content": "洪水测试", "anonymous": "on", "captcha_0": "x", "captcha_1": "wrong"}).encode()
    statuses: dict[int, int] = defaultdict(int)
    gate = asyncio.Semaphore(FLOOD_CONCURRENCY)

    async def post() -> None:
        async with gate:
            try:
                answer = await asyncio.wait_for(fetch(port, form_path, method="POST", body=body,
                                                      cookies=_cookie_header(jar), headers={
                                                          "Content-Type": "application/x-www-form-urlencoded"}),
                                                TIMEOUT)
                statuses[answer.status] += 1
            except (TimeoutError, OSError):
                statuses[0] += 1
    await asyncio.gather(*(post() for _ in range(FLOOD_POSTS)))
    return dict(statuses)


def public_site(port: int, county: int, args) -> None:
    """The county's public page with no login against the bare view, then the flood of one address."""
    page = f"/gongkai/u/{county}/"
    print(f"\n## the public site: {args.users} connections without login, no think time, {args.public_seconds:.0f} s "
          f"each, {args.rounds} round(s), each round starting with the bare view")
    runs = []
    for _ in range(args.rounds):
        tallies, elapsed = asyncio.run(drive(port, [("", lambda rng: ("bare view", "/__bare_public__/"))] * args.users,
                                             args.public_seconds, 0, args.seed))
        bare = Row.of("bare view (no login)", tallies["bare view"], elapsed)
        tallies, elapsed = asyncio.run(drive(port, [("", lambda rng: ("public list", page))] * args.users,
                                             args.public_seconds, 0, args.seed))
        runs.append((Row.of("public list, county", tallies["public list"], elapsed), bare))
    rows = [Row(name, sum(r[i].requests for r in runs), statistics.median(r[i].p50 for r in runs),
                statistics.median(r[i].p95 for r in runs), statistics.median(r[i].rate for r in runs),
                {k: v for r in runs for k, v in r[i].errors.items()})
            for i, name in ((0, "public list, county"), (1, "bare view (no login)"))]
    ratio = statistics.median(r[0].rate / r[1].rate for r in runs)
    print_table(rows, {"public list, county": ratio, "bare view (no login)": 1.0})
    print(f"\n# Done-when, the public page of a county's list ≥ {PUBLIC_FLOOR:.0%} of the bare rate: "
          f"{'yes' if ratio >= PUBLIC_FLOOR else 'NO'} ({ratio:.0%})")
    started = time.perf_counter()
    statuses = asyncio.run(flood(port, county))
    took = time.perf_counter() - started
    errors = sum(n for status, n in statuses.items() if status >= 500 or status == 0)
    print(f"\n## flood: {FLOOD_POSTS} posts of the opinion form from one address in {took:.1f} s: "
          + ", ".join(f"HTTP {status} × {n}" for status, n in sorted(statuses.items())))
    print(f"# Done-when, the flood is throttled (429) without a server error: "
          f"{'yes' if statuses.get(429, 0) >= FLOOD_POSTS - 50 and not errors else 'NO'}")


async def log_in(port: int, logins: list[Login], users: int) -> list[tuple[Login, str]]:
    """`users` sessions, spread over the logins, two logins at a time (as many as there are workers)."""
    gate = asyncio.Semaphore(2)

    async def one(who: Login) -> tuple[Login, str]:
        async with gate:
            return who, await login(port, who.username, settings.DEMO_PASSWORD)
    return await asyncio.gather(*(one(logins[i % len(logins)]) for i in range(users)))


def access_log_cost(logins: list[Login], args, tmp: Path) -> None:
    """The bare view's rate, the server restarted with and without its access log, alternately."""
    seconds = args.page_seconds or 4
    cookies, rates = [], {False: [], True: []}
    for _ in range(args.access_log_cost):
        for logged in (False, True):
            port = free_port()
            server = start_server(port, args.workers, tmp / "access.log" if logged else None, tmp / "error.log")
            try:
                cookies = cookies or [c for _, c in asyncio.run(log_in(port, logins, args.users))]
                tallies, elapsed = asyncio.run(drive(
                    port, [(c, lambda rng: ("bare view", "/__bare__/")) for c in cookies], seconds, 0, args.seed))
                rates[logged].append(len(tallies["bare view"].times) / elapsed)
            finally:
                stop_server(server)
    for logged, found in rates.items():
        print(f"bare view, access log {'on ' if logged else 'off'}: median {statistics.median(found):7.1f} req/s "
              f"({', '.join(f'{r:.0f}' for r in found)})")


def run(port: int, logins: list[Login], args) -> None:
    print(f"# gunicorn: {args.workers} sync workers on 127.0.0.1:{port}, access log "
          f"{'on' if args.access_log else 'off'}; {args.users} users; think {args.think} s")

    started = time.perf_counter()
    sessions = asyncio.run(log_in(port, logins, args.users))
    print(f"# {len(sessions)} logins in {time.perf_counter() - started:.1f} s: " + ", ".join(
        f"{level} {sum(1 for w, _ in sessions if w.level == level)}" for level in LEVELS) + " / " + ", ".join(
        f"{g} {sum(1 for w, _ in sessions if w.group == g)}" for g in ("office", "leader", "discipline")))

    # Which pages each login may open: one probe each, the refused ones leave the mix.
    async def probe() -> dict[tuple[str, str], int]:
        seen = {}
        for who, cookie in sessions:
            for page, urls in who.pages.items():
                if urls and (who.username, page) not in seen:
                    seen[(who.username, page)] = (await fetch(port, urls[0], cookies=cookie)).status
        return seen

    allowed = asyncio.run(probe())
    refused = sorted({f"{u} {p} (HTTP {s})" for (u, p), s in allowed.items() if s != 200})
    if refused:
        print("# left out of the mix, not open to that login: " + "; ".join(refused))

    def chooser(who: Login):
        pages = [(p, w) for p, w in MIX if who.pages.get(p) and allowed.get((who.username, p)) == 200]
        names, weights = [p for p, _ in pages], [w for _, w in pages]
        label = {p: f"{p} ({who.level})" for p in names}

        def choose(rng: random.Random) -> tuple[str, str]:
            page = rng.choices(names, weights)[0]
            return label[page], rng.choice(who.pages[page])
        return choose

    print(f"\n## mix: {args.users} users for {args.seconds:.0f} s, pages of their own unit "
          f"({', '.join(f'{p} {w}%' for p, w in MIX)}), think {args.think} s")
    tallies, elapsed = asyncio.run(drive(port, [(cookie, chooser(who)) for who, cookie in sessions], args.seconds,
                                         args.think, args.seed))
    order = [f"{p} ({level})" for p, _ in MIX for level in LEVELS]
    mix_rows = [Row.of(name, tallies[name], elapsed) for name in order if name in tallies]
    total = Tally([t for tally in tallies.values() for t in tally.times])
    for tally in tallies.values():
        for k, v in tally.errors.items():
            total.errors[k] += v
    mix_rows.append(Row.of("all pages", total, elapsed))
    # The same users and think time on the bare view: the part of a p95 that is the machine's, not the pages'.
    tallies, elapsed = asyncio.run(drive(port, [(c, lambda rng: ("bare view", "/__bare__/")) for _, c in sessions],
                                         args.seconds, args.think, args.seed))
    print_table([*mix_rows, Row.of("bare view, same users and think", tallies["bare view"], elapsed)])

    if not args.page_seconds:
        return
    offices = {who.level: who for who in logins if who.role == Role.CAMPAIGN_OFFICE}
    alone = []
    for level in (UnitLevel.PROVINCE, UnitLevel.COUNTY):
        if level in offices:
            alone.append((f"汇总, {level}", offices[level], "汇总"))
            alone.append((f"驾驶舱, {level}", offices[level], "驾驶舱"))
    for level in LEVELS:
        if level in offices:
            alone.append((f"home, {level} office", offices[level], "home"))
    for level in LEVELS:
        if level in offices:
            alone.append((f"unit page, {level} office", offices[level], "unit"))
    if UnitLevel.COUNTY in offices:
        alone += [("ledger, county office", offices[UnitLevel.COUNTY], "ledger"),
                  ("item, county office", offices[UnitLevel.COUNTY], "item")]

    print(f"\n## each page alone: {args.users} connections, no think time, {args.page_seconds:.0f} s each, "
          f"{args.rounds} round(s), each round starting with the bare view")
    every_session = [c for _, c in sessions]
    found: dict[str, list[tuple[Row, float]]] = {}  # page -> (its row, the round's bare rate) per round
    for _ in range(args.rounds):
        tallies, elapsed = asyncio.run(drive(
            port, [(c, lambda rng: ("bare view", "/__bare__/")) for c in every_session], args.page_seconds, 0,
            args.seed))
        bare = Row.of("bare view", tallies["bare view"], elapsed)
        found.setdefault(bare.page, []).append((bare, bare.rate))
        for name, who, page in alone:
            cookies = [c for w, c in sessions if w.username == who.username] or [
                asyncio.run(login(port, who.username, settings.DEMO_PASSWORD))]
            urls = who.pages[page]

            def choose(rng, name=name, urls=urls):
                return name, rng.choice(urls)
            tallies, elapsed = asyncio.run(drive(
                port, [(cookies[i % len(cookies)], choose) for i in range(args.users)], args.page_seconds, 0,
                args.seed))
            found.setdefault(name, []).append((Row.of(name, tallies[name], elapsed), bare.rate))
    rows, ratios = [], {}
    for name, runs in [*list(found.items())[1:], *list(found.items())[:1]]:  # the bare view last
        errors = defaultdict(int)
        for row, _ in runs:
            for k, v in row.errors.items():
                errors[k] += v
        rows.append(Row(name, sum(r.requests for r, _ in runs), statistics.median(r.p50 for r, _ in runs),
                        statistics.median(r.p95 for r, _ in runs), statistics.median(r.rate for r, _ in runs),
                        dict(errors)))
        ratios[name] = statistics.median(r.rate / bare_rate for r, bare_rate in runs)
    print_table(rows, ratios)
    if args.rounds > 1:
        print("# p50, p95, req/s and × bare: medians over the rounds (× bare against the bare rate of the same round)")

    bare_rate = rows[-1].rate
    listed = [r for r in rows if r.page.startswith(("汇总", "驾驶舱", "home", "unit page"))]
    slow = [r.page for r in listed if ratios[r.page] < RATE_FLOOR]
    late = [r.page for r in mix_rows if not r.p95 < P95_CEILING_MS]
    print(f"\n# Done-when, pages listed (汇总 and 驾驶舱 province/county, home and unit page of every office) ≥ "
          f"{RATE_FLOOR:.0%} of the bare rate ({bare_rate:.0f}/s): {'yes' if not slow else 'NO: ' + ', '.join(slow)}")
    print(f"# Done-when, p95 < {P95_CEILING_MS:.0f} ms in the mix with {args.users} users (think {args.think} s): "
          f"{'yes' if not late else 'NO: ' + ', '.join(late)}")


if __name__ == "__main__":
    main()
