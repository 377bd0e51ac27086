"""Chinese official documents (党政机关公文) as .docx in the form of GB/T 9704-2012, and a checker.

`officialdoc_docx` lays a document out as the standard says; `officialdoc_check` reads any .docx
and names, in Chinese, what is not per the standard. The parts of a document are recognised by
their paragraph styles (STYLE_*), so a template (docxtpl) that uses the same style names is checked
the same way. Output formats other than .docx (PDF) go beside `officialdoc_docx`, reading the same
`OfficialDocument`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from io import BytesIO

from django.utils.translation import gettext_lazy as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from huitoukan.core.dates import chinese_date
from huitoukan.core.errors import DomainError
from huitoukan.core.numbering import PREFIX_FORBIDDEN

# GB/T 9704-2012 5.2.1 / 5.2.2: A4, 版心 156 mm × 225 mm, 天头 37 mm, 订口 28 mm.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 37, 35, 28, 26
TEXT_WIDTH_MM, TEXT_HEIGHT_MM = 156, 225
MARGIN_TOLERANCE_MM = 0.5
# 5.2.4: 22 lines a page, 28 characters a line.
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
# 225 mm / 22 = 28.98 pt; Word's official-document templates round the pitch down to 579 twips.
LINE_PITCH_TWIPS = 579
# 5.2.3 and 7.*: 三号 = 16 pt, 二号 = 22 pt, 四号 = 14 pt.
BODY_PT, TITLE_PT, NOTE_PT = 16, 22, 14

FANGSONG, KAITI, HEITI, XIAOBIAOSONG, SONGTI = "仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体", "宋体"
# Names Word falls back to where the GB2312-era fonts are missing (Windows 10 ships 仿宋 and 楷体).
FONT_FALLBACKS = {FANGSONG: "仿宋", KAITI: "楷体", XIAOBIAOSONG: SONGTI}
FANGSONG_NAMES = frozenset({FANGSONG, "仿宋", "FangSong", "FangSong_GB2312"})
KAITI_NAMES = frozenset({KAITI, "楷体", "KaiTi", "KaiTi_GB2312"})
HEITI_NAMES = frozenset({HEITI, "SimHei"})
TITLE_NAMES = frozenset({XIAOBIAOSONG, "方正小标宋_GBK", "方正小标宋", "小标宋", SONGTI, "SimSun"})
RED = RGBColor(0xFF, 0x00, 0x00)

STYLE_ISSUER = "公文发文机关标志"
STYLE_NUMBER = "公文发文字号"
STYLE_TITLE = "公文标题"
STYLE_ADDRESSEE = "公文主送机关"
STYLE_BODY = "公文正文"
STYLE_HEADINGS = {1: "公文一级标题", 2: "公文二级标题", 3: "公文三级标题"}
STYLE_ATTACHMENTS = "公文附件说明"
STYLE_SIGNER = "公文发文机关署名"
STYLE_DATE = "公文成文日期"
STYLE_RECORD = "公文版记"
STYLE_PAGE_NUMBER = "公文页码"
# The 简报 masthead (LAYOUT_BRIEF): its name in red, its issue (第3期), the 编印单位 and date over a red line.
STYLE_BRIEF_NAME = "简报名称"
STYLE_BRIEF_ISSUE = "简报期号"
STYLE_BRIEF_EDITOR = "简报编印单位"
SEAL_BOOKMARK = "印章"

# 7.2.4: 〔〕 around the full year, the number without 第 and without leading zeros, then 号.
NUMBER_PATTERN = re.compile(r"^(?P<prefix>[^\s〔〕\[\]()（）]+)〔(?P<year>\d{4})〕(?P<n>[1-9]\d*)号$")
# 7.3.5.3: the date in Arabic numerals, year in full, month and day without leading zeros.
DATE_PATTERN = re.compile(r"^(?P<y>\d{4})年(?P<m>[1-9]\d?)月(?P<d>[1-9]\d?)日$")
# A 简报's issue: 第3期, the number without leading zeros.
ISSUE_PATTERN = re.compile(r"^第[1-9]\d*期$")

# The two layouts: a 文件 (red 发文机关标志, 发文字号, 主送, body, 署名 and 成文日期, 版记) and a 简报 (masthead:
# its name and issue, the 编印单位 and date over a red line; title, body; 报/送 at the foot).
LAYOUT_DOCUMENT, LAYOUT_BRIEF = "document", "brief"


class OfficialDocErrorCode(Enum):
    PREFIX_REQUIRED = _("发文字号的机关代字不能为空。")
    PREFIX_INVALID = _("机关代字“%(prefix)s”不能含空格或括号。")
    YEAR_INVALID = _("发文字号的年份“%(year)s”须为四位公元年份（如2015）。")
    SEQUENCE_INVALID = _("发文顺序号“%(n)s”须为正整数。")
    NUMBER_MALFORMED = _("发文字号“%(number)s”不符合格式，应如“娄群办督〔2015〕3号”。")
    FIELD_REQUIRED = _("公文的“%(field)s”不能为空。")
    ISSUE_INVALID = _("简报期号“%(n)s”须为正整数。")
    HEADING_LEVEL = _("标题层次“%(level)s”无效，只能是1、2或3。")
    PDF_UNAVAILABLE = _("本服务器无法生成PDF（排版组件WeasyPrint或其依赖的Pango未安装：%(reason)s），请下载Word版本。")


class OfficialDocError(DomainError):
    pass


class Problem(Enum):
    """What `officialdoc_check` reports; each names the clause of GB/T 9704-2012 it rests on."""

    UNREADABLE = _("无法读取该文件：不是有效的Word（.docx）文件。")
    PAGE_SIZE = _("纸张须为A4纵向（210×297毫米，GB/T 9704-2012 5.2.1），第%(section)s节为%(width)s×%(height)s毫米。")
    MARGIN = _("%(side)s页边距须为%(expected)s毫米（GB/T 9704-2012 5.2.2），第%(section)s节为%(actual)s毫米。")
    LINES = _("每页须排22行（GB/T 9704-2012 5.2.4），第%(section)s节的行距网格只排得下%(lines)s行。")
    CHARS = _("每行须排28个字（GB/T 9704-2012 5.2.4），第%(section)s节的字符网格排%(chars)s个字。")
    MISSING = _("缺少%(part)s（GB/T 9704-2012 %(clause)s）。")
    FONT = _("%(part)s“%(text)s”须用%(expected)s（GB/T 9704-2012 %(clause)s），实为%(actual)s。")
    SIZE = _("%(part)s“%(text)s”须用%(expected)s号字（GB/T 9704-2012 %(clause)s），实为%(actual)s磅。")
    ISSUER_COLOUR = _("发文机关标志须为红色（GB/T 9704-2012 7.2.3）。")
    NUMBER = _("发文字号“%(text)s”须如“娄群办督〔2015〕3号”：年份用六角括号〔〕括入，顺序号不编虚位、不加“第”字，后加“号”字（GB/T 9704-2012 7.2.4）。")
    DATE = _("成文日期“%(text)s”须用阿拉伯数字将年、月、日标全，月、日不编虚位，如“2015年1月6日”（GB/T 9704-2012 7.3.5.3）。")
    BRIEF_MISSING = _("简报缺少%(part)s（报头：简报名称、期号，编印单位和日期，其下一条红线）。")
    BRIEF_NAME_COLOUR = _("简报名称须为红色。")
    BRIEF_ISSUE = _("简报期号“%(text)s”须如“第3期”：阿拉伯数字，不编虚位。")
    BRIEF_EDITOR = _("简报报头“%(text)s”须为编印单位，其后同一行为编印日期，如“2015年1月6日”。")


@dataclass(frozen=True)
class Finding:
    problem: Problem
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        template = str(self.problem.value)
        return template % self.params if self.params else template


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph (正文自然段): first line indented two characters."""

    text: str


