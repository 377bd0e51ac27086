"""The 审计管理员's console: the security log filtered by date, login, event, outcome and unit, paged,
exported to xlsx with Chinese headings; every kind of event named in Chinese."""

import datetime as dt
import io
import re
from unittest import mock

import openpyxl
import pytest
from django.utils import timezone

from huitoukan.access.models import Role
from huitoukan.audit.models import OUTCOME_OF_KIND, Outcome, SecurityEvent, SecurityEventKind
from huitoukan.audit.services import security_event_record
from huitoukan.orgs import services as org_services

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def auditor_client(tree, make_user, client):
    client.force_login(make_user(Role.AUDIT_ADMIN, tree.city, username="auditor"))
    return client


def _rows(client, query: str) -> list[str]:
    """The usernames of the page's rows, in order."""
    response = client.get(f"/audit/?{query}")
    assert response.status_code == 200, response.content.decode()[:500]
    return [e.username for e in response.context["page"]]


def _record(kind, username, *, days_ago=0, user=None, **detail):
    when = timezone.now() - dt.timedelta(days=days_ago)
    with mock.patch("django.utils.timezone.now", return_value=when):
        return security_event_record(kind=kind, username=username, user=user, detail=detail)


def test_every_kind_of_event_has_a_chinese_label_and_an_outcome():
    for kind in SecurityEventKind:
        assert CJK.search(str(kind.label)), kind
        assert kind in OUTCOME_OF_KIND, f"{kind} has no outcome (allowed, denied or failed)"


def test_the_page_names_every_kind_in_chinese(auditor_client):
    for kind in SecurityEventKind:
        _record(kind, f"k-{kind.value}")
    page = auditor_client.get("/audit/?page_size=100").content.decode()
    for kind in SecurityEventKind:
        assert f"<td>{kind.label}</td>" in page


def test_filter_by_date_range(auditor_client):
    _record(SecurityEventKind.EXPORT, "old", days_ago=40)
    _record(SecurityEventKind.EXPORT, "mid", days_ago=20)
    _record(SecurityEventKind.EXPORT, "new", days_ago=1)
    today = timezone.localdate()
    since, until = today - dt.timedelta(days=25), today - dt.timedelta(days=10)
    assert _rows(auditor_client, f"since={since}&until={until}") == ["mid"]
    assert _rows(auditor_client, f"since={today - dt.timedelta(days=1)}&kind=export") == ["new"]


def test_filter_by_login_event_and_outcome(auditor_client):
    _record(SecurityEventKind.LOGIN_FAILED, "clerk")
    _record(SecurityEventKind.LOGIN, "clerk")
    _record(SecurityEventKind.DENIED, "clerk")
    _record(SecurityEventKind.LOCKED_OUT, "other")
    assert _rows(auditor_client, "username=clerk&kind=login") == ["clerk"]
    assert _rows(auditor_client, "outcome=failed") == ["other", "clerk"]
    assert _rows(auditor_client, "outcome=denied") == ["clerk"]
    allowed = _rows(auditor_client, "outcome=allowed&username=clerk")
    assert allowed == ["clerk"]


def test_filter_by_unit_takes_its_subtree_logins_and_the_events_about_it(tree, make_user, auditor_client):
    lianyuan_office = make_user(Role.CAMPAIGN_OFFICE, tree.qiaotouhe, username="qth_office")
    louxing_office = make_user(Role.CAMPAIGN_OFFICE, tree.louxing, username="lx_office")
    person_user = make_user(username="villager")
    org_services.person_create(actor=None, unit=tree.shishi, name="王五", user=person_user)
    _record(SecurityEventKind.LOGIN, "qth_office", user=lianyuan_office)
    _record(SecurityEventKind.LOGIN, "lx_office", user=louxing_office)
    _record(SecurityEventKind.LOGIN, "villager", user=person_user)
    _record(SecurityEventKind.DENIED, "lx_office", user=louxing_office, unit="娄底市/涟源市/桥头河镇")
    rows = _rows(auditor_client, "unit=娄底市/涟源市&kind=login") + _rows(auditor_client, "unit=涟源市&kind=denied")
    assert sorted(rows) == ["lx_office", "qth_office", "villager"]
    assert _rows(auditor_client, "unit=娄星区&kind=denied") == ["lx_office"]  # its own login's
    assert _rows(auditor_client, "unit=市教育局") == []


