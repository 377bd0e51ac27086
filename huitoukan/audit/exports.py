"""The security log as an xlsx file, for the 审计管理员 to keep or hand on."""

from __future__ import annotations

import tempfile
from collections.abc import Callable

import xlsxwriter
from django.db.models import QuerySet
from django.utils import timezone

from huitoukan.audit.models import OUTCOME_OF_KIND, SecurityEvent, SecurityEventKind
from huitoukan.audit.services import AuditError, AuditErrorCode, security_event_record
from huitoukan.core.timeline import actor_label

HEADINGS = ("记录编号", "时间", "事件", "结果", "账号", "用户", "IP地址", "访问路径", "详情")
WIDTHS = (10, 20, 16, 8, 16, 24, 16, 40, 60)
# A sheet holds 1,048,576 rows, the headings' included.
MAX_ROWS = 1_048_575
KIND_LABELS = dict(SecurityEventKind.choices)


def _write(events: QuerySet[SecurityEvent], describe: Callable[[dict], str], out) -> int:
    # constant_memory streams each row to a temporary file: a long log exports in flat memory.
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = book.add_worksheet("安全日志")
    heading = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for i, width in enumerate(WIDTHS):
        sheet.set_column(i, i, width)
    sheet.freeze_panes(1, 0)
    for i, text in enumerate(HEADINGS):
        sheet.write_string(0, i, text, heading)
    rows = 0
    for rows, event in enumerate(events.iterator(chunk_size=2000), start=1):
        outcome = OUTCOME_OF_KIND.get(event.kind)
        cells = (
            f"{timezone.localtime(event.at):%Y-%m-%d %H:%M:%S}",
            str(KIND_LABELS.get(event.kind, event.kind)),
            str(outcome.label) if outcome is not None else "",
            event.username,
            actor_label(event.user) if event.user_id else event.username,
            event.ip,
            event.path,
            describe(event.detail),
        )
        sheet.write_number(rows, 0, event.pk)
        for c, value in enumerate(cells, start=1):
            if value:
                # write_string, never write: a logged "=…" stays text, not a formula.
                sheet.write_string(rows, c, value, wrap if c == len(cells) else None)
    sheet.autofilter(0, 0, max(rows, 1), len(HEADINGS) - 1)
    book.close()
    return rows


def security_log_export(*, events: QuerySet[SecurityEvent], describe: Callable[[dict], str], actor,
                        request=None, filters: dict | None = None):
    """The filtered log as an xlsx file (an open temporary file at its start); the export is itself logged.

    `describe` renders a row's detail as text (the labels belong to the apps above this one).
    """
    total = events.count()
    if total > MAX_ROWS:
        raise AuditError(AuditErrorCode.EXPORT_TOO_LARGE, rows=total, limit=MAX_ROWS)
    out = tempfile.TemporaryFile()
    rows = _write(events, describe, out)
    out.seek(0)
    security_event_record(kind=SecurityEventKind.EXPORT, user=actor, request=request,
                          detail={"what": "security_log", "format": "xlsx", "rows": rows,
                                  **{k: v for k, v in (filters or {}).items() if v}})
    return out
