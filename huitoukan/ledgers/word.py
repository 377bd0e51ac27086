"""A ledger as a Word document in the layout of seed 001 附件1-4.

A4 landscape: 附件N, the title, the header line, the table (its heading row repeated on every
page) and the 说明. Rows are appended with `add_row()`: `table.cell(i, j)` walks the whole
table on every call and turns a 500-row ledger into minutes.
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from huitoukan.ledgers.exports import CENTRED_KEYS, FONT, header_line, ledger_rows
from huitoukan.ledgers.layouts import LAYOUTS
from huitoukan.ledgers.models import Ledger

PAGE_WIDTH, PAGE_HEIGHT = Cm(29.7), Cm(21.0)
MARGIN_SIDE, MARGIN_TOP = Cm(1.5), Cm(1.8)
LABEL_FONT = "黑体"  # 附件N: 黑体 三号 (16 pt), as GB/T 9704-2012 7.3.6 sets the label of an attachment
LABEL_PT = 16


def _east_asian(element, name: str) -> None:
    """python-docx sets only the Latin font; Chinese text follows w:eastAsia."""
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        rfonts.set(qn(attr), name)


# XML 1.0 forbids C0 control characters other than tab, newline and carriage return; a text
# pasted from Word may carry one (\x0b is its soft line break).
_CONTROL = {c: None for c in range(32) if c not in (9, 10, 13)} | {0x0B: "\n"}


def _run(paragraph, text: str, *, size: float, bold: bool = False, font: str = FONT):
    run = paragraph.add_run(text.translate(_CONTROL))
    run.font.size = Pt(size)
    run.font.bold = bold
    _east_asian(run._r, font)
    return run


def _page_field(paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _repeat_as_header(row) -> None:
    """w:tblHeader: Word and LibreOffice repeat this row at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    tr_pr.append(marker)


def _setup(document) -> None:
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    _east_asian(normal.element, FONT)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN_SIDE
    section.top_margin = section.bottom_margin = MARGIN_TOP
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    _page_field(footer, "PAGE")
    footer.add_run(" 页 共 ")
    _page_field(footer, "NUMPAGES")
    footer.add_run(" 页")


def document_with_count(*, ledger: Ledger, today: dt.date | None = None,
                        as_of: dt.date | None = None) -> tuple[bytes, int]:
    """The .docx bytes and the number of item rows (with `as_of`, of the ledger as it stood that day)."""
    layout = LAYOUTS[ledger.kind]
    (_, rows), = ledger_rows(ledgers=[ledger], as_of=as_of)
    document = Document()
    _setup(document)

    _run(document.add_paragraph(), layout.attachment, size=LABEL_PT, font=LABEL_FONT)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, layout.title, size=18, bold=True)
    _run(document.add_paragraph(), header_line(ledger, today, as_of), size=12)

    usable = PAGE_WIDTH - 2 * MARGIN_SIDE
    total_units = sum(c.width for c in layout.columns)
    widths = [int(usable * c.width / total_units) for c in layout.columns]
    keys = [c.key for c in layout.columns]
    centred = [k in CENTRED_KEYS for k in keys]

    table = document.add_table(rows=1, cols=len(layout.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid; add_row() copies it to each new cell
    heading_row = table.rows[0]
    _repeat_as_header(heading_row)
    for cell, heading, width in zip(heading_row.cells, layout.headings, widths, strict=True):
        cell.width = width
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, heading, size=10.5, bold=True)

    for row in rows:
        cells = table.add_row().cells
        for cell, key, centre in zip(cells, keys, centred, strict=True):
            value = getattr(row, key)
            cell.text = str(value).translate(_CONTROL) if value != "" else ""
            if centre:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER

    notes = document.add_paragraph()
    notes.paragraph_format.space_before = Pt(6)
    _run(notes, layout.notes, size=10.5)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), len(rows)


def ledger_document(*, ledger: Ledger, today: dt.date | None = None) -> bytes:
    """The ledger as .docx (python-docx), in the attachment's layout."""
    return document_with_count(ledger=ledger, today=today)[0]
