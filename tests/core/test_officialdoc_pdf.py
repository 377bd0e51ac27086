"""The PDF of an official document (huitoukan.core.officialdoc.officialdoc_pdf, WeasyPrint): A4, the 版心's
margins, the Chinese text drawn in CJK fonts, the 标志 in red, page numbers — N —; the same errors as the .docx."""

from __future__ import annotations

import dataclasses
import re

import pypdfium2 as pdfium
import pytest

from huitoukan.core import officialdoc as od
from tests.core.test_officialdoc import NOTICE


@pytest.fixture(scope="module")
def pdf():
    document = pdfium.PdfDocument(od.officialdoc_pdf(NOTICE))
    yield document
    document.close()


def _text(pdf) -> str:
    return re.sub(r"\s+", "", "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))))


def test_every_page_is_a4(pdf):
    for i in range(len(pdf)):
        width, height = pdf[i].get_size()
        assert (round(width * 25.4 / 72, 1), round(height * 25.4 / 72, 1)) == (210.0, 297.0)


def test_the_parts_are_drawn_as_text(pdf):
    text = _text(pdf)
    for part in ("娄群办督〔2015〕3号", "关于对涟源市整改落实工作进行督办的通知", "中共涟源市委：", "一、存在的问题",
                 "（一）整改台账不完善", "（二）群众反映问题未及时回应", "二、整改要求", "附件：1.问题清单",
                 "2.整改落实情况报告表", "2015年1月6日", "抄送：市委督查室，市纪委。", "2015年1月7日印发", "—1—", "—2—"):
        assert part in text, part


def test_the_text_sits_inside_the_type_area(pdf):
    # 版心: 28 mm from the left edge, 26 mm from the right, 37 mm from the top (the page numbers sit below it)
    page = pdf[0]
    width, height = page.get_size()
    textpage = page.get_textpage()
    mm = 72 / 25.4
    boxes = [textpage.get_charbox(i) for i in range(textpage.count_chars())
             if textpage.get_text_range(i, 1).strip()]
    left = min(b[0] for b in boxes)
    right = max(b[2] for b in boxes)
    top = max(b[3] for b in boxes)
    assert left >= 28 * mm - 1 and right <= width - 26 * mm + 1
    assert top <= height - 37 * mm + 1


def test_the_body_fits_28_characters_a_line(pdf):
    # the first paragraph of NOTICE wraps after 26 characters (two of the 28 are its indent)
    text = pdf[0].get_textpage().get_text_range()
    line = next(line for line in text.splitlines() if line.startswith("根据"))
    assert len(line) == 26


def test_the_issuer_is_red_and_the_text_black():
    image = pdfium.PdfDocument(od.officialdoc_pdf(NOTICE))[0].render(scale=1).to_pil().convert("RGB")
    colours = {image.getpixel((x, y)) for x in range(0, image.width, 2) for y in range(0, image.height, 2)}
    assert any(r > 200 and g < 80 and b < 80 for r, g, b in colours)
    assert any(r < 80 and g < 80 and b < 80 for r, g, b in colours)


def test_a_malformed_number_is_refused_as_for_the_docx():
    from dataclasses import replace
    with pytest.raises(od.OfficialDocError) as e:
        od.officialdoc_pdf(replace(NOTICE, number="娄群办督[2015]第03号"))
    assert e.value.code == od.OfficialDocErrorCode.NUMBER_MALFORMED


def test_the_css_names_the_standards_fonts_before_debians_cjk_fonts():
    css = od._pdf_css()
    assert re.search(r"@page \{\s*size: 210mm 297mm;\s*margin: 37mm 26mm 35mm 28mm;", css)
    assert od.CSS_FONTS[od.FANGSONG].index("仿宋_GB2312") < od.CSS_FONTS[od.FANGSONG].index("Noto Serif CJK SC")
    assert od.CSS_FONTS[od.HEITI].index("黑体") < od.CSS_FONTS[od.HEITI].index("Noto Sans CJK SC")
    assert "楷体" in od.CSS_FONTS[od.KAITI] and "方正小标宋简体" in od.CSS_FONTS[od.XIAOBIAOSONG]
    assert f"line-height: {od.LINE_PITCH_PT}pt" in css and od.LINE_PITCH_PT == 28.95


def test_without_weasyprint_a_clear_chinese_error_is_raised(monkeypatch):
    # given a server where WeasyPrint cannot be imported (sys.modules entry None makes the import fail)
    monkeypatch.setitem(__import__("sys").modules, "weasyprint", None)
    with pytest.raises(od.OfficialDocError) as e:
        od.officialdoc_pdf(NOTICE)
    assert e.value.code == od.OfficialDocErrorCode.PDF_UNAVAILABLE
    assert "无法生成PDF" in e.value.message and "Word" in e.value.message


def test_the_pdf_fetches_no_url_whatever_the_text_or_the_html_holds(monkeypatch):
    # given a body that writes an image and a url() as text, and (were the text ever not escaped) an HTML
    # page that holds a real <img> of file:///etc/passwd and a real url() to http://
    import weasyprint.urls

    body = [od.Paragraph('<img src="file:///etc/passwd">'),
            od.Paragraph('<p style="background: url(http://127.0.0.1:9/x)">url(file:///etc/passwd)</p>')]
    document = dataclasses.replace(NOTICE, body=body)
    html = od._pdf_html(document)
    assert '&lt;img src=&quot;file:///etc/passwd&quot;&gt;' in html and "<img" not in html
    tampered = html.replace("</body>", '<img src="file:///etc/passwd"><div style="background: '
                                       'url(http://127.0.0.1:9/x)">x</div></body>')
    monkeypatch.setattr(od, "_pdf_html", lambda doc: tampered)
    fetched, asked = [], []

    def default_fetch(self, url, headers=None):  # WeasyPrint's own fetcher: must never be reached
        fetched.append(url)
        raise ValueError(url)

    monkeypatch.setattr(weasyprint.urls.URLFetcher, "fetch", default_fetch)
    refuse = od._refuse_url
    monkeypatch.setattr(od, "_refuse_url", lambda url: (asked.append(url), refuse(url)))
    # when the PDF is made
    data = od.officialdoc_pdf(document)
    # then it is made, every URL was refused by the generator's fetcher, and none reached a real fetch
    assert data.startswith(b"%PDF")
    assert fetched == []
    assert "file:///etc/passwd" in asked and "http://127.0.0.1:9/x" in asked
    with pytest.raises(ValueError, match="fetch no resources"):
        od._url_fetcher().fetch("file:///etc/passwd")
