"""汇总: a unit's subtree from the kept totals, its children side by side, in a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from huitoukan.access.models import Role
from huitoukan.ledgers import services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import FourWinds
from huitoukan.orgs import services as org_services
from huitoukan.rollups import selectors
from tests.ledgers.conftest import lw_build, pdf, reported

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def lw(tree, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return lw_build(tree, make_user)


def _item(lw, ledger, *, due_on=None, four_winds="", leader=None):
    return services.item_create(actor=lw.office, ledger=ledger, problem="会议多", four_winds=four_winds,
                                deadline_mode="date" if due_on else "long_term", due_on=due_on,
                                lead_leaders=[leader or lw.leader_person], responsible_units=[ledger.unit])


@pytest.fixture
def township(lw):
    """桥头河镇's 领导班子 ledger and its leader."""
    leader = org_services.person_create(actor=None, unit=lw.tree.qiaotouhe, name="彭光辉", is_party_leader=True)
    ledger = services.ledger_open(actor=lw.office, campaign=lw.campaign, unit=lw.tree.qiaotouhe,
                                  kind=LedgerKind.LEADERSHIP)
    return ledger, leader


def test_the_figures_count_the_whole_subtree_and_each_child(lw, township):
    ledger, leader = township
    _item(lw, lw.ledger, due_on=TODAY - dt.timedelta(days=3), four_winds=FourWinds.FORMALISM)  # overdue
    _item(lw, lw.ledger, due_on=TODAY + dt.timedelta(days=2))  # due soon
    closed = reported(lw, _item(lw, lw.ledger, due_on=TODAY - dt.timedelta(days=30)))
    request = services.closing_request(actor=lw.leader, item=closed, summary="已完成", files=[pdf()])
    services.closing_verify(actor=lw.head, request=request)
    _item(lw, ledger, due_on=TODAY - dt.timedelta(days=1), leader=leader)  # overdue, in 桥头河镇

    rollup = selectors.rollup_for(unit=lw.tree.lianyuan, campaign=lw.campaign)
    f = rollup.figures
    assert (f.total, f.closed, f.overdue, f.due_soon) == (4, 1, 2, 1)
    assert f.closed_rate == 0.25 and f.light == "red"
    assert rollup.by_four_winds[FourWinds.FORMALISM] == 1 and rollup.by_kind[LedgerKind.LEADERSHIP] == 4
    children = {child.name: figures for child, figures in rollup.children}
    assert (children["桥头河镇"].total, children["桥头河镇"].overdue) == (1, 1)
    city = selectors.rollup_for(unit=lw.tree.city, campaign=lw.campaign)
    assert city.figures.total == 4 and {c.name: x.total for c, x in city.children}["娄星区"] == 0


def test_the_page_shows_the_figures_and_drills_down(lw, township, client):
    ledger, leader = township
    _item(lw, ledger, due_on=TODAY - dt.timedelta(days=1), leader=leader)
    client.force_login(lw.office)
    page = client.get(f"/rollups/{lw.tree.lianyuan.pk}/").content.decode()
    assert "汇总 · 涟源市" in page and "桥头河镇" in page
    assert f'href="/rollups/{lw.tree.qiaotouhe.pk}/?campaign={lw.campaign.pk}"' in page
    assert "已逾期" in page and 'id="status-chart"' in page
    assert "涟源市（本级）" not in page  # 涟源市's own ledgers have no item yet
    _item(lw, lw.ledger)
    own = client.get(f"/rollups/{lw.tree.lianyuan.pk}/").content.decode()
    assert "涟源市（本级）" in own  # the rows add up to the totals row
    below = client.get(f"/rollups/{lw.tree.qiaotouhe.pk}/?campaign={lw.campaign.pk}").content.decode()
    assert f'href="/rollups/{lw.tree.lianyuan.pk}/?campaign={lw.campaign.pk}"' in below  # the way back up
    assert client.get("/rollups/").url == f"/rollups/{lw.tree.lianyuan.pk}/"