@dataclass(frozen=True)
class Heading:
    """A heading of the body's structure (7.3.3): level 1 一、 黑体, level 2 （一） 楷体, level 3 1. 仿宋.

    The ordinal is added by the generator (numbered afresh under each higher heading) unless
    `numbered` is False, for a text that already carries its own.
    """

    level: int
    text: str
    bold: bool = False
    numbered: bool = True


Block = Paragraph | Heading


@dataclass(frozen=True)
class OfficialDocument:
    """The parts of a document in the order GB/T 9704-2012 7 lays them out.

    份号, 密级和保密期限, 紧急程度 and 签发人 are not produced (documents of this system carry none).
    The 印章 is left as space (a bookmark named SEAL_BOOKMARK) for the seal to be pressed on paper.
    """

    issuer: str  # 发文机关标志 (7.2.3), e.g. "中共娄底市委党的群众路线教育实践活动领导小组办公室"
    number: str  # 发文字号 (7.2.4), from document_number()
    title: str  # 标题 (7.3.1)
    signer: str  # 发文机关署名 (7.3.5)
    date: dt.date  # 成文日期 (7.3.5)
    addressee: str = ""  # 主送机关 (7.3.2), without the final colon
    body: Sequence[Block] = ()
    attachments: Sequence[str] = ()  # 附件说明 (7.3.4): the attachments' names
    copy_to: Sequence[str] = ()  # 抄送机关 (7.4.2)
    printed_by: str = ""  # 印发机关 (7.4.3)
    printed_on: dt.date | None = None  # 印发日期 (7.4.3)
    # LAYOUT_BRIEF: a 简报 of `brief_name`, issue `issue_no`, edited by `issuer` on `date`, with no 发文字号,
    # 主送, 署名 or 印章; `report_to` (报：) and `send_to` (送：) at the foot instead of 抄送 and 印发.
    layout: str = LAYOUT_DOCUMENT
    brief_name: str = ""
    issue_no: int | None = None
    report_to: Sequence[str] = ()
    send_to: Sequence[str] = ()


def document_number(prefix: str, year: int, n: int) -> str:
    """The 发文字号 (GB/T 9704-2012 7.2.4): 机关代字〔年份〕序号号, e.g. 娄群办督〔2015〕3号."""
    prefix = (prefix or "").strip()
    if not prefix:
        raise OfficialDocError(OfficialDocErrorCode.PREFIX_REQUIRED)
    if PREFIX_FORBIDDEN.search(prefix):
        raise OfficialDocError(OfficialDocErrorCode.PREFIX_INVALID, prefix=prefix)
    if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
        raise OfficialDocError(OfficialDocErrorCode.YEAR_INVALID, year=year)
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise OfficialDocError(OfficialDocErrorCode.SEQUENCE_INVALID, n=n)
    return f"{prefix}〔{year}〕{n}号"


def chinese_document_date(day: dt.date) -> str:
    """The 成文日期 (GB/T 9704-2012 7.3.5.3): Arabic numerals, no leading zeros: 2015年1月6日."""
    return chinese_date(day)


# ----------------------------------------------------------------------------------------------
# Writing


# Word rejects a file whose property elements are out of the schema's order.
_PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
              "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
              "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
              "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
              "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
              "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
              "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
              "w:pPrChange")
_RPR_ORDER = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
              "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
              "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing",
              "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
              "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
              "w:eastAsianLayout", "w:specVanish", "w:oMath")
_TBLPR_ORDER = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
                "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                "w:tblCaption", "w:tblDescription")


def _child(parent, tag: str, order: Sequence[str]):
    """The parent's `tag` child, added in its schema position if absent."""
    existing = parent.find(qn(tag))
    if existing is not None:
        return existing
    element = OxmlElement(tag)
    parent.insert_element_before(element, *order[order.index(tag) + 1:])
    return element


def _twips_of_mm(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def _char_space() -> int:
    """w:charSpace for 28 characters across 156 mm: the pitch's difference from 三号, in 1/4096 pt."""
    pitch_pt = TEXT_WIDTH_MM * 72 / 25.4 / CHARS_PER_LINE
    return round((pitch_pt - BODY_PT) * 4096)


CHAR_PITCH_TWIPS = round(TEXT_WIDTH_MM * 1440 / 25.4 / CHARS_PER_LINE)


def _set_fonts(rpr_owner, name: str) -> None:
    """Set every script's font; w:eastAsia is the one Chinese text is drawn with."""
    rpr = rpr_owner.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)


def _indent_chars(paragraph, *, first_line: float = 0, left: float = 0, right: float = 0) -> None:
    """Indents in characters (w:*Chars, hundredths), with twips for readers that ignore them."""
    fmt = paragraph.paragraph_format
    if first_line:
        fmt.first_line_indent = Twips(round(first_line * CHAR_PITCH_TWIPS))
    if left:
        fmt.left_indent = Twips(round(left * CHAR_PITCH_TWIPS))
    if right:
        fmt.right_indent = Twips(round(right * CHAR_PITCH_TWIPS))
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    for attr, chars in (("w:firstLineChars", first_line), ("w:leftChars", left), ("w:rightChars", right)):
        if chars:
            ind.set(qn(attr), str(round(chars * 100)))


