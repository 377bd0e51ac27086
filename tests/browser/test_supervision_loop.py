"""督查督办 in the browser (issue 13): the city's office has committed a 重点抽查 of its counties, 涟源市 a key
unit; the 督导组 member who is on its team draws it on site, records what the inspection found with a photo,
and issues a 督办通知单 about it; 涟源市's office finds the notice waiting for it and answers; the member's
office sees the answer."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from huitoukan.notices.models import Notice, NoticeState
from huitoukan.orgs.models import UnitLevel
from huitoukan.supervision import spotchecks
from huitoukan.supervision.models import Finding, InspectionEvidence, SpotCheckState
from tests.browser.conftest import requires_chromium
from tests.browser.test_login_and_tree import _log_in
from tests.conftest import PASSWORD
from tests.supervision.test_spotchecks import build_spot_world

pytestmark = [pytest.mark.browser, requires_chromium]

JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 64


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_spot_world()
    today = timezone.localdate()
    world.spot_check = spotchecks.spotcheck_define(
        actor=world.office, ordering_unit=world.tree.city, root=world.tree.city, title="第三轮重点抽查",
        starts_on=today, team=[world.outside], campaign=world.campaign, levels=[UnitLevel.COUNTY], size=1,
        key_units=[world.tree.lianyuan], today=today)
    return world


def _as(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    _log_in(page, base, username, PASSWORD)
    expect(page.locator("aside")).to_be_visible()


def test_a_member_draws_records_a_finding_with_a_photo_and_issues_a_notice_the_unit_answers(
        page: Page, live_server, world):
    base = live_server.url
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    # the member finds the committed spot check waiting on the work list, and draws it
    _as(page, base, "sc_outside")
    page.goto(f"{base}/supervision/")
    page.locator("#to-draw").get_by_role("link", name=re.compile("第三轮重点抽查")).click()
    page.get_by_role("button", name="抽取", exact=True).click()
    expect(page.locator(".alert-success").first).to_contain_text("已抽取")
    world.spot_check.refresh_from_db()
    assert world.spot_check.state == SpotCheckState.DRAWN and world.spot_check.drawn_by == world.outside
    assert world.spot_check.sample_units == [world.tree.lianyuan.pk]  # the key unit is always in
    # ... opens the 重点抽查 inspection it ordered and records a finding with a photo
    page.get_by_role("link", name="督查", exact=True).click()
    expect(page.locator("h2.page-title")).to_contain_text("第三轮重点抽查")
    page.get_by_role("link", name="记录发现的问题").click()
    page.get_by_label("发现的问题").fill("抽查发现：整改台账中3个问题没有明确完成时限，群众反映的停车难问题未列入台账。")
    page.get_by_label("严重程度").select_option(label="较重")
    page.get_by_label("佐证材料").set_input_files(
        {"name": "现场照片.jpg", "mimeType": "image/jpeg", "buffer": JPEG})
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success").first).to_contain_text("问题已记录")
    finding = Finding.objects.get(inspection=world.spot_check.inspection)
    assert InspectionEvidence.objects.filter(finding=finding, original_name="现场照片.jpg").exists()
    expect(page.get_by_role("link", name=re.compile("现场照片.jpg"))).to_be_visible()
    # ... and issues a 督办通知单 about it, from the finding's page
    page.locator("#finding-notices").get_by_role("link", name="下发督办通知单").click()
    page.get_by_label("整改要求").fill("逐项明确整改时限和责任人，将停车难问题列入台账，10日内报送整改情况。")
    page.get_by_label("答复期限").fill((timezone.localdate() + dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="下发").click()
    expect(page.locator(".alert-success").first).to_contain_text("已下发")
    notice = Notice.objects.get()
    assert list(notice.findings.all()) == [finding] and notice.issuing_unit == world.tree.city
    expect(page.get_by_text(notice.number).first).to_be_visible()
    # 涟源市's office sees the notice waiting for it, opens it and answers
    _as(page, base, "sc_county")
    page.goto(f"{base}/supervision/")
    page.locator("#open-notices").get_by_role("link", name=notice.number).click()
    expect(page.get_by_text("抽查发现：整改台账中3个问题没有明确完成时限").first).to_be_visible()
    page.get_by_label("整改情况报告").fill("已逐项明确完成时限和责任领导，停车难问题已列入领导班子台账第7项。")
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    notice.refresh_from_db()
    assert notice.state == NoticeState.ANSWERED
    # the member's side reads the answer on the notice
    _as(page, base, "sc_outside")
    page.goto(f"{base}/notices/{notice.pk}/")
    expect(page.get_by_text("停车难问题已列入领导班子台账第7项").first).to_be_visible()
    page.screenshot(path="/tmp/supervision_loop_notice.png", full_page=True)
    assert not page.problems, page.problems
