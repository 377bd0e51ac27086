"""Official documents in GB/T 9704-2012 form: the generator's layout and the checker that guards it.

Every property the checker enforces is broken once on a generated document (through python-docx,
as a person editing it in Word would) and must be reported.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from huitoukan.core import officialdoc as od
from huitoukan.core.officialdoc import (
    Heading,
    OfficialDocError,
    OfficialDocErrorCode,
    OfficialDocument,
    Paragraph,
    Problem,
    chinese_document_date,
    document_number,
    officialdoc_check,
    officialdoc_docx,
    officialdoc_findings,
)

LOUDI_OFFICE = "中共娄底市委党的群众路线教育实践活动领导小组办公室"

NOTICE = OfficialDocument(
    issuer=LOUDI_OFFICE,
    number=document_number("娄群办督", 2015, 3),
    title="关于对涟源市整改落实工作进行督办的通知",
    addressee="中共涟源市委",
    body=[
        Paragraph("根据市委教育实践活动领导小组的统一部署，现将督查发现的问题通知如下。"),
        Heading(1, "存在的问题"),
        Heading(2, "整改台账不完善"),
        Paragraph("部分单位的整改台账未明确整改时限和责任人。"),
        Heading(3, "台账填报", bold=True),
        Paragraph("请于2015年1月20日前完成。"),
        Heading(2, "群众反映问题未及时回应"),
        Heading(1, "整改要求"),
        Heading(2, "限期整改"),
    ],
    attachments=["问题清单", "整改落实情况报告表"],
    signer=LOUDI_OFFICE,
    date=dt.date(2015, 1, 6),
    copy_to=["市委督查室", "市纪委"],
    printed_by="中共娄底市委党的群众路线教育实践活动领导小组办公室",
    printed_on=dt.date(2015, 1, 7),
)


@pytest.fixture(scope="module")
def generated() -> bytes:
    return officialdoc_docx(NOTICE)


def opened(data: bytes):
    return Document(BytesIO(data))


def paragraphs_styled(document, style: str):
    return [p for p in document.paragraphs if p.style.name == style]


def mutated(data: bytes, change) -> bytes:
    document = opened(data)
    change(document)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def problems_of(data: bytes) -> set[Problem]:
    return {finding.problem for finding in officialdoc_findings(data)}


# --- 发文字号 and 成文日期 ------------------------------------------------------------------


def test_document_number_puts_the_year_in_hexagonal_brackets_without_leading_zeros():
    assert document_number("娄群办督", 2015, 3) == "娄群办督〔2015〕3号"
    assert document_number(" 娄群办 ", 2014, 12) == "娄群办〔2014〕12号"


@pytest.mark.parametrize(
    ("prefix", "year", "n", "code"),
    [
        ("", 2015, 3, OfficialDocErrorCode.PREFIX_REQUIRED),
        ("娄群办〔督〕", 2015, 3, OfficialDocErrorCode.PREFIX_INVALID),
        ("娄群 办", 2015, 3, OfficialDocErrorCode.PREFIX_INVALID),
        ("娄群办", 15, 3, OfficialDocErrorCode.YEAR_INVALID),
        ("娄群办", "2015", 3, OfficialDocErrorCode.YEAR_INVALID),
        ("娄群办", 2015, 0, OfficialDocErrorCode.SEQUENCE_INVALID),
        ("娄群办", 2015, True, OfficialDocErrorCode.SEQUENCE_INVALID),
        ("娄群办", 2015, "03", OfficialDocErrorCode.SEQUENCE_INVALID),
    ],
)
def test_document_number_refuses_bad_parts_with_a_chinese_message(prefix, year, n, code):
    with pytest.raises(OfficialDocError) as refused:
        document_number(prefix, year, n)
    assert refused.value.code is code
    assert "发文" in refused.value.message or "机关代字" in refused.value.message


def test_document_date_is_in_arabic_numerals_without_leading_zeros():
    assert chinese_document_date(dt.date(2015, 1, 6)) == "2015年1月6日"
    assert chinese_document_date(dt.date(2014, 12, 31)) == "2014年12月31日"


# --- the generated document -----------------------------------------------------------------


def test_generated_document_passes_the_check(generated):
    assert officialdoc_check(generated) == []


def test_generated_page_is_a4_portrait_with_the_standard_margins(generated):
    section = opened(generated).sections[0]
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (210, 297)
    assert [round(m.mm, 1) for m in (section.top_margin, section.bottom_margin,
                                     section.left_margin, section.right_margin)] == [37, 35, 28, 26]


def test_generated_grid_gives_22_lines_of_28_characters(generated):
    grid = opened(generated).sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert grid.get(qn("w:linePitch")) == "579"
    # 156 mm / 28 = 15.79 pt a character: 0.21 pt less than 三号, in 1/4096 pt.
    assert -860 < int(grid.get(qn("w:charSpace"))) < -840


def test_every_run_names_its_east_asian_font_explicitly(generated):
    document = opened(generated)
    runs = [r for p in document.paragraphs for r in p.runs if r.text.strip()]
    assert runs
    for run in runs:
        assert run._r.rPr.rFonts.get(qn("w:eastAsia")), run.text


def test_parts_get_their_fonts_and_sizes(generated):
    document = opened(generated)

    def font_and_size(style):
        run = paragraphs_styled(document, style)[0].runs[0]
        return run._r.rPr.rFonts.get(qn("w:eastAsia")), run.font.size.pt

    assert font_and_size(od.STYLE_TITLE) == ("方正小标宋简体", 22)
    assert font_and_size(od.STYLE_BODY) == ("仿宋_GB2312", 16)
    assert font_and_size(od.STYLE_HEADINGS[1]) == ("黑体", 16)
    assert font_and_size(od.STYLE_HEADINGS[2]) == ("楷体_GB2312", 16)
    assert font_and_size(od.STYLE_HEADINGS[3]) == ("仿宋_GB2312", 16)
    assert paragraphs_styled(document, od.STYLE_HEADINGS[3])[0].runs[0].font.bold is True


def test_missing_gb2312_fonts_fall_back_to_the_windows_names(generated):
    part = next(p for p in opened(generated).part.package.iter_parts()
                if p.partname == "/word/fontTable.xml")
    fonts = etree.fromstring(part.blob)
    alt = {f.get(qn("w:name")): f.find(qn("w:altName")).get(qn("w:val"))
           for f in fonts if f.find(qn("w:altName")) is not None}
    assert alt["仿宋_GB2312"] == "仿宋"
    assert alt["楷体_GB2312"] == "楷体"
    assert alt["方正小标宋简体"] == "宋体"


def test_issuer_is_red_centred_and_squeezed_onto_one_line(generated):
    issuer = paragraphs_styled(opened(generated), od.STYLE_ISSUER)[0]
    run = issuer.runs[0]
    assert issuer.text == LOUDI_OFFICE
    assert run.font.color.rgb == RGBColor(0xFF, 0, 0)
    assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    scale = int(run._r.rPr.find(qn("w:w")).get(qn("w:val")))
    # 24 characters at the run's size, scaled, fit the 156 mm 版心.
    assert 24 * run.font.size.pt * scale / 100 <= Mm(156).pt


def test_number_sits_over_a_red_line_across_the_text_block(generated):
    number = paragraphs_styled(opened(generated), od.STYLE_NUMBER)[0]
    assert number.text == "娄群办督〔2015〕3号"
    bottom = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "FF0000"
    assert number.paragraph_format.left_indent in (None, 0)


def test_headings_are_numbered_afresh_under_each_higher_heading(generated):
    document = opened(generated)
    headings = [p.text for p in document.paragraphs if p.style.name in od.STYLE_HEADINGS.values()]
    assert headings == ["一、存在的问题", "（一）整改台账不完善", "1.台账填报",
                        "（二）群众反映问题未及时回应", "二、整改要求", "（一）限期整改"]


def test_body_paragraphs_indent_their_first_line_two_characters(generated):
    for paragraph in paragraphs_styled(opened(generated), od.STYLE_BODY):
        if paragraph.text:
            assert paragraph._p.pPr.ind.get(qn("w:firstLineChars")) == "200"


def test_addressee_ends_with_a_full_width_colon(generated):
    assert paragraphs_styled(opened(generated), od.STYLE_ADDRESSEE)[0].text == "中共涟源市委："


def test_attachments_are_numbered_after_one_label(generated):
    lines = [p.text for p in paragraphs_styled(opened(generated), od.STYLE_ATTACHMENTS)]
    assert lines == ["附件：1.问题清单", "2.整改落实情况报告表"]


def test_a_single_attachment_carries_no_number():
    single = officialdoc_docx(OfficialDocument(
        issuer="娄底市委文件", number="娄发〔2015〕1号", title="通知", signer="中共娄底市委",
        date=dt.date(2015, 1, 6), body=[Paragraph("正文。")], attachments=["名单"]))
    assert [p.text for p in paragraphs_styled(opened(single), od.STYLE_ATTACHMENTS)] == ["附件：名单"]
    assert officialdoc_check(single) == []


def test_date_is_four_characters_from_the_right_under_the_seal_space(generated):
    document = opened(generated)
    date = paragraphs_styled(document, od.STYLE_DATE)[0]
    assert date.text == "2015年1月6日"
    assert date._p.pPr.ind.get(qn("w:rightChars")) == "400"
    assert date.style.paragraph_format.alignment == od.WD_ALIGN_PARAGRAPH.RIGHT
    marks = document.element.body.findall(".//" + qn("w:bookmarkStart"))
    assert [m.get(qn("w:name")) for m in marks] == [od.SEAL_BOOKMARK]
    assert not document.inline_shapes


def test_short_signer_is_centred_over_the_date():
    doc = officialdoc_docx(OfficialDocument(
        issuer="娄底市委文件", number="娄发〔2015〕1号", title="通知", signer="娄底市委",
        date=dt.date(2015, 1, 6), body=[Paragraph("正文。")]))
    signer = paragraphs_styled(opened(doc), od.STYLE_SIGNER)[0]
    # The date is 6 characters wide (digits are half-width), the signer 4: one more to the right.
    assert signer._p.pPr.ind.get(qn("w:rightChars")) == "500"


def test_record_lists_copies_and_printer_between_full_width_lines(generated):
    document = opened(generated)
    table = document.tables[-1]
    assert [c.text for row in table.rows for c in row.cells] == [
        "抄送：市委督查室，市纪委。", f"{LOUDI_OFFICE}\t2015年1月7日印发"]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    sizes = {side: borders.find(qn(f"w:{side}")).get(qn("w:sz")) for side in ("top", "insideH", "bottom")}
    assert sizes == {"top": "8", "insideH": "6", "bottom": "8"}
    assert table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w")) == str(round(156 * 1440 / 25.4))
    placement = table._tbl.tblPr.find(qn("w:tblpPr"))
    assert placement.get(qn("w:tblpYSpec")) == "bottom"
    assert table.rows[0].cells[0].paragraphs[0].runs[0].font.size == Pt(14)


def test_page_numbers_are_dashed_and_sit_outside_odd_right_even_left(generated):
    document = opened(generated)
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for footer in (odd, even):
        assert footer.text == "— 1 —"
        assert "PAGE" in "".join(t.text for t in footer._p.iter(qn("w:instrText")))
        assert {r._r.rPr.rFonts.get(qn("w:eastAsia")) for r in footer.runs} == {"宋体"}
        assert {r.font.size for r in footer.runs} == {Pt(14)}
    assert odd.alignment == od.WD_ALIGN_PARAGRAPH.RIGHT
    assert odd._p.pPr.ind.get(qn("w:rightChars")) == "100"
    assert even.alignment == od.WD_ALIGN_PARAGRAPH.LEFT
    assert even._p.pPr.ind.get(qn("w:leftChars")) == "100"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"number": "娄群办督[2015]3号"}, OfficialDocErrorCode.NUMBER_MALFORMED),
        ({"title": "  "}, OfficialDocErrorCode.FIELD_REQUIRED),
        ({"signer": ""}, OfficialDocErrorCode.FIELD_REQUIRED),
        ({"body": [Heading(4, "第四层")]}, OfficialDocErrorCode.HEADING_LEVEL),
    ],
)
def test_generator_refuses_an_incomplete_or_malformed_document(change, code):
    fields = {**NOTICE.__dict__, **change}
    with pytest.raises(OfficialDocError) as refused:
        officialdoc_docx(OfficialDocument(**fields))
    assert refused.value.code is code


# --- the checker catches each property broken -----------------------------------------------


def _first(style):
    return lambda document: paragraphs_styled(document, style)[0]


def _set_run_font(style, name):
    def change(document):
        for run in _first(style)(document).runs:
            run._r.rPr.rFonts.set(qn("w:eastAsia"), name)
    return change


def _set_run_size(style, points):
    def change(document):
        for run in _first(style)(document).runs:
            run.font.size = Pt(points)
    return change


def _set_text(style, text):
    def change(document):
        paragraph = _first(style)(document)
        for run in paragraph.runs[1:]:
            run._r.getparent().remove(run._r)
        paragraph.runs[0].text = text
    return change


def _set_section(**lengths):
    def change(document):
        for name, value in lengths.items():
            setattr(document.sections[0], name, value)
    return change


def _set_grid(attr, value):
    def change(document):
        document.sections[0]._sectPr.find(qn("w:docGrid")).set(qn(attr), value)
    return change


def _font_from_style_only(document):
    """The run loses its own font and its style names 宋体: the style chain must be followed."""
    paragraph = _first(od.STYLE_BODY)(document)
    for run in paragraph.runs:
        run._r.rPr.remove(run._r.rPr.rFonts)
    paragraph.style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")


def _songti_paragraph_in_normal_style(document):
    paragraph = _first(od.STYLE_BODY)(document).insert_paragraph_before("另起一段。", style="Normal")
    paragraph.runs[0].font.name = "宋体"
    paragraph.runs[0]._r.rPr.rFonts.set(qn("w:eastAsia"), "宋体")


def _record_size(document):
    for run in document.tables[-1].rows[0].cells[0].paragraphs[0].runs:
        run.font.size = Pt(16)


def _remove_title(document):
    title = _first(od.STYLE_TITLE)(document)
    title._p.getparent().remove(title._p)


def _issuer_black(document):
    _first(od.STYLE_ISSUER)(document).runs[0].font.color.rgb = RGBColor(0, 0, 0)


BROKEN = {
    "letter paper": (_set_section(page_width=Mm(215.9), page_height=Mm(279.4)), Problem.PAGE_SIZE),
    "landscape": (_set_section(page_width=Mm(297), page_height=Mm(210)), Problem.PAGE_SIZE),
    "top margin": (_set_section(top_margin=Mm(25.4)), Problem.MARGIN),
    "bottom margin": (_set_section(bottom_margin=Mm(35.6)), Problem.MARGIN),
    "left margin": (_set_section(left_margin=Mm(31.8)), Problem.MARGIN),
    "right margin": (_set_section(right_margin=Mm(25.4)), Problem.MARGIN),
    "line pitch": (_set_grid("w:linePitch", "312"), Problem.LINES),
    "no character grid": (_set_grid("w:type", "lines"), Problem.CHARS),
    "character pitch": (_set_grid("w:charSpace", "0"), Problem.CHARS),
    "body font": (_set_run_font(od.STYLE_BODY, "宋体"), Problem.FONT),
    "body font via style": (_font_from_style_only, Problem.FONT),
    "body text in another style": (_songti_paragraph_in_normal_style, Problem.FONT),
    "record size": (_record_size, Problem.SIZE),
    "body size": (_set_run_size(od.STYLE_BODY, 15), Problem.SIZE),
    "title font": (_set_run_font(od.STYLE_TITLE, "黑体"), Problem.FONT),
    "title size": (_set_run_size(od.STYLE_TITLE, 16), Problem.SIZE),
    "heading 1 font": (_set_run_font(od.STYLE_HEADINGS[1], "楷体_GB2312"), Problem.FONT),
    "heading 2 font": (_set_run_font(od.STYLE_HEADINGS[2], "黑体"), Problem.FONT),
    "heading 3 font": (_set_run_font(od.STYLE_HEADINGS[3], "黑体"), Problem.FONT),
    "heading size": (_set_run_size(od.STYLE_HEADINGS[1], 18), Problem.SIZE),
    "issuer colour": (_issuer_black, Problem.ISSUER_COLOUR),
    "number in square brackets": (_set_text(od.STYLE_NUMBER, "娄群办督[2015]3号"), Problem.NUMBER),
    "number in round brackets": (_set_text(od.STYLE_NUMBER, "娄群办督（2015）3号"), Problem.NUMBER),
    "number with a leading zero": (_set_text(od.STYLE_NUMBER, "娄群办督〔2015〕03号"), Problem.NUMBER),
    "number with 第": (_set_text(od.STYLE_NUMBER, "娄群办督〔2015〕第3号"), Problem.NUMBER),
    "number without 号": (_set_text(od.STYLE_NUMBER, "娄群办督〔2015〕3"), Problem.NUMBER),
    "short year": (_set_text(od.STYLE_NUMBER, "娄群办督〔15〕3号"), Problem.NUMBER),
    "date with leading zeros": (_set_text(od.STYLE_DATE, "2015年01月06日"), Problem.DATE),
    "date in Chinese numerals": (_set_text(od.STYLE_DATE, "二〇一五年一月六日"), Problem.DATE),
    "date with dots": (_set_text(od.STYLE_DATE, "2015.1.6"), Problem.DATE),
    "impossible date": (_set_text(od.STYLE_DATE, "2015年2月30日"), Problem.DATE),
    "title missing": (_remove_title, Problem.MISSING),
}


@pytest.mark.parametrize("name", BROKEN)
def test_checker_reports_each_broken_property(generated, name):
    change, problem = BROKEN[name]

    found = officialdoc_findings(mutated(generated, change))

    assert problem in {f.problem for f in found}
    assert all(f.message and "GB/T 9704" in f.message for f in found)


def test_checker_tolerates_half_a_millimetre_of_margin(generated):
    nearly = mutated(generated, _set_section(top_margin=Mm(37.4), left_margin=Mm(27.6)))
    assert officialdoc_check(nearly) == []


def test_checker_names_the_part_and_the_clause_in_chinese(generated):
    messages = officialdoc_check(mutated(generated, _set_run_font(od.STYLE_TITLE, "黑体")))
    assert messages == ["标题“关于对涟源市整改落实工作…”须用小标宋体（方正小标宋简体）"
                        "（GB/T 9704-2012 7.3.1），实为黑体。"]


def test_fallback_font_names_pass(generated):
    renamed = mutated(generated, _set_run_font(od.STYLE_BODY, "仿宋"))
    renamed = mutated(renamed, _set_run_font(od.STYLE_TITLE, "宋体"))
    assert officialdoc_check(renamed) == []


def test_checker_refuses_what_is_not_a_docx():
    assert problems_of(b"not a word file") == {Problem.UNREADABLE}
    assert officialdoc_check(b"") == ["无法读取该文件：不是有效的Word（.docx）文件。"]