def _run(paragraph, text: str, *, font: str, size: float, bold: bool = False, colour=None):
    run = paragraph.add_run(text)
    _set_fonts(run._r, font)
    run.font.size = Pt(size)
    run.font.bold = bold or None
    if colour is not None:
        run.font.color.rgb = colour
    return run


def _border(ppr_or_tblpr, tag: str, side: str, *, size_eighths: int, colour: str, space: int = 0):
    order = _PPR_ORDER if tag == "w:pBdr" else _TBLPR_ORDER
    container = _child(ppr_or_tblpr, tag, order)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), colour)
    container.append(line)


def _add_style(document, name: str, *, font: str, size: float, align=None, bold: bool = False):
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    _set_fonts(style.element, font)
    style.font.size = Pt(size)
    style.font.bold = bold or None
    if align is not None:
        style.paragraph_format.alignment = align
    return style


def _setup_styles(document) -> None:
    normal = document.styles["Normal"]
    _set_fonts(normal.element, FANGSONG)
    normal.font.size = Pt(BODY_PT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(LINE_PITCH_TWIPS)
    fmt.space_before = fmt.space_after = Pt(0)
    # The grid's character pitch is reckoned from the default size: make that 三号 too.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = _child(rpr, "w:rFonts", _RPR_ORDER)
    fonts.attrib.clear()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FANGSONG)
    for tag in ("w:sz", "w:szCs"):
        _child(rpr, tag, _RPR_ORDER).set(qn("w:val"), str(BODY_PT * 2))
    _child(rpr, "w:lang", _RPR_ORDER).set(qn("w:eastAsia"), "zh-CN")

    centre, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    _add_style(document, STYLE_ISSUER, font=XIAOBIAOSONG, size=26, align=centre)
    _add_style(document, STYLE_NUMBER, font=FANGSONG, size=BODY_PT, align=centre)
    _add_style(document, STYLE_TITLE, font=XIAOBIAOSONG, size=TITLE_PT, align=centre)
    _add_style(document, STYLE_ADDRESSEE, font=FANGSONG, size=BODY_PT)
    _add_style(document, STYLE_BODY, font=FANGSONG, size=BODY_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _add_style(document, STYLE_HEADINGS[1], font=HEITI, size=BODY_PT)
    _add_style(document, STYLE_HEADINGS[2], font=KAITI, size=BODY_PT)
    _add_style(document, STYLE_HEADINGS[3], font=FANGSONG, size=BODY_PT)
    _add_style(document, STYLE_ATTACHMENTS, font=FANGSONG, size=BODY_PT)
    _add_style(document, STYLE_SIGNER, font=FANGSONG, size=BODY_PT, align=right)
    _add_style(document, STYLE_DATE, font=FANGSONG, size=BODY_PT, align=right)
    _add_style(document, STYLE_RECORD, font=FANGSONG, size=NOTE_PT)
    _add_style(document, STYLE_PAGE_NUMBER, font=SONGTI, size=NOTE_PT)
    _add_style(document, STYLE_BRIEF_NAME, font=XIAOBIAOSONG, size=36, align=centre)
    _add_style(document, STYLE_BRIEF_ISSUE, font=FANGSONG, size=BODY_PT, align=centre)
    _add_style(document, STYLE_BRIEF_EDITOR, font=FANGSONG, size=NOTE_PT)
    for level in (1, 2, 3):
        document.styles[STYLE_HEADINGS[level]].paragraph_format.keep_with_next = True


def _setup_fallback_fonts(document) -> None:
    """Declare the fonts with w:altName so Word substitutes 仿宋/楷体/宋体 where they are missing."""
    part = next(p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    for name in (FANGSONG, KAITI, HEITI, XIAOBIAOSONG, SONGTI):
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        if name in FONT_FALLBACKS:
            etree.SubElement(font, qn("w:altName")).set(qn("w:val"), FONT_FALLBACKS[name])
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
        etree.SubElement(font, qn("w:family")).set(qn("w:val"), "modern" if name != HEITI else "swiss")
        etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), "fixed")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _setup_page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.gutter = Mm(0)
    section.header_distance = Mm(15)
    # 7.5: the page number's dashes sit 7 mm below the 版心; a 四号 line is ~5 mm high.
    section.footer_distance = Mm(MARGIN_BOTTOM_MM - 7 - 2.5)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.attrib.clear()
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(_char_space()))
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)


def _field(paragraph, instruction: str, placeholder: str) -> None:
    def char(kind):
        run = _run(paragraph, "", font=SONGTI, size=NOTE_PT)
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = _run(paragraph, "", font=SONGTI, size=NOTE_PT)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    _run(paragraph, placeholder, font=SONGTI, size=NOTE_PT)
    char("end")


def _page_number(paragraph, *, odd: bool) -> None:
    """7.5: "— 1 —" in 四号 半角宋体, odd pages right with one character's space, even pages left."""
    paragraph.style = STYLE_PAGE_NUMBER
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if odd:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _indent_chars(paragraph, right=1)
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        _indent_chars(paragraph, left=1)
    _run(paragraph, "— ", font=SONGTI, size=NOTE_PT)
    _field(paragraph, "PAGE", "1")
    _run(paragraph, " —", font=SONGTI, size=NOTE_PT)


