"""报送 and 逐级审阅 in the browser: 涟源市 builds its package, its head approves, its office submits; 娄底市
comments on two rows and returns it; 涟源市 mends the two rows and goes round again; 娄底市 compares the
versions and approves; version 1 is unchanged byte for byte."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from huitoukan.ledgers import services as ledger_services
from huitoukan.reviews.models import PackageState, PackageVersion
from tests.browser.conftest import requires_chromium
from tests.browser.test_login_and_tree import _log_in
from tests.conftest import PASSWORD
from tests.reviews.conftest import build_loop

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.fixture
def loop(transactional_db):
    return build_loop()


def _as(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    _log_in(page, base, username, PASSWORD)
    expect(page.locator("aside")).to_be_visible()


def _act(page: Page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".alert-success, .alert.alert-success").first).to_be_visible()


def _go_round(page: Page, base: str, loop, number: int) -> int:
    """The office builds version `number`, the head approves it, the office submits it; returns its id."""
    _as(page, base, "lianyuan_office")
    page.goto(f"{base}/reviews/deadlines/{loop.deadline.pk}/units/{loop.tree.lianyuan.pk}/")
    page.get_by_role("button", name=re.compile("生成报送材料")).click()
    expect(page.locator("h2.page-title")).to_contain_text(f"第{number}版")
    version_url = page.url
    _as(page, base, "lianyuan_head")
    page.goto(f"{base}/reviews/")
    page.get_by_role("link", name=loop.deadline.name).first.click()
    _act(page, "主要负责同志审核通过")
    _as(page, base, "lianyuan_office")
    page.goto(version_url)
    _act(page, "报送上级")
    expect(page.locator("h2.page-title")).to_contain_text("已报送待审阅")
    return int(version_url.rstrip("/").rsplit("/", 1)[-1])


def test_a_package_goes_up_comes_back_with_comments_and_is_approved_as_version_two(page: Page, live_server, loop):
    base = live_server.url
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))  # 确定报送上级？ …
    # given 涟源市's first version, approved by its head and submitted by its office
    v1_id = _go_round(page, base, loop, 1)
    v1 = PackageVersion.objects.get(pk=v1_id)
    v1_bytes, v1_digest = v1.content.encode(), v1.digest
    # when 娄底市's office finds it in 待我处理, comments on two rows and returns it with a reason
    _as(page, base, "loudi_office")
    page.goto(f"{base}/reviews/")
    page.locator("table", has_text="报送单位").get_by_role("link", name=loop.deadline.name).click()
    for item, text in ((loop.items[0], "措施不具体，须量化"), (loop.items[1], "缺少完成时限")):
        page.get_by_label("位置").select_option(value=f"ledger:leadership#item:{item.pk}")
        page.get_by_label("意见", exact=True).fill(text)
        _act(page, "提出意见")
    expect(page.locator("tr.review-comment-row")).to_have_count(2)
    page.get_by_label("退回理由（必填）").fill("两项措施须细化后重报")
    _act(page, "退回")
    expect(page.locator("h2.page-title")).to_contain_text("已退回")
    # then 涟源市's office sees the return with its comments
    _as(page, base, "lianyuan_office")
    page.goto(f"{base}/reviews/versions/{v1_id}/")
    expect(page.get_by_text("两项措施须细化后重报").first).to_be_visible()
    expect(page.locator("tr.review-comment-row")).to_have_count(2)
    # when it mends the two rows and goes round again
    ledger_services.item_update(actor=loop.office, item=loop.items[0], measures="压缩会议数量，全年会议减少30%")
    ledger_services.item_update(actor=loop.office, item=loop.items[1], measures="每月下基层调研不少于4天，6月底前完成")
    v2_id = _go_round(page, base, loop, 2)
    # then 娄底市 sees what changed between the versions, word by word, and approves version 2
    _as(page, base, "loudi_office")
    page.goto(f"{base}/reviews/versions/{v2_id}/")
    page.get_by_role("link", name="与第1版比较").click()
    expect(page.locator("h2.page-title")).to_contain_text("第1版与第2版比较")
    expect(page.locator("ins.rl-insert", has_text="全年会议减少30%")).to_be_visible()
    expect(page.locator(".review-changed")).to_have_count(2)
    page.goto(f"{base}/reviews/versions/{v2_id}/")
    _act(page, "审阅通过")
    expect(page.locator("h2.page-title")).to_contain_text("已通过")
    # and version 1 is unchanged byte for byte
    stored = PackageVersion.objects.get(pk=v1_id)
    assert stored.state == PackageState.RETURNED
    assert stored.content.encode() == v1_bytes and stored.digest == v1_digest
    assert PackageVersion.objects.get(pk=v2_id).state == PackageState.APPROVED
    assert "确定报送上级？" in asked and "确定审阅通过？" in asked
    assert page.problems == []
