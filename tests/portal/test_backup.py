"""A backup restores what it backed up: the database rows and the evidence files."""

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

PYTHON = sys.executable


def _run(env, *args):
    result = subprocess.run([PYTHON, "-m", "huitoukan.cli", *args], env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _load_demo(env) -> None:
    """migrate and demo in one interpreter: starting Python and Django is most of each command's time."""
    code = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','huitoukan.settings'); django.setup()\n"
            "from django.core.management import call_command\n"
            "call_command('migrate', verbosity=0); call_command('demo')")
    result = subprocess.run([PYTHON, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def _sql(env, *statements):
    """Run statements on the system's database directly (no Django to start); the last one's first value."""
    if env.get("DATABASE_URL"):
        connection = psycopg.connect(env["DATABASE_URL"])
    else:
        connection = sqlite3.connect(Path(env["HUITOUKAN_VAR"]) / "huitoukan.sqlite3")
    try:
        cursor = connection.cursor()
        for statement in statements:
            cursor.execute(statement)
        row = cursor.fetchone() if cursor.description else None
        connection.commit()
    finally:
        connection.close()
    return row[0] if row else None


@pytest.fixture
def system_env(tmp_path):
    env = {**os.environ, "HUITOUKAN_VAR": str(tmp_path / "var")}
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        name = f"huitoukan_backup_{uuid.uuid4().hex[:8]}"
        base = url.rsplit("/", 1)[0]
        subprocess.run(["psql", f"{base}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
        env["DATABASE_URL"] = f"{base}/{name}"
        yield env
        subprocess.run(["psql", f"{base}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True)
    else:
        env.pop("DATABASE_URL", None)
        yield env


def test_backup_then_restore_brings_back_rows_and_evidence(system_env, tmp_path):
    # given the demo in a system of its own, and an evidence file
    env = system_env
    _load_demo(env)
    units = _sql(env, "SELECT COUNT(*) FROM orgs_unit")
    evidence = tmp_path / "var" / "media" / "evidence" / "ab" / ("ab" + "1" * 62)
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4 evidence")
    _run(env, "backup", str(tmp_path / "backup.tar"))

    # when rows and a file are lost after the backup
    # (rows nothing else refers to: the items themselves are cited by cases, findings, letters and closings)
    progress = _sql(env, "SELECT COUNT(*) FROM ledgers_progressentry")
    events = _sql(env, "SELECT COUNT(*) FROM ledgers_itemevent")
    _sql(env, "DELETE FROM ledgers_progressentry", "DELETE FROM ledgers_itemevent")
    evidence.unlink()
    assert _sql(env, "SELECT COUNT(*) FROM ledgers_progressentry") == 0 < progress

    # then restore brings them back
    _run(env, "restore", str(tmp_path / "backup.tar"))
    assert _sql(env, "SELECT COUNT(*) FROM ledgers_progressentry") == progress
    assert _sql(env, "SELECT COUNT(*) FROM ledgers_itemevent") == events
    assert _sql(env, "SELECT COUNT(*) FROM orgs_unit") == units
    assert evidence.read_bytes() == b"%PDF-1.4 evidence"