def _chinese_numeral(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _ordinal(level: int, n: int) -> str:
    if level == 1:
        return f"{_chinese_numeral(n)}、"
    if level == 2:
        return f"（{_chinese_numeral(n)}）"
    return f"{n}."


def _display_width(text: str) -> float:
    """Width in 三号 characters: half-width (ASCII) characters count half."""
    return sum(0.5 if ord(c) < 0x2000 else 1 for c in text)


def _paragraph(document, style: str, text: str = ""):
    paragraph = document.add_paragraph(style=style)
    if text:
        font = {
            STYLE_TITLE: XIAOBIAOSONG, STYLE_HEADINGS[1]: HEITI, STYLE_HEADINGS[2]: KAITI,
        }.get(style, FANGSONG)
        size = TITLE_PT if style == STYLE_TITLE else BODY_PT
        _run(paragraph, text, font=font, size=size)
    return paragraph


def _space_before_lines(paragraph, lines: float) -> None:
    paragraph.paragraph_format.space_before = Twips(round(lines * LINE_PITCH_TWIPS))


BRIEF_NAME_PT = 42  # a 简报's name: larger than a 标志 (初号 is 42 pt)


def _issuer_fit(issuer: str, *, largest: int = 36) -> tuple[int, int]:
    """The 标志's size (pt) and sideways squeeze (percent) that keep it on one line of the 版心."""
    width_pt = TEXT_WIDTH_MM * 72 / 25.4
    chars = max(_display_width(issuer), 1)
    size, scale = TITLE_PT, 100
    for candidate in (largest, 26, TITLE_PT):
        scale = min(100, int(width_pt / (chars * candidate) * 100))
        size = candidate
        if scale >= 70:
            break
    return size, max(scale, 1)


def _issuer(document, issuer: str) -> None:
    """7.2.3: red 小标宋, centred, 35 mm below the 版心's top; squeezed sideways to stay on one line."""
    paragraph = document.add_paragraph(style=STYLE_ISSUER)
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = Mm(35)
    _child(paragraph._p.get_or_add_pPr(), "w:snapToGrid", _PPR_ORDER).set(qn("w:val"), "0")
    size, scale = _issuer_fit(issuer)
    run = _run(paragraph, issuer, font=XIAOBIAOSONG, size=size, colour=RED)
    if scale < 100:
        _child(run._r.get_or_add_rPr(), "w:w", _RPR_ORDER).set(qn("w:val"), str(max(scale, 1)))


def _number(document, number: str) -> None:
    """7.2.4 / 7.2.5: centred two lines under the 标志, a red 版心-wide line 4 mm below it."""
    paragraph = _paragraph(document, STYLE_NUMBER, number)
    _space_before_lines(paragraph, 2)
    _border(paragraph._p.get_or_add_pPr(), "w:pBdr", "bottom", size_eighths=12, colour="FF0000",
            space=round(4 * 72 / 25.4))


def _body(document, blocks: Sequence[Block]) -> None:
    counters = [0, 0, 0]
    for block in blocks:
        if isinstance(block, Heading):
            if block.level not in STYLE_HEADINGS:
                raise OfficialDocError(OfficialDocErrorCode.HEADING_LEVEL, level=block.level)
            counters[block.level - 1] += 1
            for deeper in range(block.level, 3):
                counters[deeper] = 0
            text = block.text
            if block.numbered:
                text = _ordinal(block.level, counters[block.level - 1]) + text
            paragraph = _paragraph(document, STYLE_HEADINGS[block.level], text)
            if block.bold:
                for run in paragraph.runs:
                    run.font.bold = True
        else:
            paragraph = _paragraph(document, STYLE_BODY, block.text)
        _indent_chars(paragraph, first_line=2)


def _attachments(document, names: Sequence[str]) -> None:
    """7.3.4: a line below the body, 左空二字 附件：1.xxx; later names aligned under the first."""
    for i, name in enumerate(names, 1):
        label = f"{i}.{name}" if len(names) > 1 else name
        if i == 1:
            paragraph = _paragraph(document, STYLE_ATTACHMENTS, f"附件：{label}")
            _space_before_lines(paragraph, 1)
            _indent_chars(paragraph, first_line=2)
        else:
            paragraph = _paragraph(document, STYLE_ATTACHMENTS, label)
            _indent_chars(paragraph, left=5)


def _seal_and_date(document, signer: str, date_text: str) -> None:
    """7.3.5.1: the seal presses on 署名 and 日期 from within a line of the body: two lines left for
    it; the date 右空四字, the 署名 centred over the date."""
    first = document.add_paragraph(style=STYLE_BODY)
    document.add_paragraph(style=STYLE_BODY)
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), "0")
    start.set(qn("w:name"), SEAL_BOOKMARK)
    end.set(qn("w:id"), "0")
    first._p.append(start)
    first._p.append(end)
    right = 4 + (_display_width(date_text) - _display_width(signer)) / 2
    paragraph = _paragraph(document, STYLE_SIGNER, signer)
    if right > 0:
        _indent_chars(paragraph, right=right)
    paragraph = _paragraph(document, STYLE_DATE, date_text)
    _indent_chars(paragraph, right=4)


def _record_rows(doc: OfficialDocument) -> list[tuple[str, str, str]]:
    """The 版记's rows as (kind, label, text): a 文件's 抄送 and 印发 (7.4), a 简报's 报 and 送."""
    if doc.layout == LAYOUT_BRIEF:
        return [("list", label, "，".join(names) + "。") for label, names in (("报：", doc.report_to),
                                                                            ("送：", doc.send_to)) if names]
    rows = []
    if doc.copy_to:
        rows.append(("list", "抄送：", "，".join(doc.copy_to) + "。"))
    if doc.printed_by or doc.printed_on:
        rows.append(("print", "", doc.printed_by))
    return rows


def _record(document, doc: OfficialDocument) -> None:
    """7.4: 版记 at the foot of the last page: 抄送 and 印发 (a 简报: 报 and 送) in 四号 仿宋 between 版心-wide
    lines, thick first and last, thin between. A table floated to the bottom of the 版心 keeps it there."""
    rows = _record_rows(doc)
    printed_on = doc.printed_on
    if not rows:
        return
    table = document.add_table(rows=0, cols=1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr
    placement = _child(tbl_pr, "w:tblpPr", _TBLPR_ORDER)
    for attr, value in (("w:vertAnchor", "margin"), ("w:horzAnchor", "margin"),
                        ("w:tblpXSpec", "center"), ("w:tblpYSpec", "bottom")):
        placement.set(qn(attr), value)
    width = _child(tbl_pr, "w:tblW", _TBLPR_ORDER)
    width.set(qn("w:w"), str(_twips_of_mm(TEXT_WIDTH_MM)))
    width.set(qn("w:type"), "dxa")
    _child(tbl_pr, "w:tblLayout", _TBLPR_ORDER).set(qn("w:type"), "fixed")
    margins = _child(tbl_pr, "w:tblCellMar", _TBLPR_ORDER)
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), "0")
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    thick, thin = 8, 6  # eighths of a point: 0.35 mm and 0.25 mm (7.4.1)
    _border(tbl_pr, "w:tblBorders", "top", size_eighths=thick, colour="000000")
    _border(tbl_pr, "w:tblBorders", "bottom", size_eighths=thick, colour="000000")
    _border(tbl_pr, "w:tblBorders", "insideH", size_eighths=thin, colour="000000")
    one_char = NOTE_PT * 20
    for kind, label, text in rows:
        cell = table.add_row().cells[0]
        cell.width = Mm(TEXT_WIDTH_MM)
        paragraph = cell.paragraphs[0]
        paragraph.style = STYLE_RECORD
        fmt = paragraph.paragraph_format
        fmt.left_indent = fmt.right_indent = Twips(one_char)
        if kind == "list":
            # 回行时与冒号后的首字对齐
            fmt.left_indent = Twips(one_char * (1 + len(label)))
            fmt.first_line_indent = Twips(-one_char * len(label))
            _run(paragraph, label + text, font=FANGSONG, size=NOTE_PT)
        else:
            fmt.tab_stops.add_tab_stop(Twips(_twips_of_mm(TEXT_WIDTH_MM) - one_char),
                                       WD_TAB_ALIGNMENT.RIGHT)
            when = f"\t{chinese_date(printed_on)}印发" if printed_on else ""
            _run(paragraph, f"{text}{when}", font=FANGSONG, size=NOTE_PT)


