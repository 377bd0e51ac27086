"""A 通报 generated from the 娄底市 demo is a GB/T 9704-2012 document: as .docx it passes the checker and
has the page, margins, fonts, sizes, 发文字号 and 成文日期 the standard sets; as PDF it renders its Chinese
text (page 1 saved as PNG under var/test-artefacts/documents/ to be looked at). Numbering per issuing unit,
year and kind."""

from __future__ import annotations

import ctypes
import datetime as dt
import re
from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from django.contrib.auth import get_user_model
from docx import Document as Docx
from docx.oxml.ns import qn

from huitoukan.accountability import case_tally
from huitoukan.accountability.models import ActionKind, Case, CaseAction, CaseCause, Responsibility
from huitoukan.campaigns import services as campaign_services
from huitoukan.campaigns.models import Campaign
from huitoukan.campaigns.services import PhaseSpec
from huitoukan.core import officialdoc as od
from huitoukan.documents import drafting, selectors, services
from huitoukan.documents.errors import DocumentError
from huitoukan.documents.models import Document, DocumentKind, DocumentState
from huitoukan.orgs.models import Person, Unit
from huitoukan.portal.demo import CAMPAIGN_NAME, demo_load
from huitoukan.rollups.dashboard import dashboard_for
from huitoukan.rollups.selectors import rollup_for
from tests.conftest import built_once

pytestmark = pytest.mark.django_db

SEED_DAY = dt.date(2015, 1, 20)
ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artefacts" / "documents"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for the module, with the seed's own dates, rolled back after it."""
    with built_once(django_db_blocker, tmp_path_factory):
        demo_load(as_of=SEED_DAY)
        yield


@pytest.fixture
def world(demo):
    users = get_user_model().objects
    return {
        "office": users.get(username="lianyuan_office"), "city_office": users.get(username="loudi_office"),
        "head": users.get(username="lianyuan_head"),
        "lianyuan": Unit.objects.get(name="涟源市"), "loudi": Unit.objects.get(name="娄底市"),
        "campaign": Campaign.objects.get(name=CAMPAIGN_NAME),
    }


def _draft(w, kind=DocumentKind.BULLETIN, actor="office", unit="lianyuan"):
    return services.document_draft(actor=w[actor], kind=kind, unit=w[unit], campaign=w["campaign"], today=SEED_DAY)


def _fonts_used(pdf) -> set[str]:
    """The names of the fonts the PDF's text is drawn in (subset prefixes kept), read back by PDFium."""
    names = set()
    for i in range(len(pdf)):
        textpage = pdf[i].get_textpage()
        for index in range(textpage.count_chars()):
            buffer, flags = ctypes.create_string_buffer(256), ctypes.c_int()
            pdfium_raw.FPDFText_GetFontInfo(textpage.raw, index, buffer, 256, ctypes.byref(flags))
            names.add(buffer.value.decode())
    return names - {""}


def _mm(length) -> float:
    return round(length.mm, 1)


