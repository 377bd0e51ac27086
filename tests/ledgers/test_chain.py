"""The items' tamper-evident chains (ledgers.chain): what `huitoukan ledger-verify` finds, and what it passes."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from huitoukan.ledgers import chain, services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import ClosingRequest, ClosingState, Evidence, ItemSeal, ProgressEntry
from huitoukan.ledgers.services import NewItem, NewProgress
from tests.ledgers.conftest import pdf

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def lw(lw_shared, settings, tmp_path):
    # The anchors of each test in its own folder: a rolled-back test leaves no anchor behind for the next.
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "anchors" / "audit-anchors.jsonl")
    return lw_shared


def verify(*args) -> tuple[int, str]:
    """(exit code, what the command wrote) of `ledger-verify`."""
    out = io.StringIO()
    try:
        call_command("ledger-verify", *args, stdout=out)
    except CommandError as e:
        return e.returncode, out.getvalue() + str(e)
    return 0, out.getvalue()


def world(lw):
    """Two items of 涟源市's 领导班子 ledger through the services: dated progress with files, evidence, a
    closing verified; the other made by the import's bulk path with its first progress, a closing returned."""
    meetings = services.item_create(actor=lw.office, ledger=lw.ledger, problem="文山会海问题突出",
                                    measures="精简会议", lead_leaders=[lw.leader_person])
    first = services.progress_add(actor=lw.leader, item=meetings, progress="已精简会议三次", reported_on=D(2015, 1, 10))
    second = services.progress_add(actor=lw.leader, item=meetings, progress="发文减少三成", reported_on=D(2015, 1, 20),
                                   files=[pdf("会议记录.pdf")])
    extra = services.evidence_add(actor=lw.leader, item=meetings, files=[pdf("通知.pdf", b"%PDF-1.4 notice")])[0]
    request = services.closing_request(actor=lw.leader, item=meetings, summary="已整改到位",
                                       files=[pdf("验收.pdf", b"%PDF-1.4 done")])
    services.closing_verify(actor=lw.head, request=request, note="经核实")
    window, = services.items_create_bulk(actor=lw.office, ledger=lw.ledger, rows=[NewItem(
        seq=None, problem="窗口服务态度差", fields={}, lead_leaders=[lw.other_leader], responsible_units=[],
        progress={"progress": "已整顿窗口"}, reported_on=D(2015, 1, 12))])
    returned = services.closing_request(actor=lw.other, item=window, summary="完成", files=[pdf("b.pdf", b"%PDF-1.4 b")])
    services.closing_return(actor=lw.head, request=returned, reason="材料不足")
    return meetings, window, first, second, extra, request, returned


def test_an_untouched_database_verifies_clean_after_the_services_the_bulk_path_and_the_closings(lw):
    meetings, window, *_ = world(lw)
    services.item_relapse(actor=lw.office, item=meetings, reason="问题反弹")
    services.item_update(actor=lw.office, item=window, measures="每月暗访")
    services.progress_add_bulk(actor=lw.office, entries=[
        NewProgress(item=window, progress=f"第{n}次整改", leader=lw.other_leader) for n in range(3)])
    code, out = verify()
    assert code == 0, out
    assert "台账链校验通过：2 个整改事项" in out
    report = chain.chain_verify()
    assert report.ok and report.links == ItemSeal.objects.count() > 10


def test_editing_a_progress_entrys_date_in_the_database_is_detected(lw):
    # given entries written through the services
    meetings, _window, first, *_ = world(lw)
    assert verify()[0] == 0

    # when an entry's 填报日期 is back-dated directly in the database
    ProgressEntry.objects.filter(pk=first.pk).update(reported_on=D(2015, 1, 2))

    # then ledger-verify fails and names the item, its ledger and unit, and 填报日期
    code, out = verify()
    assert code == 3
    assert "娄底市/涟源市 · 领导班子" in out and "「文山会海问题突出」" in out
    assert "填报日期" in out and "被改动" in out and f"编号 {first.pk}" in out


def test_a_raw_sql_update_of_the_date_is_detected_as_well(lw):
    _meetings, _window, first, *_ = world(lw)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {ProgressEntry._meta.db_table} SET reported_on = %s WHERE id = %s",
                       [D(2015, 1, 5), first.pk])
    code, out = verify()
    assert code == 3 and "填报日期" in out and "文山会海问题突出" in out