def _validate(doc: OfficialDocument) -> None:
    """The parts a layout cannot do without, refused in Chinese naming the part."""
    if doc.layout == LAYOUT_BRIEF:
        required = (("简报名称", doc.brief_name), ("编印单位", doc.issuer), ("标题", doc.title), ("编印日期", doc.date),
                    ("期号", doc.issue_no))
    else:
        required = (("发文机关标志", doc.issuer), ("发文字号", doc.number), ("标题", doc.title),
                    ("发文机关署名", doc.signer), ("成文日期", doc.date))
    for label, value in required:
        if value is None or value == "" or (isinstance(value, str) and not value.strip()):
            raise OfficialDocError(OfficialDocErrorCode.FIELD_REQUIRED, field=label)
    if doc.layout == LAYOUT_BRIEF:
        if isinstance(doc.issue_no, bool) or not isinstance(doc.issue_no, int) or doc.issue_no < 1:
            raise OfficialDocError(OfficialDocErrorCode.ISSUE_INVALID, n=doc.issue_no)
    elif not NUMBER_PATTERN.match(doc.number):
        raise OfficialDocError(OfficialDocErrorCode.NUMBER_MALFORMED, number=doc.number)


def _brief_masthead(document, doc: OfficialDocument) -> None:
    """A 简报's 报头: its name in red 小标宋 (squeezed to one line), 第N期 centred under it, then on one line the
    编印单位 (left) and the date (right, 四号) over a red 版心-wide line."""
    paragraph = document.add_paragraph(style=STYLE_BRIEF_NAME)
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = Mm(20)
    _child(paragraph._p.get_or_add_pPr(), "w:snapToGrid", _PPR_ORDER).set(qn("w:val"), "0")
    size, scale = _issuer_fit(doc.brief_name, largest=BRIEF_NAME_PT)
    run = _run(paragraph, doc.brief_name, font=XIAOBIAOSONG, size=size, colour=RED)
    if scale < 100:
        _child(run._r.get_or_add_rPr(), "w:w", _RPR_ORDER).set(qn("w:val"), str(max(scale, 1)))
    paragraph = _paragraph(document, STYLE_BRIEF_ISSUE, brief_issue(doc.issue_no))
    _space_before_lines(paragraph, 1)
    paragraph = document.add_paragraph(style=STYLE_BRIEF_EDITOR)
    _space_before_lines(paragraph, 1)
    paragraph.paragraph_format.tab_stops.add_tab_stop(Twips(_twips_of_mm(TEXT_WIDTH_MM)), WD_TAB_ALIGNMENT.RIGHT)
    _run(paragraph, f"{doc.issuer}编\t{chinese_document_date(doc.date)}", font=FANGSONG, size=NOTE_PT)
    _border(paragraph._p.get_or_add_pPr(), "w:pBdr", "bottom", size_eighths=12, colour="FF0000",
            space=round(4 * 72 / 25.4))


def brief_issue(n: int) -> str:
    """A 简报's issue as its masthead prints it: 第3期."""
    return f"第{n}期"


def officialdoc_docx(doc: OfficialDocument) -> bytes:
    """The document as .docx bytes laid out per GB/T 9704-2012 (see docs/official-documents.md); a 简报
    (layout LAYOUT_BRIEF) under its masthead, on the same page, grid, fonts and sizes."""
    _validate(doc)

    document = Document()
    _setup_styles(document)
    _setup_fallback_fonts(document)
    _setup_page(document)
    body = document.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)

    brief = doc.layout == LAYOUT_BRIEF
    if brief:
        _brief_masthead(document, doc)
    else:
        _issuer(document, doc.issuer)
        _number(document, doc.number)
    title = _paragraph(document, STYLE_TITLE, doc.title)
    _space_before_lines(title, 1 if brief else 2)
    if doc.addressee and not brief:
        paragraph = _paragraph(document, STYLE_ADDRESSEE, f"{doc.addressee}：")
        _space_before_lines(paragraph, 1)
    if brief:  # a line between the title and the body, where a 文件 has its 主送
        document.add_paragraph(style=STYLE_BODY)
    _body(document, doc.body)
    if doc.attachments:
        _attachments(document, doc.attachments)
    if not brief:
        _seal_and_date(document, doc.signer, chinese_document_date(doc.date))
    _record(document, doc)

    document.core_properties.title = doc.title
    out = BytesIO()
    document.save(out)
    return out.getvalue()


# ----------------------------------------------------------------------------------------------
# PDF (WeasyPrint): the same parts and measures as the .docx, as HTML and CSS paged media.

# The fonts as CSS lists: the standard's font first, then the names Windows and WPS install, then
# the CJK fonts Debian ships (fonts-noto-cjk), so a server without the GB2312-era fonts still
# renders the text in the same families: 宋 (serif) for 小标宋, 仿宋 and 楷体, 黑 (sans) for 黑体.
CSS_FONTS = {
    XIAOBIAOSONG: '"方正小标宋简体", "方正小标宋_GBK", "Noto Serif CJK SC", "Source Han Serif SC", serif',
    FANGSONG: '"仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC", "Source Han Serif SC", serif',
    KAITI: '"楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "Noto Serif CJK SC", "Source Han Serif SC", serif',
    HEITI: '"黑体", "SimHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif',
    SONGTI: '"宋体", "SimSun", "Noto Serif CJK SC", "Source Han Serif SC", serif',
}
LINE_PITCH_PT = LINE_PITCH_TWIPS / 20  # 28.95 pt: 22 lines in the 版心's 225 mm
# 28 characters across 156 mm: 三号 characters drawn 0.2 pt closer (Word's negative charSpace).
LETTER_SPACING_PT = round(TEXT_WIDTH_MM * 72 / 25.4 / CHARS_PER_LINE - BODY_PT, 2) - 0.01
CHAR_PITCH_PT = BODY_PT + LETTER_SPACING_PT  # one character of the grid: indents are counted in these