def test_a_bulletin_of_lianyuan_from_the_demo_is_a_gbt9704_document_in_docx_and_pdf(world):
    # given a 通报 of 涟源市 drafted by its office from the demo's figures
    document = _draft(world)
    figures = rollup_for(unit=world["lianyuan"], campaign=world["campaign"], today=SEED_DAY).figures
    assert figures.total > 0
    assert document.figures["total"] == figures.total and document.figures["read_on"] == "2015-01-20"
    assert f"涟源市共列入整改事项{figures.total}项，已销号{figures.closed}项，销号率{figures.closed_percent}%" in document.body
    assert f"已逾期未销号{figures.overdue}项" in document.body
    assert document.figures["reporting"], "the demo's 建立台账并报上一级活动办 was due on 2015-01-06"
    for r in document.figures["reporting"]:
        assert f"“{r['name']}”（{r['due_day']}截止）应报送单位{r['expected']}个，已报送{r['submitted']}个" in document.body

    # when the office issues it
    issued = services.document_issue(actor=world["office"], document=document, issued_on=dt.date(2015, 1, 21))

    # then it has its 发文字号 and 成文日期, and the .docx passes the GB/T 9704 check
    assert issued.state == DocumentState.ISSUED
    assert issued.number == "涟源通〔2015〕1号"
    assert od.NUMBER_PATTERN.match(issued.number)
    parts = selectors.official_document(issued)
    data = od.officialdoc_docx(parts)
    assert od.officialdoc_check(data) == []

    docx = Docx(BytesIO(data))
    section = docx.sections[0]
    assert (_mm(section.page_width), _mm(section.page_height)) == (210.0, 297.0)
    assert (_mm(section.top_margin), _mm(section.bottom_margin), _mm(section.left_margin),
            _mm(section.right_margin)) == (37.0, 35.0, 28.0, 26.0)
    by_style = {}
    for p in docx.paragraphs:
        if p.text.strip():
            by_style.setdefault(p.style.name, []).append(p)

    def font_and_size(p):
        run = next(r for r in p.runs if r.text.strip())
        return run._r.rPr.rFonts.get(qn("w:eastAsia")), run.font.size.pt

    issuer = by_style[od.STYLE_ISSUER][0]
    assert issuer.text == "涟源市教育实践活动领导小组办公室"
    assert font_and_size(issuer)[0] == "方正小标宋简体"
    assert all(r.font.color.rgb == od.RED for r in issuer.runs if r.text.strip())
    assert [p.text for p in by_style[od.STYLE_NUMBER]] == ["涟源通〔2015〕1号"]
    assert font_and_size(by_style[od.STYLE_TITLE][0]) == ("方正小标宋简体", 22)
    assert by_style[od.STYLE_TITLE][0].text == "关于涟源市整改落实情况的通报"
    assert {font_and_size(p) for p in by_style[od.STYLE_BODY]} == {("仿宋_GB2312", 16)}
    headings = by_style[od.STYLE_HEADINGS[1]]
    assert [p.text for p in headings][:2] == ["一、总体情况", "二、各单位进展情况"]
    assert {font_and_size(p) for p in headings} == {("黑体", 16)}
    assert {font_and_size(p) for p in by_style[od.STYLE_HEADINGS[2]]} == {("楷体_GB2312", 16)}
    assert [p.text for p in by_style[od.STYLE_DATE]] == ["2015年1月21日"]
    assert od.DATE_PATTERN.match(by_style[od.STYLE_DATE][0].text)

    # and the PDF is A4 with the Chinese text drawn in the CJK fonts, page 1 saved as an image
    pdf_bytes = od.officialdoc_pdf(parts)
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        fonts = _fonts_used(pdf)
        # 仿宋, 楷体 and 小标宋 fall back to Debian's serif CJK font here, 黑体 to its sans CJK font
        assert any("Noto-Serif-CJK-SC" in f for f in fonts) and any("Noto-Sans-CJK-SC" in f for f in fonts)
        width, height = pdf[0].get_size()
        assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
        text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        flat = re.sub(r"\s+", "", text)
        for expected in ("涟源通〔2015〕1号", "关于涟源市整改落实情况的通报", "一、总体情况", "2015年1月21日",
                         f"共列入整改事项{figures.total}项", "—1—"):
            assert expected in flat, expected
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        png = ARTEFACTS / "tongbao-lianyuan-page1.png"
        image = pdf[0].render(scale=150 / 72).to_pil()
        image.save(png)
        (ARTEFACTS / "tongbao-lianyuan.pdf").write_bytes(pdf_bytes)
        print(f"\nPDF page 1 saved: {png}")
        # something red (the 标志 and the line) and something dark (the text) are drawn on page 1
        rgb = image.convert("RGB")
        colours = {rgb.getpixel((x, y)) for x in range(0, rgb.width, 2) for y in range(0, rgb.height, 2)}
        assert any(r > 200 and g < 80 and b < 80 for r, g, b in colours)
        assert any(r < 80 and g < 80 and b < 80 for r, g, b in colours)
    finally:
        pdf.close()


