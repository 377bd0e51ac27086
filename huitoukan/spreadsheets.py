"""Reading uploaded spreadsheets (xlsx, CSV) and reporting their problems by row and column.

Shared by every import: the unit tree's and the ledgers'.
"""

from __future__ import annotations

import codecs
import copy
import csv
import datetime as dt
import functools
import io
import posixpath
import re
import struct
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum

import python_calamine
from django.conf import settings
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
    # What xlsx_check refuses before anything parses the file.
    FILE_TOO_MANY_PARTS = _("文件内含的部件超过 %(limit)d 个，不是正常的 xlsx 表格，已拒绝导入；"
                            "请用 Excel 或 WPS 另存为 .xlsx 后再导入。")
    FILE_UNPACKED_TOO_LARGE = _("文件解压后超过 %(limit)s 的上限（疑似“压缩炸弹”），已拒绝导入；"
                                "请删除多余的内容，或分成几个文件导入。")
    FILE_RATIO_SUSPICIOUS = _("文件中的“%(part)s”压缩比异常（解压后是压缩时的 %(ratio)d 倍，疑似“压缩炸弹”），"
                              "已拒绝导入；请用 Excel 或 WPS 另存为 .xlsx 后再导入。")
    FILE_SIZE_MISMATCH = _("文件中的“%(part)s”解压后比文件记录的大小更大（文件已损坏或被篡改），已拒绝导入；"
                           "请用 Excel 或 WPS 另存为 .xlsx 后再导入。")
    SHEET_TOO_LARGE = _("工作表“%(sheet)s”的范围达到 %(cell)s（%(rows)d 行 × %(columns)d 列），超出可导入的上限"
                        "（最多 %(max_rows)d 行、%(max_columns)d 列、共 %(max_cells)d 个单元格）；"
                        "请删除多余的空行空列后再导入。")
    SHEET_TOO_MANY_CELLS = _("工作表“%(sheet)s”中的单元格、行或合并单元格过多，超出可导入的上限"
                             "（共 %(max_cells)d 个单元格）；请删除多余的空行空列或合并单元格后再导入。")
    WORKBOOK_TOO_LARGE = _("工作簿的内容合计超过 %(max_cells)d 个单元格，超出可导入的上限；"
                           "请删除多余的工作表、空行空列后再导入，或分成几个文件导入。")


class SheetIssueCode(Enum):
    """Problems every import finds the same way in its sheet: its headings, its cells, its write."""

    COLUMN_MISSING = _("缺少必需的列“%(column)s”（%(expected)s）。")
    COLUMN_DUPLICATE = _("列“%(column)s”出现了不止一次。")
    NO_ROWS = _("表头下面没有%(what)s数据。")
    REQUIRED = _("不能为空。")
    TOO_LONG = _("不能超过 %(max)d 个字。")
    WRITE_FAILED = _("%(message)s")


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


def heading_positions(cells: list, key_of, required, *, row: int, label_of, expected: str
                      ) -> tuple[dict[str, int], list[ImportIssue]]:
    """Where each known column stands in the heading row (`row`, 1-based), and the headings'
    problems: one given twice, a required one missing. `key_of(cell)` is a column's key or None
    for a cell that heads no known column; `label_of(key)` names it as the file does;
    `expected` says what the heading should hold (in the message of a missing column)."""
    positions: dict[str, int] = {}
    issues: list[ImportIssue] = []
    for position, cell in enumerate(cells):
        key = key_of(cell)
        if key is None:
            continue
        if key in positions:
            issue = ImportIssue(row, label_of(key), SheetIssueCode.COLUMN_DUPLICATE, {"column": label_of(key)})
            if issue not in issues:
                issues.append(issue)
            continue
        positions[key] = position
    issues.extend(column_missing(label_of(key), expected) for key in required if key not in positions)
    return positions, issues


def column_missing(label: str, expected: str) -> ImportIssue:
    return ImportIssue(None, label, SheetIssueCode.COLUMN_MISSING, {"column": label, "expected": expected})


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