def test_an_edited_progress_text_is_detected(lw):
    _meetings, window, *_ = world(lw)
    ProgressEntry.objects.filter(item=window).update(progress="早已整改完毕")
    code, out = verify()
    assert code == 3 and "整改落实情况与封存时不同" in out and "窗口服务态度差" in out


def test_a_deleted_entry_is_detected(lw):
    _meetings, _window, first, *_ = world(lw)
    ProgressEntry.objects.filter(pk=first.pk).delete()
    code, out = verify()
    assert code == 3 and f"（编号 {first.pk}）已不存在（被删除）" in out


def test_an_entry_inserted_beside_the_services_is_detected(lw):
    meetings, *_ = world(lw)
    sneaked = ProgressEntry.objects.create(item=meetings, reported_on=D(2015, 1, 8), progress="补写的进展",
                                           status_after=meetings.status, leader=lw.leader_person)
    code, out = verify()
    assert code == 3 and f"编号 {sneaked.pk}，填报日期 2015-01-08）未封存" in out


def test_a_changed_evidence_digest_is_detected_on_evidence_alone_and_on_a_progress_entry(lw):
    _meetings, _window, _first, second, extra, *_ = world(lw)
    Evidence.objects.filter(pk=extra.pk).update(sha256="f" * 64)
    code, out = verify()
    assert code == 3 and "佐证材料（编号" in out and "校验值与封存时不同" in out
    Evidence.objects.filter(pk=extra.pk).update(sha256=extra.sha256)
    assert verify()[0] == 0
    Evidence.objects.filter(progress_entry=second).update(sha256="e" * 64)
    code, out = verify()
    assert code == 3 and "佐证材料校验值与封存时不同" in out


def test_a_changed_closing_decision_is_detected(lw):
    _meetings, _window, _f, _s, _e, request, returned = world(lw)
    ClosingRequest.objects.filter(pk=returned.pk).update(state=ClosingState.VERIFIED, decision_note="")
    code, out = verify()
    assert code == 3 and "核验结果、核验意见与封存时不同" in out and "窗口服务态度差" in out
    ClosingRequest.objects.filter(pk=returned.pk).update(state=ClosingState.RETURNED, decision_note="材料不足")
    assert verify()[0] == 0
    request.refresh_from_db()
    ClosingRequest.objects.filter(pk=request.pk).update(decided_at=request.decided_at - dt.timedelta(days=3))
    code, out = verify()
    assert code == 3 and "核验时间与封存时不同" in out


def test_an_item_closed_on_another_day_in_the_database_is_detected(lw):
    meetings, *_ = world(lw)
    type(meetings).objects.filter(pk=meetings.pk).update(closed_on=D(2015, 1, 25))
    code, out = verify()
    assert code == 3 and "事项的销号日期与最后一次封存时不同" in out


def test_a_deleted_link_and_an_altered_link_break_the_chain(lw):
    meetings, *_ = world(lw)
    links = list(ItemSeal.objects.filter(item=meetings).order_by("seq"))
    ItemSeal.objects.filter(pk=links[2].pk).delete()
    code, out = verify()
    assert code == 3 and "之前的环节缺失" in out and "未封存" in out
    ItemSeal.objects.filter(pk=links[1].pk).update(fields="0" * len(links[1].fields))
    assert "封存记录被改动" in verify()[1]


def test_an_items_chain_does_not_depend_on_other_items(lw):
    # given items in 涟源市 and one in 娄星区, each with its own chain
    world(lw)
    louxing = services.ledger_open(actor=None, campaign=lw.campaign, unit=lw.tree.louxing, kind=LedgerKind.LEADERSHIP)
    other = services.item_create(actor=None, ledger=louxing, problem="公车私用", lead_leaders=[])
    assert [s.seq for s in ItemSeal.objects.filter(item=other)] == [1]

    # when the other unit's item is tampered with
    type(other).objects.filter(pk=other.pk).update(problem="无")

    # then 涟源市's subtree still verifies on its own, and the whole fails naming only 娄星区's item
    assert verify("--unit", "娄底市/涟源市")[0] == 0
    code, out = verify()
    assert code == 3 and "娄底市/娄星区" in out and "突出问题与最后一次封存时不同" in out and "涟源市 ·" not in out


