"""督办通知单 through its pages and its API: the happy paths end to end, and what the pages show."""

from __future__ import annotations

import datetime as dt
import json
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from docx import Document

from huitoukan.access import services as access_services
from huitoukan.access.models import Role
from huitoukan.core.officialdoc import officialdoc_check
from huitoukan.notices import escalation, services
from huitoukan.notices.errors import NoticeError
from huitoukan.notices.models import Colour, Notice, NoticeOffice, NoticeState
from huitoukan.supervision import services as supervision_services
from huitoukan.supervision.models import InspectionKind
from tests.conftest import user_create
from tests.notices.conftest import issue, upload

TODAY_REAL = timezone.localdate()

S = NoticeState


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _due(days=7) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_a_group_member_issues_from_a_finding_and_the_office_answers_through_the_pages(w):
    member, office = _client(w.supervisor), _client(w.office)
    # given the form pre-filled from a supervision finding the member reads
    page = member.get(f"/notices/new/?finding={w.finding.pk}").content.decode()
    assert "下发督办通知单" in page and "整改台账未明确整改时限" in page and "关于督促涟源市" in page
    # when the member issues it
    response = member.post(f"/notices/new/?finding={w.finding.pk}", {
        "addressed_unit": w.tree.lianyuan.pk, "title": "关于督促涟源市整改的督办通知", "findings": [w.finding.pk],
        "problems": "群众反映问题未及时回应", "requirements": "限期整改", "answer_due_on": _due()})
    notice = Notice.objects.get(title="关于督促涟源市整改的督办通知")
    assert response.status_code == 302 and response["Location"] == f"/notices/{notice.pk}/"
    assert notice.issuing_unit == w.tree.city and list(notice.findings.all()) == [w.finding]
    # then the office finds it under 待我答复的 and answers with a report and a file
    listing = office.get("/notices/?tab=answer").content.decode()
    assert notice.number in listing and "待我答复的" in listing
    detail = office.get(f"/notices/{notice.pk}/").content.decode()
    assert "提交答复" in detail and "办结" not in detail.split("办理过程")[0].split("提交答复")[1]
    office.post(f"/notices/{notice.pk}/answer/", {"report": "已建立台账", "files": upload()})
    notice.refresh_from_db()
    assert notice.state == S.ANSWERED and notice.answers.get().evidence.count() == 1
    # the member returns it, the office answers again, the member closes it
    detail = member.get(f"/notices/{notice.pk}/").content.decode()
    assert "退回理由" in detail and "提交答复" not in detail
    member.post(f"/notices/{notice.pk}/return/", {"reason": "措施不具体"})
    office.post(f"/notices/{notice.pk}/answer/", {"report": "已逐项明确"})
    member.post(f"/notices/{notice.pk}/close/", {"note": "整改到位"})
    notice.refresh_from_db()
    assert notice.state == S.CLOSED
    page = member.get(f"/notices/{notice.pk}/").content.decode()
    for text in ("下发督办通知单", "单位答复", "退回：措施不具体", "办结：整改到位", "第2次答复", "整改报告.pdf"):
        assert text in page
    # and the evidence is downloaded as it was uploaded
    evidence = notice.answers.first().evidence.get()
    download = office.get(f"/notices/evidence/{evidence.pk}/")
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_list_filters_by_state_and_colour_and_shows_the_colour(w):
    late = issue(w, today=timezone.localdate() - dt.timedelta(days=30))
    escalation.escalation_run_now(today=timezone.localdate())
    fresh = issue(w, today=timezone.localdate())
    client = _client(w.city_office)
    red = client.get("/notices/?tab=issued&colour=red").content.decode()
    assert late.number in red and fresh.number not in red and "bg-red-lt" in red
    blue = client.get("/notices/?tab=issued&colour=blue&state=awaiting").content.decode()
    assert fresh.number in blue and late.number not in blue
    assert late.number not in _client(w.outsider).get("/notices/?tab=all").content.decode()


def test_the_form_names_a_bad_field_in_chinese(w):
    response = _client(w.city_office).post("/notices/new/", {
        "addressed_unit": w.tree.lianyuan.pk, "title": "", "requirements": "x", "answer_due_on": _due()})
    assert response.status_code == 200 and "请填写标题。" in response.content.decode()
    response = _client(w.city_office).post("/notices/new/", {
        "addressed_unit": w.tree.lianyuan.pk, "title": "x", "requirements": "x", "answer_due_on": _due()})
    assert "请列出存在的问题" in response.content.decode() and not Notice.objects.exists()


def test_a_step_in_the_wrong_state_shows_a_chinese_message(w):
    notice = issue(w, today=timezone.localdate())
    response = _client(w.city_office).post(f"/notices/{notice.pk}/close/", {"note": ""})
    assert response.status_code == 200 and "督办通知单当前为“待答复”，不能办结。" in response.content.decode()