# --- xlsx: inspected before anything parses it -----------------------------------------------
#
# calamine trusts the file it reads. It holds a sheet as one dense block from A1 to the last cell
# with a value, so a 2 KB file with values in A1 and XFD1048576 asks for ~512 GB and aborts the
# whole process (a failed allocation is no exception); and it inflates whatever a zip member
# holds, so a 2 MB zip bomb takes gigabytes. xlsx_check looks at the bytes first, with zipfile
# and a bounded scan of the XML, and refuses (FileProblem):
#   - what is not a zip starting with a local file header (so no reader takes it for an xls),
#     or holds the parts that would make calamine retry it as xlsb or ODS;
#   - more than XLSX_MAX_MEMBERS members (bounded before zipfile parses them, 10-20 µs each);
#   - more than XLSX_MAX_UNPACKED_BYTES declared unpacked, a large member packed more than
#     _MAX_RATIO to one, or a member inflating to more than it declares: every member is
#     inflated a chunk at a time and cut off as soon as it passes its declared size;
#   - a worksheet that will be read whose cells, placed where calamine places them (their `r`,
#     or the next column or row when it is absent: xlsx/cells_reader.rs), reach past
#     XLSX_MAX_ROWS rows or XLSX_MAX_COLUMNS columns or XLSX_MAX_CELLS cells counted from A1;
#     merged ranges and the other parts' elements within XLSX_MAX_CELLS too, and the scan's own
#     work within a few steps a row.
# The <dimension ref="A1:XFD1048576"/> near the top of a sheet is not trusted either way: it is
# what the writer claims (a lie of "A1:B2" above a value in XFD1048576 aborts all the same), and
# calamine only uses it to reserve room below 100,000 cells. The cells themselves are counted.

_ZIP_LOCAL_HEADER = b"PK\x03\x04"
_ZIP_END = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END = b"PK\x06\x06"
_ZIP_ENCRYPTED = 0x1
# A central directory entry is 46 bytes and the part's name (Excel's longest: ~40); more than this
# per allowed member is a directory of many more members than it admits to.
_CENTRAL_ENTRY_BYTES = 256
_CHUNK = 256 * 1024
_MAX_PIECE = 1024 * 1024  # the longest tag, text or comment the scan holds whole (a cell holds 32,767 characters)
_RATIO_FLOOR = 1024 * 1024  # a member unpacking to less cannot hurt, whatever its ratio
_MAX_RATIO = 100  # deflate's ceiling is ~1,030 to one; sheets from Excel, WPS and openpyxl pack 5-30 to one
_MAX_WHOLE_PART = 16 * 1024 * 1024  # workbook.xml and its relationships are read whole
_MAX_NESTING = 64
# Parts by which calamine would retry the file as xlsb or ODS if reading it as xlsx failed.
_OTHER_FORMATS = frozenset({"xl/workbook.bin", "content.xml"})
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

# The scan reads markup the way quick-xml (calamine's parser) does: a tag is "<" to the ">" outside
# quotes, comments, CDATA and processing instructions are skipped whole, an element's name is
# compared without its prefix. Every "<" must start one of those; anything else is refused.
_NAME = rb"[^\s/<>\"'!?=]++"
_SPECIAL = rb"(?:[^\s/<>\"'!?=:]++:)?(?:c|row|sheetData|mergeCell)(?=[\s/>])"
_ATTRS = rb"(?:[^<>\"']++|\"[^<\"]*+\"|'[^<']*+')*+"
_MISC = rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>"
_TAG = rb"<(?P<end>/?)(?P<name>" + _NAME + rb")(?P<attrs>" + _ATTRS + rb")>"
# The common shapes (Excel, WPS, openpyxl, xlsxwriter, streaming writers) take one step a row:
# a row whose every "<" opens a value, a formula, inline text or a cell, with double-quoted
# attributes, and either every cell has its `r` in that row (their columns are then read in bulk,
# _CELL_COLUMN) or none has one (calamine numbers them across the row). A cell in any other shape
# takes a step or a few; every shape keeps calamine's count of rows and columns.
_PLAIN_ATTRS = rb"(?:\s++[^\s=<>/\"']++\s*+=\s*+(?:\"[^\"<>]*+\"|'[^'<>]*+'))*+\s*+"
_QUOTED_ATTR = rb"\s++[^\s=<>/\"']++\s*+=\s*+\"[^\"<>]*+\""
_OTHER_QUOTED_ATTR = rb"\s++(?!r\s*+=)[^\s=<>/\"']++\s*+=\s*+\"[^\"<>]*+\""
_CELL_BODY = (rb"(?:[^<]++|<v>[^<]*+</v>|<f" + _PLAIN_ATTRS + rb"(?:/>|>[^<]*+</f>)"
              rb"|<is>(?:[^<]++|<t" + _PLAIN_ATTRS + rb">[^<]*+</t>)*+</is>)*+")
