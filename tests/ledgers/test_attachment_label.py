"""The 附件N label of the ledger exports follows GB/T 9704-2012 (7.3.6 附件: 黑体 三号), as the official
documents do (issue 15: "The 附件 labels of ledger exports follow the same rules")."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from huitoukan.ledgers.exports import subtree_workbook
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.word import ledger_document

pytestmark = pytest.mark.django_db


def test_the_word_attachment_label_is_heiti_sanhao(lw):
    document = docx.Document(io.BytesIO(ledger_document(ledger=lw.ledger)))
    label = document.paragraphs[0]
    run = next(r for r in label.runs if r.text.strip())
    assert label.text == "附件1"
    assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert run.font.size.pt == 16


def test_the_excel_attachment_label_is_heiti_sanhao(lw):
    book = openpyxl.load_workbook(io.BytesIO(subtree_workbook(user=lw.office, campaign=lw.campaign,
                                                              root_unit=lw.tree.lianyuan, kind=LedgerKind.LEADERSHIP)))
    cell = book.worksheets[0]["A1"]
    assert cell.value == "附件1"
    assert (cell.font.name, cell.font.sz, bool(cell.font.b)) == ("黑体", 16, False)
