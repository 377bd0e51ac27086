"""驾驶舱 in the browser, on a phone: 涟源市's head opens the screen, the charts draw (no CSP or script error), the
numbers are there beside them, nothing is wider than the phone, and a child's name drills down to its screen."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from huitoukan.access.models import Role
from huitoukan.campaigns import services as campaign_services
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import FourWinds
from huitoukan.orgs import services as org_services
from huitoukan.rollups.models import DailyFigures
from tests.browser import conftest as browser
from tests.browser.test_login_and_tree import _log_in
from tests.conftest import PASSWORD, Tree, user_create

browser_type_launch_args = browser.browser_type_launch_args
browser_context_args = browser.browser_context_args
page = browser.page
requires_chromium = browser.requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

PHONE = {"width": 390, "height": 844}
TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


@pytest.fixture
def world(transactional_db):
    tree = Tree()
    campaign = campaign_services.campaign_create(actor=None, owner_unit=tree.city, name="回头看",
                                                 starts_on=dt.date(2014, 12, 31), ends_on=dt.date(2015, 6, 30))
    for unit, days in ((tree.lianyuan, -3), (tree.qiaotouhe, 20)):
        leader = org_services.person_create(actor=None, unit=unit, name="吴海波", is_party_leader=True)
        ledger = ledger_services.ledger_open(actor=None, campaign=campaign, unit=unit, kind=LedgerKind.LEADERSHIP)
        ledger_services.item_create(actor=None, ledger=ledger, problem="会议多", four_winds=FourWinds.FORMALISM,
                                    deadline_mode="date", due_on=TODAY + days * DAY, lead_leaders=[leader],
                                    responsible_units=[unit])
    for back in range(1, 6):
        DailyFigures.objects.create(unit=tree.lianyuan, campaign=campaign, day=TODAY - back * DAY, total=2)
    user_create(Role.UNIT_HEAD, tree.lianyuan, username="dashboard_head")
    return tree, campaign


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px phone"


def _shot(page: Page, name: str) -> None:
    where = os.environ.get("HUITOUKAN_SCREENSHOTS")
    if where:
        Path(where).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(where) / name), full_page=True)


def test_a_unit_head_reads_the_screen_on_a_phone_and_drills_down(page: Page, live_server, world):
    tree, campaign = world
    base = live_server.url
    page.set_viewport_size(PHONE)
    _log_in(page, base, "dashboard_head", PASSWORD)
    page.goto(f"{base}/rollups/dashboard/")
    expect(page.locator("h2.page-title")).to_contain_text("驾驶舱 · 涟源市")
    expect(page.locator('[data-figure="total"]')).to_have_text("2")
    expect(page.locator('[data-figure="overdue"]')).to_have_text("1")
    expect(page.locator("#trend svg").first).to_be_visible()  # ECharts drew under the page's CSP
    expect(page.locator("#four-winds svg").first).to_be_visible()
    expect(page.locator("#trend-figures")).to_contain_text("0%")
    _fits(page)
    _shot(page, "dashboard-lianyuan-phone.png")
    page.get_by_role("link", name="桥头河镇").click()
    expect(page.locator('[data-figure="total"]')).to_have_text("1")
    expect(page.locator('[data-figure="overdue"]')).to_have_text("0")
    _fits(page)
    assert page.problems == []
