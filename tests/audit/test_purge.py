"""Retention: nothing younger than 180 days is purged; a purge of older rows leaves a signed start the
chain verifies from, an anchor, and an event of its own."""

import datetime as dt
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from huitoukan.audit.models import ChainHead, SecurityEvent, SecurityEventKind, SecurityLogPurge
from huitoukan.audit.services import (
    AuditError,
    anchor_file,
    security_event_record,
    security_log_anchor,
    security_log_check,
    security_log_purge,
)

pytestmark = pytest.mark.django_db


def _events_at(days_ago: int, n: int):
    when = timezone.now() - dt.timedelta(days=days_ago)
    with mock.patch("django.utils.timezone.now", return_value=when):
        return [security_event_record(kind=SecurityEventKind.LOGIN, username=f"old{days_ago}-{i}") for i in range(n)]


def _ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def test_a_purge_younger_than_180_days_is_refused():
    _events_at(200, 2)
    with pytest.raises(AuditError, match="只能清理 180 天以前的记录"):
        security_log_purge(before=_ago(179))
    assert SecurityEvent.objects.count() == 2


def test_the_minimum_cannot_be_set_below_180_days(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    _events_at(200, 2)
    with pytest.raises(AuditError, match="180 天"):
        security_log_purge(before=_ago(100))


def test_a_longer_retention_is_kept(settings):
    settings.AUDIT_RETENTION_DAYS = 365
    _events_at(400, 1)
    with pytest.raises(AuditError, match="365 天"):
        security_log_purge(before=_ago(200))
    security_log_purge(before=_ago(366))
    assert not SecurityEvent.objects.filter(username="old400-0").exists()


def test_a_purge_leaves_a_chain_that_verifies_from_the_purge_point_with_the_old_anchors(
        django_capture_on_commit_callbacks):
    old = _events_at(300, 3)
    security_log_anchor()  # anchored before the purge, at a row the purge removes
    young = _events_at(10, 2)
    security_log_anchor()

    with django_capture_on_commit_callbacks(execute=True):
        purge = security_log_purge(before=_ago(200), username="命令行")

    assert purge.removed == 3 and purge.digest == old[-1].digest
    assert not SecurityEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert SecurityEvent.objects.filter(pk__in=[e.pk for e in young]).count() == 2
    event = SecurityEvent.objects.get(kind=SecurityEventKind.LOG_PURGED)
    assert event.detail["rows"] == 3
    report = security_log_check()
    assert report.ok and report.purged == 3 and report.checked == 3  # 2 young rows and the purge's own
    anchored = anchor_file().read_text(encoding="utf-8").splitlines()
    assert len(anchored) == 3  # the purge anchored the new head once committed


def test_a_second_purge_continues_from_the_first():
    _events_at(400, 2)
    _events_at(300, 2)
    security_log_anchor()
    security_log_purge(before=_ago(350))
    security_log_purge(before=_ago(250))
    assert SecurityLogPurge.objects.order_by("-id").first().total_removed == 4
    assert security_log_check().ok


def test_a_forged_purge_record_is_detected():
    _events_at(300, 3)
    security_log_anchor()
    security_log_purge(before=_ago(200))
    SecurityLogPurge.objects.update(total_removed=1)
    report = security_log_check()
    assert not report.ok and "清理记录被改动" in report.problem


def test_deleting_the_purge_record_is_detected():
    _events_at(300, 3)
    _events_at(10, 1)
    security_log_anchor()
    security_log_purge(before=_ago(200))
    SecurityLogPurge.objects.all().delete()
    assert not security_log_check().ok


def test_a_log_that_does_not_verify_is_not_purged():
    events = _events_at(300, 3)
    security_log_anchor()
    SecurityEvent.objects.filter(pk=events[1].pk).update(username="someone-else")
    with pytest.raises(AuditError, match="校验未通过"):
        security_log_purge(before=_ago(200))
    assert SecurityEvent.objects.count() == 3


def test_nothing_to_purge_says_so():
    _events_at(10, 1)
    with pytest.raises(AuditError, match="没有可清理的记录"):
        security_log_purge(before=_ago(200))


def test_the_purge_command_refuses_recent_dates_and_purges_old_ones():
    _events_at(300, 2)
    _events_at(5, 1)
    security_log_anchor()
    recent = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    with pytest.raises(CommandError, match="只能清理 180 天以前的记录"):
        call_command("audit-purge", "--before", recent)
    with pytest.raises(CommandError, match="不是日期"):
        call_command("audit-purge", "--before", "去年")
    old = (timezone.localdate() - dt.timedelta(days=200)).isoformat()
    call_command("audit-purge", "--before", old)
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOG_PURGED, username__startswith="命令行").exists()
    assert security_log_check().ok
    assert ChainHead.objects.get().count == 4  # rows ever written: 3 and the purge's own
