"""汇总 as it stood at the end of a past day, from the history already kept (rollups.past): the figures, the page
and the 汇总表 of 2015-01-20 hold exactly what the present 汇总 showed that evening, whatever was written after."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from dataclasses import dataclass
from urllib.parse import unquote

import openpyxl
import pytest
import time_machine
from django.test import Client

from huitoukan.access.models import Role
from huitoukan.campaigns import services as campaign_services
from huitoukan.ledgers import services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import FourWinds, Item, ItemEvent, ItemSeal
from huitoukan.orgs import services as org_services
from huitoukan.rollups import exports, past, selectors
from tests.conftest import Tree, built_once, user_create
from tests.ledgers.conftest import pdf

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = dt.date(2015, 1, 20)


def _at(day: dt.date, hour: int):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


def _cells(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [[c.value for c in row] for row in sheet.iter_rows()]


@dataclass
class World:
    tree: Tree
    campaign: object
    office: object  # 涟源市's campaign office
    head: object
    outsider: object  # 娄星区's campaign office: 涟源市 is out of its scope
    recorded: dict  # unit name → (figures, {child name: figures}, by_status) of the present 汇总 that evening
    xlsx: list  # the cells of 涟源市's 汇总表 exported that evening


def _figures(rollup):
    return rollup.figures, {child.name: f for child, f in rollup.children}, rollup.own, dict(rollup.by_status)


def _close(item, *, leader, head, text):
    services.progress_add(actor=leader, item=item, progress=text)
    request = services.closing_request(actor=leader, item=Item.objects.get(pk=item.pk), summary="已完成",
                                       files=[pdf()])
    services.closing_verify(actor=head, request=request)


def _build() -> World:
    tree = Tree()
    # logins made today: a password set in 2015 would be long expired
    head_person = org_services.person_create(actor=None, unit=tree.lianyuan, name="张卫国", is_party_leader=True,
                                             is_unit_head=True)
    leader_person = org_services.person_create(actor=None, unit=tree.lianyuan, name="吴海波", is_party_leader=True)
    township_leader = org_services.person_create(actor=None, unit=tree.qiaotouhe, name="彭光辉", is_party_leader=True)
    leader = user_create(Role.RESPONSIBLE_LEADER, tree.lianyuan, person=leader_person)
    office = user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    head = user_create(Role.UNIT_HEAD, tree.lianyuan, person=head_person)
    city_office = user_create(Role.CAMPAIGN_OFFICE, tree.city)
    outsider = user_create(Role.CAMPAIGN_OFFICE, tree.louxing)

    def item(ledger, *, due_on=None, four_winds="", lead=leader_person):
        return services.item_create(actor=city_office, ledger=ledger, problem="会议多", four_winds=four_winds,
                                    deadline_mode="date" if due_on else "long_term", due_on=due_on,
                                    lead_leaders=[lead] if lead else [], responsible_units=[ledger.unit])

    with _at(DAY, 9):
        campaign = campaign_services.campaign_create(actor=None, owner_unit=tree.city, name="回头看",
                                                     starts_on=dt.date(2014, 12, 31), ends_on=dt.date(2015, 2, 28))
        county = services.ledger_open(actor=office, campaign=campaign, unit=tree.lianyuan, kind=LedgerKind.LEADERSHIP)
        township = services.ledger_open(actor=office, campaign=campaign, unit=tree.qiaotouhe,
                                        kind=LedgerKind.LEADERSHIP)
        district = services.ledger_open(actor=city_office, campaign=campaign, unit=tree.louxing,
                                        kind=LedgerKind.LEADERSHIP)
        late = item(county, due_on=DAY - dt.timedelta(days=3), four_winds=FourWinds.FORMALISM)  # overdue that day
        soon = item(county, due_on=DAY + dt.timedelta(days=2))  # due within the week
        item(county)  # 长期坚持
        done = item(county, due_on=DAY + dt.timedelta(days=9))
        item(township, due_on=DAY - dt.timedelta(days=1), lead=township_leader)  # overdue, in 桥头河镇
        item(district, due_on=DAY + dt.timedelta(days=30), lead=None)
    with _at(DAY, 15):
        _close(done, leader=leader, head=head, text="已整改到位")  # closed that day
    with _at(DAY, 20):  # that evening: the present 汇总, as the page and the file show it
        recorded = {unit.name: _figures(selectors.rollup_for(unit=unit, campaign=campaign))
                    for unit in (tree.city, tree.lianyuan, tree.qiaotouhe)}
        xlsx = _cells(exports.rollup_xlsx(selectors.rollup_for(unit=tree.lianyuan, campaign=campaign), user=office))
    with _at(DAY + dt.timedelta(days=1), 10):  # the next days: a closing, a deadline moved, new items and ledgers
        _close(late, leader=leader, head=head, text="补办完成")
        services.item_update(actor=city_office, item=Item.objects.get(pk=soon.pk), due_on=DAY + dt.timedelta(days=20))
        item(county, due_on=DAY - dt.timedelta(days=5))
        leping = services.ledger_open(actor=city_office, campaign=campaign, unit=tree.leping,
                                      kind=LedgerKind.LEADERSHIP)
        item(leping, due_on=DAY, lead=None)
    with _at(DAY + dt.timedelta(days=2), 10):
        item(township, four_winds=FourWinds.FORMALISM, lead=township_leader)
    return World(tree, campaign, office, head, outsider, recorded, xlsx)


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        yield _build()


@pytest.fixture
def world(world_once, db):
    return world_once


def _as_of(world, unit, day=DAY):
    _above, children = selectors.ancestors_and_children(unit)
    return past.rollup_as_of(unit=unit, campaign=world.campaign, day=day, children=children)


def test_the_rollup_of_a_past_day_equals_what_the_present_one_showed_that_evening(world):
    for unit in (world.tree.city, world.tree.lianyuan, world.tree.qiaotouhe):
        now = _figures(selectors.rollup_for(unit=unit, campaign=world.campaign))
        assert now != world.recorded[unit.name]  # the 汇总 has moved on since
        assert _figures(_as_of(world, unit)) == world.recorded[unit.name], unit.name
    figures, children, own, by_status = world.recorded["涟源市"]
    # what the recorded figures were (so the equality above is about something)
    assert (figures.total, figures.closed, figures.overdue, figures.due_soon, figures.units, figures.built) == (
        5, 1, 2, 1, 2, 2)
    assert (children["桥头河镇"].total, children["桥头河镇"].overdue) == (1, 1)
    assert (own.total, own.closed, own.overdue) == (4, 1, 1)
    city = world.recorded["娄底市"][1]
    assert (city["娄星区"].total, city["娄星区"].built, city["市教育局"].total) == (1, 1, 0)


def test_the_breakdowns_of_a_past_day_and_items_made_later_are_absent(world):
    then = _as_of(world, world.tree.lianyuan)
    assert then.by_four_winds[FourWinds.FORMALISM] == 1 and then.by_kind[LedgerKind.LEADERSHIP] == 5
    next_day = _as_of(world, world.tree.city, DAY + dt.timedelta(days=1))
    assert next_day.figures.total == 8 and next_day.figures.closed == 2
    assert {c.name: f.built for c, f in next_day.children}["娄星区"] == 2  # 乐坪街道's ledger, opened that day
    before = _as_of(world, world.tree.city, DAY - dt.timedelta(days=1))
    assert before.figures.total == 0 and before.figures.built == 0 and before.figures.units > 0


def test_a_past_day_costs_the_same_queries_whatever_the_number_of_units(world, django_assert_num_queries):
    for unit in (world.tree.city, world.tree.lianyuan, world.tree.shishi):
        _above, children = selectors.ancestors_and_children(unit)
        with django_assert_num_queries(3):
            past.rollup_as_of(unit=unit, campaign=world.campaign, day=DAY, children=children)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_and_the_file_of_a_past_day(world):
    client = _client(world.office)
    unit, campaign = world.tree.lianyuan, world.campaign
    present = client.get(f"/rollups/{unit.pk}/?campaign={campaign.pk}").content.decode()
    assert f'href="/rollups/{unit.pk}/as-of/?campaign={campaign.pk}"' in present and "历史状态" in present
    page = client.get(f"/rollups/{unit.pk}/as-of/?campaign={campaign.pk}&day=2015-01-20")
    assert page.status_code == 200
    text = page.content.decode()
    assert "状态截至：2015年1月20日" in text and "as_of=2015-01-20" in text
    # the child opens as it stood that day
    assert f'href="/rollups/{world.tree.qiaotouhe.pk}/as-of/?campaign={campaign.pk}&amp;day=2015-01-20"' in text
    response = client.get(f"/rollups/{unit.pk}/export/?campaign={campaign.pk}&as_of=2015-01-20")
    assert response.status_code == 200 and "-状态截至20150120.xlsx" in unquote(response["Content-Disposition"])
    cells = _cells(response.content)
    # every cell as recorded that evening but the header line, which says the day it shows
    assert cells[:1] + cells[2:] == world.xlsx[:1] + world.xlsx[2:]
    assert cells[1][0] == "填报单位：娄底市/涟源市　　状态截至：2015年1月20日"


@pytest.mark.parametrize(("day", "message"), [("2015-13-01", "应为 2015-01-20 的格式"), ("", "请选择要查看的日期"),
                                              ("2999-01-01", "晚于今天")])
def test_a_bad_day_is_refused_with_a_message_naming_it(world, day, message):
    client = _client(world.office)
    base = f"/rollups/{world.tree.lianyuan.pk}"
    page = client.get(f"{base}/as-of/?campaign={world.campaign.pk}&day={day}")
    assert page.status_code == 400 and message in page.content.decode()
    export = client.get(f"{base}/export/?campaign={world.campaign.pk}&as_of={day}")
    assert export.status_code == 400 and message in export.content.decode()


def test_out_of_scope_is_404_before_the_day_is_read(world):
    client = _client(world.outsider)
    for url in (f"/rollups/{world.tree.lianyuan.pk}/as-of/?campaign={world.campaign.pk}&day=2015-01-20",
                f"/rollups/{world.tree.lianyuan.pk}/as-of/?campaign={world.campaign.pk}&day=bad",
                f"/rollups/{world.tree.lianyuan.pk}/export/?campaign={world.campaign.pk}&as_of=bad",
                f"/rollups/999999/as-of/?campaign={world.campaign.pk}&day=2015-01-20"):
        assert client.get(url).status_code == 404, url


def test_a_subtree_too_large_is_refused_politely(world, monkeypatch):
    with pytest.raises(past.TooLarge, match="超过5项"):
        past.rollup_of_day(unit=world.tree.lianyuan, campaign=world.campaign, day=DAY,
                           children=selectors.ancestors_and_children(world.tree.lianyuan)[1], limit=5)
    past.rollup_of_day(unit=world.tree.qiaotouhe, campaign=world.campaign, day=DAY, children=[], limit=5)
    monkeypatch.setattr(past, "MAX_ITEMS", 5)
    page = _client(world.office).get(f"/rollups/{world.tree.lianyuan.pk}/as-of/?campaign={world.campaign.pk}"
                                     "&day=2015-01-20")
    assert page.status_code == 400 and "历史状态的汇总请从下级单位分别查看" in page.content.decode()


def test_an_item_deleted_later_counts_until_the_day_it_was_deleted(world):
    item = Item.objects.get(ledger__unit=world.tree.leping)
    with _at(DAY + dt.timedelta(days=3), 10):
        # no service deletes an item; deleted by hand, its history still records the deletion
        for related in (ItemEvent, ItemSeal):
            related.objects.filter(item=item).delete()
        item.delete()
    assert _as_of(world, world.tree.louxing, DAY + dt.timedelta(days=2)).figures.total == 2
    assert _as_of(world, world.tree.louxing, DAY + dt.timedelta(days=3)).figures.total == 1


def test_an_item_due_on_the_day_is_due_soon_that_day_and_overdue_the_next(world):
    county = services.ledger_open(actor=world.office, campaign=world.campaign, unit=world.tree.lianyuan,
                                  kind=LedgerKind.LEADERSHIP)
    with _at(DAY, 12):
        services.item_create(actor=world.office, ledger=county, problem="窗口排队长", deadline_mode="date", due_on=DAY)
    that_day = _as_of(world, world.tree.lianyuan).figures
    recorded = world.recorded["涟源市"][0]
    assert (that_day.overdue, that_day.due_soon) == (recorded.overdue, recorded.due_soon + 1)
    next_day = _as_of(world, world.tree.lianyuan, DAY + dt.timedelta(days=1)).figures
    assert next_day.overdue == 2 + 1  # 桥头河镇's, the one made that day due 5 days before, and this one


MARKUP = "<svg/onload=alert()>"  # twenty characters: all of it is quoted back in the message


def test_a_day_typed_as_markup_is_quoted_back_as_text(world):
    client = _client(world.office)
    base = f"/rollups/{world.tree.lianyuan.pk}"
    page = client.get(f"{base}/as-of/", {"campaign": world.campaign.pk, "day": MARKUP})
    assert page.status_code == 400 and MARKUP not in page.content.decode()
    export = client.get(f"{base}/export/", {"campaign": world.campaign.pk, "as_of": MARKUP})
    # a download's refusal has no page: its message, quoting the input, is plain text a browser will not render
    assert export.status_code == 400 and export["Content-Type"].startswith("text/plain")
    assert MARKUP in export.content.decode()


def test_the_day_ends_at_midnight_in_shanghai_not_in_utc(world):
    """A write at 23:30 on the day (15:30 UTC) is in that day's 汇总; one at 00:30 the next morning (16:30 UTC,
    still the day in UTC) is not."""
    county = services.ledger_open(actor=world.office, campaign=world.campaign, unit=world.tree.lianyuan,
                                  kind=LedgerKind.LEADERSHIP)
    late_evening = dt.datetime(DAY.year, DAY.month, DAY.day, 23, 30, tzinfo=SHANGHAI)
    with time_machine.travel(late_evening, tick=False):
        services.item_create(actor=world.office, ledger=county, problem="夜间值班缺位", deadline_mode="long_term")
    with time_machine.travel(late_evening + dt.timedelta(hours=1), tick=False):
        services.item_create(actor=world.office, ledger=county, problem="次日凌晨补录", deadline_mode="long_term")
    recorded = world.recorded["涟源市"][0]
    assert _as_of(world, world.tree.lianyuan).figures.total == recorded.total + 1
    # the next day: both, and the item the world made in 涟源市 that day
    assert _as_of(world, world.tree.lianyuan, DAY + dt.timedelta(days=1)).figures.total == recorded.total + 2 + 1