def test_two_issues_in_a_year_are_numbered_1_and_2_and_a_new_year_starts_at_1(world):
    first = services.document_issue(actor=world["office"], document=_draft(world), issued_on=dt.date(2015, 1, 21))
    second = services.document_issue(actor=world["office"], document=_draft(world), issued_on=dt.date(2015, 3, 2))
    next_year = services.document_issue(actor=world["office"], document=_draft(world), issued_on=dt.date(2016, 1, 4))
    assert [first.number, second.number, next_year.number] == ["涟源通〔2015〕1号", "涟源通〔2015〕2号",
                                                               "涟源通〔2016〕1号"]


def test_each_kind_has_its_own_prefix_and_count_and_a_brief_is_counted_in_issues(world):
    brief = services.document_issue(actor=world["office"], document=_draft(world, DocumentKind.BRIEF),
                                    issued_on=dt.date(2015, 1, 21))
    report = services.document_issue(actor=world["office"], document=_draft(world, DocumentKind.REPORT),
                                     issued_on=dt.date(2015, 1, 21))
    assert (brief.number, brief.issue_label) == ("涟源简〔2015〕1号", "第1期（涟源简〔2015〕1号）")
    assert report.number == "涟源报〔2015〕1号"
    # the 情况报告 goes up to the office above (seed 001 三.3 信息备案)
    assert report.addressee == "娄底市教育实践活动领导小组办公室"
    assert od.officialdoc_check(od.officialdoc_docx(selectors.official_document(report))) == []


def test_a_report_names_the_ledger_count_and_each_deadlines_count_for_what_they_are(world):
    # given a 情况报告 of 娄底市 drafted by its office from the demo (units to build ledgers ≠ units to report)
    document = _draft(world, DocumentKind.REPORT, actor="city_office", unit="loudi")
    f = document.figures
    assert f["units"] and f["reporting"]
    # then the ledger count says it counts units to build ledgers, and each deadline's count names its deadline
    assert f"应建立整改落实台账的单位{f['units']}个，已建台账{f['built']}个" in document.body
    for r in f["reporting"]:
        assert f"“{r['name']}”（{r['due_day']}截止）应报送单位{r['expected']}个，已报送{r['submitted']}个" in document.body
    assert not re.search(r"应报送\d+个单位", document.body)


def test_a_report_without_an_addressee_is_not_issued_and_the_message_names_the_field(world):
    # given a 情况报告 of 娄底市, the top of the tree: no office above to address it to by default
    document = _draft(world, DocumentKind.REPORT, actor="city_office", unit="loudi")
    assert document.addressee == ""
    # when its office issues it without a 主送机关
    with pytest.raises(DocumentError, match="主送机关"):
        services.document_issue(actor=world["city_office"], document=document, issued_on=dt.date(2015, 1, 21))
    # then it stays a draft with no number
    document.refresh_from_db()
    assert (document.state, document.number) == (DocumentState.DRAFT, "")
    # and once the office names the addressee it is issued
    services.document_edit(actor=world["city_office"], document=document, title=document.title,
                           addressee="中共湖南省委教育实践活动领导小组办公室", body=document.body, attachments="",
                           issuer_name=document.issuer_name, signer=document.signer, copy_to="",
                           printed_by=document.printed_by)
    issued = services.document_issue(actor=world["city_office"], document=document, issued_on=dt.date(2015, 1, 21))
    assert issued.number == "娄底报〔2015〕1号"
    # and a 通报 blanked of its 主送 is refused the same way
    bulletin = _draft(world)
    services.document_edit(actor=world["office"], document=bulletin, title=bulletin.title, addressee=" ",
                           body=bulletin.body, attachments="", issuer_name=bulletin.issuer_name,
                           signer=bulletin.signer, copy_to="", printed_by="")
    with pytest.raises(DocumentError, match="通报未填写“主送机关”"):
        services.document_issue(actor=world["office"], document=bulletin, issued_on=dt.date(2015, 1, 21))


