"""What the in-process page benchmarks share: a request's query count, and timings taken in turn."""

from __future__ import annotations

import time

from django.db import connection
from django.test import Client


def queried(client: Client, url: str):
    """One warm request, then the next one's response and the number of SQL queries it made."""
    client.get(url)
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    # A wrapper rather than CaptureQueriesContext: a request's start resets the queries log.
    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response, len(executed)


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
