"""What the in-process page benchmarks share: a request's query count, and timings taken in turn."""

from __future__ import annotations

import time

from django.db import connection
from django.test import Client


def statements(client: Client, url: str):
    """One warm request, then the next one's response and the SQL statements it ran (text, parameters)."""
    client.get(url)
    executed = []

    def keep(execute, sql, params, many, context):
        executed.append((sql, params))
        return execute(sql, params, many, context)

    # A wrapper rather than CaptureQueriesContext: a request's start resets the queries log.
    with connection.execute_wrapper(keep):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response, executed


def queried(client: Client, url: str):
    """One warm request, then the next one's response and the number of SQL queries it made."""
    response, executed = statements(client, url)
    return response, len(executed)


def replay(executed) -> None:
    """Run statements again through a bare cursor, fetching every row: the raw SQL of a page's answer."""
    with connection.cursor() as cursor:
        for sql, params in executed:
            cursor.execute(sql, params)
            if cursor.description is not None:
                cursor.fetchall()


def page_reads(client: Client, url: str, bare_url: str = "/__bare__/"):
    """What a page reads beyond the bare view (whose session and user reads the bare time already holds):
    the statements to `replay` as the page's raw SQL reference, and the page's whole query count."""
    _response, bare = statements(client, bare_url)
    _response, executed = statements(client, url)
    shared = {sql for sql, _params in bare}
    return [(sql, params) for sql, params in executed if sql not in shared], len(executed)


def interleaved(runs, requests: int) -> list[list[float]]:
    """Each run's times in ms, the runs taken in turn request after request: on a shared machine the
    page, the bare view and the raw SQL then see the same load."""
    for run in runs:
        run()  # warm
    times: list[list[float]] = [[] for _run in runs]
    for _ in range(requests):
        for run, kept in zip(runs, times, strict=True):
            started = time.perf_counter()
            run()
            kept.append((time.perf_counter() - started) * 1000)
    return times


def pages_against_references(client: Client, pages, requests: int) -> list[tuple]:
    """Each (name, url) page timed in turn with the bare view and its own statements replayed: rows of
    (name, queries, median ms, p90 ms, bare ms, raw SQL ms), for `print_pages`."""
    import statistics

    reads = [page_reads(client, url) for _name, url in pages]
    runs = [lambda: client.get("/__bare__/"),
            *(lambda url=url: client.get(url) for _name, url in pages),
            *(lambda executed=executed: replay(executed) for executed, _count in reads)]
    bare, *times = interleaved(runs, requests)
    bare_ms = statistics.median(bare)
    return [(name, count, statistics.median(page), statistics.quantiles(page, n=10)[-1], bare_ms,
             statistics.median(raw))
            for (name, _url), (_executed, count), page, raw in zip(pages, reads, times[:len(pages)],
                                                                    times[len(pages):], strict=True)]


def print_pages(rows, debug: bool) -> None:
    print(f"{'page':<26} {'queries':>7} {'median ms':>10} {'p90 ms':>8} {'bare ms':>8} {'raw SQL ms':>10}"
          f" {'ratio':>6}")
    for name, queries, median, p90, bare_ms, raw_ms in rows:
        print(f"{name:<26} {queries:>7} {median:>10.1f} {p90:>8.1f} {bare_ms:>8.1f} {raw_ms:>10.2f}"
              f" {median / (bare_ms + raw_ms):>6.2f}")
    print("# ratio = page median / (bare view + raw SQL): the raw SQL is the page's own statements beyond the bare")
    print(f"# view's (session, user), run again through a bare cursor with every row fetched; DEBUG={debug}")
