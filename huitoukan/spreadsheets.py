"""Reading uploaded spreadsheets (xlsx, CSV) and reporting their problems by row and column.

Shared by every import: the unit tree's and the ledgers'.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from enum import Enum

import python_calamine
from django.db import models
from django.utils.translation import gettext_lazy as _

FILE_FIELD = "文件"
FORMULA_STARTS = ("=", "+", "-", "@")


class FileIssueCode(Enum):
    """Problems of a whole uploaded file, whatever it imports."""

    FILE_EMPTY = _("文件是空的。")
    FILE_TOO_LARGE = _("文件超过了 %(limit)s 的上限，请分成几个文件导入。")
    FILE_TYPE = _("只能导入 xlsx 或 CSV 文件（文件名以 .xlsx 或 .csv 结尾）。")
    FILE_NOT_XLSX = _("文件不是有效的 xlsx 表格，请用 Excel 或 WPS 另存为 .xlsx 后再导入。")
    FILE_NOT_CSV = _("文件不是文本格式的 CSV，请用 Excel 或 WPS 另存为 CSV 或 xlsx 后再导入。")
    FILE_ENCODING = _("无法识别 CSV 文件的编码，请保存为 UTF-8 或 GB18030（GBK）编码。")


@dataclass(frozen=True)
class ImportIssue:
    """One problem of the file: a row (None for the whole file), the column, what is wrong."""

    row: int | None
    field: str
    code: Enum
    params: dict = field(default_factory=dict, compare=False)

    @property
    def message(self) -> str:
        template = str(self.code.value)
        return template % self.params if self.params else template

    def __str__(self) -> str:
        where = f"第{self.row}行 " if self.row is not None else ""
        return f"{where}{self.field}: {self.message}"


class RowAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    UNCHANGED = "unchanged", _("不变")


class ImportTally:
    """What an import result says of its rows (`rows` with an `action`, and `errors`)."""

    @property
    def ok(self) -> bool:
        return not self.errors

    def _count(self, action: RowAction) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def created(self) -> int:
        return self._count(RowAction.CREATE)

    @property
    def updated(self) -> int:
        return self._count(RowAction.UPDATE)

    @property
    def unchanged(self) -> int:
        return self._count(RowAction.UNCHANGED)

    @property
    def changed_rows(self) -> list:
        return [r for r in self.rows if r.action != RowAction.UNCHANGED]


class FileProblem(Exception):
    """A problem of the whole file; its `issue` is reported like a row's."""

    def __init__(self, code: Enum, **params):
        self.issue = ImportIssue(None, FILE_FIELD, code, params)
        super().__init__(self.issue.message)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # calamine returns every number as a float: 123 in a name cell is "123", not "123.0".
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        text = text[1:]
    return text


def xlsx_sheets(data: bytes) -> list[list[list]]:
    """Every sheet's rows as values; row 1 of a sheet is index 0, so row numbers are Excel's."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileProblem(FileIssueCode.FILE_NOT_XLSX)
    try:
        workbook = python_calamine.load_workbook(io.BytesIO(data))
        return [
            workbook.get_sheet_by_index(i).to_python(skip_empty_area=False)
            for i in range(len(workbook.sheet_names))
        ]
    except Exception as e:  # calamine raises its own error types for every kind of damage
        raise FileProblem(FileIssueCode.FILE_NOT_XLSX) from e


def decode_csv(data: bytes) -> str:
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8):].decode("utf-8")
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
    except UnicodeDecodeError as e:
        raise FileProblem(FileIssueCode.FILE_ENCODING) from e
    if b"\x00" in data:
        raise FileProblem(FileIssueCode.FILE_NOT_CSV)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # What Chinese Excel and WPS write when asked for plain "CSV".
        return data.decode("gb18030")
    except UnicodeDecodeError as e:
        raise FileProblem(FileIssueCode.FILE_ENCODING) from e


def read_csv(data: bytes) -> list[list]:
    text = decode_csv(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # Excel's "Unicode text" is tab-separated.
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as e:
        raise FileProblem(FileIssueCode.FILE_NOT_CSV) from e


def size_label(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit / 1024:g} KB"