def test_the_docx_download_is_the_official_document(w):
    notice = issue(w, today=timezone.localdate())
    response = _client(w.head).get(f"/notices/{notice.pk}/docx/")
    data = b"".join(response.streaming_content)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert officialdoc_check(data) == []
    assert notice.number in "\n".join(p.text for p in Document(BytesIO(data)).paragraphs)


def test_the_office_keeps_its_settings_through_the_page(w):
    client = _client(w.city_office)
    page = client.get(f"/notices/offices/{w.tree.city.pk}/").content.decode()
    assert "尚未设置" in page and "娄底督" in page
    response = client.post(f"/notices/offices/{w.tree.city.pk}/", {
        "prefix": "娄群办督", "issuer_name": "中共娄底市委党的群众路线教育实践活动领导小组办公室",
        "yellow_after_days": 3, "red_after_days": 2})
    assert response.status_code == 200 and "转红的天数须大于转黄的天数" in response.content.decode()
    client.post(f"/notices/offices/{w.tree.city.pk}/", {
        "prefix": "娄群办督", "issuer_name": "中共娄底市委党的群众路线教育实践活动领导小组办公室",
        "yellow_after_days": 2, "red_after_days": 6})
    assert NoticeOffice.objects.get(unit=w.tree.city).red_after_days == 6
    assert issue(w).number.startswith("娄群办督〔")


