"""The 公文 pages: an office drafts a 通报 from the figures, edits it, issues it and downloads it (the export
logged); a reader of the unit sees the issued one only; bad input and a server without PDF answer in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from huitoukan.access.models import Role
from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from huitoukan.campaigns import services as campaign_services
from huitoukan.campaigns.services import DeadlineSpec, PhaseSpec
from huitoukan.core.officialdoc import OfficialDocError, OfficialDocErrorCode
from huitoukan.documents import views
from huitoukan.documents.models import Document, DocumentState
from huitoukan.orgs.models import UnitLevel
from tests.conftest import user_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree):
    campaign = campaign_services.campaign_create(
        actor=None, owner_unit=tree.city, name="整改落实情况“回头看”", starts_on=dt.date(2014, 12, 31),
        ends_on=dt.date(2015, 2, 28), phases=[PhaseSpec("自查自纠", dt.date(2014, 12, 31), dt.date(2015, 1, 6))],
        deadlines=[DeadlineSpec("信息备案", dt.date(2015, 2, 5), [UnitLevel.TOWNSHIP])])
    office, head = Client(), Client()
    office.force_login(user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan))
    head.force_login(user_create(Role.UNIT_HEAD, tree.lianyuan))
    return {"tree": tree, "campaign": campaign, "office": office, "head": head}


def _draft(w) -> Document:
    response = w["office"].post("/documents/new/", {"kind": "bulletin", "unit": w["tree"].lianyuan.pk,
                                                    "campaign": w["campaign"].pk})
    assert response.status_code == 302
    return Document.objects.latest("id")


def test_the_office_drafts_edits_issues_and_downloads_a_bulletin(world):
    office = world["office"]
    # given a draft generated from the figures, opened for editing
    document = _draft(world)
    assert "起草依据的数据" in office.get(f"/documents/{document.pk}/").content.decode()
    page = office.get(f"/documents/{document.pk}/edit/")
    assert page.status_code == 200 and "根据工作安排，现将截至" in page.content.decode()
    # when the office saves its edit and issues it
    response = office.post(f"/documents/{document.pk}/edit/", {
        "title": "关于涟源市整改落实情况的通报", "addressee": "各乡镇党委", "body": "一、总体情况\n进展顺利。",
        "attachments": "", "issuer_name": "涟源市教育实践活动领导小组办公室",
        "signer": "涟源市教育实践活动领导小组办公室", "copy_to": "", "printed_by": ""})
    assert response.status_code == 302
    today = timezone.localdate()
    assert office.post(f"/documents/{document.pk}/issue/", {"issued_on": today.isoformat()}).status_code == 302
    # then the page shows its number, and both downloads are served and logged
    detail = office.get(f"/documents/{document.pk}/").content.decode()
    assert f"涟源通〔{today.year}〕1号" in detail and "下载公文（PDF）" in detail
    pdf = office.get(f"/documents/{document.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "filename*=UTF-8''" in pdf["Content-Disposition"]
    docx = office.get(f"/documents/{document.pk}/docx/")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    logged = {e.detail["what"] for e in SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT)}
    assert {"document-pdf", "document-docx"} <= logged
    # and an issued document is not edited again
    assert office.get(f"/documents/{document.pk}/edit/").status_code == 302


def test_the_unit_head_reads_issued_documents_but_never_a_draft(world):
    draft = _draft(world)
    issued = _draft(world)
    world["office"].post(f"/documents/{issued.pk}/issue/", {"issued_on": timezone.localdate().isoformat()})
    head = world["head"]
    listing = head.get("/documents/").content.decode()
    assert f"/documents/{issued.pk}/" in listing and f"/documents/{draft.pk}/" not in listing
    assert head.get(f"/documents/{draft.pk}/").status_code == 404
    assert head.get(f"/documents/{issued.pk}/").status_code == 200
    assert head.post(f"/documents/{issued.pk}/issue/", {"issued_on": "2015-01-21"}).status_code == 403


def test_an_empty_body_and_a_missing_date_are_refused_naming_the_field(world):
    document = _draft(world)
    office = world["office"]
    response = office.post(f"/documents/{document.pk}/edit/", {
        "title": "通报", "addressee": "", "body": "", "attachments": "", "issuer_name": "办公室", "signer": "办公室",
        "copy_to": "", "printed_by": ""})
    assert response.status_code == 200 and "正文不能为空" in response.content.decode()
    response = office.post(f"/documents/{document.pk}/issue/", {"issued_on": ""})
    assert response.status_code == 200 and "请填写成文日期" in response.content.decode()
    document.refresh_from_db()
    assert document.state == DocumentState.DRAFT and not document.number


def test_a_draft_is_not_downloaded(world):
    document = _draft(world)
    response = world["office"].get(f"/documents/{document.pk}/pdf/", follow=True)
    assert "印发（编发文字号、定成文日期）后才能下载" in response.content.decode()


def test_without_pdf_support_the_page_says_so_in_chinese(world, monkeypatch):
    document = _draft(world)
    world["office"].post(f"/documents/{document.pk}/issue/", {"issued_on": timezone.localdate().isoformat()})

    def unavailable(doc):
        raise OfficialDocError(OfficialDocErrorCode.PDF_UNAVAILABLE, reason="OSError")

    monkeypatch.setattr(views, "officialdoc_pdf", unavailable)
    response = world["office"].get(f"/documents/{document.pk}/pdf/", follow=True)
    assert "本服务器无法生成PDF" in response.content.decode()
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT, detail__what="document-pdf").exists()


def test_the_list_names_the_issuing_unit_as_such_and_a_brief_its_editing_unit(world):
    # given a draft of the office
    _draft(world)
    office = world["office"]
    # when the office lists its documents, all of them or the 简报 only
    everything = office.get("/documents/").content.decode()
    briefs = office.get("/documents/?kind=brief").content.decode()
    # then the column is the 发文单位 (a 简报's: 编印单位), never 通报单位
    assert "发文单位" in everything and "通报单位" not in everything
    assert "编印单位" in briefs and "通报单位" not in briefs


def test_a_briefs_edit_page_names_its_report_and_send_lists_and_its_editing_unit(world):
    # given a 简报 drafted by the office
    response = world["office"].post("/documents/new/", {"kind": "brief", "unit": world["tree"].lianyuan.pk,
                                                        "campaign": world["campaign"].pk})
    assert response.status_code == 302
    brief = Document.objects.latest("id")
    # when the office opens it for editing
    page = world["office"].get(f"/documents/{brief.pk}/edit/").content.decode()
    # then the 主送 field is its 报 list and the 抄送 its 送 list, the 发文机关 its 编印单位
    assert "报送（报：）" in page and "发送（送：）" in page and "编印单位" in page and "主送机关" not in page
    # and its page shows the masthead's 编 line and the 送 list, no 主送 line
    detail = world["office"].get(f"/documents/{brief.pk}/").content.decode()
    assert "整改落实工作简报" in detail and "送：各有关单位" in detail and "各有关单位：" not in detail