def _pdf_css() -> str:
    body, title, heiti, kaiti, songti = (CSS_FONTS[f] for f in (FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI))
    page_number = (f'content: "— " counter(page) " —"; font-family: {songti}; font-size: {NOTE_PT}pt; '
                   "vertical-align: top; padding-top: 5mm;")
    return f"""
@page {{
  size: {PAGE_WIDTH_MM}mm {PAGE_HEIGHT_MM}mm;
  margin: {MARGIN_TOP_MM}mm {MARGIN_RIGHT_MM}mm {MARGIN_BOTTOM_MM}mm {MARGIN_LEFT_MM}mm;
  @footnote {{ margin-top: 0; }}
}}
@page :right {{ @bottom-right {{ {page_number} margin-right: 1em; }} }}
@page :left {{ @bottom-left {{ {page_number} margin-left: 1em; }} }}
html {{ font-family: {body}; font-size: {BODY_PT}pt; line-height: {LINE_PITCH_PT}pt; color: #000; }}
body {{ margin: 0; }}
p {{ margin: 0; letter-spacing: {LETTER_SPACING_PT}pt; text-align: justify; orphans: 1; widows: 1; }}
.issuer {{ font-family: {title}; color: #f00; text-align: center; white-space: nowrap; line-height: 1.2;
          margin-top: 35mm; }}
.issuer span, .brief-name span {{ display: inline-block; transform-origin: 50% 50%; }}
.brief-name {{ font-family: {title}; color: #f00; text-align: center; white-space: nowrap; line-height: 1.2;
              margin-top: 20mm; }}
.brief-issue {{ text-align: center; margin-top: {LINE_PITCH_PT}pt; letter-spacing: 0; }}
.brief-editor {{ display: flex; justify-content: space-between; align-items: baseline; gap: 1em;
                font-size: {NOTE_PT}pt; margin-top: {LINE_PITCH_PT}pt; padding: 0 0 4mm;
                border-bottom: 1.2pt solid #f00; letter-spacing: 0; }}
.brief-editor .on {{ white-space: nowrap; }}
.title.brief {{ margin: {LINE_PITCH_PT}pt 0 {LINE_PITCH_PT}pt; }}
.number {{ text-align: center; margin-top: {2 * LINE_PITCH_PT}pt; padding-bottom: 4mm;
          border-bottom: 1.2pt solid #f00; letter-spacing: 0; }}
.title {{ font-family: {title}; font-size: {TITLE_PT}pt; line-height: {LINE_PITCH_PT * 1.25:.2f}pt;
         text-align: center; font-weight: normal; margin: {2 * LINE_PITCH_PT}pt 0 0; letter-spacing: 0; }}
.addressee {{ margin-top: {LINE_PITCH_PT}pt; }}
.body, .h1, .h2, .h3 {{ text-indent: {2 * CHAR_PITCH_PT:.2f}pt; }}
.h1 {{ font-family: {heiti}; page-break-after: avoid; }}
.h2 {{ font-family: {kaiti}; page-break-after: avoid; }}
.h3 {{ page-break-after: avoid; }}
.h3.bold {{ font-weight: bold; }}
.attachments {{ padding-left: {5 * CHAR_PITCH_PT:.2f}pt; }}
.attachments.first {{ margin-top: {LINE_PITCH_PT}pt; padding-left: {2 * CHAR_PITCH_PT:.2f}pt; }}
.seal {{ height: {2 * LINE_PITCH_PT}pt; }}
.signer, .date {{ text-align: right; white-space: nowrap; }}
.fw {{ font-feature-settings: "fwid"; }}
.record {{ float: footnote; footnote-display: block; }}
.record::footnote-call {{ content: none; }}
.record::footnote-marker {{ content: none; }}
.record table {{ width: 100%; border-collapse: collapse; font-size: {NOTE_PT}pt; line-height: {NOTE_PT * 1.6}pt;
                border-top: 0.35mm solid #000; border-bottom: 0.35mm solid #000; }}
.record td {{ padding: 0 1em; }}
.record tr + tr td {{ border-top: 0.25mm solid #000; }}
.record .copy {{ padding-left: 4em; text-indent: -3em; }}
.record .when {{ float: right; }}
"""


_CURLY_QUOTES = re.compile("[“”‘’]")


def _pdf_html(doc: OfficialDocument) -> str:
    from html import escape as html_escape

    def escape(text: str) -> str:
        # Chinese text sets its curly quotes full-width (as Word does in an East-Asian run); the CJK fonts
        # draw them proportional unless asked for their full-width forms.
        return _CURLY_QUOTES.sub(r'<span class="fw">\g<0></span>', html_escape(text))

    parts = []
    brief = doc.layout == LAYOUT_BRIEF
    masthead = doc.brief_name if brief else doc.issuer
    size, scale = _issuer_fit(masthead, largest=BRIEF_NAME_PT) if brief else _issuer_fit(masthead)
    width_pt = _display_width(masthead) * size
    text_pt = TEXT_WIDTH_MM * 72 / 25.4
    parts.append(f'<div class="{"brief-name" if brief else "issuer"}" style="font-size: {size}pt">'
                 f'<span style="width: {width_pt:.1f}pt; margin: 0 {(text_pt - width_pt) / 2:.1f}pt; '
                 f'transform: scaleX({scale / 100:.2f})">{escape(masthead)}</span></div>')
    if brief:
        parts.append(f'<div class="brief-issue">{escape(brief_issue(doc.issue_no))}</div>')
        parts.append(f'<div class="brief-editor"><span class="by">{escape(doc.issuer)}编</span>'
                     f'<span class="on">{escape(chinese_document_date(doc.date))}</span></div>')
        parts.append(f'<h1 class="title brief">{escape(doc.title)}</h1>')
    else:
        parts.append(f'<div class="number">{escape(doc.number)}</div>')
        parts.append(f'<h1 class="title">{escape(doc.title)}</h1>')
    if doc.addressee and not brief:
        parts.append(f'<p class="addressee">{escape(doc.addressee)}：</p>')
    counters = [0, 0, 0]
    for block in doc.body:
        if isinstance(block, Heading):
            if block.level not in STYLE_HEADINGS:
                raise OfficialDocError(OfficialDocErrorCode.HEADING_LEVEL, level=block.level)
            counters[block.level - 1] += 1
            for deeper in range(block.level, 3):
                counters[deeper] = 0
            text = (_ordinal(block.level, counters[block.level - 1]) if block.numbered else "") + block.text
            bold = " bold" if block.bold else ""
            parts.append(f'<p class="h{block.level}{bold}">{escape(text)}</p>')
        else:
            parts.append(f'<p class="body">{escape(block.text)}</p>')
    for i, name in enumerate(doc.attachments, 1):
        label = escape(f"{i}.{name}" if len(doc.attachments) > 1 else name)
        parts.append(f'<p class="attachments first">附件：{label}</p>' if i == 1
                     else f'<p class="attachments">{label}</p>')
    if not brief:
        date_text = chinese_document_date(doc.date)
        right = max(4 + (_display_width(date_text) - _display_width(doc.signer)) / 2, 0)
        parts.append(f'<div class="seal" id="{SEAL_BOOKMARK}"></div>')
        parts.append(f'<p class="signer" style="padding-right: {right * CHAR_PITCH_PT:.2f}pt">'
                     f'{escape(doc.signer)}</p>')
        parts.append(f'<p class="date" style="padding-right: {4 * CHAR_PITCH_PT:.2f}pt">{escape(date_text)}</p>')
    rows = []
    for kind, label, text in _record_rows(doc):
        if kind == "list":
            rows.append(f'<tr><td class="copy" style="padding-left: {1 + len(label)}em; text-indent: -{len(label)}em">'
                        f"{escape(label + text)}</td></tr>")
        else:
            when = f'<span class="when">{chinese_date(doc.printed_on)}印发</span>' if doc.printed_on else ""
            rows.append(f"<tr><td>{when}{escape(text)}</td></tr>")
    if rows:
        parts.append(f'<div class="record"><table>{"".join(rows)}</table></div>')
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html_escape(doc.title)}</title>'
            f'</head><body>{"".join(parts)}</body></html>')