_IN_CELL = rb"<(?:/c>|v>|/v>|is>|/is>|t[\s>]|/t>|f[\s/>]|/f>)"
_CELL_IN_ITS_ROW = (rb"<c(?:" + _OTHER_QUOTED_ATTR + rb")*+\s++r\s*+=\s*+\"[A-Za-z]++(?P=row_r)\"(?:"
                    + _QUOTED_ATTR + rb")*+\s*+/?>")
_CELL_WITHOUT_R = rb"<c(?:" + _OTHER_QUOTED_ATTR + rb")*+\s*+/?>"
_OUTSIDE_CELL = re.compile(
    rb"(?P<skip>(?:[^<]++|" + _MISC + rb"|</?(?!" + _SPECIAL + rb")" + _NAME + _ATTRS + rb">)++)"
    rb"|(?P<row><row\s++r=\"(?P<row_r>[0-9]{1,7}+)\"" + _ATTRS + rb"(?:(?<=/)>|(?<!/)>(?:[^<]++|"
    + _CELL_IN_ITS_ROW + rb"|" + _IN_CELL + rb")*+</row>))"
    rb"|(?P<numbered><row(?P<numbered_attrs>(?:" + _QUOTED_ATTR + rb")*+)\s*+(?:/>|>(?P<numbered_cells>(?:[^<]++|"
    + _CELL_WITHOUT_R + rb"|" + _IN_CELL + rb")*+)</row>))"
    rb"|(?P<cell><c(?P<cell_attrs>" + _PLAIN_ATTRS + rb")(?:/>|>" + _CELL_BODY + rb"</c>))"
    rb"|" + _TAG,
    re.S,
)
_INSIDE_CELL = re.compile(
    rb"(?P<leaf>(?:[^<]++|" + _MISC + rb"|<(?!" + _SPECIAL + rb")" + _NAME + _ATTRS + rb"(?<=/)>"
    rb"|<(?!" + _SPECIAL + rb")(?P<leaf_name>" + _NAME + rb")" + _ATTRS + rb"(?<!/)>[^<]*+</(?P=leaf_name)\s*+>)++)"
    rb"|" + _TAG,
    re.S,
)
_CELL_COLUMN = re.compile(rb"<c(?:" + _OTHER_QUOTED_ATTR + rb")*+\s++r\s*+=\s*+\"([A-Za-z]*+)")
_WELL_FORMED_ATTRS = re.compile(rb"(?:\s++[^\s=/>]++\s*+=\s*+(?:\"[^\"]*+\"|'[^']*+'))*+\s*+/?")
_ATTR = re.compile(rb"\s*+([^\s=/>]++)\s*+=\s*+(?:\"([^\"]*+)\"|'([^']*+)')")
_FIRST_R = re.compile(rb"(?:\s++(?!r\s*+=)[^\s=]++\s*+=\s*+(?:\"[^\"]*+\"|'[^']*+'))*+\s++r\s*+=\s*+(?:\"([^\"]*+)\"|'([^']*+)')")
_REF = re.compile(rb"([A-Za-z]*+)([0-9]*+)")
_XML_DECLARATION = re.compile(rb"(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")
_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]{1,8}|#[0-9]{1,10}|amp|lt|gt|quot|apos);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


@dataclass(frozen=True)
class _Limits:
    members: int
    unpacked_bytes: int
    rows: int
    columns: int
    cells: int

    @classmethod
    def from_settings(cls) -> _Limits:
        return cls(members=settings.XLSX_MAX_MEMBERS, unpacked_bytes=settings.XLSX_MAX_UNPACKED_BYTES,
                   rows=settings.XLSX_MAX_ROWS, columns=settings.XLSX_MAX_COLUMNS, cells=settings.XLSX_MAX_CELLS)


def _not_xlsx() -> FileProblem:
    return FileProblem(FileIssueCode.FILE_NOT_XLSX)


