"""Route × role rows of the ledger import (see tests/route_types.py for the Route fields).

Importing is editing: 活动办 and 单位填报员 (LEDGER_EDIT). The page opens on a ledger (?ledger=), which
the other business roles may read (403) and the rest may not (404). Posting a filled workbook is
the first of the import's two requests: a dry run that shows the rows and offers 确认导入.
"""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from huitoukan.ledgers.layouts import LAYOUTS, LedgerKind
from tests.route_types import EDITORS, WORK_READERS, Route, previewed

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(s) -> SimpleUploadedFile:
    """附件1 as an office fills it: its label, title, header line, headings and one item led by the side's leader."""
    layout = LAYOUTS[LedgerKind.LEADERSHIP]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([f"{layout.attachment}："])
    sheet.append([layout.title])
    sheet.append([f"单位：{s.county.name}                填报时间：2015年1月20日"])
    sheet.append(list(layout.headings))
    sheet.append([9, "调查研究不深入", "每季度蹲点调研", "2015年3月31日", s.leader.name, s.unit.name, "", ""])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("台账.xlsx", out.getvalue(), content_type=XLSX)


IMPORT_ROUTES: dict = {
    ("ledger-import", "GET"): Route(lambda s: f"/ledgers/import/?ledger={s.ledger.pk}", EDITORS, readers=WORK_READERS),
    ("ledger-import", "POST"): Route(
        lambda s: "/ledgers/import/", EDITORS, readers=WORK_READERS,
        body=lambda s: {"campaign": s.campaign.pk, "unit": s.county.pk, "kind": LedgerKind.LEADERSHIP, "person": "",
                        "file": _workbook(s)},
        done=previewed),
}