def test_a_bad_filter_names_its_field_in_chinese(auditor_client):
    response = auditor_client.get("/audit/?unit=不存在的单位")
    assert response.status_code == 400
    assert "单位：" in response.content.decode()
    response = auditor_client.get("/audit/?since=2015-02-01&until=2015-01-01")
    assert response.status_code == 400 and "截止日期不能早于起始日期" in response.content.decode()
    response = auditor_client.get("/audit/?since=昨天")
    assert response.status_code == 400 and "起始日期：" in response.content.decode()


def test_the_log_is_paged_with_a_chosen_page_size(auditor_client):
    for i in range(25):
        _record(SecurityEventKind.EXPORT, f"u{i}")
    page = auditor_client.get("/audit/?kind=export&page_size=20").context["page"]
    assert len(page.object_list) == 20 and page.paginator.count == 25
    second = auditor_client.get("/audit/?kind=export&page_size=20&page=2").context["page"]
    assert [e.username for e in second] == ["u4", "u3", "u2", "u1", "u0"]


def test_the_export_is_the_filtered_log_with_chinese_headings_and_is_logged(auditor_client):
    _record(SecurityEventKind.DENIED, "clerk", perm="unit.manage", unit="娄底市/娄星区")
    _record(SecurityEventKind.LOGIN, "=cmd|' /C calc'!A0")
    _record(SecurityEventKind.LOGIN_FAILED, "clerk")
    response = auditor_client.get("/audit/export/?outcome=denied")
    assert response.status_code == 200
    assert "filename*=UTF-8''%E5%AE%89%E5%85%A8%E6%97%A5%E5%BF%97" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("记录编号", "时间", "事件", "结果", "账号", "用户", "IP地址", "访问路径", "详情")
    assert [r[2:5] for r in rows[1:]] == [("越权访问被拒", "拒绝", "clerk")]
    assert rows[1][8] == "权限：管理单位；单位：娄底市/娄星区"
    export = SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT).latest("id")
    assert export.username == "auditor"
    assert export.detail == {"what": "security_log", "format": "xlsx", "rows": 1, "outcome": "denied"}


def test_a_logged_formula_stays_text_in_the_export(auditor_client):
    _record(SecurityEventKind.LOGIN, "=HYPERLINK(\"http://x\")")
    response = auditor_client.get("/audit/export/?kind=login")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = sheet.cell(row=2, column=5)
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"


def test_an_export_too_large_for_a_sheet_is_refused_in_chinese(auditor_client, monkeypatch):
    from huitoukan.audit import exports

    monkeypatch.setattr(exports, "MAX_ROWS", 2)
    for i in range(3):
        _record(SecurityEventKind.EXPORT, f"u{i}")
    response = auditor_client.get("/audit/export/?kind=export")
    assert response.status_code == 400
    assert "超过一个工作表能容纳的 2 条" in response.content.decode()


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.CAMPAIGN_OFFICE])
def test_nobody_but_the_audit_admin_reads_or_exports_the_log(tree, make_user, client, role):
    client.force_login(make_user(role, tree.city))
    assert client.get("/audit/").status_code == 404
    assert client.get("/audit/export/").status_code == 404
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT).exists()


def test_the_outcome_filter_lists_the_three_outcomes(auditor_client):
    page = auditor_client.get("/audit/").content.decode()
    for outcome in Outcome:
        assert f'<option value="{outcome.value}">{outcome.label}</option>' in page


def test_details_read_in_chinese():
    from huitoukan.administration.audit_views import event_details

    assert event_details({"purged_before": "2025-01-01 00:00", "rows": 3, "kind": "login", "role": "audit_admin",
                          "before": {"password_min_length": 8}, "after": {"password_min_length": 12}}) == [
        ("清理此前的记录", "2025-01-01 00:00"), ("行数", "3"), ("类型", "登录"), ("角色", "审计管理员"),
        ("修改前", "密码最小长度：8"), ("修改后", "密码最小长度：12")]
    # a new login's kind by its name
    assert event_details({"kind": "audit_admin"}) == [("类型", "审计管理员账号")]


def test_a_verification_is_itself_in_the_log(auditor_client):
    from huitoukan.audit.models import SecurityEvent, SecurityEventKind

    auditor_client.get("/audit/?verify=1")
    [event] = SecurityEvent.objects.filter(kind=SecurityEventKind.LOG_VERIFIED)
    assert set(event.detail) == {"ok", "checked", "problem"}
