"""群众评议 in the browser, on a phone: 涟源市's office sets a survey up for its next level, opens it, issues a sheet
of QR codes and downloads the links; an evaluator opens one link, is told which question is missing, answers,
and cannot answer twice. No page is wider than the phone."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from huitoukan.access.models import Role
from huitoukan.publicity.models import Survey, SurveyResponse
from tests.browser import conftest as browser
from tests.browser.test_login_and_tree import _log_in
from tests.conftest import PASSWORD, Tree, user_create

browser_type_launch_args = browser.browser_type_launch_args
browser_context_args = browser.browser_context_args
page = browser.page
requires_chromium = browser.requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(transactional_db):
    tree = Tree()
    user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="survey_office")
    return tree


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px phone"


def test_a_survey_is_set_up_its_tokens_printed_and_one_answered_once_on_a_phone(page: Page, live_server, world):
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.on("dialog", lambda dialog: dialog.accept())
    today = timezone.localdate()
    _log_in(page, base, "survey_office", PASSWORD)
    # the office sets the survey up
    page.goto(f"{base}/publicity/surveys/")
    page.get_by_role("link", name="新建评议调查").click()
    page.get_by_label("标题").fill("涟源市群众评议")
    page.get_by_label("题目").fill("对整改落实情况的评价\n对干部作风转变的评价")
    page.get_by_label("组织单位的下一级全部单位").check()
    page.get_by_label("开始日期").fill(today.isoformat())
    page.get_by_label("结束日期").fill((today + dt.timedelta(days=10)).isoformat())
    _fits(page)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success").first).to_contain_text("评议调查已创建")
    survey = Survey.objects.get(title="涟源市群众评议")
    # opens it and issues two tokens for 桥头河镇's 服务对象
    page.get_by_role("button", name="开始评议").click()
    expect(page.locator(".alert-success").first).to_contain_text("已开始")
    page.get_by_role("link", name="生成评议凭证").click()
    page.get_by_label("被评单位").select_option(label="娄底市/涟源市/桥头河镇")
    page.get_by_label("评议群体").select_option(label="服务对象")
    page.get_by_label("凭证张数").fill("2")
    page.get_by_role("button", name="生成").click()
    expect(page.locator(".survey-qr svg")).to_have_count(2)
    _fits(page)
    page.screenshot(path="/tmp/survey_sheet.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载链接清单（CSV）").click()
    csv_text = open(download.value.path(), encoding="utf-8-sig").read()
    links = re.findall(r"https?://\S+/gongkai/wenjuan/[A-Za-z0-9_-]+/", csv_text)
    assert len(links) == 2 and "桥头河镇" in csv_text and "服务对象" in csv_text
    # an evaluator opens the first link (no login), skips a question, then answers
    evaluator = page.context.browser.new_context(viewport=PHONE, locale="zh-CN")
    phone = evaluator.new_page()
    phone.goto(links[0])
    expect(phone.get_by_text("被评单位：桥头河镇")).to_be_visible()
    _fits(phone)
    phone.locator("label.form-selectgroup-item", has_text="基本满意").first.click()
    phone.evaluate("document.querySelector('form').noValidate = true")
    phone.get_by_role("button", name="提交评议").click()
    expect(phone.locator(".alert-danger")).to_contain_text("请回答第2题：对干部作风转变的评价")
    phone.locator("fieldset").nth(1).locator("label.form-selectgroup-item", has_text="不满意").click()
    phone.screenshot(path="/tmp/survey_answer.png", full_page=True)
    phone.get_by_role("button", name="提交评议").click()
    expect(phone.get_by_text("提交成功，感谢您参与评议！")).to_be_visible()
    # the same link again is refused
    phone.goto(links[0])
    expect(phone.get_by_text("该评议凭证已使用，每个凭证只能提交一次")).to_be_visible()
    evaluator.close()
    response = SurveyResponse.objects.get(survey=survey)
    assert sorted(response.answers.values()) == [1, 2]
    # the office sees the answer counted, the unit listed as 样本不足
    page.goto(f"{base}/publicity/surveys/{survey.pk}/")
    expect(page.get_by_text("样本不足（n=1，需≥30）").first).to_be_visible()
    _fits(page)
    page.screenshot(path="/tmp/survey_detail.png", full_page=True)
    assert not page.problems, page.problems