def _refuse_url(url: str) -> None:
    """The PDF fetches nothing: its HTML and CSS are built here, the fonts are the system's, and no text of a
    document may make the server read a file (file://) or a URL (http://) by way of an image or a url()."""
    raise ValueError(f"official documents fetch no resources: {url[:200]}")


def _url_fetcher():
    """WeasyPrint's fetcher for the PDF: refuses every URL (WeasyPrint logs the refusal and draws nothing)."""
    from weasyprint.urls import URLFetcher

    class RefusingURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            _refuse_url(url)

    return RefusingURLFetcher()


def officialdoc_pdf(doc: OfficialDocument) -> bytes:
    """The document as PDF bytes, laid out as `officialdoc_docx` lays it out (A4, the 版心's margins,
    22 lines of 28 characters, the standard's fonts with Debian's CJK fonts behind them, the red
    标志 and line, the 印章 space, the 版记 at the foot of the last page, page numbers — 1 —).
    Raises OfficialDocError(PDF_UNAVAILABLE) where WeasyPrint or Pango cannot be loaded."""
    _validate(doc)
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as e:  # OSError: the shared libraries (Pango, HarfBuzz) are missing
        raise OfficialDocError(OfficialDocErrorCode.PDF_UNAVAILABLE, reason=type(e).__name__) from e
    fetcher = _url_fetcher()
    return HTML(string=_pdf_html(doc), base_url=None, url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(string=_pdf_css(), base_url=None, url_fetcher=fetcher)])


# ----------------------------------------------------------------------------------------------
# Checking


def _style_chain(style):
    while style is not None:
        yield style.element
        style = style.base_style


def _east_asia_font(run, paragraph, defaults_rpr) -> str:
    elements = [run._r]
    elements.extend(_style_chain(paragraph.style))
    for element in elements:
        rpr = element.find(qn("w:rPr"))
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if fonts is not None:
            if fonts.get(qn("w:eastAsia")):
                return fonts.get(qn("w:eastAsia"))
            if fonts.get(qn("w:eastAsiaTheme")):
                return "主题字体"
    fonts = defaults_rpr.find(qn("w:rFonts")) if defaults_rpr is not None else None
    if fonts is not None and fonts.get(qn("w:eastAsia")):
        return fonts.get(qn("w:eastAsia"))
    return "未指定的字体"


def _size_pt(run, paragraph, defaults_rpr) -> float:
    if run.font.size is not None:
        return run.font.size.pt
    style = paragraph.style
    while style is not None:
        if style.font.size is not None:
            return style.font.size.pt
        style = style.base_style
    size = defaults_rpr.find(qn("w:sz")) if defaults_rpr is not None else None
    return int(size.get(qn("w:val"))) / 2 if size is not None else 10.0


def _mm(length) -> float:
    return Emu(length or 0).mm


