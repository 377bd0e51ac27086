"""汇总表: the 汇总 of a unit as an office sends it up — a row per child unit, the unit's own row, a totals row."""

from __future__ import annotations

import io

import xlsxwriter

from huitoukan.audit.models import SecurityEventKind
from huitoukan.audit.services import security_event_record
from huitoukan.core.dates import chinese_date
from huitoukan.ledgers.exports import AS_OF_LABEL
from huitoukan.rollups.selectors import Rollup

HEADINGS = ("序号", "单位", "整改事项", "已销号", "销号率", "已逾期", "7天内到期", "回炉、反弹", "应建台账单位", "已建台账单位")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rollup_filename(rollup: Rollup) -> str:
    """The day counted: today's, or the past day a 汇总 as of a day shows (状态截至)."""
    if rollup.as_of is not None:
        return f"整改落实情况汇总表-{rollup.unit.name}-状态截至{rollup.as_of:%Y%m%d}.xlsx"
    return f"整改落实情况汇总表-{rollup.unit.name}-{rollup.today:%Y%m%d}.xlsx"


def header_line(rollup: Rollup) -> str:
    """填报单位 and the day the figures stand at: 统计截至 today, or 状态截至 the past day shown."""
    if rollup.as_of is not None:
        return f"填报单位：{rollup.unit.full_name}　　{AS_OF_LABEL}{chinese_date(rollup.as_of)}"
    return f"填报单位：{rollup.unit.full_name}　　统计截至：{rollup.today:%Y年%m月%d日}"


def rollup_xlsx(rollup: Rollup, *, user, request=None) -> bytes:
    """The workbook; the export is written to the security log like every export."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("汇总表")
    title = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    head = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True,
                            "bg_color": "#F2F2F2"})
    cell = book.add_format({"border": 1, "valign": "vcenter"})
    number = book.add_format({"border": 1, "align": "center"})
    rate = book.add_format({"border": 1, "align": "center", "num_format": "0.0%"})
    total = book.add_format({"border": 1, "bold": True, "align": "center"})
    total_rate = book.add_format({"border": 1, "bold": True, "align": "center", "num_format": "0.0%"})
    last = len(HEADINGS) - 1
    sheet.merge_range(0, 0, 0, last, f"{rollup.campaign.name}汇总表", title)
    sheet.merge_range(1, 0, 1, last, header_line(rollup), book.add_format({"valign": "vcenter"}))
    sheet.set_row(0, 32)
    sheet.write_row(2, 0, HEADINGS, head)
    rows = [(child.name + ("（已撤销）" if child.abolished_on else ""), f) for child, f in rollup.children]
    rows.append((f"{rollup.unit.name}（本级）", rollup.own))
    for index, (name, f) in enumerate(rows, start=1):
        r = 2 + index
        sheet.write_number(r, 0, index, number)
        sheet.write_string(r, 1, name, cell)
        for col, value in enumerate((f.total, f.closed), start=2):
            sheet.write_number(r, col, value, number)
        sheet.write(r, 4, f.closed_rate if f.closed_rate is not None else "—", rate)
        for col, value in enumerate((f.overdue, f.due_soon, f.reopened, f.units, f.built), start=5):
            sheet.write_number(r, col, value, number)
    r = 3 + len(rows)
    f = rollup.figures
    sheet.merge_range(r, 0, r, 1, "合计", total)
    for col, value in enumerate((f.total, f.closed), start=2):
        sheet.write_number(r, col, value, total)
    sheet.write(r, 4, f.closed_rate if f.closed_rate is not None else "—", total_rate)
    for col, value in enumerate((f.overdue, f.due_soon, f.reopened, f.units, f.built), start=5):
        sheet.write_number(r, col, value, total)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, last, 11)
    sheet.repeat_rows(2)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    book.close()
    security_event_record(kind=SecurityEventKind.EXPORT, user=user, username=user.get_username(), request=request,
                          detail={"what": "rollup", "unit": rollup.unit.full_name, "campaign": rollup.campaign.name,
                                  "rows": len(rows)} | ({"as_of": rollup.as_of.isoformat()} if rollup.as_of else {}))
    return out.getvalue()
