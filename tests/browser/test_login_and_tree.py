"""An office clerk logs in through the real form and walks the unit tree in Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from huitoukan.portal.demo import demo_load
from tests.browser.conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

UNITS_SCREENSHOT = Path("/tmp/huitoukan-units.png")
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture
def demo(transactional_db):
    return demo_load()


def _log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def _is_chinese(text: str) -> bool:
    """Most letters on the page are Chinese; a few Latin ones (units of measure, ids) may remain."""
    cjk, latin = len(CJK.findall(text)), len(LATIN.findall(text))
    return cjk > 20 and latin / (cjk + latin) < 0.1


def test_county_office_walks_its_own_branch_of_the_tree(page: Page, live_server, demo, tmp_path):
    # given the 涟源市 campaign office's account of the 娄底市 demo
    # when the clerk logs in through the login form
    _log_in(page, live_server.url, "lianyuan_office", settings.DEMO_PASSWORD)

    # then the 工作台 opens, styled and scripted
    expect(page.locator("h2.page-title")).to_have_text("工作台")
    expect(page).to_have_title(re.compile("工作台"))
    # the scripts are deferred, so they have run once the document is parsed: wait for that rather than
    # poll (a wait_for_function poll evaluates a string in the page, which the CSP refuses on a busy machine)
    page.wait_for_load_state("domcontentloaded")
    assert page.evaluate("typeof window.htmx") == "object", "htmx did not load"
    sidebar_background = page.locator("aside.navbar-vertical").evaluate("e => getComputedStyle(e).backgroundColor")
    assert sidebar_background not in ("rgba(0, 0, 0, 0)", "transparent"), "Tabler's CSS did not load"

    # when the clerk opens 组织树 from the left menu
    page.locator("aside").get_by_role("link", name="组织树").click()
    expect(page).to_have_url(re.compile(r"/units/$"))
    tree = page.locator(".unit-tree")

    # then the tree holds the county and nothing of the other counties
    expect(tree.get_by_role("link", name="涟源市", exact=True)).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("娄星区")
    page.screenshot(path=str(UNITS_SCREENSHOT), full_page=True)

    # and its only top unit is open one level: the towns show without a click
    qiaotouhe = tree.get_by_role("link", name="桥头河镇", exact=True)
    expect(qiaotouhe).to_be_visible()
    expect(tree.get_by_role("link", name="杨市镇", exact=True)).to_be_visible()

    # when the clerk expands 桥头河镇, htmx fetches its villages
    toggle = qiaotouhe.locator("xpath=preceding-sibling::span[contains(@class, 'toggle')]")
    with page.expect_response(re.compile(r"/units/tree/\?node=\d+")) as fragment:
        toggle.click()
    assert fragment.value.status == 200
    expect(tree.get_by_role("link", name="石狮村", exact=True)).to_be_visible()

    # and opens 桥头河镇 from the tree
    qiaotouhe.click()

    # then its detail page shows the town, its place in the tree and its villages
    expect(page).to_have_url(re.compile(r"/units/\d+/$"))
    expect(page.locator("h2.page-title")).to_contain_text("桥头河镇")
    expect(page.locator(".breadcrumb")).to_contain_text("涟源市")
    expect(page.get_by_role("link", name="石狮村", exact=True).first).to_be_visible()
    expect(page.get_by_text("彭光辉")).to_be_visible()
    expect(tree.locator("a.current")).to_have_text("桥头河镇")
    page.screenshot(path=str(tmp_path / "qiaotouhe.png"), full_page=True)
    assert (tmp_path / "qiaotouhe.png").stat().st_size > 10_000
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert _is_chinese(page.locator("body").inner_text())
    assert "娄星区" not in page.content()
    assert not page.problems, "\n".join(page.problems)


def test_wrong_password_is_refused_in_chinese(page: Page, live_server, demo):
    # given the demo's accounts
    # when someone types a wrong password for one of them
    _log_in(page, live_server.url, "lianyuan_office", "Wrong@2015pass")

    # then the login page stays, with the Chinese error and no session
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_label("用户名")).to_have_value("lianyuan_office")
    assert _is_chinese(page.locator("body").inner_text()) or "登录" in page.locator("body").inner_text()
    assert not page.problems, "\n".join(page.problems)
