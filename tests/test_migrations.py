"""The migrations describe the models exactly, and apply from zero on the database the run is on.

The test databases are made from the models (`--no-migrations` in pyproject.toml: replaying the migrations
cost each xdist worker ~30 s of CPU), so this is what ties them to what a deployment builds: a model change
without its migration fails here. The migrations themselves are applied from zero by `make run` and, on SQLite,
by the end-to-end tests that start real processes (tests/jobs/test_kill.py, tests/audit/test_served_anchors.py,
tests/portal/test_backup.py, from tests/conftest.py migrated_sqlite_file); on PostgreSQL, which nothing else
migrates any more, by the second test here, once per run; their data steps are tested where they matter
(tests/access/test_account_kinds.py).
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def test_every_model_change_has_its_migration(tmp_path):
    # In a process of its own: under pytest-django's --no-migrations this one sees no migrations at all.
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "HUITOUKAN_VAR")}
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "HUITOUKAN_VAR": str(tmp_path / "var")}
    result = subprocess.run([sys.executable, "-m", "huitoukan.cli", "makemigrations", "--check", "--dry-run"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"models differ from their migrations:\n{result.stdout}{result.stderr}"


def test_the_migrations_apply_from_zero_on_postgresql(tmp_path):
    """A deployment runs PostgreSQL: a migration it refuses (a cast, a data step's SQL) fails here, on a database
    of its own made and dropped around `huitoukan migrate` in a process of its own."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the run is on SQLite: migrated from zero by tests/conftest.py migrated_sqlite_file")
    import psycopg
    from psycopg import sql

    name = f"hk_migrate_{uuid.uuid4().hex[:12]}"
    server = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"] or None,
              "password": db["PASSWORD"] or None, "dbname": "postgres"}
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        url = f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "HUITOUKAN_VAR", "REDIS_URL")}
        env |= {"DATABASE_URL": url, "HUITOUKAN_VAR": str(tmp_path / "var")}
        result = subprocess.run([sys.executable, "-m", "huitoukan.cli", "migrate", "-v", "0", "--no-input"],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"the migrations fail on PostgreSQL:\n{result.stdout}{result.stderr}"
    finally:
        with psycopg.connect(**server, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