def test_the_api_issues_answers_returns_and_closes(w):
    member, office = _client(w.supervisor), _client(w.office)
    response = member.post("/api/v1/notices/", json.dumps({
        "addressed_unit": w.tree.lianyuan.pk, "title": "关于督促整改的通知", "findings": [w.finding.pk],
        "requirements": "限期整改", "answer_due_on": _due()}), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == f"娄底督〔{timezone.localdate().year}〕1号" and body["finding_ids"] == [w.finding.pk]
    pk = body["id"]
    answered = office.post(f"/api/v1/notices/{pk}/answer/", {"report": "已整改", "files": [upload()]})
    assert answered.status_code == 200 and answered.json()["answers"][0]["evidence"][0]["kind"] == "document"
    member.post(f"/api/v1/notices/{pk}/return/", {"reason": "不具体"}, content_type="application/json")
    office.post(f"/api/v1/notices/{pk}/answer/", {"report": "已具体"}, content_type="application/json")
    closed = member.post(f"/api/v1/notices/{pk}/close/", {}, content_type="application/json").json()
    assert closed["state"] == S.CLOSED
    assert [e["text"] for e in closed["timeline"]] == ["下发督办通知单", "单位答复", "退回：不具体", "单位答复", "办结"]
    listed = office.get("/api/v1/notices/?tab=answer&state=closed").json()
    assert [n["id"] for n in listed] == [pk]
    docx = office.get(f"/api/v1/notices/{pk}/docx/")
    assert officialdoc_check(b"".join(docx.streaming_content)) == []


def test_the_api_names_the_bad_field_and_the_wrong_state(w):
    member = _client(w.supervisor)
    response = member.post("/api/v1/notices/", json.dumps({
        "addressed_unit": w.tree.lianyuan.pk, "title": "x", "findings": [999999], "requirements": "x",
        "answer_due_on": _due()}), content_type="application/json")
    assert response.status_code == 400 and "督查发现的问题" in response.json()["detail"]
    notice = issue(w, w.supervisor, today=timezone.localdate())
    response = member.post(f"/api/v1/notices/{notice.pk}/close/", {}, content_type="application/json")
    assert response.status_code == 400 and "不能办结" in response.json()["detail"]


def test_a_colour_shows_as_a_badge_on_the_notice(w):
    notice = issue(w, today=timezone.localdate() - dt.timedelta(days=9))
    escalation.escalation_run_now(today=timezone.localdate())
    notice.refresh_from_db()
    assert notice.colour == Colour.YELLOW
    page = _client(w.head).get(f"/notices/{notice.pk}/").content.decode()
    assert "bg-yellow-lt" in page and "逾期，督办等级升为黄" in page
    assert services.office_of(w.tree.city).pk is None


def test_the_form_without_a_unit_offers_a_unit_picker_and_issues_to_the_unit_chosen(w):
    client = _client(w.city_office)
    page = client.get("/notices/new/").content.decode()
    assert 'data-remote="/api/v1/units/"' in page and "主送单位" in page
    response = client.post("/notices/new/", {
        "addressed_unit": w.tree.qiaotouhe.pk, "title": "关于督促桥头河镇整改的通知", "problems": "会议偏多",
        "requirements": "限期整改", "answer_due_on": _due()})
    notice = Notice.objects.get(title="关于督促桥头河镇整改的通知")
    assert response.status_code == 302 and notice.addressed_unit == w.tree.qiaotouhe


def test_a_login_issuing_in_two_names_chooses_one(w):
    both = user_create(Role.CAMPAIGN_OFFICE, w.tree.lianyuan, username="both")
    access_services.role_grant(actor=None, user=both, role=Role.SUPERVISOR, unit=w.tree.lianyuan,
                               supervision_group=w.group)
    client = _client(both)
    page = client.get(f"/notices/new/?unit={w.tree.qiaotouhe.pk}").content.decode()
    assert "发文单位" in page and "市委第二督导组" in page
    client.post(f"/notices/new/?unit={w.tree.qiaotouhe.pk}", {
        "addressed_unit": w.tree.qiaotouhe.pk, "issuing_unit": w.tree.city.pk, "title": "以督导组名义",
        "problems": "会议偏多", "requirements": "限期整改", "answer_due_on": _due()})
    notice = Notice.objects.get(title="以督导组名义")
    assert (notice.issuing_unit, notice.group) == (w.tree.city, w.group)


def test_the_finding_page_and_the_work_list_show_the_notices(w):
    """The notices fill the 督查督办 pages' slots: a finding's notices and the button to issue one; the reader's
    open notices on the work list. A sealed 暗访's finding offers no notice and cannot be put in one."""
    finding = supervision_services.finding_record(actor=w.city_office, unit=w.tree.lianyuan, description="会议偏多")
    member = Client()
    member.force_login(w.city_office)
    page = member.get(f"/supervision/findings/{finding.pk}/").content.decode()
    assert f"/notices/new/?finding={finding.pk}" in page
    notice = services.notice_issue(actor=w.city_office, addressed_unit=w.tree.lianyuan, findings=[finding],
                                   title="关于督促整改的通知", requirements="限期整改", answer_due_on=TODAY_REAL + dt.timedelta(days=7),
                                   today=TODAY_REAL)
    assert notice.number in member.get(f"/supervision/findings/{finding.pk}/").content.decode()
    office = Client()
    office.force_login(w.office)
    assert notice.number in office.get("/supervision/").content.decode()
    covert = supervision_services.inspection_create(
        actor=w.city_office, kind=InspectionKind.COVERT, title="暗访", ordering_unit=w.tree.city,
        units=[w.tree.lianyuan], starts_on=TODAY_REAL)
    sealed = supervision_services.finding_record(actor=w.city_office, inspection=covert, unit=w.tree.lianyuan,
                                                 description="窗口离岗")
    assert "/notices/new/" not in member.get(f"/supervision/findings/{sealed.pk}/").content.decode()
    with pytest.raises(NoticeError, match="尚未发布的暗访"):
        services.notice_issue(actor=w.city_office, addressed_unit=w.tree.lianyuan, findings=[sealed],
                              title="x", requirements="y", answer_due_on=TODAY_REAL + dt.timedelta(days=7), today=TODAY_REAL)


def test_a_released_covert_finding_goes_into_a_notice_only_from_the_ordering_office(w):
    covert = supervision_services.inspection_create(
        actor=w.city_office, kind=InspectionKind.COVERT, title="暗访", ordering_unit=w.tree.city,
        units=[w.tree.lianyuan], team=[w.supervisor], starts_on=TODAY_REAL)
    finding = supervision_services.finding_record(actor=w.supervisor, inspection=covert, unit=w.tree.lianyuan,
                                                  description="窗口离岗")
    supervision_services.inspection_release(actor=w.city_office, inspection=covert)
    with pytest.raises(NoticeError, match="组织暗访的活动办"):  # the notice would name the team member
        services.notice_issue(actor=w.supervisor, addressed_unit=w.tree.lianyuan, findings=[finding], title="x",
                              requirements="y", answer_due_on=TODAY_REAL + dt.timedelta(days=7), today=TODAY_REAL)
    notice = services.notice_issue(actor=w.city_office, addressed_unit=w.tree.lianyuan, findings=[finding],
                                   title="x", requirements="y", answer_due_on=TODAY_REAL + dt.timedelta(days=7),
                                   today=TODAY_REAL)
    assert notice.group is None and notice.issued_by == w.city_office


def test_the_issuing_unit_is_chosen_among_the_callers_names_only(w):
    client = Client()
    client.force_login(w.supervisor)
    body = {"addressed_unit": w.tree.lianyuan.pk, "title": "x", "requirements": "y", "problems": "z",
            "answer_due_on": (TODAY_REAL + dt.timedelta(days=7)).isoformat()}
    other = client.post("/api/v1/notices/", {**body, "issuing_unit": w.tree.louxing.pk}, content_type="application/json")
    absent = client.post("/api/v1/notices/", {**body, "issuing_unit": 987654}, content_type="application/json")
    assert other.status_code == absent.status_code == 400 and other.content == absent.content
