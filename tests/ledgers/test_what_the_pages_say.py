"""What the ledger pages say of an item's situation: waiting for 销号, returned, what needs a leader first."""

import datetime as dt

import pytest

from huitoukan.ledgers import selectors, services
from tests.ledgers.conftest import pdf, reported
from tests.ledgers.test_pages import TODAY, logged_in, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def lw(lw_shared):
    # Every test here uses the ledger world: it is built once for the module (tests/ledgers/conftest.py).
    return lw_shared


def test_an_item_waiting_for_verification_says_so_in_the_ledger_and_on_its_page(lw, client):
    item = reported(lw, make_item(lw))
    office = logged_in(client, lw.office)
    assert "待核验销号" not in office.get(f"/ledgers/{lw.ledger.pk}/").content.decode()
    services.closing_request(actor=lw.leader, item=item, summary="已完成", files=[pdf()])
    assert "待核验销号" in office.get(f"/ledgers/{lw.ledger.pk}/").content.decode()
    assert "待核验销号" in office.get(f"/ledgers/items/{item.pk}/").content.decode()


def test_a_returned_closing_is_labelled_returned_in_the_timeline(lw, client):
    item = reported(lw, make_item(lw))
    request = services.closing_request(actor=lw.leader, item=item, summary="已完成", files=[pdf()])
    services.closing_return(actor=lw.head, request=request, reason="佐证不足")
    page = logged_in(client, lw.office).get(f"/ledgers/items/{item.pk}/").content.decode()
    assert "退回：" in page and "核验：" not in page


def test_my_items_put_overdue_then_sent_back_then_returned_first(lw):
    plain = make_item(lw, problem="一般事项")
    returned = reported(lw, make_item(lw, problem="被退回的"))
    request = services.closing_request(actor=lw.leader, item=returned, summary="已完成", files=[pdf()])
    services.closing_return(actor=lw.head, request=request, reason="佐证不足")
    sent_back = reported(lw, make_item(lw, problem="回炉的"))
    services.item_send_back(actor=lw.head, item=sent_back, reason="不彻底")
    overdue = make_item(lw, problem="逾期的", due_on=TODAY - dt.timedelta(days=3))
    order = [i.pk for i in selectors.items_led_by(user=lw.leader)]
    assert order == [overdue.pk, sent_back.pk, returned.pk, plain.pk]


def test_a_personal_ledger_shows_deadlines_and_offers_only_its_filters(lw, client):
    from huitoukan.ledgers.layouts import LedgerKind
    from huitoukan.ledgers.models import DeadlineMode

    ledger = services.ledger_open(actor=lw.office, campaign=lw.campaign, unit=lw.tree.lianyuan,
                                  kind=LedgerKind.PERSONAL, person=lw.leader_person)
    services.item_create(actor=lw.office, ledger=ledger, problem="深入基层调研少",
                         deadline_mode=DeadlineMode.DATE, due_on=dt.date(2015, 3, 31))
    page = logged_in(client, lw.office).get(f"/ledgers/{ledger.pk}/").content.decode()
    assert "整改时限" in page and "2015年3月31日" in page
    assert 'name="lead_leader"' not in page and 'name="responsible_unit"' not in page
    assert 'name="four_winds"' in page


def test_the_item_form_searches_leaders_and_units_instead_of_listing_them(lw, client):
    import re

    office = logged_in(client, lw.office)
    form = office.get(f"/ledgers/{lw.ledger.pk}/items/new/").content.decode()
    leaders = re.search(r'<select name="lead_leaders"[^>]*>(.*?)</select>', form, re.S)
    assert f'data-remote="/api/v1/people/?unit={lw.tree.lianyuan.pk}&amp;party_leader=true"' in leaders.group(0)
    assert "<option" not in leaders.group(1)
    found = office.get("/api/v1/people/", {"unit": lw.tree.lianyuan.pk, "party_leader": "true", "q": "吴"}).json()
    assert [p["name"] for p in found["results"]] == ["吴海波"]
    # editing shows the chosen leaders, and only them
    item = make_item(lw)
    edit = office.get(f"/ledgers/items/{item.pk}/edit/").content.decode()
    chosen = re.search(r'<select name="lead_leaders"[^>]*>(.*?)</select>', edit, re.S).group(1)
    assert chosen.count("<option") == 1 and "吴海波" in chosen


def test_the_home_pages_overdue_card_opens_every_overdue_item_of_the_scope(lw, client, make_user):
    from huitoukan.access.models import Role
    from huitoukan.ledgers.layouts import LedgerKind
    from huitoukan.ledgers.models import DeadlineMode

    late = make_item(lw, problem="市里逾期", due_on=TODAY - dt.timedelta(days=3))
    on_time = make_item(lw, problem="未到期")
    town_ledger = services.ledger_open(actor=lw.office, campaign=lw.campaign, unit=lw.tree.qiaotouhe,
                                       kind=LedgerKind.LEADERSHIP)
    town_late = services.item_create(actor=lw.office, ledger=town_ledger, problem="镇里逾期",
                                     deadline_mode=DeadlineMode.DATE, due_on=TODAY - dt.timedelta(days=10))
    office = logged_in(client, lw.office)
    assert 'href="/ledgers/overdue/"' in office.get("/").content.decode()
    page = office.get("/ledgers/overdue/").content.decode()
    link = "/ledgers/items/{}/".format
    assert link(late.pk) in page and link(town_late.pk) in page and link(on_time.pk) not in page
    assert page.index(link(town_late.pk)) < page.index(link(late.pk))  # the longest overdue first
    # a township office sees only its own
    town = logged_in(client, make_user(Role.CAMPAIGN_OFFICE, lw.tree.qiaotouhe)).get("/ledgers/overdue/")
    assert link(town_late.pk) in town.content.decode() and link(late.pk) not in town.content.decode()