def test_the_anchors_show_the_newest_links_deleted_with_their_rows(lw):
    # given a chain anchored outside the database
    _meetings, window, *_ = world(lw)
    code, out = verify("--anchor")
    assert code == 0 and "已追加锚点 1" in out
    assert json.loads(chain.chain_anchor_file().read_text().splitlines()[-1])["anchor"] == 1
    newest = services.progress_add(actor=lw.other, item=window, progress="再次整改")
    assert chain.chain_anchor()["count"] == 1

    # when the newest progress of an item is deleted together with its link (the chain left is still valid)
    ItemSeal.objects.filter(object_id=newest.pk, kind="progress").delete()
    ProgressEntry.objects.filter(pk=newest.pk).delete()

    # then the anchor counts one link more than there is
    code, out = verify()
    assert code == 3 and "锚点 2" in out and "现在只有 0 个" in out


def test_a_forged_anchor_line_fails(lw):
    world(lw)
    chain.chain_anchor()
    path = chain.chain_anchor_file()
    line = json.loads(path.read_text())
    line["count"] += 1
    path.write_text(json.dumps(line) + "\n")
    code, out = verify()
    assert code == 3 and "签名不符" in out


def test_rows_written_before_the_chain_are_sealed_once_by_the_backfill_and_it_is_logged(lw):
    # given a ledger whose rows were written before the chain (no links at all)
    world(lw)
    ItemSeal.objects.all().delete()
    code, out = verify()
    assert code == 3 and "未封存（没有任何封存环节" in out

    # when the backfill runs
    out = io.StringIO()
    call_command("ledger-seal", "--backfill", stdout=out)

    # then everything verifies, the security log says so, and a second run seals nothing
    assert "已补封 2 个整改事项" in out.getvalue()
    assert verify()[0] == 0
    event = SecurityEvent.objects.filter(kind=SecurityEventKind.LEDGER_SEALED).get()
    assert event.detail["items"] == 2 and event.detail["links"] == ItemSeal.objects.count()
    assert chain.chain_backfill() == (0, 0)


def test_a_failed_verification_goes_to_the_security_log(lw):
    _meetings, _window, first, *_ = world(lw)
    ProgressEntry.objects.filter(pk=first.pk).update(progress="改过")
    assert verify()[0] == 3
    event = SecurityEvent.objects.filter(kind=SecurityEventKind.LEDGER_CHAIN_BROKEN).get()
    assert event.detail["problems"] == 1 and "整改落实情况" in event.detail["first"][0]


def test_sealing_a_bulk_write_takes_a_fixed_number_of_queries(lw):
    items = services.items_create_bulk(actor=lw.office, ledger=lw.ledger, rows=[NewItem(
        seq=None, problem=f"问题{n}", fields={}, lead_leaders=[lw.leader_person], responsible_units=[])
        for n in range(30)])

    def seal_queries(entries):
        with CaptureQueriesContext(connection) as ctx:
            services.progress_add_bulk(actor=lw.office, entries=entries)
        return sum("ledgers_itemseal" in q["sql"] for q in ctx.captured_queries), len(ctx.captured_queries)

    one = seal_queries([NewProgress(item=items[0], progress="一条", leader=lw.leader_person)])
    many = seal_queries([NewProgress(item=i, progress="多条", leader=lw.leader_person) for i in items])
    assert one[0] == many[0] == 2  # the heads, then one insert
    assert one[1] == many[1]
    assert verify()[0] == 0


def test_the_consumer_anchors_every_ten_minutes_and_a_nightly_break_goes_to_the_security_log(lw):
    from huey.contrib.djhuey import HUEY

    from huitoukan.ledgers.tasks import anchor_ledger_chain, verify_ledger_chain

    assert {anchor_ledger_chain.task_class, verify_ledger_chain.task_class} <= set(HUEY._registry._periodic_tasks)
    world(lw)
    anchor_ledger_chain.call_local()
    anchor_ledger_chain.call_local()  # nothing new: no second line
    assert len(chain.chain_anchor_file().read_text().splitlines()) == 1
    verify_ledger_chain.call_local()
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.LEDGER_CHAIN_BROKEN).exists()
    ProgressEntry.objects.filter(progress="已精简会议三次").update(reported_on=D(2015, 1, 1))
    verify_ledger_chain.call_local()
    event = SecurityEvent.objects.get(kind=SecurityEventKind.LEDGER_CHAIN_BROKEN)
    assert "填报日期" in event.detail["first"][0]