def test_a_brief_of_the_unit_a_campaign_is_named_after_names_the_unit_once(world):
    # given the demo's campaign, named after 娄底市 (娄底市党的群众路线…)
    assert world["campaign"].name.startswith("娄底市")
    # when 娄底市's office drafts a 简报, a 通报 and a 情况报告 of 娄底市
    for kind in DocumentKind.values:
        document = _draft(world, kind, actor="city_office", unit="loudi")
        # then no text names the unit twice running
        assert "娄底市娄底市" not in document.body, kind
    brief = _draft(world, DocumentKind.BRIEF, actor="city_office", unit="loudi")
    assert brief.body.startswith(f"截至2015年1月20日，{world['campaign'].name}工作进展情况如下。")
    # and a 简报 of 涟源市 still names 涟源市 before the campaign
    assert f"截至2015年1月20日，涟源市{world['campaign'].name}" in _draft(world, DocumentKind.BRIEF).body


def test_a_brief_from_the_demo_is_laid_out_under_its_masthead_with_no_addressee(world):
    # given a 简报 of 涟源市 drafted by its office: 报 the office above, 送 各有关单位
    document = _draft(world, DocumentKind.BRIEF)
    assert (document.addressee, document.copy_to, document.printed_by) == (
        "娄底市教育实践活动领导小组办公室", "各有关单位", "")
    # when it is issued (a 简报 needs no 主送)
    issued = services.document_issue(actor=world["office"], document=document, issued_on=dt.date(2015, 1, 21))
    parts = selectors.official_document(issued)
    assert (parts.layout, parts.brief_name, parts.issue_no) == (od.LAYOUT_BRIEF, "整改落实工作简报", issued.serial)
    # then its .docx passes the check with a masthead and no 主送 or 发文字号
    data = od.officialdoc_docx(parts)
    assert od.officialdoc_check(data) == []
    paragraphs = {p.style.name: p.text for p in Docx(BytesIO(data)).paragraphs if p.text.strip()}
    assert paragraphs[od.STYLE_BRIEF_ISSUE] == f"第{issued.serial}期"
    assert paragraphs[od.STYLE_BRIEF_EDITOR] == "涟源市教育实践活动领导小组办公室编\t2015年1月21日"
    assert od.STYLE_ADDRESSEE not in paragraphs and od.STYLE_NUMBER not in paragraphs
    assert "各有关单位：" not in "\n".join(paragraphs.values())
    # and its PDF draws the masthead and the 报/送 lists; page 1 saved to be looked at
    pdf_bytes = od.officialdoc_pdf(parts)
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        flat = re.sub(r"\s+", "", "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))))
        for expected in ("整改落实工作简报", f"第{issued.serial}期", "涟源市教育实践活动领导小组办公室编2015年1月21日",
                         "报：娄底市教育实践活动领导小组办公室。", "送：各有关单位。"):
            assert expected in flat, expected
        assert issued.number not in flat and "各有关单位：" not in flat
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        pdf[0].render(scale=150 / 72).to_pil().save(ARTEFACTS / "jianbao-lianyuan-page1.png")
        (ARTEFACTS / "jianbao-lianyuan.pdf").write_bytes(pdf_bytes)
    finally:
        pdf.close()


def test_the_office_prefix_is_used_for_the_next_number(world):
    services.prefixes_save(actor=world["office"], unit=world["lianyuan"],
                           prefixes={"bulletin": "涟群办通", "brief": "涟群办简", "report": "涟群办报"})
    issued = services.document_issue(actor=world["office"], document=_draft(world), issued_on=dt.date(2015, 1, 21))
    assert issued.number == "涟群办通〔2015〕1号"


def test_a_prefix_with_brackets_is_refused_naming_the_kind(world):
    with pytest.raises(DocumentError, match="通报.*机关代字"):
        services.prefixes_save(actor=world["office"], unit=world["lianyuan"],
                               prefixes={"bulletin": "涟〔通〕", "brief": "涟简", "report": "涟报"})


def test_the_city_office_drafts_about_a_county_in_the_citys_name(world):
    document = _draft(world, actor="city_office")
    issued = services.document_issue(actor=world["city_office"], document=document, issued_on=dt.date(2015, 1, 21))
    assert issued.issuing_unit == world["loudi"] and issued.unit == world["lianyuan"]
    assert issued.number == "娄底通〔2015〕1号"


def test_the_edited_text_is_what_is_issued_and_an_issued_document_is_not_edited_again(world):
    document = _draft(world)
    services.document_edit(actor=world["office"], document=document, title="关于涟源市“回头看”进展的通报",
                           addressee="各乡镇党委：", body="开头一段。\n一、进展\n（一）台账\n1．领导班子台账\n末段。",
                           attachments="问题清单\n", issuer_name="中共涟源市委教育实践活动领导小组办公室",
                           signer="中共涟源市委教育实践活动领导小组办公室", copy_to="市委督查室\n市纪委", printed_by="")
    document.refresh_from_db()
    assert document.addressee == "各乡镇党委"
    blocks = drafting.body_blocks(document.body)
    assert blocks == [od.Paragraph("开头一段。"), od.Heading(1, "进展"), od.Heading(2, "台账"),
                      od.Heading(3, "领导班子台账"), od.Paragraph("末段。")]
    issued = services.document_issue(actor=world["office"], document=document, issued_on=dt.date(2015, 1, 22))
    data = od.officialdoc_docx(selectors.official_document(issued))
    assert od.officialdoc_check(data) == []
    texts = [p.text for p in Docx(BytesIO(data)).paragraphs]
    assert "一、进展" in texts and "（一）台账" in texts and "1.领导班子台账" in texts and "附件：问题清单" in texts
    with pytest.raises(DocumentError, match="已印发"):
        services.document_edit(actor=world["office"], document=issued, title="x", addressee="", body="x",
                               attachments="", issuer_name="x", signer="x", copy_to="", printed_by="")
    with pytest.raises(DocumentError, match="已印发"):
        services.document_issue(actor=world["office"], document=issued, issued_on=dt.date(2015, 1, 23))
    assert Document.history.filter(id=issued.pk).count() == 3
    assert {h.history_user_id for h in Document.history.filter(id=issued.pk)} == {world["office"].pk}


def test_a_date_before_the_figures_is_refused(world):
    with pytest.raises(DocumentError, match="成文日期"):
        services.document_issue(actor=world["office"], document=_draft(world), issued_on=dt.date(2015, 1, 19))


def test_drafts_are_the_offices_only_and_issued_documents_are_read_by_the_units_readers(world):
    draft = _draft(world)
    issued = services.document_issue(actor=world["office"], document=_draft(world), issued_on=dt.date(2015, 1, 21))
    head = world["head"]
    seen = set(selectors.documents_for(user=head).values_list("pk", flat=True))
    assert issued.pk in seen and draft.pk not in seen
    assert draft.pk in set(selectors.documents_for(user=world["office"]).values_list("pk", flat=True))
    assert draft.pk in set(selectors.documents_for(user=world["city_office"]).values_list("pk", flat=True))


def _case_with_actions(w, campaign, title):
    """A case (一案双查) of three actions under 涟源市, rows written as discipline staff's services write them:
    a 党纪政纪处分 and a 约谈提醒 of two persons, and a 通报批评 of the unit itself (单位责任); the kept counts
    (case_tally) told of the actions."""
    case = Case.objects.create(campaign=campaign, unit=w["lianyuan"], title=title,
                               cause=CaseCause.RELAPSE, facts="某局公款吃喝问题反弹", double_check=True,
                               decided_on=SEED_DAY, decider="中共涟源市纪委", recorded_by=w["office"])
    people = {p.name: p for p in Person.objects.filter(unit=w["lianyuan"], name__in=["吴海波", "张卫国"])}
    actions = [CaseAction.objects.create(case=case, person=people[name], unit=w["lianyuan"],
                                         responsibility=responsibility, kind=kind, decided_on=SEED_DAY)
               for name, responsibility, kind in (("吴海波", Responsibility.DIRECT, ActionKind.SANCTION),
                                                  ("张卫国", Responsibility.LEADER, ActionKind.TALK))]
    actions.append(CaseAction.objects.create(case=case, person=None, unit=w["lianyuan"],
                                             responsibility=Responsibility.UNIT, kind=ActionKind.CIRCULATE,
                                             decided_on=SEED_DAY))
    case_tally.case_actions_counted(after=actions)
    return case


def test_an_offices_draft_counts_only_the_public_actions_worded_neutrally_by_kind(world):
    # given the office (no ACCOUNTABILITY_VIEW) and a case of a 处分 and a 约谈 of two persons and a 通报批评
    # of the unit (单位责任), a 四风 relapse, under 涟源市 in the campaign
    office = world["office"]
    assert case_tally.kinds_shown_to(office, world["lianyuan"]) == tuple(case_tally.PUBLIC_KINDS)
    before = _draft(world).figures
    _case_with_actions(world, world["campaign"], "公款吃喝问题反弹")
    # when the office drafts a 通报
    document = _draft(world)
    # then only the 通报批评 is counted: the 处分 and the 约谈 are not the office's to read
    public_before = sum(a["n"] for a in before["accountability"] if a["kind"] in case_tally.PUBLIC_KINDS)
    assert document.figures["accountability_total"] == public_before + 1
    assert {a["kind"] for a in document.figures["accountability"]} <= set(case_tally.PUBLIC_KINDS)
    for hidden in ("约谈提醒", "诫勉批评", "党纪政纪处分", "组织调整", "移交纪检机关"):
        assert hidden not in document.body, hidden
    # and the sentence names the kinds in 项 (a unit is not a 人次), without calling the cases 整改不力
    circulated = next(a["n"] for a in document.figures["accountability"] if a["kind"] == ActionKind.CIRCULATE)
    assert f"本活动中已采取责任追究措施{public_before + 1}项：通报批评{circulated}项" in document.body
    assert "整改不力" not in document.body and "人次" not in document.body


def test_the_draft_counts_the_campaigns_accountability_actions_as_the_dashboard_does(world):
    # given actions under 涟源市 in another campaign and in a case outside any campaign
    before = _draft(world).figures
    other = campaign_services.campaign_create(
        actor=None, owner_unit=world["loudi"], name="另一项活动", starts_on=dt.date(2015, 1, 1),
        ends_on=dt.date(2015, 6, 30), phases=[PhaseSpec("自查自纠", dt.date(2015, 1, 1), dt.date(2015, 1, 31))])
    _case_with_actions(world, other, "另一项活动中的问题")
    _case_with_actions(world, None, "活动之外的问题")
    # when a 通报 of the demo's campaign is drafted
    document = _draft(world)
    # then neither is counted, and the figures are the 驾驶舱's as the drafter sees it
    assert document.figures["accountability_total"] == before["accountability_total"]
    assert document.figures["accountability"] == before["accountability"]
    board = dashboard_for(unit=world["lianyuan"], campaign=world["campaign"], today=SEED_DAY,
                          kinds=case_tally.kinds_shown_to(world["office"], world["lianyuan"]))
    assert [(a["name"], a["n"]) for a in document.figures["accountability"]] == [
        (label, n) for label, n in board.accountability if n]
