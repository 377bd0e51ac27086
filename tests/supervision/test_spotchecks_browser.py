"""重点抽查 in the browser, on a phone: 娄底市's office defines a spot check (the commitment shown, the seed not),
draws it (confirming), sees the sample with reasons and inspectors, verifies 一致, and reads the coverage
map; no page is wider than the phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from huitoukan.supervision.models import SpotCheck
from tests.browser import conftest as browser
from tests.browser.test_login_and_tree import _log_in
from tests.conftest import PASSWORD
from tests.supervision.test_spotchecks import build_spot_world

# The browser's fixtures (Debian's Chromium, a page that fails on errors) live in tests/browser/conftest.py.
browser_type_launch_args = browser.browser_type_launch_args
browser_context_args = browser.browser_context_args
page = browser.page
requires_chromium = browser.requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(transactional_db):
    return build_spot_world()


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px phone"


def test_the_office_defines_draws_and_verifies_a_spot_check_on_a_phone(page: Page, live_server, world):
    base = live_server.url
    page.set_viewport_size(PHONE)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    _log_in(page, base, "sc_office", PASSWORD)
    page.goto(f"{base}/supervision/spot-checks/")
    _fits(page)
    page.get_by_role("link", name="娄底市定义抽查").click()
    page.get_by_label("抽查名称").fill("第一轮重点抽查")
    page.get_by_label("检查开始日期").fill("2015-03-02")
    page.get_by_label("乡镇街道").check()
    page.get_by_label("抽取数量").fill("3")
    page.get_by_label("检查组成员").fill("sc_outside sc_local sc_louxing")
    _fits(page)
    page.get_by_role("button", name="定义并承诺").click()
    expect(page.locator(".alert-success").first).to_contain_text("种子承诺值已记录")
    sc = SpotCheck.objects.get()
    expect(page.get_by_text(sc.commitment).first).to_be_visible()
    assert sc.secret_seed not in page.content()
    _fits(page)
    page.screenshot(path="/tmp/spotcheck_committed.png", full_page=True)
    page.get_by_role("button", name="抽取", exact=True).click()
    expect(page.locator(".alert-success").first).to_contain_text("已抽取")
    sc.refresh_from_db()
    expect(page.get_by_text(sc.seed).first).to_be_visible()
    expect(page.get_by_text("每县至少一个").first).to_be_visible()
    assert asked and all("确定" in q for q in asked)
    _fits(page)
    page.screenshot(path="/tmp/spotcheck_drawn.png", full_page=True)
    page.get_by_role("link", name="核验").click()
    expect(page.locator(".alert-success")).to_contain_text("一致")
    _fits(page)
    page.goto(f"{base}/supervision/spot-checks/coverage/?unit={world.tree.city.pk}")
    expect(page.get_by_text("已抽取 1 次")).to_be_visible()
    _fits(page)
    page.screenshot(path="/tmp/spotcheck_coverage.png", full_page=True)
    page.get_by_role("link", name="涟源市").click()
    expect(page.get_by_text("返回各县")).to_be_visible()
    _fits(page)
    assert not page.problems, page.problems
