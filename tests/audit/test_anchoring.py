"""The running system anchors the security log's head outside the database, and every verification holds
the chain to those anchors: rewinding the newest rows or emptying the log is caught by the page and the
command alike, on a system that only ran `huitoukan serve`."""

import datetime as dt
import json
import socket
import subprocess

import pytest
from django.core.management import CommandError, call_command

from huitoukan.access.models import Role
from huitoukan.audit.models import ChainHead, SecurityEvent, SecurityEventKind
from huitoukan.audit.services import (
    anchor_file,
    security_event_record,
    security_log_anchor,
    security_log_check,
    security_log_verify,
)
from huitoukan.audit.tasks import anchor_security_log, anchor_security_log_at_start

pytestmark = pytest.mark.django_db


def _events(n=3):
    return [security_event_record(kind=SecurityEventKind.EXPORT, username=f"u{i}", detail={"n": i}) for i in range(n)]


def _anchors():
    return [json.loads(line) for line in anchor_file().read_text(encoding="utf-8").splitlines()]


def _as_served():
    """What `huitoukan serve` leaves behind: its consumer anchored at its start, then every minute."""
    anchor_security_log_at_start()
    _events()
    anchor_security_log.call_local()


def _verdicts(client):
    """`audit-verify` and the page's 校验: (page text, command error or None). The command first: the page's
    verification is itself logged, a row the command would then count."""
    error = None
    try:
        call_command("audit-verify")
    except CommandError as e:
        error = str(e)
    return client.get("/audit/?verify=1").content.decode(), error


def test_the_consumer_anchors_at_its_start_even_an_empty_log():
    anchor_security_log_at_start()
    assert [(a["count"], len(a["mac"])) for a in _anchors()] == [(0, 64)]


def test_the_periodic_task_anchors_only_when_the_head_moved():
    anchor_security_log_at_start()
    anchor_security_log.call_local()
    assert len(_anchors()) == 1  # nothing new: no line
    events = _events(2)
    anchor_security_log.call_local()
    anchor_security_log.call_local()
    assert [(a["count"], a["digest"]) for a in _anchors()][1:] == [(2, events[-1].digest)]


def test_the_periodic_task_runs_every_minute():
    from huey.contrib.djhuey import HUEY

    task = anchor_security_log.task_class
    assert task in HUEY._registry._periodic_tasks
    assert all(task.validate_datetime(None, dt.datetime(2026, 1, 1, 3, minute)) for minute in range(60))


def test_serve_starts_the_consumer_and_anchors_before_serving(monkeypatch):
    from huitoukan.portal.management.commands import serve

    started = []

    class Child:
        def __init__(self, argv):
            started.append(argv)

        def poll(self):
            return 0

        def wait(self, timeout=None):
            return 0

    monkeypatch.setattr(serve.subprocess, "Popen", Child)
    monkeypatch.setattr(serve.os, "wait", lambda: (0, 0))
    monkeypatch.setattr(serve.signal, "signal", lambda *a: None)
    _events(2)
    call_command("serve")
    assert any(argv[-1] == "run_huey" for argv in started), started
    assert any("gunicorn" in argv for argv in started)
    assert _anchors()[-1]["count"] == 2  # anchored before the first request


def test_rewinding_the_newest_rows_is_caught_by_the_page_and_the_command(tree, make_user, client):
    client.force_login(make_user(Role.AUDIT_ADMIN, tree.city))  # before the tampering: a login is an event
    _as_served()
    kept = list(SecurityEvent.objects.order_by("id"))[:-2]
    # someone with database access deletes the two newest rows and rewinds the head to match
    SecurityEvent.objects.filter(pk__gt=kept[-1].pk).delete()
    ChainHead.objects.filter(pk=1).update(digest=kept[-1].digest, count=len(kept), last_event_id=kept[-1].pk)
    assert security_log_verify().ok  # the chain alone cannot tell

    page, error = _verdicts(client)
    assert "校验失败" in page and "末尾记录被删除或链头被回退" in page
    assert error is not None and "末尾记录被删除或链头被回退" in error


def test_emptying_the_log_is_caught_by_the_page_and_the_command(tree, make_user, client):
    client.force_login(make_user(Role.AUDIT_ADMIN, tree.city))  # before the tampering: a login is an event
    _as_served()
    SecurityEvent.objects.all().delete()
    ChainHead.objects.all().delete()
    assert security_log_verify().ok  # an empty chain is a valid chain

    page, error = _verdicts(client)
    assert "校验失败" in page and "现在只有 0 条" in page
    assert error is not None and "现在只有 0 条" in error


def test_an_untouched_log_passes_both(tree, make_user, client):
    client.force_login(make_user(Role.AUDIT_ADMIN, tree.city))  # before the tampering: a login is an event
    _as_served()
    page, error = _verdicts(client)
    assert "校验通过" in page and error is None


def test_a_log_with_rows_and_no_anchor_file_is_not_verified():
    _events()
    report = security_log_check()
    assert not report.ok and report.no_anchor_file and "锚点文件" in report.problem
    with pytest.raises(CommandError, match="锚点文件"):
        call_command("audit-verify")
    call_command("audit-verify", "--anchor")  # the operator starts the anchors by hand
    assert security_log_check().ok


def test_an_emptied_anchor_file_counts_as_none():
    _events()
    security_log_anchor()
    anchor_file().write_text("", encoding="utf-8")
    assert security_log_check().no_anchor_file


def test_a_chain_rebuilt_with_the_key_still_disagrees_with_its_anchors():
    from huitoukan.audit.services import GENESIS, _digest

    _events()
    security_log_anchor()
    # someone holding the key rewrites a row and recomputes every digest after it, head included
    rows = list(SecurityEvent.objects.order_by("id"))
    rows[1].username = "nobody"
    prev = GENESIS
    for row in rows:
        row.digest = _digest(prev, row)
        SecurityEvent.objects.filter(pk=row.pk).update(username=row.username, digest=row.digest)
        prev = row.digest
    ChainHead.objects.filter(pk=1).update(digest=prev)
    assert security_log_verify().ok

    report = security_log_check()
    assert not report.ok and "锚点不符" in report.problem


def test_each_anchor_also_goes_to_syslog(settings):
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    settings.AUDIT_SYSLOG = f"127.0.0.1:{receiver.getsockname()[1]}"
    try:
        _events(1)
        anchor = security_log_anchor()
        message = receiver.recv(4096).decode()
    finally:
        receiver.close()
    assert "huitoukan audit anchor" in message and anchor["mac"] in message


def test_an_unreachable_syslog_does_not_stop_the_file_anchor(settings, tmp_path):
    settings.AUDIT_SYSLOG = str(tmp_path / "no-such-socket")
    _events(1)
    security_log_anchor()
    assert _anchors()[-1]["count"] == 1


def test_the_anchor_file_is_configurable(settings, tmp_path):
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "elsewhere" / "anchors.jsonl")
    anchor_security_log_at_start()
    assert (tmp_path / "elsewhere" / "anchors.jsonl").exists()


def test_the_audit_verify_help_runs():
    # The command is reachable as installed (the CLI's own process, its Chinese help).
    result = subprocess.run([".venv/bin/huitoukan", "audit-verify", "--help"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and "锚点" in result.stdout
