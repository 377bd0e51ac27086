"""A huey worker killed with SIGKILL in the middle of a subtree export: the job is queued again,
finishes exactly once, and leaves one complete file and no partial one.

End to end, as deployed: real processes (`huitoukan run_huey`, the SQLite queue) on a database
of their own, a synthetic province made by `huitoukan synth`. The database is a SQLite file
whatever the run's DATABASE_URL: what is tested is the claim and the file protocol, which are the
same on both databases (tests/jobs/test_jobs.py runs them on each).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

HUITOUKAN = [sys.executable, "-m", "huitoukan.cli"]
SEED = 5
TIMEOUT = 120


def _env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "HUITOUKAN_HUEY_IMMEDIATE")}
    return env | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "HUITOUKAN_VAR": str(tmp_path / "var"),
        "HUITOUKAN_JOB_STALE_SECONDS": "2",
        "HUITOUKAN_OPERATOR": f"s{SEED}_province_campaign_office",
    }


def _run(env, *args) -> str:
    done = subprocess.run([*HUITOUKAN, *args], env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _job(db: Path, pk: str) -> dict:
    with sqlite3.connect(db) as c:
        c.row_factory = sqlite3.Row
        row = c.execute("SELECT * FROM jobs_job WHERE id = ?", (pk.replace("-", ""),)).fetchone()
    return dict(row)


def _until(db, pk, ready, what) -> dict:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        job = _job(db, pk)
        if ready(job):
            return job
        time.sleep(0.05)
    pytest.fail(f"job never {what}: {job}")


def _worker(env, tmp_path) -> subprocess.Popen:
    log = open(tmp_path / "worker.log", "ab")  # noqa: SIM115 (kept open for the process's life)
    return subprocess.Popen([*HUITOUKAN, "run_huey", "--workers", "1"], env=env, stdout=log, stderr=log)


def test_a_worker_killed_mid_export_leaves_one_complete_file(tmp_path, migrated_sqlite_file):
    env = _env(tmp_path)
    db = tmp_path / "db.sqlite3"
    shutil.copyfile(migrated_sqlite_file, db)
    _run(env, "synth", "--units", "40", "--items", "30000", "--seed", str(SEED), "--no-reference")
    out = _run(env, "export-ledger", "--campaign", f"整改落实情况“回头看”（合成{SEED}）", "--unit", f"合成省{SEED}",
               "--kind", "附件1", "--subtree", "--background", "-o", str(tmp_path / "out.xlsx"))
    pk = re.search(r"[0-9a-f]{8}-[0-9a-f-]{27}", out).group(0)
    folder = tmp_path / "var" / "jobs" / pk

    worker = _worker(env, tmp_path)
    try:
        _until(db, pk, lambda j: j["state"] == "running" and j["progress_done"] > 0, "made progress")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        worker.kill()
    killed = _job(db, pk)
    assert killed["state"] == "running" and killed["attempts"] == 1
    assert not (folder / "result.xlsx").exists()  # killed before the end: no result under its name

    time.sleep(2.5)  # the heartbeat goes stale
    assert "已重新排队 1 个任务" in _run(env, "jobs", "--requeue")
    worker = _worker(env, tmp_path)
    try:
        job = _until(db, pk, lambda j: j["state"] in ("done", "failed"), "finished")
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(10)
        except subprocess.TimeoutExpired:
            worker.kill()

    assert job["state"] == "done" and job["attempts"] == 2, job
    assert sorted(p.name for p in folder.iterdir()) == ["result.xlsx"]
    with sqlite3.connect(db) as c:
        items = c.execute("SELECT count(*) FROM ledgers_item i JOIN ledgers_ledger l ON l.id = i.ledger_id "
                          "WHERE l.kind = 'leadership'").fetchone()[0]
    book = CalamineWorkbook.from_path(str(folder / "result.xlsx"))
    numbered = sum(1 for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python()
                   if row and isinstance(row[0], int | float) and row[0] >= 1)
    assert job["result_rows"] == items == numbered and items > 5000