def _ascii_lower(name: str) -> str:
    # calamine finds a part by a name equal ignoring ASCII case only.
    return name.translate(_ASCII_LOWER)


@functools.lru_cache(maxsize=1024)
def _column_number(letters: bytes) -> int:
    if len(letters) > 6:
        return 26**6  # far past any limit; calamine's u32 arithmetic would wrap, a refusal is what matters
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _column_name(number: int) -> str:
    name = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


def _position(ref: bytes) -> tuple[int, int]:
    """(row, column), 1-based, of a reference as calamine reads it ("AB12"); 0 for a missing part."""
    match = _REF.fullmatch(ref)
    if match is None:
        raise _not_xlsx()  # calamine refuses it too
    letters, digits = match.groups()
    significant = digits.lstrip(b"0")
    row = 0 if not significant else int(significant) if len(significant) <= 12 else 10**12
    return row, _column_number(letters) if letters else 0


def _attributes(attrs: bytes) -> dict[bytes, bytes]:
    """A tag's attributes, raw (calamine compares them unescaped only where named below)."""
    if _WELL_FORMED_ATTRS.fullmatch(attrs) is None:
        raise _not_xlsx()  # quick-xml refuses it too, or reads it some other way
    found: dict[bytes, bytes] = {}
    for key, double, single in _ATTR.findall(attrs):
        if key in found:
            raise _not_xlsx()
        found[key] = double or single
    return found


def _r_of(attrs: bytes) -> bytes | None:
    match = _FIRST_R.match(attrs)
    return None if match is None else match[1] if match[1] is not None else match[2]


