"""责任追究 in the browser: the city's 纪委 opens the suggestions, files the relapse's case from its 立案 button (the
form pre-filled: cause, 一案双查, the item, the lead leader), picks the person directly responsible, adds a row, and
records; the case page shows both people and the chain; on a phone the pages fit the screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from huitoukan.accountability.models import Case, Responsibility
from tests.accountability.case_world import build_case_world
from tests.browser import conftest as browser_conftest
from tests.browser.conftest import requires_chromium
from tests.browser.test_login_and_tree import _log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, requires_chromium]

# tests/browser's fixtures (Debian's Chromium, the failing page), for a browser test outside that folder.
browser_type_launch_args = browser_conftest.browser_type_launch_args
browser_context_args = browser_conftest.browser_context_args
page = browser_conftest.page


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_case_world()


def test_discipline_files_the_relapse_case_from_its_suggestion(page: Page, live_server, world, tmp_path):
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    _log_in(page, base, "case_discipline", PASSWORD)
    page.goto(f"{base}/accountability/cases/suggestions/")
    relapse = page.locator(".card", has_text="一案双查：追究当事人责任")
    expect(relapse.locator(".basis").first).to_be_attached()
    relapse.get_by_role("link", name="立案").click()
    expect(page.locator("#id_title")).to_have_value(re.compile("反弹回潮"))
    expect(page.locator("#id_double_check")).to_be_checked()
    expect(page.locator("#action-rows")).to_contain_text("吴海波")
    # the person directly responsible: searched by name among the unit's people
    page.locator("#action-rows [data-action-row]").first.locator(".ts-control").click()
    page.keyboard.type("李明")
    page.locator(".ts-dropdown .option", has_text="李明").first.click()
    page.fill("#id_facts", "会议数量反弹。")
    page.fill("#id_decider", "中共娄底市纪委")
    rows = page.locator("#action-rows [data-action-row]")
    before = rows.count()
    page.get_by_role("button", name="添加一行").click()
    expect(rows).to_have_count(before + 1)
    page.screenshot(path=str(tmp_path / "case_form.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success").first).to_contain_text("已登记")
    case = Case.objects.get()
    assert {(a.responsibility, a.person.name) for a in case.actions.all()} == {
        (Responsibility.DIRECT, "李明"), (Responsibility.LEADER, "吴海波")}
    expect(page.locator("body")).to_contain_text("问题链条")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.screenshot(path=str(tmp_path / "case_detail_phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{base}/accountability/cases/suggestions/")
    expect(page.locator("body")).to_contain_text("已立案")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "suggestions_phone.png"), full_page=True)
    page.goto(f"{base}/accountability/cases/")
    expect(page.locator("table")).to_contain_text("李明：通报批评")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "list_phone.png"), full_page=True)
    assert page.problems == []