def test_a_unit_out_of_scope_or_a_foreign_campaign_answers_404(lw, client, make_user):
    client.force_login(lw.office)
    assert client.get(f"/rollups/{lw.tree.louxing.pk}/").status_code == 404
    assert client.get(f"/rollups/{lw.tree.lianyuan.pk}/?campaign=999999").status_code == 404
    admin = make_user(Role.SYSTEM_ADMIN, lw.tree.city)
    client.force_login(admin)
    assert client.get(f"/rollups/{lw.tree.city.pk}/").status_code == 404  # the 三员 read no business data


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_for_a_small_and_a_large_subtree(lw, township, client):
    ledger, leader = township
    client.force_login(lw.office)
    url = f"/rollups/{lw.tree.lianyuan.pk}/?campaign={lw.campaign.pk}"
    _item(lw, lw.ledger)
    _queries(client, url)  # the first request of a session also writes the session's start
    small = _queries(client, url)
    for day in range(12):  # more items, under more units and dates
        _item(lw, ledger, due_on=TODAY + dt.timedelta(days=day - 6), leader=leader)
        _item(lw, lw.ledger, due_on=TODAY + dt.timedelta(days=day), four_winds=FourWinds.EXTRAVAGANCE)
    org_services.unit_create(actor=None, parent=lw.tree.lianyuan, name="杨市镇", level="township",
                             kind="party_committee")
    assert _queries(client, url) == small


def test_the_home_pages_overdue_count_from_the_totals_equals_the_overdue_list(lw, township, make_user):
    from huitoukan.ledgers import selectors as ledger_selectors

    ledger, leader = township
    _item(lw, lw.ledger, due_on=TODAY - dt.timedelta(days=3))
    _item(lw, lw.ledger, due_on=TODAY + dt.timedelta(days=3))
    _item(lw, ledger, due_on=TODAY - dt.timedelta(days=1), leader=leader)
    readers = [lw.office, make_user(Role.CAMPAIGN_OFFICE, lw.tree.city), make_user(Role.CAMPAIGN_OFFICE, lw.tree.qiaotouhe),
               make_user(Role.CAMPAIGN_OFFICE, lw.tree.louxing), make_user(Role.SYSTEM_ADMIN, lw.tree.city)]
    counts = [ledger_selectors.items_overdue_count_for(user=u) for u in readers]
    assert counts == [ledger_selectors.items_under(user=u, unit=None, filters=ledger_selectors.ItemFilters(overdue=True)).count() for u in readers] == [2, 2, 1, 0, 0]


