"""The demo shows 回头看复查 and 形式主义预警: a recheck due (with its reminder) and one confirmed, and open flags of a
reused photo and a copied problem, loaded as `make run` loads it (demo_load(), dated around today)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from huitoukan.formalism.demo import COUNTY_PROBLEM
from huitoukan.formalism.models import Flag, FlagKind, FlagState
from huitoukan.ledgers import chain
from huitoukan.ledgers.models import Evidence, Item, ItemEvent, ItemStatus
from huitoukan.notifications.models import Notification
from huitoukan.orgs.models import Unit
from huitoukan.portal.demo import demo_load
from huitoukan.rechecks import services as recheck_services
from huitoukan.rechecks.demo import DONE_PROBLEM, DUE_PROBLEM
from huitoukan.rechecks.models import Recheck, RecheckState
from tests.conftest import built_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded_today(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        demo_load()
        yield


@pytest.fixture
def demo(loaded_today, db, settings, tmp_path):
    # no anchor of the chain from an earlier test: ledger-verify checks the links alone
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "anchors" / "audit-anchors.jsonl")


def login(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_lianyuan_s_office_sees_a_recheck_due_with_its_reminder_and_one_confirmed(demo):
    today = timezone.localdate()
    due = Recheck.objects.get(item__problem=DUE_PROBLEM, round_months=3)
    assert due.state == RecheckState.PENDING and 0 < (today - due.due_on).days <= recheck_services.OVERDUE_DAYS
    assert 100 <= (today - due.closed_on).days <= 130  # closed about four months ago
    office = login("lianyuan_office")
    page = office.get("/rechecks/")
    assert page.status_code == 200 and page.context["tab"] == "due"
    assert [r.pk for r in page.context["page"]] == [due.pk]
    assert page.context["counts"]["due"] == 1 and DUE_PROBLEM[:10] in page.content.decode()
    detail = office.get(f"/rechecks/{due.pk}/").content.decode()
    assert "复查确认" in detail and "复查未通过（反弹）" in detail  # the office may do either now
    [reminder] = Notification.objects.filter(key=f"recheck:{due.pk}:due")
    assert reminder.recipient.username == "lianyuan_office" and reminder.link == f"/rechecks/{due.pk}/"
    # the earlier round, confirmed with a fresh file by the lead leader; its next round still to come
    done = Recheck.objects.get(item__problem=DONE_PROBLEM, round_months=3)
    assert (done.state, done.decided_by.username) == (RecheckState.CONFIRMED, "lianyuan_leader") and done.note
    [fresh] = done.evidence.all()
    assert fresh.item_id == done.item_id and fresh.original_name == "节假日公车封存检查记录.pdf"
    assert [r.pk for r in office.get("/rechecks/?tab=done").context["page"]] == [done.pk]
    upcoming = Recheck.objects.get(item__problem=DONE_PROBLEM, round_months=6)
    assert upcoming.state == RecheckState.PENDING and upcoming.due_on > today


def test_the_dated_back_closings_keep_who_closed_them_and_a_clean_chain(demo):
    for problem in (DUE_PROBLEM, DONE_PROBLEM):
        item = Item.objects.get(problem=problem)
        assert item.status == ItemStatus.CLOSED and item.closed_on < timezone.localdate()
        rows = list(item.history.order_by("history_id"))
        closing = next(r for r in rows if r.history_change_reason == "核验销号")
        assert closing.history_user.username == "lianyuan_head"
        assert rows[-1].closed_on == item.closed_on and rows[-1].history_user.username == "ops"
        assert "演示数据：销号日期设为" in rows[-1].history_change_reason
        assert ItemEvent.objects.filter(item=item, note__startswith="演示数据：销号日期设为").count() == 1
    report = chain.chain_verify(unit=Unit.objects.get(full_name="娄底市/涟源市"))
    assert report.ok, report.problems


def test_the_office_and_the_group_see_open_flags_of_a_reused_photo_and_a_copied_problem(demo):
    lianyuan, township = (Unit.objects.get(full_name=p) for p in ("娄底市/涟源市", "娄底市/涟源市/桥头河镇"))
    flags = {(f.kind, f.unit_id): f for f in Flag.objects.filter(state=FlagState.OPEN)}
    assert set(flags) == {(k, u.pk) for k in (FlagKind.EVIDENCE_REUSED, FlagKind.TEXT_ALIKE)
                          for u in (lianyuan, township)}
    for username in ("lianyuan_office", "supervisor2", "loudi_office"):
        shown = {f.pk for f in login(username).get("/formalism/").context["page"]}
        assert shown == {f.pk for f in flags.values()}, username
    # 桥头河镇's office sees its own flags; 涟源市's file and name stay out of its sight
    township_office = login("qiaotouhe_office")
    assert {f.pk for f in township_office.get("/formalism/").context["page"]} == {
        f.pk for (_kind, unit), f in flags.items() if unit == township.pk}
    html = township_office.get(f"/formalism/{flags[(FlagKind.EVIDENCE_REUSED, township.pk)].pk}/").content.decode()
    assert "桥头河镇便民服务中心整改照片.pdf" in html and "另一单位的事项（无权查看）" in html
    assert "便民服务中心窗口整改现场" not in html
    assert township_office.get(f"/formalism/{flags[(FlagKind.EVIDENCE_REUSED, lianyuan.pk)].pk}/").status_code == 404
    # 涟源市's office reads the township by name
    html = login("lianyuan_office").get(f"/formalism/{flags[(FlagKind.TEXT_ALIKE, lianyuan.pk)].pk}/")
    assert "娄底市/涟源市/桥头河镇：1个事项" in html.content.decode() and COUNTY_PROBLEM[:10] in html.content.decode()


def test_formalism_scan_on_the_demo_finds_them_again(demo):
    out = io.StringIO()
    call_command("formalism-scan", stdout=out)
    assert "佐证材料重复使用 2" in out.getvalue() and "跨单位雷同 2" in out.getvalue()
    assert "新 0" in out.getvalue()


def test_loading_the_demo_again_adds_nothing(demo):
    models = (Item, Evidence, Recheck, Flag, Notification, ItemEvent)
    before = [m.objects.count() for m in models] + [Item.history.count(), Recheck.history.count()]
    demo_load()
    assert [m.objects.count() for m in models] + [Item.history.count(), Recheck.history.count()] == before
