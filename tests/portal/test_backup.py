"""A backup restores what it backed up: the database rows and the evidence files."""

import os
import subprocess
import sys
import uuid

import pytest

PYTHON = sys.executable


def _run(env, *args):
    result = subprocess.run([PYTHON, "-m", "huitoukan.cli", *args], env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _count(env, sql):
    code = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','huitoukan.settings'); django.setup();"
            f"from django.db import connection; c=connection.cursor(); c.execute({sql!r}); print(c.fetchone()[0])")
    return int(subprocess.run([PYTHON, "-c", code], env=env, capture_output=True, text=True, check=True).stdout)


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
    env = system_env
    _run(env, "migrate", "-v", "0")
    _run(env, "demo")
    evidence = tmp_path / "var" / "media" / "evidence" / "ab" / ("ab" + "1" * 62)
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4 evidence")
    units = _count(env, "SELECT COUNT(*) FROM orgs_unit")
    _run(env, "backup", str(tmp_path / "backup.tar"))
    # when rows and a file are lost after the backup
    code = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','huitoukan.settings'); django.setup();"
            "from django.db import connection; c=connection.cursor();"
            "c.execute('DELETE FROM ledgers_itemevent'); c.execute('DELETE FROM ledgers_evidence');"
            "c.execute('DELETE FROM ledgers_progressentry'); c.execute('DELETE FROM ledgers_item_lead_leaders');"
            "c.execute('DELETE FROM ledgers_item_responsible_units'); c.execute('DELETE FROM ledgers_item')")
    subprocess.run([PYTHON, "-c", code], env=env, check=True)
    evidence.unlink()
    assert _count(env, "SELECT COUNT(*) FROM ledgers_item") == 0
    # then restore brings them back
    _run(env, "restore", str(tmp_path / "backup.tar"))
    assert _count(env, "SELECT COUNT(*) FROM ledgers_item") > 0
    assert _count(env, "SELECT COUNT(*) FROM orgs_unit") == units
    assert evidence.read_bytes() == b"%PDF-1.4 evidence"
