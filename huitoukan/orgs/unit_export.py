"""Export of the unit tree (组织树) as xlsx or CSV, in the import's own format.

The columns are the import's headings and the cells the import's labels, so an export
re-imports as a no-op: every row is "unchanged".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata

import xlsxwriter
from django.db.models import QuerySet

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.audit.models import SecurityEventKind
from huitoukan.audit.services import security_event_record
from huitoukan.orgs import selectors
from huitoukan.orgs.models import Batch, Unit, UnitKind, UnitLevel
from huitoukan.orgs.unit_import import (
    COL_ABOLISHED,
    COL_BATCH,
    COL_ESTABLISHED,
    COL_KIND,
    COL_LEVEL,
    COL_NAME,
    COL_PARENT,
    UnitLine,
    choice_label,
)
from huitoukan.spreadsheets import FORMULA_STARTS

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
HEADINGS = (COL_PARENT, COL_NAME, COL_LEVEL, COL_KIND, COL_BATCH, COL_ESTABLISHED, COL_ABOLISHED)
_DATE_COLUMNS = (5, 6)
_MIN_WIDTH, _MAX_WIDTH = 8, 60



def units_for_export(*, user_or_none, root: Unit | None) -> QuerySet[Unit]:
    """The subtree of `root` (itself included), or everything the user may see; tree order.

    `user_or_none` None is the command line, which sees the whole tree.
    """
    if root is not None:
        if user_or_none is not None:
            policy.require(user_or_none, Perm.UNIT_VIEW, root)
        return selectors.subtree(root)
    if user_or_none is None:
        return Unit.objects.order_by("path")
    return selectors.units_visible_to(user=user_or_none, perm=Perm.UNIT_VIEW)


def _rows(units: QuerySet[Unit]) -> list[UnitLine]:
    fields = ("full_name", "name", "level", "kind", "batch", "established_on", "abolished_on")
    return [
        UnitLine(
            parent=full_name.rpartition("/")[0],
            name=name,
            level=choice_label(UnitLevel, level),
            kind=choice_label(UnitKind, kind),
            batch=choice_label(Batch, batch),
            established_on=established_on,
            abolished_on=abolished_on,
        )
        for full_name, name, level, kind, batch, established_on, abolished_on in units.values_list(*fields).iterator(
            chunk_size=2000
        )
    ]


def _display_width(text: str) -> int:
    # A Chinese character takes two columns of Excel's width unit.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _xlsx(rows: list[UnitLine]) -> bytes:
    buffer = io.BytesIO()
    # constant_memory streams each row to a temporary file: a province exports in flat memory.
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = workbook.add_worksheet("组织树")
    heading = workbook.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    widths = [_display_width(h) + 2 for h in HEADINGS]
    for row in rows:
        for i, value in enumerate(row.cells()):
            if isinstance(value, str):
                widths[i] = max(widths[i], _display_width(value) + 2)
    for i in _DATE_COLUMNS:
        widths[i] = max(widths[i], 12)
    # Column widths and panes go out before the first row in constant_memory mode.
    for i, width in enumerate(widths):
        sheet.set_column(i, i, min(max(width, _MIN_WIDTH), _MAX_WIDTH))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(HEADINGS) - 1)
    for i, text in enumerate(HEADINGS):
        sheet.write_string(0, i, text, heading)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row.cells()):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, value, date)
            elif value:
                # write_string, never write: a name starting with "=" stays text, not a formula.
                sheet.write_string(r, c, value)
    workbook.close()
    return buffer.getvalue()


def _csv_cell(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if value and value.startswith(FORMULA_STARTS):
        # Excel would run it as a formula; the import takes the apostrophe off again.
        return "'" + value
    return value or ""


def _csv(rows: list[UnitLine]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    writer.writerows([_csv_cell(v) for v in row.cells()] for row in rows)
    # The BOM makes Excel read the file as UTF-8 rather than the system's GBK.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def unit_export(*, user_or_none, root: Unit | None, fmt: str, request=None) -> bytes:
    """The subtree of `root` (or all the user may see) as an xlsx or CSV file's bytes.

    Refuses (404) a root outside the user's scope. Every export goes to the security log.
    """
    if fmt not in FORMATS:
        raise ValueError(fmt)
    rows = _rows(units_for_export(user_or_none=user_or_none, root=root))
    data = _xlsx(rows) if fmt == "xlsx" else _csv(rows)
    security_event_record(
        kind=SecurityEventKind.EXPORT,
        user=user_or_none,
        username=user_or_none.get_username() if user_or_none is not None else "命令行",
        request=request,
        detail={"what": "units", "root": root.full_name if root is not None else "", "format": fmt,
                "rows": len(rows)},
    )
    return data


def unit_export_filename(*, user_or_none, root: Unit | None, fmt: str) -> str:
    """组织树-涟源市.xlsx: named for the root, or for the user's one top unit."""
    if root is None:
        if user_or_none is None:
            tops = list(Unit.objects.filter(depth=1).order_by("path")[:2])
        else:
            tops = selectors.top_units(user_or_none, Perm.UNIT_VIEW)[:2]
        root = tops[0] if len(tops) == 1 else None
    return f"组织树-{root.name}.{fmt}" if root is not None else f"组织树.{fmt}"

