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


def _django(env, code: str) -> str:
    """Run `code` in one fresh interpreter with Django set up on the system's database; its last output line."""
    setup = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','huitoukan.settings'); django.setup()\n"
             "from django.core.management import call_command\n"
             "from django.db import connection\n"
             "def count(sql):\n"
             "    with connection.cursor() as c:\n"
             "        c.execute(sql)\n"
             "        return c.fetchone()[0]\n")
    result = subprocess.run([PYTHON, "-c", setup + code], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


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
    # given the demo in a system of its own, and an evidence file (one interpreter: start-up is the cost here)
    env = system_env
    units = int(_django(env, "call_command('migrate', verbosity=0); call_command('demo');"
                             "print(count('SELECT COUNT(*) FROM orgs_unit'))"))
    evidence = tmp_path / "var" / "media" / "evidence" / "ab" / ("ab" + "1" * 62)
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4 evidence")
    _run(env, "backup", str(tmp_path / "backup.tar"))

    # when rows and a file are lost after the backup
    items_left = _django(env, "c = connection.cursor()\n"
                              "for table in ('ledgers_itemevent', 'ledgers_evidence', 'ledgers_progressentry',"
                              " 'ledgers_item_lead_leaders', 'ledgers_item_responsible_units', 'ledgers_item'):\n"
                              "    c.execute(f'DELETE FROM {table}')\n"
                              "print(count('SELECT COUNT(*) FROM ledgers_item'))")
    evidence.unlink()
    assert items_left == "0"

    # then restore brings them back
    _run(env, "restore", str(tmp_path / "backup.tar"))
    items, units_after = _django(env, "print(count('SELECT COUNT(*) FROM ledgers_item'),"
                                      " count('SELECT COUNT(*) FROM orgs_unit'))").split()
    assert int(items) > 0
    assert int(units_after) == units
    assert evidence.read_bytes() == b"%PDF-1.4 evidence"
