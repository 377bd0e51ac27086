"""A clerk's report: an item set to 已完成(销号) with raw SQL (no service, no link) must fail `ledger-verify`."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from huitoukan.ledgers import services
from huitoukan.ledgers.models import Item, ItemStatus
from tests.ledgers.conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def lw(lw_shared, settings, tmp_path):
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "anchors" / "audit-anchors.jsonl")
    return lw_shared


def verify(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("ledger-verify", *args, stdout=out)
    except CommandError as e:
        return e.returncode, out.getvalue() + str(e)
    return 0, out.getvalue()


def _raw_close(item: Item, closed_on: dt.date | None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Item._meta.db_table} SET status = %s, closed_on = %s WHERE id = %s",
                       [ItemStatus.CLOSED.value, closed_on, item.pk])


@pytest.mark.parametrize("closed_on", [None, dt.date(2015, 1, 20)], ids=["status-only", "status-and-date"])
def test_an_item_closed_with_raw_sql_fails_ledger_verify(lw, closed_on):
    # given an item in progress, written through the services (progress with a file), and a clean chain
    item = services.item_create(actor=lw.office, ledger=lw.ledger, problem="会议多、文件多、简报多",
                                lead_leaders=[lw.leader_person])
    services.progress_add(actor=lw.leader, item=item, progress="已精简会议", reported_on=dt.date(2015, 1, 10),
                          files=[pdf()])
    assert verify()[0] == 0
    # when its status is set to 已完成(销号) with raw SQL, as the clerk did
    _raw_close(item, closed_on)
    # then the whole verification and the unit's both fail and name the item and the field
    for args in ((), ("--unit", "娄底市/涟源市")):
        code, out = verify(*args)
        assert code == 3, out
        assert "「会议多、文件多、简报多」" in out and "状态" in out and "与最后一次封存时不同" in out


def test_a_raw_sql_closing_sealed_over_by_a_later_legitimate_write_still_fails(lw):
    """What the clerk saw: the raw UPDATE alone is found (above), but the next write through the services sealed
    the item as it then stood, tampered status included, and ledger-verify passed. Each link's item state is
    now held to the one before it: evidence changes nothing of the item, so a status that differs is named."""
    item = services.item_create(actor=lw.office, ledger=lw.ledger, problem="会议多、文件多、简报多",
                                lead_leaders=[lw.leader_person])
    _raw_close(item, None)
    item.refresh_from_db()
    services.evidence_add(actor=lw.leader, item=item, files=[pdf()])
    code, out = verify()
    assert code == 3, out
    assert "「会议多、文件多、简报多」" in out and "封存时事项的状态与上一环不同" in out


def test_a_progress_report_moving_the_status_is_not_a_finding(lw):
    # the one change of the item a progress report makes (填报后状态), through the services: clean
    item = services.item_create(actor=lw.office, ledger=lw.ledger, problem="窗口服务态度差",
                                lead_leaders=[lw.leader_person])
    services.progress_add(actor=lw.leader, item=item, progress="已整顿窗口", reported_on=dt.date(2015, 1, 10),
                          status_after=ItemStatus.BASICALLY_DONE)
    services.evidence_add(actor=lw.leader, item=item, files=[pdf()])
    request = services.closing_request(actor=lw.leader, item=item, summary="已整改到位",
                                       files=[pdf("验收.pdf", b"%PDF-1.4 done")])
    services.closing_verify(actor=lw.head, request=request, note="经核实")
    services.item_relapse(actor=lw.office, item=item, reason="问题反弹")
    assert verify()[0] == 0