def test_the_rollup_exports_as_the_table_an_office_sends_up(lw, township, client):
    import io

    import openpyxl

    from huitoukan.audit.models import SecurityEvent, SecurityEventKind

    ledger, leader = township
    _item(lw, lw.ledger, due_on=TODAY - dt.timedelta(days=3))
    _item(lw, ledger, due_on=TODAY - dt.timedelta(days=1), leader=leader)
    _item(lw, ledger, leader=leader)
    client.force_login(lw.office)
    response = client.get(f"/rollups/{lw.tree.lianyuan.pk}/export/?campaign={lw.campaign.pk}")
    from urllib.parse import unquote

    assert response.status_code == 200 and "汇总表-涟源市" in unquote(response["Content-Disposition"])
    rows = [list(r) for r in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert rows[0][0] == "回头看汇总表" and "涟源市" in rows[1][0]
    assert rows[2][:4] == ["序号", "单位", "整改事项", "已销号"]
    body = {r[1]: r[2:] for r in rows[3:]}
    assert body["桥头河镇"][:4] == [2, 0, 0, 1]  # items, closed, rate, overdue
    assert body["涟源市（本级）"][0] == 1 and body[None][0] == 3  # the totals row's label spans two cells
    event = SecurityEvent.objects.get(kind=SecurityEventKind.EXPORT)
    assert event.user == lw.office and event.detail["what"] == "rollup"


def test_the_overdue_card_opens_the_overdue_items_of_the_subtree(lw, township, client, make_user):
    ledger, leader = township
    _item(lw, lw.ledger, due_on=TODAY - dt.timedelta(days=3))
    township_item = _item(lw, ledger, due_on=TODAY - dt.timedelta(days=1), leader=leader)
    client.force_login(lw.office)
    page = client.get(f"/rollups/{lw.tree.qiaotouhe.pk}/?campaign={lw.campaign.pk}").content.decode()
    link = f"/ledgers/overdue/?unit={lw.tree.qiaotouhe.pk}&amp;campaign={lw.campaign.pk}"
    assert link in page
    listed = client.get(link.replace("&amp;", "&"))
    assert list(listed.context["page"].object_list) == [township_item]
    assert "桥头河镇及其全部下级单位" in listed.content.decode()
    assert client.get(f"/ledgers/overdue/?unit={lw.tree.louxing.pk}").status_code == 404


def test_the_tree_column_carries_each_subtrees_light(lw, township, client):
    from huitoukan.ledgers import selectors as ledger_selectors

    ledger, leader = township
    _item(lw, ledger, due_on=TODAY - dt.timedelta(days=1), leader=leader)  # 桥头河镇: overdue
    lights = ledger_selectors.lights_of([lw.tree.qiaotouhe, lw.tree.lianyuan, lw.tree.louxing])
    assert lights == {lw.tree.qiaotouhe.pk: "red", lw.tree.lianyuan.pk: "red"}  # 娄星区 has no open item
    _item(lw, lw.ledger, due_on=TODAY + dt.timedelta(days=5))
    services.item_update(actor=lw.office, item=ledger.items.get(), deadline_mode="long_term", due_on=None)
    lights = ledger_selectors.lights_of([lw.tree.qiaotouhe, lw.tree.lianyuan])
    assert lights == {lw.tree.qiaotouhe.pk: "green", lw.tree.lianyuan.pk: "amber"}
    client.force_login(lw.office)
    page = client.get(f"/ledgers/?unit={lw.tree.lianyuan.pk}&campaign={lw.campaign.pk}").content.decode()
    assert '<span class="light light-amber" title="临近截止"></span> 涟源市' in page
    fragment = client.get(f"/ledgers/tree/?node={lw.tree.lianyuan.pk}&campaign={lw.campaign.pk}").content.decode()
    assert '<span class="light light-green" title="正常推进"></span> 桥头河镇' in fragment


def test_the_home_and_unit_pages_cost_the_same_queries_for_a_small_and_a_large_subtree(lw, township, client):
    ledger, leader = township
    urls = [(lw.office, "/"), (lw.office, f"/units/{lw.tree.lianyuan.pk}/"), (lw.leader, "/"),
            (lw.head, "/"), (lw.head, f"/units/{lw.tree.qiaotouhe.pk}/")]

    def asking(item):
        services.closing_request(actor=lw.leader, item=reported(lw, item), summary="已完成", files=[pdf()])

    asking(_item(lw, lw.ledger, due_on=TODAY - dt.timedelta(days=1)))

    def counts():
        found = []
        for user, url in urls:
            client.force_login(user)
            _queries(client, url)  # the first request of a session also writes the session's start
            found.append(_queries(client, url))
        return found

    small = counts()
    for day in range(12):  # more than a page of 待办 (pending closings, led items), under more units and dates
        asking(_item(lw, lw.ledger, due_on=TODAY + dt.timedelta(days=day - 6)))
        _item(lw, ledger, due_on=TODAY + dt.timedelta(days=day), leader=leader)
    org_services.unit_create(actor=None, parent=lw.tree.lianyuan, name="杨市镇", level="township",
                             kind="party_committee")
    assert counts() == small


def test_the_home_pages_todo_counts_every_row_beyond_the_first_page(lw, client):
    for day in range(10):
        item = _item(lw, lw.ledger, due_on=TODAY + dt.timedelta(days=day))
        services.closing_request(actor=lw.leader, item=reported(lw, item), summary="已完成", files=[pdf()])
    _item(lw, lw.ledger)
    client.force_login(lw.office)
    panels = client.get("/").context["panels"]
    assert len(panels.pending_closings) == 8 and panels.pending_closings_total == 10
    person = getattr(lw.leader, "person", None)
    assert {c.requester for c in panels.pending_closings} == {person.name if person else lw.leader.username}
    client.force_login(lw.leader)
    panels = client.get("/").context["panels"]
    assert len(panels.led_items) == 8 and panels.led_items_total == 11  # items asked to close are still open


def test_the_due_bounds_are_the_lights_rule():
    from huitoukan.core.lights import Light, light_for

    red_before, amber_until = selectors.due_bounds(TODAY)
    assert light_for(due_on=red_before - dt.timedelta(days=1), today=TODAY) == Light.RED
    assert light_for(due_on=red_before, today=TODAY) == Light.AMBER
    assert light_for(due_on=amber_until, today=TODAY) == Light.AMBER
    assert light_for(due_on=amber_until + dt.timedelta(days=1), today=TODAY) == Light.GREEN


def test_the_rollup_counts_units_that_built_their_ledgers_and_those_that_did_not(client, lw, township):
    # 涟源市 and 桥头河镇 have a 领导班子 ledger; 石狮村 is a village (not counted); 娄星区, 乐坪街道 have none.
    city = selectors.rollup_for(unit=lw.tree.city, campaign=lw.campaign)
    assert (city.figures.units, city.figures.built, city.figures.not_built) == (6, 2, 4)
    children = {child.name: f for child, f in city.children}
    assert (children["涟源市"].units, children["涟源市"].built) == (2, 2)
    assert (children["娄星区"].units, children["娄星区"].built, children["娄星区"].not_built) == (2, 0, 2)
    assert (city.own.units, city.own.built) == (1, 0)  # 娄底市 itself has not built its ledger
    assert dict(city.ledgers_built)["领导班子整改落实工作台帐"] == 2
    client.force_login(lw.office)
    page = client.get(f"/rollups/{lw.tree.lianyuan.pk}/?campaign={lw.campaign.pk}").content.decode()
    assert "已建台账的单位 2 个，应建 2 个" in page


def test_the_item_search_lists_a_subtrees_items_through_the_ledger_filters(client, lw, township, make_user):
    ledger, leader = township
    _item(lw, lw.ledger, due_on=TODAY - dt.timedelta(days=3), four_winds=FourWinds.FORMALISM)
    _item(lw, lw.ledger, due_on=TODAY + dt.timedelta(days=30))
    _item(lw, ledger, due_on=TODAY - dt.timedelta(days=9), leader=leader)
    client.force_login(lw.office)
    base = f"/ledgers/items/?unit={lw.tree.lianyuan.pk}&campaign={lw.campaign.pk}"

    def listed(query=""):
        page = client.get(base + query).context["page"]
        return [(item.ledger.unit.name, item.due_on) for item in page]

    assert len(listed()) == 3
    assert listed("&overdue=on&order=due_on") == [("桥头河镇", TODAY - dt.timedelta(days=9)),
                                                  ("涟源市", TODAY - dt.timedelta(days=3))]
    assert listed(f"&four_winds={FourWinds.FORMALISM}") == [("涟源市", TODAY - dt.timedelta(days=3))]
    assert listed("&kind=special") == []
    township_only = client.get(f"/ledgers/items/?unit={lw.tree.qiaotouhe.pk}&overdue=on").context["page"]
    assert [i.ledger.unit.name for i in township_only] == ["桥头河镇"]
    # A township's office reads its own subtree only: 涟源市 is out of its scope (404), its items never listed.
    township_office = make_user(Role.CAMPAIGN_OFFICE, lw.tree.qiaotouhe)
    client.force_login(township_office)
    assert client.get(base).status_code == 404
    assert [i.ledger.unit.name for i in client.get("/ledgers/items/").context["page"]] == ["桥头河镇"]
