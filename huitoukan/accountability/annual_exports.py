"""The year's summary as xlsx: a sheet of units, one of leaders, one of 评先选优. Every cell is a value, never a
formula (a case title or a reason typed as "=…" stays text); the export goes to the security log."""

from __future__ import annotations

import io

import xlsxwriter

from huitoukan.accountability.annual import YearSummary
from huitoukan.audit.models import SecurityEventKind
from huitoukan.audit.services import security_event_record

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNIT_HEADINGS = ("单位", "整改事项", "已销号", "销号率", "逾期", "回炉/反弹", "报送退回", "督查问题（当前未办结）",
                 "蓝色通知单（当前未办结）", "黄色通知单（当前未办结）", "红色通知单（当前未办结）", "满意度严重偏低", "责任追究", "过关情况", "表扬")
LEADER_HEADINGS = ("姓名", "职务", "牵头事项", "已销号", "逾期", "责任追究", "表扬")
RATING_HEADING = "纪实评价等次"  # only for a reader the summary shows the ratings to (evaluation.view over the unit)
CANDIDATE_HEADINGS = ("类别", "名称", "评先选优", "原因", "表扬")


def filename(summary: YearSummary) -> str:
    return f"年度考核-{summary.unit.name}-{summary.year}年.xlsx"


def _verdict(row) -> str:
    if row.passed is None:
        return "—"
    return "过关" if row.passed else "不过关"


def summary_xlsx(summary: YearSummary, candidates, *, user, request=None) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    head = book.add_format({"bold": True, "border": 1, "align": "center", "bg_color": "#F2F2F2", "text_wrap": True})
    cell = book.add_format({"border": 1, "text_wrap": True})
    title = book.add_format({"bold": True, "font_size": 14})

    sheet = book.add_worksheet("单位")
    sheet.write(0, 0, f"{summary.unit.full_name} {summary.year}年度整改落实情况（年度考核）", title)
    sheet.write_row(1, 0, UNIT_HEADINGS, head)
    for r, row in enumerate(summary.units, start=2):
        name = row.unit.name if row is not summary.total else f"{row.unit.name}（合计）"
        percent = "" if row.closed_percent is None else f"{row.closed_percent}%"
        # Open findings and notices are today's counts: another year's sheet says "—" (not counted by year).
        today_only = ((row.findings_open, row.notices.get("blue", 0), row.notices.get("yellow", 0),
                       row.notices.get("red", 0)) if summary.current else ("—",) * 4)
        sheet.write_row(r, 0, (name, row.items, row.closed, percent, row.overdue, row.reopened, row.returned,
                               *today_only, row.satisfaction_low, row.actions_text or "",
                               _verdict(row), "；".join(c.reason for c in row.commendations)), cell)
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 14, 12)

    sheet = book.add_worksheet("领导干部")
    sheet.write_row(0, 0, (*LEADER_HEADINGS, RATING_HEADING) if summary.ratings else LEADER_HEADINGS, head)
    for r, row in enumerate(summary.leaders, start=1):
        actions = "；".join(f"{a.decided_on:%Y-%m-%d} {a.get_kind_display()}（{a.case.title}）" for a in row.actions)
        values = (row.person.name, row.person.position, row.items, row.closed, row.overdue, actions,
                  "；".join(c.reason for c in row.commendations))
        sheet.write_row(r, 0, (*values, row.rating) if summary.ratings else values, cell)
    sheet.set_column(0, 1, 16)
    sheet.set_column(5, 6, 40)

    sheet = book.add_worksheet("评先选优")
    sheet.write_row(0, 0, CANDIDATE_HEADINGS, head)
    for r, candidate in enumerate(candidates, start=1):
        sheet.write_row(r, 0, ("单位" if candidate.kind == "unit" else "个人", candidate.name,
                               "可列入" if candidate.eligible else "不能列入",
                               "；".join(f"{x.label}：{x.text}" for x in candidate.reasons),
                               "已表扬" if candidate.commended else ""), cell)
    sheet.set_column(1, 1, 30)
    sheet.set_column(3, 3, 60)
    book.close()
    security_event_record(kind=SecurityEventKind.EXPORT, user=user, username=user.get_username(), request=request,
                          detail={"what": "annual_summary", "unit": summary.unit.pk, "year": summary.year})
    return out.getvalue()