def _check_sections(document) -> list[Finding]:
    findings = []
    for i, section in enumerate(document.sections, 1):
        width, height = _mm(section.page_width), _mm(section.page_height)
        if abs(width - PAGE_WIDTH_MM) > MARGIN_TOLERANCE_MM or abs(height - PAGE_HEIGHT_MM) > MARGIN_TOLERANCE_MM:
            findings.append(Finding(Problem.PAGE_SIZE, {"section": i, "width": f"{width:.1f}",
                                                        "height": f"{height:.1f}"}))
        for side, expected, actual in (("上", MARGIN_TOP_MM, section.top_margin),
                                       ("下", MARGIN_BOTTOM_MM, section.bottom_margin),
                                       ("左", MARGIN_LEFT_MM, section.left_margin),
                                       ("右", MARGIN_RIGHT_MM, section.right_margin)):
            if abs(_mm(actual) - expected) > MARGIN_TOLERANCE_MM:
                findings.append(Finding(Problem.MARGIN, {"side": side, "expected": expected,
                                                         "section": i, "actual": f"{_mm(actual):.1f}"}))
        grid = section._sectPr.find(qn("w:docGrid"))
        pitch = int(grid.get(qn("w:linePitch"), "0")) if grid is not None else 0
        lines = int(_twips_of_mm(TEXT_HEIGHT_MM) // pitch) if pitch else 0
        if lines != LINES_PER_PAGE:
            findings.append(Finding(Problem.LINES, {"section": i, "lines": lines}))
        kind = grid.get(qn("w:type")) if grid is not None else None
        char_space = int(grid.get(qn("w:charSpace"), "0")) if grid is not None else 0
        chars = 0
        if kind == "linesAndChars":
            char_pt = BODY_PT + char_space / 4096
            chars = int(TEXT_WIDTH_MM * 72 / 25.4 // char_pt) if char_pt > 0 else 0
        if chars != CHARS_PER_LINE:
            findings.append(Finding(Problem.CHARS, {"section": i, "chars": chars}))
    return findings


# part name, clause, accepted east-Asian fonts (None: not checked), the font named in the message, size
_PARTS = {
    STYLE_ISSUER: ("发文机关标志", "7.2.3", TITLE_NAMES, "小标宋体", None),
    STYLE_NUMBER: ("发文字号", "7.2.4", FANGSONG_NAMES, "仿宋体", BODY_PT),
    STYLE_TITLE: ("标题", "7.3.1", TITLE_NAMES, "小标宋体（方正小标宋简体）", TITLE_PT),
    STYLE_ADDRESSEE: ("主送机关", "7.3.2", FANGSONG_NAMES, "仿宋体", BODY_PT),
    STYLE_BODY: ("正文", "7.3.3", FANGSONG_NAMES, "仿宋体（仿宋_GB2312）", BODY_PT),
    STYLE_HEADINGS[1]: ("一级标题", "7.3.3", HEITI_NAMES, "黑体", BODY_PT),
    STYLE_HEADINGS[2]: ("二级标题", "7.3.3", KAITI_NAMES, "楷体（楷体_GB2312）", BODY_PT),
    STYLE_HEADINGS[3]: ("三级标题", "7.3.3", FANGSONG_NAMES, "仿宋体", BODY_PT),
    STYLE_ATTACHMENTS: ("附件说明", "7.3.4", FANGSONG_NAMES, "仿宋体", BODY_PT),
    STYLE_SIGNER: ("发文机关署名", "7.3.5", FANGSONG_NAMES, "仿宋体", BODY_PT),
    STYLE_DATE: ("成文日期", "7.3.5", FANGSONG_NAMES, "仿宋体", BODY_PT),
    STYLE_RECORD: ("版记", "7.4", FANGSONG_NAMES, "仿宋体", NOTE_PT),
    # A 简报's masthead, by the clauses of the 文件 parts it stands for.
    STYLE_BRIEF_NAME: ("简报名称", "7.2.3", TITLE_NAMES, "小标宋体", None),
    STYLE_BRIEF_ISSUE: ("简报期号", "7.2.4", FANGSONG_NAMES, "仿宋体", BODY_PT),
    STYLE_BRIEF_EDITOR: ("编印单位和日期", "7.4.3", FANGSONG_NAMES, "仿宋体", NOTE_PT),
}
_SIZE_NAMES = {BODY_PT: "三", TITLE_PT: "二", NOTE_PT: "四"}
_REQUIRED = ((STYLE_ISSUER, "7.2.3"), (STYLE_NUMBER, "7.2.4"), (STYLE_TITLE, "7.3.1"),
             (STYLE_BODY, "7.3.3"), (STYLE_DATE, "7.3.5"))
# A 简报 (recognised by its name's style) needs its masthead, a title and a body; no 发文字号, 署名 or 成文日期.
_BRIEF_MASTHEAD = (STYLE_BRIEF_NAME, STYLE_BRIEF_ISSUE, STYLE_BRIEF_EDITOR)
_REQUIRED_BRIEF = ((STYLE_TITLE, "7.3.1"), (STYLE_BODY, "7.3.3"))


def _check_paragraphs(document) -> list[Finding]:
    findings = []
    defaults = document.styles.element.find(qn("w:docDefaults"))
    default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    defaults_rpr = default.find(qn("w:rPr")) if default is not None else None
    seen = set()
    body = document.element.body
    for p in body.iter(qn("w:p")):
        paragraph = DocxParagraph(p, document._body)
        style = paragraph.style.name if paragraph.style is not None else ""
        if not paragraph.text.strip():
            continue
        if style not in _PARTS:
            if p.getparent() is not body:
                continue
            # Text in any other style is body text (7.3.3): 仿宋 三号 like the rest.
            style = STYLE_BODY
        seen.add(style)
        part, clause, fonts, font_label, size = _PARTS[style]
        text = paragraph.text.strip()
        excerpt = text if len(text) <= 12 else text[:12] + "…"
        for run in paragraph.runs:
            if not run.text.strip():
                continue
            font = _east_asia_font(run, paragraph, defaults_rpr)
            if font not in fonts:
                findings.append(Finding(Problem.FONT, {"part": part, "text": excerpt, "clause": clause,
                                                       "expected": font_label, "actual": font}))
                break
            actual = _size_pt(run, paragraph, defaults_rpr)
            if size is not None and abs(actual - size) > 0.01:
                findings.append(Finding(Problem.SIZE, {"part": part, "text": excerpt, "clause": clause,
                                                       "expected": _SIZE_NAMES[size], "actual": f"{actual:g}"}))
                break
        if style == STYLE_ISSUER and any(run.text.strip() and run.font.color.rgb != RED
                                         for run in paragraph.runs):
            findings.append(Finding(Problem.ISSUER_COLOUR))
        if style == STYLE_NUMBER and not NUMBER_PATTERN.match(text):
            findings.append(Finding(Problem.NUMBER, {"text": text}))
        if style == STYLE_DATE and not _is_document_date(text):
            findings.append(Finding(Problem.DATE, {"text": text}))
        if style == STYLE_BRIEF_NAME and any(run.text.strip() and run.font.color.rgb != RED for run in paragraph.runs):
            findings.append(Finding(Problem.BRIEF_NAME_COLOUR))
        if style == STYLE_BRIEF_ISSUE and not ISSUE_PATTERN.match(text):
            findings.append(Finding(Problem.BRIEF_ISSUE, {"text": text}))
        if style == STYLE_BRIEF_EDITOR:
            by, _tab, on = paragraph.text.rpartition("\t")
            if not by.strip() or not _is_document_date(on.strip()):
                findings.append(Finding(Problem.BRIEF_EDITOR, {"text": text}))
    if STYLE_BRIEF_NAME in seen:
        for style in _BRIEF_MASTHEAD:
            if style not in seen:
                findings.append(Finding(Problem.BRIEF_MISSING, {"part": _PARTS[style][0]}))
        required = _REQUIRED_BRIEF
    else:
        required = _REQUIRED
    for style, clause in required:
        if style not in seen:
            findings.append(Finding(Problem.MISSING, {"part": _PARTS[style][0], "clause": clause}))
    return findings


def _is_document_date(text: str) -> bool:
    match = DATE_PATTERN.match(text)
    if not match:
        return False
    try:
        dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return False
    return True


def officialdoc_findings(docx_bytes: bytes) -> list[Finding]:
    """What in the .docx is not per GB/T 9704-2012, as findings with their codes."""
    try:
        document = Document(BytesIO(docx_bytes))
    except Exception:  # python-docx raises several kinds for a file that is not a .docx
        return [Finding(Problem.UNREADABLE)]
    return _check_sections(document) + _check_paragraphs(document)


def officialdoc_check(docx_bytes: bytes) -> list[str]:
    """Chinese descriptions of what is not per GB/T 9704-2012; empty when the document passes."""
    return [finding.message for finding in officialdoc_findings(docx_bytes)]
