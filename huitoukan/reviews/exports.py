"""报送情况 as xlsx: a row per expected unit with its standing, then the tallies by level, kind and batch."""

from __future__ import annotations

import io

import xlsxwriter
from django.utils import timezone

from huitoukan.audit.models import SecurityEventKind
from huitoukan.audit.services import security_event_record
from huitoukan.core.dates import chinese_date
from huitoukan.reviews.selectors import ReportingStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNIT_HEADINGS = ("序号", "单位", "层级", "类型", "批次", "报送状态", "按时/逾期", "首次报送时间", "最近报送时间", "版本数")
TALLY_HEADINGS = ("分组", "应报", "已报送", "按时", "逾期", "待审阅", "已退回", "已通过", "未报送", "报送率")


def status_filename(status: ReportingStatus) -> str:
    if status.as_of is not None:
        return f"报送情况-{status.deadline.name}-{status.within.name}-状态截至{status.as_of:%Y%m%d}.xlsx"
    return f"报送情况-{status.deadline.name}-{status.within.name}-{status.today:%Y%m%d}.xlsx"


def header_line(status: ReportingStatus) -> str:
    """范围 and the day counted: 统计时间 today, or 状态截至 the past day shown (reviews.past)."""
    if status.as_of is not None:
        return f"范围：{status.within.full_name}　　状态截至：{chinese_date(status.as_of)}"
    return f"范围：{status.within.full_name}　　统计时间：{status.today:%Y年%m月%d日}"


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def status_xlsx(status: ReportingStatus, *, user, request=None) -> bytes:
    """The workbook; the export is written to the security log like every export."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "border": 1, "align": "center", "bg_color": "#F2F2F2", "text_wrap": True})
    cell = book.add_format({"border": 1})
    late = book.add_format({"border": 1, "font_color": "#C00000"})
    rate = book.add_format({"border": 1, "num_format": "0.0%"})
    sheet = book.add_worksheet("报送情况")
    sheet.write(0, 0, f"{status.deadline.name}报送情况（截止{status.deadline.due_on:%Y年%m月%d日}）", title)
    sheet.write(1, 0, header_line(status))
    sheet.write_row(2, 0, UNIT_HEADINGS, head)
    for n, row in enumerate(status.rows, start=1):
        u = row.unit
        values = (n, u.full_name, u.get_level_display(), u.get_kind_display(), u.get_batch_display() or "",
                  row.state_label, row.timing_label or ("逾期未报" if status.overdue else "未报"),
                  _when(row.first_submitted_at), _when(row.last_submitted_at),
                  row.versions)
        sheet.write_row(2 + n, 0, values, late if row.on_time is False or row.on_time is None else cell)
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, 9, 12)
    tallies = book.add_worksheet("分组统计")
    r = 0
    for heading, groups in (("按层级", status.by_level), ("按类型", status.by_kind), ("按批次", status.by_batch),
                            ("合计", [status.total])):
        tallies.write(r, 0, heading, title)
        tallies.write_row(r + 1, 0, TALLY_HEADINGS, head)
        for i, t in enumerate(groups, start=r + 2):
            tallies.write_row(i, 0, (t.label, t.expected, t.submitted, t.on_time, t.late, t.waiting, t.returned,
                                     t.approved, t.not_submitted), cell)
            tallies.write(i, 9, t.rate, rate)
        r += len(groups) + 3
    tallies.set_column(0, 0, 24)
    book.close()
    security_event_record(kind=SecurityEventKind.EXPORT, user=user, username=user.get_username(), request=request,
                          detail={"what": "reporting_status", "deadline": status.deadline.name,
                                  "unit": status.within.full_name, "rows": len(status.rows)}
                          | ({"as_of": status.as_of.isoformat()} if status.as_of else {}))
    return out.getvalue()
