"""End to end, as deployed: a system that only ran `huitoukan serve` (real processes, a SQLite file of
its own) has anchored its security log, so `audit-verify` catches the newest rows deleted with the head
rewound, and the log emptied."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

HUITOUKAN = [sys.executable, "-m", "huitoukan.cli"]
TIMEOUT = 120
RECORD = ("from huitoukan.audit.services import security_event_record as r\n"
          "for i in range(5): r(kind='export', username=f'clerk{i}', detail={'n': i})")


def _env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("REDIS_URL", "DATABASE_URL", "HUITOUKAN_HUEY_IMMEDIATE", "HUITOUKAN_AUDIT_ANCHOR_FILE")}
    return env | {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "HUITOUKAN_VAR": str(tmp_path / "var")}


def _run(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([*HUITOUKAN, *args], env=env, capture_output=True, text=True, timeout=TIMEOUT)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _anchored_counts(path: Path) -> list[int]:
    if not path.exists():
        return []
    return [json.loads(line)["count"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def served_once(tmp_path_factory, migrated_sqlite_file):
    """A database with five logged events, after `huitoukan serve` has run and been stopped: built once (a
    server start in subprocesses takes seconds), copied for each test."""
    tmp_path = tmp_path_factory.mktemp("served")
    env = _env(tmp_path)
    shutil.copyfile(migrated_sqlite_file, tmp_path / "db.sqlite3")
    assert _run(env, "shell", "-c", RECORD).returncode == 0
    log = open(tmp_path / "serve.log", "ab")  # noqa: SIM115 (kept open for the process's life)
    server = subprocess.Popen([*HUITOUKAN, "serve", "--bind", f"127.0.0.1:{_free_port()}", "--workers", "1"],
                              env=env, stdout=log, stderr=log)
    anchors = tmp_path / "var" / "audit-anchors.jsonl"
    try:
        deadline = time.monotonic() + TIMEOUT
        # serve anchors before serving, and its consumer once more as it starts
        while _anchored_counts(anchors).count(5) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(TIMEOUT)
    assert _anchored_counts(anchors).count(5) == 2, (tmp_path / "serve.log").read_text()
    ok = _run(env, "audit-verify")
    assert ok.returncode == 0 and "校验通过" in ok.stdout, ok.stderr
    return tmp_path


@pytest.fixture
def served(served_once, tmp_path):
    """This test's own copy of the served system: its database and its anchors."""
    shutil.copy2(served_once / "db.sqlite3", tmp_path / "db.sqlite3")
    shutil.copytree(served_once / "var", tmp_path / "var")
    return _env(tmp_path), tmp_path / "db.sqlite3"


def test_a_served_system_catches_the_newest_rows_deleted_and_the_head_rewound(served):
    env, db = served
    with sqlite3.connect(db) as c:
        (last_kept, digest), = c.execute("SELECT id, digest FROM audit_securityevent ORDER BY id LIMIT 1 OFFSET 2")
        c.execute("DELETE FROM audit_securityevent WHERE id > ?", (last_kept,))
        c.execute("UPDATE audit_chainhead SET digest = ?, count = 3, last_event_id = ?", (digest, last_kept))
    result = _run(env, "audit-verify")
    assert result.returncode == 3
    assert "日志在" in result.stderr and "末尾记录被删除或链头被回退" in result.stderr


def test_a_served_system_catches_the_log_emptied(served):
    env, db = served
    with sqlite3.connect(db) as c:
        c.execute("DELETE FROM audit_securityevent")
        c.execute("DELETE FROM audit_chainhead")
    result = _run(env, "audit-verify")
    assert result.returncode == 3 and "现在只有 0 条" in result.stderr