def _xml_text(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _not_xlsx() from e

    def entity(match: re.Match) -> str:
        name = match[1]
        if name[0] != "#":
            return _ENTITIES[name]
        code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
        return chr(code) if code <= 0x10FFFF else ""

    return _ENTITY.sub(entity, text)


def _check_encoding(head: bytes) -> None:
    # The scan reads bytes as ASCII-compatible text, as Excel always writes (UTF-8). quick-xml would
    # decode UTF-16 (its NULs) or another declared encoding first and see other markup.
    declared = _XML_DECLARATION.match(head)
    if b"\x00" in head or (declared and declared[1].lower() not in (b"utf-8", b"utf8")):
        raise _not_xlsx()


class _Budget:
    """What the whole workbook may cost: the scan's steps, the sheets' areas, the merged cells."""

    def __init__(self, limits: _Limits):
        self.limits = limits
        # A step is a row in the common shapes (a cell or a tag otherwise), a few microseconds of
        # Python: enough for XLSX_MAX_ROWS rows, with room for the odd cell read one at a time.
        self.steps_left = 3 * limits.rows
        self.area = 0  # every sheet read comes back as one list of rows from A1: their sum is the memory
        self.merged = 0  # the ledger import walks every merged cell

    def too_many(self, sheet: str) -> FileProblem:
        return FileProblem(FileIssueCode.SHEET_TOO_MANY_CELLS, sheet=sheet, max_cells=self.limits.cells)

    def add_area(self, area: int) -> None:
        self.area += area
        if self.area > self.limits.cells:
            raise FileProblem(FileIssueCode.WORKBOOK_TOO_LARGE, max_cells=self.limits.cells)


class _SheetScan:
    """Where calamine will put a worksheet's cells, following xlsx/cells_reader.rs: a cell's `r`
    or, without one, the column after the previous cell of the row; a row's `r` or, without one,
    the row after the previous; cells only from the first <sheetData> to its end. Every cell
    counts, with a value or not (as Excel's own used range does), from A1, as
    to_python(skip_empty_area=False) fills the rows. Markup calamine would read otherwise than
    this (a row inside a cell, an element left open in one) is refused, not guessed at."""

    def __init__(self, sheet: str, budget: _Budget):
        self.sheet, self.budget, self.limits = sheet, budget, budget.limits
        self.started = self.finished = False
        self.row_index = self.col_index = 0  # 0-based, for a row or cell without `r`
        self.in_cell = False
        self.open: list[bytes] = []  # elements open inside the cell
        self.rows = self.columns = 0  # the extent, 1-based
        self.row_elements = 0  # no real sheet has more than XLSX_MAX_ROWS of them, empty or not

    def run(self, chunks: Iterable[bytes]) -> int:
        """The sheet's area (rows × columns from A1)."""
        buffer, pos, first = b"", 0, True
        for chunk in chunks:
            if first:
                _check_encoding(chunk[:1024])
                first = False
            if b"\x00" in chunk:
                raise _not_xlsx()
            buffer = buffer[pos:] + chunk
            pos = self._feed(buffer)
            self._explicit_columns(buffer, pos)
            self._check()
            if len(buffer) - pos > _MAX_PIECE:
                raise _not_xlsx()
        if pos != len(buffer):
            raise _not_xlsx()  # markup left open at the end
        return self.rows * self.columns

    def _extend(self, rows: int, columns: int) -> None:
        if rows > self.rows:
            self.rows = rows
        if columns > self.columns:
            self.columns = columns

    def _check(self) -> None:
        # Once a chunk: a row's cells give the rows, their columns come in bulk after.
        limits = self.limits
        if self.rows > limits.rows or self.columns > limits.columns or self.rows * self.columns > limits.cells:
            raise FileProblem(FileIssueCode.SHEET_TOO_LARGE, sheet=self.sheet,
                              cell=f"{_column_name(self.columns)}{self.rows}", rows=self.rows,
                              columns=self.columns, max_rows=limits.rows, max_columns=limits.columns,
                              max_cells=limits.cells)

    def _explicit_columns(self, buffer: bytes, end: int) -> None:
        """The columns of every `<c r="…">` read so far, in bulk: a superset of the simple rows' cells
        (whose rows are their row's)."""
        columns = _CELL_COLUMN.findall(buffer, 0, end)
        if not columns:
            return
        letters = set(columns)
        if b"" in letters:
            raise _not_xlsx()  # a reference without its column: calamine refuses it too
        self._extend(0, max(map(_column_number, letters)))

    def _numbered_row(self, attrs: bytes, cells: bytes | None) -> None:
        """A row whose cells have no `r`: calamine puts them in the row's columns one after another."""
        ref = _r_of(attrs) if attrs else None
        if ref is not None:
            row = _position(ref)[0]
            if not row:
                raise _not_xlsx()
            self.row_index = row - 1
        count = cells.count(b"<c") if cells else 0
        if count:
            self._extend(self.row_index + 1, self.col_index + count)
        self.row_index, self.col_index = self.row_index + 1, 0

    def _count_row(self) -> None:
        self.row_elements += 1
        if self.row_elements > self.limits.rows:
            raise self.budget.too_many(self.sheet)

    def _cell_position(self, attrs: bytes) -> tuple[int, int]:
        ref = _r_of(attrs) if b"=" in attrs else None
        if ref is None:
            return self.row_index, self.col_index
        row, col = _position(ref)
        if not row or not col:
            raise _not_xlsx()
        return row - 1, col - 1

    def _cell(self, attrs: bytes) -> None:
        row, col = self._cell_position(attrs)
        self.col_index = col + 1
        self._extend(row + 1, col + 1)

    def _merge(self, attrs: bytes) -> None:
        ref = _attributes(attrs).get(b"ref")
        if ref is None:
            return
        corners = [_position(part) for part in ref.split(b":")]
        if len(corners) > 2 or not all(row and col for row, col in corners):
            raise _not_xlsx()
        (r1, c1), (r2, c2) = corners[0], corners[-1]
        self.budget.merged += (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)
        if self.budget.merged > self.limits.cells:
            raise self.budget.too_many(self.sheet)

    def _feed(self, buffer: bytes) -> int:
        """Read the complete markup in buffer; where the rest starts."""
        pos, end, budget = 0, len(buffer), self.budget
        while pos < end:
            match = (_INSIDE_CELL if self.in_cell else _OUTSIDE_CELL).match(buffer, pos)
            if match is None:
                break  # incomplete: wait for the next chunk (or refuse at the end)
            pos = match.end()
            kind = match.lastgroup
            if kind in ("skip", "leaf"):
                continue  # no more of these than of the steps between them
            budget.steps_left -= 1
            if budget.steps_left < 0:
                raise budget.too_many(self.sheet)
            reading = self.started and not self.finished
            if kind == "row":
                self._count_row()
                if reading:
                    # Its cells are all in it, their columns taken in bulk by _explicit_columns.
                    row = int(match["row_r"])
                    if not row:
                        raise _not_xlsx()
                    if b"<c" in match["row"]:
                        self._extend(row, 0)
                    self.row_index, self.col_index = row, 0
            elif kind == "numbered":
                self._count_row()
                if reading:
                    self._numbered_row(match["numbered_attrs"], match["numbered_cells"])
            elif kind == "cell":
                if reading:
                    self._cell(match["cell_attrs"])
            elif self.in_cell:
                self._tag_inside_cell(match["end"], match["name"], match["attrs"])
            else:
                self._tag_outside_cell(match["end"], match["name"], match["attrs"], reading)
        return pos

    def _tag_outside_cell(self, closing: bytes, name: bytes, attrs: bytes, reading: bool) -> None:
        local = name.rpartition(b":")[2]
        empty = attrs.endswith(b"/")
        if local == b"sheetData":
            if not closing and not self.started:
                self.started, self.finished = True, empty
            elif closing and self.started:
                self.finished = True
        elif local == b"mergeCell":
            if not closing:
                self._merge(attrs)
        elif not reading:
            return
        elif local == b"row":
            if not closing:
                self._count_row()
                ref = _r_of(attrs) if b"=" in attrs and _attributes(attrs) else None
                if ref is not None:
                    row = _position(ref)[0]
                    if not row:
                        raise _not_xlsx()
                    self.row_index = row - 1
            if closing or empty:
                self.row_index, self.col_index = self.row_index + 1, 0
        elif local == b"c" and not closing:
            if b"=" in attrs:
                _attributes(attrs)
            self._cell(attrs)
            self.in_cell = not empty

    def _tag_inside_cell(self, closing: bytes, name: bytes, attrs: bytes) -> None:
        local = name.rpartition(b":")[2]
        if not closing:
            if local in (b"c", b"row", b"sheetData"):
                raise _not_xlsx()
            if local == b"mergeCell":
                self._merge(attrs)
            if not attrs.endswith(b"/"):
                self.open.append(name)
                if len(self.open) > _MAX_NESTING:
                    raise _not_xlsx()
        elif self.open:
            if self.open.pop() != name:
                raise _not_xlsx()
        elif local == b"c":
            self.in_cell = False
        else:
            raise _not_xlsx()


@functools.lru_cache(maxsize=4)
def _elements_pattern(local: bytes) -> re.Pattern:
    wanted = rb"(?:[^\s/<>\"'!?=:]++:)?" + re.escape(local) + rb"(?=[\s/>])"
    return re.compile(
        rb"(?P<skip>(?:[^<]++|" + _MISC + rb"|</?(?!" + wanted + rb")" + _NAME + _ATTRS + rb">)++)|" + _TAG, re.S)


def _elements(xml: bytes, local: bytes, limit: int) -> list[dict[bytes, bytes]]:
    """The attributes of every element of that (unprefixed) name, wherever it is; more than limit
    of them and the file has more parts than it may."""
    _check_encoding(xml[:1024])
    if b"\x00" in xml:
        raise _not_xlsx()
    pattern, found, pos = _elements_pattern(local), [], 0
    while pos < len(xml):
        match = pattern.match(xml, pos)
        if match is None:
            raise _not_xlsx()
        pos = match.end()
        if match.lastgroup != "skip" and not match["end"]:
            found.append(_attributes(match["attrs"]))
            if len(found) > limit:
                raise FileProblem(FileIssueCode.FILE_TOO_MANY_PARTS, limit=limit)
    return found


def _central_directory(data: bytes) -> int:
    """The central directory's size, found as zipfile finds it (which parses every entry in it
    before it can be asked how many there are); a directory not right before its end record is
    refused, so zipfile and calamine's zip reader agree on where every member starts."""
    end = len(data) - 22
    if end < 0 or data[end:end + 4] != _ZIP_END or data[-2:] != b"\0\0":
        end = data.rfind(_ZIP_END, max(0, len(data) - 22 - 0xFFFF))
    if end < 0 or len(data) - end < 22:
        raise _not_xlsx()
    size, offset = struct.unpack_from("<LL", data, end + 12)
    directory_end = end
    if end >= 76 and data[end - 20:end - 16] == _ZIP64_LOCATOR and data[end - 76:end - 72] == _ZIP64_END:
        size, offset = struct.unpack_from("<QQ", data, end - 76 + 40)
        directory_end = end - 76
    if offset + size != directory_end:
        raise _not_xlsx()
    return size


def _unpacked(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes a chunk at a time, never more than it declares: as soon as it inflates past
    that it is refused (calamine would inflate all of it). CRC and headers are zipfile's to check."""
    probe = copy.copy(info)
    # zipfile hands out at most file_size bytes, and checks the CRC once it has: leave more room
    # than one read inflates (a chunk, or zipfile's own 4 KB minimum) to see the byte past the end.
    probe.file_size = info.file_size + _CHUNK + 4096 + 1
    produced = 0
    try:
        with archive.open(probe) as stream:
            while chunk := stream.read(_CHUNK):
                produced += len(chunk)
                if produced > info.file_size:
                    raise FileProblem(FileIssueCode.FILE_SIZE_MISMATCH, part=info.filename)
                yield chunk
    except FileProblem:
        raise
    except Exception as e:  # a bad CRC, a damaged deflate stream, headers that disagree
        raise _not_xlsx() from e


def _whole(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > _MAX_WHOLE_PART:
        raise FileProblem(FileIssueCode.FILE_UNPACKED_TOO_LARGE, limit=size_label(_MAX_WHOLE_PART))
    return b"".join(_unpacked(archive, info))


def _parts(archive: zipfile.ZipFile, limits: _Limits) -> dict[str, zipfile.ZipInfo]:
    """The members by their ASCII-lowercased name, once their number, names and sizes are sane."""
    infos = archive.infolist()
    if len(infos) > limits.members:
        raise FileProblem(FileIssueCode.FILE_TOO_MANY_PARTS, limit=limits.members)
    parts: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        key = _ascii_lower(info.filename)
        if (key in parts or key in _OTHER_FORMATS or info.filename != info.orig_filename
                or info.flag_bits & _ZIP_ENCRYPTED or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)):
            # Two parts one name apart in case would be read by calamine and checked here differently.
            raise _not_xlsx()
        parts[key] = info
    if sum(info.file_size for info in infos) > limits.unpacked_bytes:
        raise FileProblem(FileIssueCode.FILE_UNPACKED_TOO_LARGE, limit=size_label(limits.unpacked_bytes))
    for info in infos:
        if info.file_size > _RATIO_FLOOR and info.file_size > _MAX_RATIO * info.compress_size:
            raise FileProblem(FileIssueCode.FILE_RATIO_SUSPICIOUS, part=info.filename,
                              ratio=info.file_size // max(info.compress_size, 1))
    return parts


def _worksheets(archive: zipfile.ZipFile, parts: dict[str, zipfile.ZipInfo],
                limits: _Limits) -> list[tuple[str, list[zipfile.ZipInfo]]]:
    """The visible worksheets in workbook order, each with the parts calamine may read for it:
    calamine's own rule ("xl/" + the relationship's target) and the package's (a path resolved
    from xl/), which agree for every real file."""
    workbook, relations = parts.get("xl/workbook.xml"), parts.get("xl/_rels/workbook.xml.rels")
    if workbook is None or relations is None:
        raise _not_xlsx()
    targets: dict[bytes, bytes] = {}
    for attrs in _elements(_whole(archive, relations), b"Relationship", limits.members):
        rid = attrs.get(b"Id", b"")
        if rid in targets:
            raise _not_xlsx()
        targets[rid] = attrs.get(b"Target", b"")
    sheets, names = [], set()
    for attrs in _elements(_whole(archive, workbook), b"sheet", limits.members):
        name = _xml_text(attrs.get(b"name", b""))
        if name in names:
            raise _not_xlsx()  # calamine would read the first of the two for both
        names.add(name)
        ids = [attrs[key] for key in (b"r:id", b"relationships:id") if key in attrs]
        target = targets.get(ids[0]) if len(ids) == 1 else None
        if attrs.get(b"state", b"visible") != b"visible" or target is None:
            continue  # hidden, or a workbook calamine refuses to open
        if re.search(rb"[&\s\x00]", target):
            raise _not_xlsx()  # calamine takes the target unescaped: keep to names read one way
        path = _xml_text(target)
        if path.startswith("/xl/"):
            own = path[1:]
        else:
            own = path if path.startswith("xl/") else "xl/" + path
        if own.split("/")[1:2] != ["worksheets"]:
            continue  # a chart or dialog sheet: never read as cells
        package = posixpath.normpath(path[1:] if path.startswith("/") else "xl/" + path)
        keys = {_ascii_lower(candidate) for candidate in (own, posixpath.normpath(own), package)}
        found = [parts[key] for key in sorted(keys) if key in parts]
        if not found:
            raise _not_xlsx()
        sheets.append((name, found))
    return sheets


def _verify(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: _Limits) -> None:
    """Inflate a part that is not a worksheet to the end (its size and CRC); calamine reads an
    XML part such as the shared strings or the styles whole into memory: keep its elements within
    bounds too."""
    xml = _ascii_lower(info.filename).endswith((".xml", ".rels"))
    elements = 0
    for chunk in _unpacked(archive, info):
        if xml:
            elements += chunk.count(b"<") - chunk.count(b"</") - chunk.count(b"<!") - chunk.count(b"<?")
            if elements > 2 * limits.cells:
                raise FileProblem(FileIssueCode.WORKBOOK_TOO_LARGE, max_cells=limits.cells)


def xlsx_check(data: bytes) -> list[str]:
    """Refuse an xlsx that would take a worker's memory or abort it (see above), with a
    FileProblem; else the names of its visible worksheets, the only ones it is safe to read."""
    limits = _Limits.from_settings()
    if not data.startswith(_ZIP_LOCAL_HEADER):
        raise _not_xlsx()
    if _central_directory(data) > limits.members * _CENTRAL_ENTRY_BYTES:
        raise FileProblem(FileIssueCode.FILE_TOO_MANY_PARTS, limit=limits.members)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as e:  # BadZipFile, or struct and value errors from damaged records
        raise _not_xlsx() from e
    with archive:
        parts = _parts(archive, limits)
        sheets = _worksheets(archive, parts, limits)
        budget = _Budget(limits)
        areas: dict[str, int] = {}
        for name, infos in sheets:
            for info in infos:
                if info.filename not in areas:
                    areas[info.filename] = _SheetScan(name, budget).run(_unpacked(archive, info))
            budget.add_area(max(areas[info.filename] for info in infos))
        for info in parts.values():
            if info.filename not in areas:
                _verify(archive, info, limits)
    return [name for name, _ in sheets]


@dataclass
class XlsxSheet:
    name: str
    rows: list[list]  # row 1 of the sheet is index 0, so row numbers are Excel's
    merged: list  # ((first_row, first_col), (last_row, last_col)), 0-based, inclusive


def xlsx_read(data: bytes) -> list[XlsxSheet]:
    """The visible worksheets' values and merged ranges, read by calamine once xlsx_check passed."""
    names = xlsx_check(data)
    try:
        workbook = python_calamine.load_workbook(io.BytesIO(data))
        readable = {meta.name for meta in workbook.sheets_metadata
                    if meta.visible == python_calamine.SheetVisibleEnum.Visible
                    and meta.typ == python_calamine.SheetTypeEnum.WorkSheet}
        sheets = []
        for name in names:
            if name not in readable:
                continue  # calamine names its sheets otherwise: read only what was checked
            sheet = workbook.get_sheet_by_name(name)
            # skip_empty_area=False keeps row 1 of the sheet at index 0, so row numbers are Excel's.
            sheets.append(XlsxSheet(name, sheet.to_python(skip_empty_area=False),
                                    list(sheet.merged_cell_ranges or ())))
    except Exception as e:  # calamine raises its own error types for every kind of damage
        raise FileProblem(FileIssueCode.FILE_NOT_XLSX) from e
    except BaseException as e:
        # A panic inside calamine reaches Python as pyo3's PanicException, a BaseException.
        if type(e).__name__ != "PanicException":
            raise
        raise FileProblem(FileIssueCode.FILE_NOT_XLSX) from e
    return sheets


def xlsx_sheets(data: bytes) -> list[list[list]]:
    """Every visible worksheet's rows as values; row 1 of a sheet is index 0, so row numbers are Excel's."""
    return [sheet.rows for sheet in xlsx_read(data)]


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
