"""A 简报 is laid out under its masthead (huitoukan.core.officialdoc, LAYOUT_BRIEF), not as a red-header 文件: its
name in red large type, 第N期, the 编印单位 and date on one line over a red line, the title and body, no 主送 and
no 发文字号, the 报/送 lists at the foot; on the page, grid, fonts and sizes of GB/T 9704-2012, which the checker
checks with the masthead's own rules. Page 1 of its PDF is saved as PNG to be looked at."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from docx import Document as Docx
from docx.oxml.ns import qn

from huitoukan.core import officialdoc as od

ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artefacts" / "documents"

BRIEF = od.OfficialDocument(
    layout=od.LAYOUT_BRIEF, brief_name="整改落实工作简报", issue_no=3,
    issuer="中共涟源市委教育实践活动领导小组办公室", number="涟源简〔2015〕3号", title="涟源市整改落实工作进展情况",
    signer="中共涟源市委教育实践活动领导小组办公室", date=dt.date(2015, 1, 21),
    addressee="不印的主送",
    body=[od.Paragraph("截至2015年1月20日，涟源市整改落实工作进展情况如下。"), od.Heading(1, "整改事项进展"),
          od.Paragraph("共列入整改事项24项，已销号9项，销号率38%。"), od.Heading(1, "督查督办"),
          od.Paragraph("督办通知单待办3份（其中红色1份），已办结2份。")],
    report_to=["娄底市教育实践活动领导小组办公室"], send_to=["各乡镇党委", "市直各单位"])


def _by_style(data: bytes) -> dict[str, list]:
    by_style: dict[str, list] = {}
    for p in Docx(BytesIO(data)).paragraphs:
        if p.text.strip():
            by_style.setdefault(p.style.name, []).append(p)
    return by_style


def test_a_brief_docx_has_the_masthead_and_passes_the_check():
    # when a 简报 is laid out as .docx
    data = od.officialdoc_docx(BRIEF)
    # then it passes the checker
    assert od.officialdoc_check(data) == []
    by_style = _by_style(data)
    # and its masthead: the name in red 小标宋 larger than a 标志, 第3期, the 编印单位 and the date on one line
    name = by_style[od.STYLE_BRIEF_NAME][0]
    assert name.text == "整改落实工作简报"
    run = next(r for r in name.runs if r.text.strip())
    assert run.font.color.rgb == od.RED and run.font.size.pt == od.BRIEF_NAME_PT
    assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == od.XIAOBIAOSONG
    assert [p.text for p in by_style[od.STYLE_BRIEF_ISSUE]] == ["第3期"]
    assert [p.text for p in by_style[od.STYLE_BRIEF_EDITOR]] == ["中共涟源市委教育实践活动领导小组办公室编\t2015年1月21日"]
    editor = by_style[od.STYLE_BRIEF_EDITOR][0]
    border = editor._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert border.get(qn("w:color")) == "FF0000"
    assert [p.text for p in by_style[od.STYLE_TITLE]] == ["涟源市整改落实工作进展情况"]
    # and no 发文机关标志, 发文字号, 主送, 署名 or 成文日期 of a 文件
    for style in (od.STYLE_ISSUER, od.STYLE_NUMBER, od.STYLE_ADDRESSEE, od.STYLE_SIGNER, od.STYLE_DATE):
        assert style not in by_style, style
    texts = "\n".join(p.text for p in Docx(BytesIO(data)).paragraphs)
    assert "涟源简〔2015〕3号" not in texts and "不印的主送" not in texts
    # and the 报 and 送 lists at the foot, in the 版记's table
    record = [c.text for t in Docx(BytesIO(data)).tables for row in t.rows for c in row.cells]
    assert record == ["报：娄底市教育实践活动领导小组办公室。", "送：各乡镇党委，市直各单位。"]
    # and the page is the 文件's: A4, the 版心's margins
    section = Docx(BytesIO(data)).sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)


def test_the_checker_checks_a_brief_by_its_own_rules():
    # given a 简报 .docx whose issue and editor line are broken and whose name is black
    data = od.officialdoc_docx(BRIEF)
    document = Docx(BytesIO(data))
    for p in document.paragraphs:
        if p.style.name == od.STYLE_BRIEF_ISSUE:
            p.runs[0].text = "第03期"
        if p.style.name == od.STYLE_BRIEF_EDITOR:
            p.runs[0].text = "涟源市活动办编\t2015年01月21日"
        if p.style.name == od.STYLE_BRIEF_NAME:
            p.runs[0].font.color.rgb = od.RGBColor(0, 0, 0)
    out = BytesIO()
    document.save(out)
    # when it is checked
    problems = {f.problem for f in od.officialdoc_findings(out.getvalue())}
    # then each is named, and no 发文字号 or 成文日期 is asked of a 简报
    assert problems == {od.Problem.BRIEF_ISSUE, od.Problem.BRIEF_EDITOR, od.Problem.BRIEF_NAME_COLOUR}
    messages = od.officialdoc_check(out.getvalue())
    assert any("第03期" in m for m in messages)


def test_a_brief_without_its_issue_or_name_is_refused_naming_the_part():
    for changes, part in (({"issue_no": None}, "期号"), ({"brief_name": " "}, "简报名称")):
        with pytest.raises(od.OfficialDocError, match=part):
            od.officialdoc_docx(dataclasses.replace(BRIEF, **changes))
    with pytest.raises(od.OfficialDocError, match="期号"):
        od.officialdoc_docx(dataclasses.replace(BRIEF, issue_no=0))


def test_a_document_is_still_checked_as_a_document():
    # a 文件 laid out without its 发文字号 paragraph is still told it lacks one (the 简报's rules are the 简报's)
    notice = dataclasses.replace(BRIEF, layout=od.LAYOUT_DOCUMENT)
    data = od.officialdoc_docx(notice)
    assert od.officialdoc_check(data) == []
    by_style = _by_style(data)
    assert od.STYLE_BRIEF_NAME not in by_style and [p.text for p in by_style[od.STYLE_NUMBER]] == ["涟源简〔2015〕3号"]


def test_a_brief_pdf_has_the_masthead_and_page_1_is_saved_as_png():
    # when a 简报 is laid out as PDF
    pdf_bytes = od.officialdoc_pdf(BRIEF)
    html = od._pdf_html(BRIEF)
    assert 'class="brief-name"' in html and 'class="number"' not in html and 'class="addressee"' not in html
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        width, height = pdf[0].get_size()
        assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
        text = re.sub(r"\s+", "", "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))))
        # then the masthead, the title, the body and the 报/送 lists are drawn, and no 发文字号 or 主送
        for part in ("整改落实工作简报", "第3期", "中共涟源市委教育实践活动领导小组办公室编2015年1月21日",
                     "涟源市整改落实工作进展情况", "一、整改事项进展", "报：娄底市教育实践活动领导小组办公室。",
                     "送：各乡镇党委，市直各单位。", "—1—"):
            assert part in text, part
        assert "涟源简〔2015〕3号" not in text and "不印的主送" not in text
        # the masthead comes first: the name above the issue above the title
        page = pdf[0].get_textpage()

        def top(needle: str) -> float:  # PDF y grows upwards
            searcher = page.search(needle)
            index, _count = searcher.get_next()
            return page.get_charbox(index)[3]

        assert top("整改落实工作简报") > top("第3期") > top("2015年1月21日") > top("涟源市整改落实工作进展情况")
        assert top("报：") < top("二、督查督办")
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        image = pdf[0].render(scale=150 / 72).to_pil()
        image.save(ARTEFACTS / "jianbao-page1.png")
        (ARTEFACTS / "jianbao.pdf").write_bytes(pdf_bytes)
        # red is drawn in the top third (the name and the line), none in the 版心's lower half
        rgb = image.convert("RGB")

        def red_rows(top: int, bottom: int) -> int:
            return sum(1 for y in range(top, bottom, 2)
                       if any((lambda c: c[0] > 200 and c[1] < 80 and c[2] < 80)(rgb.getpixel((x, y)))
                              for x in range(0, rgb.width, 3)))

        assert red_rows(0, rgb.height // 3) > 10
        assert red_rows(rgb.height // 2, rgb.height) == 0
    finally:
        pdf.close()
