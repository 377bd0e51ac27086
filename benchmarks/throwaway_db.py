"""A throwaway database for a benchmark, made the way the test runner makes one.

A temporary SQLite file (WAL, synchronous=FULL, as deployed) by default, or a
`huitoukan_bench_<pid>` database on the server of DATABASE_URL=postgres://...; the
configured database is never touched.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.template.base import Template
from django.test.utils import setup_test_environment, teardown_test_environment


@contextmanager
def throwaway_database() -> Iterator[str]:
    """Yields a description of where the benchmark runs."""
    db = settings.DATABASES["default"]
    tmpdir = None
    if connection.vendor == "sqlite":
        tmpdir = tempfile.TemporaryDirectory(prefix="huitoukan-bench-")
        db.setdefault("TEST", {})["NAME"] = str(Path(tmpdir.name) / "bench.sqlite3")
        where = "SQLite file (WAL)"
    else:
        db.setdefault("TEST", {})["NAME"] = f"huitoukan_bench_{os.getpid()}"
        where = f"{connection.vendor} {db.get('HOST') or 'local'}:{db.get('PORT') or ''} database {db['TEST']['NAME']}"
    served_render = Template._render
    setup_test_environment()
    # Templates render as served: the test environment instruments them to copy the context at every
    # template and include (for the test client's `response.context`), which no server does.
    Template._render = served_render
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield where
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        if tmpdir is not None:
            tmpdir.cleanup()
