"""A 活动办 clerk fills one item of the ledger from the browser and exports the ledger."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from huitoukan.ledgers.models import Item
from huitoukan.portal.demo import demo_load
from tests.browser.conftest import requires_chromium
from tests.browser.test_login_and_tree import _log_in

pytestmark = [pytest.mark.browser, requires_chromium]

PROBLEM = "督查检查考核过多过频，基层疲于迎检"


@pytest.fixture
def demo(transactional_db):
    return demo_load()


def _export_route_served() -> bool:
    try:
        reverse("ledger-export", args=[1])
    except NoReverseMatch:
        return False
    return True


def test_office_fills_one_item_from_the_browser_and_exports_the_ledger(page: Page, live_server, demo, tmp_path):
    # given the 涟源市 campaign office of the demo, logged in
    _log_in(page, live_server.url, "lianyuan_office", settings.DEMO_PASSWORD)

    # when the clerk opens 台账 from the left menu and the 领导班子 ledger of 涟源市
    page.locator("aside").get_by_role("link", name="台账", exact=True).click()
    expect(page.locator("h2.page-title")).to_contain_text("涟源市")
    page.get_by_role("link", name="领导班子整改落实工作台帐").click()
    expect(page.locator("h2.page-title")).to_have_text("领导班子整改落实工作台帐")
    headings = page.locator("th[data-col]").all_inner_texts()
    assert headings == ["序号", "突出问题", "具体整改措施", "整改时限", "牵头领导", "责任单位", "整改落实情况", "后段工作措施"]
    rows_before = page.locator("#item-rows > tr[id^='item-']").count()
    expect(page.locator("#ledger-summary")).to_contain_text(f"共 {rows_before} 项")

    # and adds an item in the panel htmx opens above the table
    with page.expect_response(re.compile(r"/items/new/$")):
        page.get_by_role("link", name="新增事项").click()
    panel = page.locator("#item-panel")
    panel.get_by_label("突出问题").fill(PROBLEM)
    panel.get_by_label("具体整改措施").fill("清理规范督查检查考核事项，合并同类检查")
    panel.get_by_label("整改时限").fill("2015-03-31")
    panel.get_by_label("“四风”类别").select_option(label="形式主义")
    leaders = panel.locator("#id_lead_leaders-ts-control")  # tom-select's search box over the select
    leaders.click()
    leaders.press_sequentially("吴海波")
    panel.locator(".ts-dropdown .option", has_text="吴海波").first.click()
    leaders.press("Escape")
    panel.get_by_role("button", name="保存").click()

    # then the panel confirms it and the new row is in the table, without a page load
    expect(panel.get_by_role("alert")).to_contain_text("已新增第")
    new_row = page.locator("#item-rows > tr", has_text=PROBLEM)
    expect(new_row).to_be_visible()
    expect(new_row).to_contain_text("吴海波")
    expect(new_row).to_contain_text("未启动")
    assert page.locator("#item-rows > tr[id^='item-']").count() == rows_before + 1
    # and the counts above the table follow
    expect(page.locator("#ledger-summary")).to_contain_text(f"共 {rows_before + 1} 项")
    item = Item.objects.get(problem=PROBLEM)
    assert [p.name for p in item.lead_leaders.all()] == ["吴海波"]
    page.screenshot(path=str(tmp_path / "ledger.png"), full_page=True)

    # when the clerk clicks 导出 Excel
    if not _export_route_served():
        pytest.skip("导出 Excel: the route `ledger-export` (/ledgers/<id>/export/) is not served yet")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()

    # then the workbook holds the ledger with the new item
    path = tmp_path / "ledger.xlsx"
    download.value.save_as(path)
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(path.read_bytes())).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "领导班子整改落实工作台帐" in cells
    assert PROBLEM in cells
    assert not page.problems, "\n".join(page.problems)
