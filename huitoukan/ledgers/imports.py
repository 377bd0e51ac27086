"""Import of a filled ledger (台账) workbook, as offices fill it: check every row, then write all or nothing.

Offices fill the official layouts of seed 001 附件1-4 in Excel or WPS, or type their own sheet:
a 附件N label and a title above the table, a line of header fields (单位/姓名/职务, 填报时间),
headings broken over lines or spaced out to fit ("整改\\n时限", "牵 头\\n领 导"), merged cells
for a leader who leads several rows, blank rows, and the 说明 under the table. The reading
below takes all of that as it comes; what it cannot read is an error naming the Excel row and
the column heading ("第5行 牵头领导: 找不到人员“王五”…"), collected for the whole file so one
round of corrections fixes it.

序号 identifies an item within the ledger: a new 序号 is created, an existing one is updated
when one of the listed columns differs, and is "unchanged" otherwise. The progress columns are
history: when they differ from the item's latest entry a new entry is appended (dated the
sheet's 填报时间, else today; marked 代填 for the first lead leader when the office imports).
So re-importing a file, or importing an export, changes nothing. Items missing from the file
are left as they are: an import never deletes.

Reading choices, documented here because they are not in the layouts:
- A cell merged down several rows carries its value into each of them (calamine returns it in
  the top-left cell only): a merged 牵头领导 leads every row it spans. A merged 序号 makes its
  rows one item, their texts joined line by line (one problem, several measures).
- A row holding a lone non-numeric 序号 or a lone cell merged across the table ("一、形式主义
  方面") is a section heading and is skipped; a row holding only its pre-printed 序号 is blank.
- Reading stops at the 说明 (or a 填表人/审核人 footer) under the table.
- Dates: Excel date cells, 2015年3月31日, 2015.3.31, 2015-03-31, 2015/3/31 (with 前/之前),
  2015年3月(底), 3月底(前) and 3月31日 (the campaign's year, or the next one when that month is
  before the campaign starts), 上旬/中旬/下旬, 年底; 立行立改 and 长期坚持 are deadline modes.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from django.conf import settings
from django.db import IntegrityError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.audit.events import import_recorded
from huitoukan.core import hooks, importing
from huitoukan.core.errors import DomainError
from huitoukan.core.paths import path_range_q
from huitoukan.ledgers import selectors, services
from huitoukan.ledgers.errors import LedgerImportError, LedgerImportIssueCode
from huitoukan.ledgers.layouts import LAYOUTS, LedgerKind, kind_named
from huitoukan.ledgers.models import DeadlineMode, Item, ItemStatus, Ledger, SpecialTask
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.errors import OrgsError, OrgsErrorCode
from huitoukan.orgs.models import Person, Unit
from huitoukan.spreadsheets import (
    FILE_FIELD,
    FileProblem,
    ImportIssue,
    RowAction,
    SheetIssueCode,
    XlsxSheet,
    cell_text,
    column_missing,
    heading_positions,
)

# The headings are in the first rows: 附件N, the title, the header fields, maybe a blank line.
HEADING_SEARCH_ROWS = 10
CATEGORY_MAX_LENGTH = Item._meta.get_field("category").max_length
EXCEL_EPOCH = dt.date(1899, 12, 30)

TEXT_KEYS = ("problem", "measures", "category")
PROGRESS_KEYS = ("progress", "strict_execution", "next_steps")


def max_bytes() -> int:
    return settings.LEDGER_IMPORT_MAX_BYTES



# --- headings ------------------------------------------------------------------------------

_HEADING_TABLE = str.maketrans({"“": None, "”": None, '"': None, "‘": None, "’": None, "'": None,
                                "（": "(", "）": ")", ":": None, "：": None, "*": None})


def _hkey(value) -> str:
    """A heading as compared: headings are broken over lines, spaced out, quoted or not."""
    return re.sub(r"\s+", "", cell_text(value)).translate(_HEADING_TABLE)


_NEXT_STEPS_ALIASES = ("下步工作措施", "下一步工作措施", "后段工作打算", "下一步工作打算", "下步打算")
_PROGRESS_ALIASES = ("落实情况", "整改情况", "整改进展情况", "整改进展")
_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    LedgerKind.LEADERSHIP: {
        "problem": ("存在的突出问题", "存在问题", "问题"),
        "measures": ("整改措施",),
        "deadline": ("整改时间", "完成时限", "时限"),
        "progress": _PROGRESS_ALIASES,
    },
    LedgerKind.PERSONAL: {
        "problem": ("四风方面存在的突出问题", "突出问题", "存在问题"),
        "measures": ("整改措施",),
        "progress": _PROGRESS_ALIASES,
    },
    LedgerKind.SPECIAL: {
        "problem": ("专项整治项目", "整治项目"),
        "measures": ("目标任务",),
        "progress": ("工作进展情况", "进展情况", "整治进展情况"),
    },
    LedgerKind.INSTITUTION: {
        "category": ("制度类别",),
        "problem": ("制度",),
        "deadline": ("完成时间", "整改时限", "时限"),
        "progress": ("制度建设任务完成情况", "任务落实情况", "落实情况", "完成情况"),
        "strict_execution": ("制度执行情况", "执行情况"),
    },
}
_COMMON_ALIASES = {
    "seq": ("编号",),
    "lead_leaders": ("责任领导",),
    "responsible_units": ("责任部门",),
    "next_steps": _NEXT_STEPS_ALIASES,
}


def _column_keys(kind: LedgerKind) -> dict[str, str]:
    """Heading as compared → the layout's column key, for one kind."""
    keys = {c.key for c in LAYOUTS[kind].columns}
    table: dict[str, str] = {}
    for aliases in (_ALIASES[kind], _COMMON_ALIASES):
        for key, names in aliases.items():
            if key in keys:
                table.update({_hkey(name): key for name in names})
    table.update({_hkey(c.heading): c.key for c in LAYOUTS[kind].columns})  # official headings win
    return table


COLUMN_KEYS = {kind: _column_keys(kind) for kind in LedgerKind}
ALL_HEADINGS = frozenset(h for table in COLUMN_KEYS.values() for h in table)
# The columns a file must have, whatever its rows do: without 牵头领导 or 责任单位 (附件1, 3, 4) or
# 具体整改措施 (附件1, 2) a file cannot say what the attachment asks, even for rows it only updates.
REQUIRED_KEYS = {
    LedgerKind.LEADERSHIP: ("seq", "problem", "measures", "lead_leaders", "responsible_units"),
    LedgerKind.PERSONAL: ("seq", "problem", "measures"),
    LedgerKind.SPECIAL: ("seq", "problem", "lead_leaders", "responsible_units"),
    LedgerKind.INSTITUTION: ("seq", "problem", "lead_leaders", "responsible_units"),
}


def heading_of(kind: LedgerKind, key: str) -> str:
    return next(c.heading for c in LAYOUTS[kind].columns if c.key == key)


def _title_key(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(_HEADING_TABLE).replace("台账", "台帐")


# The words of each title that tell the kinds apart, the official title first.
_TITLE_WORDS = {
    LedgerKind.LEADERSHIP: (_title_key(LAYOUTS[LedgerKind.LEADERSHIP].title), "领导班子整改落实"),
    LedgerKind.PERSONAL: (_title_key(LAYOUTS[LedgerKind.PERSONAL].title), "党员领导干部整改落实", "个人整改落实"),
    LedgerKind.SPECIAL: (_title_key(LAYOUTS[LedgerKind.SPECIAL].title), "专项整治"),
    LedgerKind.INSTITUTION: (_title_key(LAYOUTS[LedgerKind.INSTITUTION].title), "制度建设"),
}


def _kind_from_title(text: str) -> LedgerKind | None:
    text = _title_key(text)
    for exact in (True, False):
        found = {kind for kind, words in _TITLE_WORDS.items()
                 if any(w in text for w in (words[:1] if exact else words))}
        if len(found) == 1:
            return found.pop()
        if found:
            return None
    return None


def _kind_from_headings(keys: set[str]) -> LedgerKind | None:
    scores = {}
    for kind, table in COLUMN_KEYS.items():
        matched = {table[k] for k in keys if k in table}
        if "problem" in matched:
            scores[kind] = len(matched)
    if not scores:
        return None
    best = max(scores.values())
    winners = [k for k, s in scores.items() if s == best]
    return winners[0] if len(winners) == 1 else None


def kind_parse(text: str) -> LedgerKind:
    """A kind as people write it: its code, 附件N, its title (台账 or 台帐), a short name
    (领导班子, 党员领导干部, 专项整治, 制度建设) or the distinctive words of its title."""
    kind = kind_named(text) or _kind_from_title((text or "").strip())
    if kind is None:
        raise ValueError(text)
    return kind


# --- reading the workbook --------------------------------------------------------------------


def _cell(cells: list, position: int | None):
    if position is None or position >= len(cells):
        return None
    return cells[position]


def _clean(value) -> str:
    """A cell as stored text: Windows line ends made plain, outer blanks dropped."""
    return cell_text(value).replace("\r\n", "\n").replace("\r", "\n").strip()


@dataclass
class _Table:
    sheet: XlsxSheet
    heading: int  # index of the heading row
    kind: LedgerKind | None
    title: str  # the text above the headings (附件N, title, header fields)

    def describe(self) -> str:
        kind = LAYOUTS[self.kind].title if self.kind else "未识别"
        return f"{self.sheet.name}：{kind}"


def _locate(sheet: XlsxSheet) -> _Table | None:
    for index, cells in enumerate(sheet.rows[:HEADING_SEARCH_ROWS]):
        keys = {_hkey(c) for c in cells} - {""}
        hits = keys & ALL_HEADINGS
        if len(hits) >= 3 or (len(hits) >= 2 and "序号" in hits):
            above = " ".join(cell_text(c) for row in sheet.rows[:index] for c in row if cell_text(c))
            kind = _kind_from_title(above) or _kind_from_title(sheet.name) or _kind_from_headings(keys)
            return _Table(sheet=sheet, heading=index, kind=kind, title=above)
    return None


_HEADER_LABEL = re.compile(r"(填报单位|单位名称|单位|姓名|职务|填报时间|填报日期)\s*[:：]")
_HEADER_ALIASES = {"填报单位": "单位", "单位名称": "单位", "填报日期": "填报时间"}


def _header_fields(rows: list[list], heading: int) -> dict[str, tuple[int, str]]:
    """单位, 姓名, 职务, 填报时间 from the lines above the headings: field → (Excel row, text)."""
    found: dict[str, tuple[int, str]] = {}
    for index in range(heading):
        line = "  ".join(cell_text(c) for c in rows[index] if cell_text(c))
        matches = list(_HEADER_LABEL.finditer(line))
        ends = [m.start() for m in matches[1:]] + [len(line)]
        for m, end in zip(matches, ends, strict=False):
            value = line[m.end(): end].strip()
            label = _HEADER_ALIASES.get(m.group(1), m.group(1))
            found.setdefault(label, (index + 1, value))
    return found


# --- dates -------------------------------------------------------------------------------------

_IMMEDIATE = {"立行立改", "立即整改", "即知即改"}
_LONG_TERM = {"长期坚持", "长期", "长期整改"}
_NO_DEADLINE = {"未定", "待定", "-", "—", "－", "/", "无"}
_SUFFIX = re.compile(r"(?:完成|整改到位|到位|之前|以前|前|为止|止|[。.，,])*$")
_YM = re.compile(r"^(\d{4})[年.\-/](\d{1,2})(?:月(?:份)?)?(底|末|上旬|中旬|下旬)?$")
_MD = re.compile(r"^(\d{1,2})月(\d{1,2})[日号]$")
_M = re.compile(r"^(\d{1,2})月(?:份)?(底|末|上旬|中旬|下旬)?$")
_YEAR_END = re.compile(r"^(\d{4})?年(?:底|末)$")


class _BadDate(Exception):
    def __init__(self, code: LedgerImportIssueCode, value: str):
        self.code, self.value = code, value
        super().__init__(value)


def _day_in_month(year: int, month: int, part: str | None) -> dt.date:
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, {"上旬": 10, "中旬": 20}.get(part or "", last))


def _campaign_year(month: int, starts_on: dt.date) -> int:
    """A date written without its year falls in the campaign: the next year for a month before its start."""
    return starts_on.year + (1 if month < starts_on.month else 0)


def deadline_parse(value, *, starts_on: dt.date) -> tuple[str, dt.date | None]:
    """(deadline mode, date) of a 整改时限/完成时限 cell as offices write it."""
    day = importing.cell_date(value)
    if day is not None:
        return DeadlineMode.DATE, day
    if isinstance(value, float) and value.is_integer() and 20000 <= value <= 80000:
        # A date cell that lost its date format shows the Excel serial number.
        return DeadlineMode.DATE, EXCEL_EPOCH + dt.timedelta(days=int(value))
    shown = _clean(value)
    text = re.sub(r"\s+", "", shown)
    if not text or text in _NO_DEADLINE:
        return DeadlineMode.NONE, None
    if text in _IMMEDIATE:
        return DeadlineMode.IMMEDIATE, None
    if text in _LONG_TERM:
        return DeadlineMode.LONG_TERM, None
    text = _SUFFIX.sub("", text) or text
    try:
        try:
            if day := importing.full_date(text):  # the whole dates every import reads
                return DeadlineMode.DATE, day
        except importing.BadDate as e:
            if e.impossible:
                raise ValueError(text) from e
        if m := _YM.match(text):
            return DeadlineMode.DATE, _day_in_month(int(m[1]), int(m[2]), m[3])
        if m := _MD.match(text):
            month = int(m[1])
            return DeadlineMode.DATE, dt.date(_campaign_year(month, starts_on), month, int(m[2]))
        if m := _M.match(text):
            month = int(m[1])
            if not 1 <= month <= 12:
                raise ValueError(text)
            return DeadlineMode.DATE, _day_in_month(_campaign_year(month, starts_on), month, m[2])
        if m := _YEAR_END.match(text):
            return DeadlineMode.DATE, dt.date(int(m[1]) if m[1] else starts_on.year, 12, 31)
    except ValueError as e:
        raise _BadDate(LedgerImportIssueCode.DATE_IMPOSSIBLE, shown) from e
    raise _BadDate(LedgerImportIssueCode.DATE_UNKNOWN, shown)


def _date_parse(value) -> dt.date | None:
    """A full date (填报时间): no year-less or month-only forms (the import framework's one parser)."""
    try:
        return importing.full_date(value)
    except importing.BadDate as e:
        code = LedgerImportIssueCode.DATE_IMPOSSIBLE if e.impossible else LedgerImportIssueCode.DATE_UNKNOWN
        raise _BadDate(code, _clean(value)) from e


def deadline_label(mode: str, due_on: dt.date | None) -> str:
    if mode == DeadlineMode.DATE and due_on is not None:
        return f"{due_on.year}年{due_on.month}月{due_on.day}日"
    return "（空）" if mode == DeadlineMode.NONE else str(DeadlineMode(mode).label)


# --- the rows of the table --------------------------------------------------------------------

_NOTES = re.compile(r"^(说明|注|备注|填表人|填报人|制表人|审核人|联系人|联系电话|单位负责人|主要负责人)\s*([:：]|$)")
_SEQ = re.compile(r"^[(（]?\s*(\d{1,6})\s*[)）.．、]?$")
_LEADER_SPLIT = re.compile(r"[、，,;；/\n]+")
_UNIT_SPLIT = re.compile(r"[、，,;；\s]+")  # "/" separates the parts of a unit's path
_NOTE = re.compile(r"^(.*?)\s*[(（]([^)）]*)[)）]\s*$")


def _seq_value(value) -> int | None:
    if isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        m = _SEQ.match(_clean(value))
        if m is None:
            return None
        number = int(m[1])
    return number if number >= 1 else None


@dataclass
class _Part:
    row: int  # Excel row number
    values: dict  # column key → cell value


@dataclass
class _Group:
    """One item of the file: a row, or the rows a merged 序号 spans."""

    parts: list[_Part]
    merge_start: int | None = None

    @property
    def row(self) -> int:
        return self.parts[0].row

    def texts(self, key: str) -> list[tuple[int, str]]:
        """The column's non-empty texts in row order, a value merged over the rows once."""
        seen, out = set(), []
        for part in self.parts:
            text = _clean(part.values.get(key))
            if text and text not in seen:
                seen.add(text)
                out.append((part.row, text))
        return out

    def text(self, key: str) -> str:
        return "\n".join(t for _, t in self.texts(key))


def _table_groups(table: _Table, positions: dict[str, int]) -> tuple[list[_Group], list[tuple[int, str]]]:
    """The item rows below the headings, and the rows skipped (section headings, 说明)."""
    rows, heading = table.sheet.rows, table.heading
    by_position = {pos: key for key, pos in positions.items()}
    filled: set[tuple[int, int]] = set()
    seq_merge: dict[int, int] = {}
    spanning: set[int] = set()  # rows starting with a cell merged across several columns
    for (r1, c1), (r2, c2) in table.sheet.merged:
        if r1 <= heading or r1 >= len(rows):
            continue
        if sum(1 for c in range(c1, c2 + 1) if c in by_position) > 1:
            spanning.add(r1)
        if r2 > r1 and c1 in by_position:
            value = _cell(rows[r1], c1)
            for r in range(r1 + 1, min(r2, len(rows) - 1) + 1):
                cells = rows[r]
                if c1 >= len(cells):
                    cells.extend([""] * (c1 + 1 - len(cells)))
                cells[c1] = value
                filled.add((r, c1))
            if by_position[c1] == "seq":
                seq_merge.update({r: r1 for r in range(r1, r2 + 1)})

    groups: list[_Group] = []
    skipped: list[tuple[int, str]] = []
    for index in range(heading + 1, len(rows)):
        cells = rows[index]
        first = next((t for t in (cell_text(c) for c in cells) if t), "")
        if first and _NOTES.match(re.sub(r"\s+", "", first)):
            skipped.append((index + 1, "说明"))
            break
        values = {key: _cell(cells, pos) for key, pos in positions.items()}
        own = [key for key, pos in positions.items() if _clean(values[key]) and (index, pos) not in filled]
        if not own and not (index in seq_merge and seq_merge[index] < index):
            continue  # blank, or only what a merged cell above carries down
        start = seq_merge.get(index)
        if start is not None and start < index and groups and groups[-1].merge_start == start:
            groups[-1].parts.append(_Part(index + 1, values))
            continue
        content = [k for k in positions if k != "seq" and _clean(values[k])]
        if not content and _seq_value(values.get("seq")) is not None:
            continue  # a row of the template with its 序号 printed and nothing filled in
        if len(own) == 1 and (not content or index in spanning):
            # "一、形式主义方面": a lone word in the 序号 column, or one cell merged across the table.
            skipped.append((index + 1, "分类标题"))
            continue
        groups.append(_Group(parts=[_Part(index + 1, values)], merge_start=start))
    return groups, skipped


# --- people and units by name ---------------------------------------------------------------------


def _name_and_note(piece: str) -> tuple[str, str]:
    """吴海波（组织部长） → (吴海波, 组织部长): the note tells two people of one name apart."""
    m = _NOTE.match(piece)
    name, note = (m[1], m[2].strip()) if m else (piece, "")
    name = name.strip()
    if name.endswith("同志") and len(name) > 3:
        name = name[:-2]
    return name, note


def leader_pieces(text: str) -> list[tuple[str, str, list[str]]]:
    """Each leader of a cell: (name, note, the names it may be when spaced). "王  伟" may be 王伟."""
    pieces = []
    for raw in _LEADER_SPLIT.split(text):
        raw = raw.strip()
        if not raw:
            continue
        name, note = _name_and_note(raw)
        pieces.append((name, note, name.split()))
    return pieces


class _People:
    """The people of a unit's subtree with the names a file uses, fetched at once."""

    def __init__(self, base: Unit, names: set[str]):
        self.base = base
        self.by_name: dict[str, list[Person]] = defaultdict(list)
        names = sorted(n for n in names if n)
        for i in range(0, len(names), 500):
            for person in (Person.objects.filter(path_range_q(base.path, "unit__path"), name__in=names[i:i + 500])
                           .select_related("unit").order_by("pk")):
                self.by_name[person.name].append(person)

    def candidates(self, name: str, note: str = "") -> list[Person]:
        found = self.by_name.get(name, [])
        if len(found) > 1 and note:
            found = [p for p in found if note in p.unit.full_name or note in p.position] or found
        active = [p for p in found if p.is_active]
        return active or found

    def resolve(self, name: str, note: str = "") -> Person:
        found = self.candidates(name, note)
        if len(found) == 1:
            return found[0]
        if not found:
            raise LedgerImportError(LedgerImportIssueCode.PERSON_NOT_FOUND, name=name, unit=self.base.full_name)
        raise LedgerImportError(
            LedgerImportIssueCode.PERSON_AMBIGUOUS, name=name,
            candidates="、".join(f"{p.name}（{p.unit.full_name}{'，' + p.position if p.position else ''}）"
                                for p in found[:10]),
        )

    def leaders(self, text: str) -> tuple[list[Person], list[LedgerImportError]]:
        named: list[tuple[str, str]] = []  # (name, note)
        for name, note, spaced in leader_pieces(text):
            if len(spaced) > 1:
                # "吴海波 罗建华" is two people; "王  伟" is one name spaced out to fill the cell.
                if all(len(self.candidates(n)) == 1 for n in spaced):
                    names = spaced
                else:
                    names = ["".join(spaced)] if len(self.candidates("".join(spaced), note)) == 1 else spaced
            else:
                names = [name]
            named.extend((n, note) for n in names)
        return _each_resolved(named, lambda name_note: self.resolve(*name_note))

    @staticmethod
    def names_in(text: str) -> set[str]:
        names = set()
        for name, _note, spaced in leader_pieces(text):
            names.add(name)
            names.update(spaced)
            names.add("".join(spaced))
        return names


class _Units:
    """Units of the ledger unit's subtree by path or name (orgs.selectors.unit_resolve), cached per name."""

    def __init__(self, base: Unit):
        self.base = base
        self.within = org_selectors.subtree(base)
        self.cache: dict[str, Unit | LedgerImportError] = {}

    def resolve(self, name: str) -> Unit:
        if name not in self.cache:
            self.cache[name] = self._resolve(name)
        found = self.cache[name]
        if isinstance(found, LedgerImportError):
            raise found
        return found

    def _resolve(self, name: str) -> Unit | LedgerImportError:
        try:
            return org_selectors.unit_resolve(name, within=self.within)
        except OrgsError as e:
            if e.code == OrgsErrorCode.UNIT_NOT_FOUND:
                try:
                    # An abolished unit still answers for the items it had.
                    return org_selectors.unit_resolve(name, within=self.within, active_only=False)
                except OrgsError:
                    return LedgerImportError(LedgerImportIssueCode.UNIT_NOT_FOUND, name=name,
                                             unit=self.base.full_name)
            return LedgerImportError(LedgerImportIssueCode.UNIT_AMBIGUOUS, name=name,
                                     candidates=e.params.get("candidates", ""))

    def units(self, text: str) -> tuple[list[Unit], list[LedgerImportError]]:
        names = [name.strip().strip("/") for name in _UNIT_SPLIT.split(text)]
        return _each_resolved([name for name in names if name], self.resolve)


def _each_resolved(names: list, resolve: Callable) -> tuple[list, list[LedgerImportError]]:
    """What the names stand for, in order and once each, and the errors of the names that stand for nothing."""
    found, problems = [], []
    for name in names:
        try:
            thing = resolve(name)
        except LedgerImportError as e:
            problems.append(e)
            continue
        if thing not in found:
            found.append(thing)
    return found, problems


def person_resolve(*, name: str, within: Unit) -> Person:
    """The person of that name in the unit's subtree (the --person of the command line, the 姓名 header)."""
    person_name, note = _name_and_note(re.sub(r"\s+", "", name or ""))
    return _People(within, {person_name}).resolve(person_name, note)


# --- the result ----------------------------------------------------------------------------------


@dataclass
class LedgerImportRow(importing.ImportRow):
    """What the import does with one item of the file (the preview shows these)."""

    row: int  # the Excel row number (the first one, for rows a merged 序号 joins)
    seq: int
    problem: str
    action: RowAction
    changes: list[str] = field(default_factory=list)  # e.g. "牵头领导：吴海波 → 吴海波、罗建华"
    progress_added: bool = False
    item: Item | None = field(default=None, repr=False, compare=False)


@dataclass
class LedgerImportResult(importing.ImportResult):
    kind: str | None = None
    sheet: str = ""
    person: Person | None = None
    ledger: Ledger | None = None
    reported_on: dt.date | None = None
    rows: list[LedgerImportRow] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (Excel row, why)

    @property
    def title(self) -> str:
        return LAYOUTS[self.kind].title if self.kind else ""

    @property
    def progress_added(self) -> int:
        return sum(1 for r in self.rows if r.progress_added)


# --- planning ------------------------------------------------------------------------------------


def _short(text: str, limit: int = 30) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _names(objects) -> str:
    return "、".join(o.name for o in objects) or "（空）"


@dataclass
class _Step:
    row: LedgerImportRow
    fields: dict = field(default_factory=dict)  # item fields to set (all of them for a new item)
    leaders: list[Person] | None = None  # None: leave as they are
    units: list[Unit] | None = None
    progress: dict | None = None  # progress_add's texts
    leader: Person | None = None  # whom the progress is from


class _Planner:
    def __init__(self, *, kind: LedgerKind, campaign, base: Unit, person: Person | None, positions: dict[str, int],
                 ledger: Ledger | None, reported_on: dt.date, groups: list[_Group]):
        self.kind, self.campaign, self.base, self.person = kind, campaign, base, person
        self.positions, self.ledger, self.reported_on = positions, ledger, reported_on
        self.issues: list[ImportIssue] = []
        self.steps: list[_Step] = []
        self.items = {i.seq: i for i in selectors.items_of_ledger(ledger=ledger)} if ledger else {}
        names: set[str] = set()
        if "lead_leaders" in positions:
            for group in groups:
                for _row, text in group.texts("lead_leaders"):
                    names |= _People.names_in(text)
        self.people = _People(base, names)
        self.units = _Units(base)
        self.tasks: dict[str, SpecialTask] = {}
        if kind == LedgerKind.SPECIAL:
            for task in selectors.special_tasks_for(unit=base):
                self.tasks.setdefault(task.name, task)
        self.seen_seq: dict[int, int] = {}

    def problem(self, row: int | None, key: str, code: Enum, **params) -> None:
        self.issues.append(ImportIssue(row, heading_of(self.kind, key), code, params))

    def plan(self, group: _Group) -> None:
        before = len(self.issues)
        seq_text = _clean(group.parts[0].values.get("seq"))
        seq = _seq_value(group.parts[0].values.get("seq"))
        if not seq_text:
            self.problem(group.row, "seq", SheetIssueCode.REQUIRED)
        elif seq is None:
            self.problem(group.row, "seq", LedgerImportIssueCode.SEQ_INVALID, value=seq_text)
        elif seq in self.seen_seq:
            self.problem(group.row, "seq", LedgerImportIssueCode.SEQ_DUPLICATE, seq=seq, other=self.seen_seq[seq])
        else:
            self.seen_seq[seq] = group.row

        texts = {key: group.text(key) for key in (*TEXT_KEYS, *PROGRESS_KEYS) if key in self.positions}
        if not texts.get("problem"):
            self.problem(group.row, "problem", SheetIssueCode.REQUIRED)
        if len(texts.get("category", "")) > CATEGORY_MAX_LENGTH:
            self.problem(group.row, "category", SheetIssueCode.TOO_LONG, max=CATEGORY_MAX_LENGTH)
        deadline = self._deadline(group) if "deadline" in self.positions else None
        leaders = self._people(group) if "lead_leaders" in self.positions else None
        units = self._units(group) if "responsible_units" in self.positions else None
        if len(self.issues) > before or seq is None:
            return

        item = self.items.get(seq)
        row = LedgerImportRow(row=group.row, seq=seq, problem=_short(texts["problem"], 40),
                              action=RowAction.CREATE if item is None else RowAction.UNCHANGED, item=item)
        step = _Step(row=row)
        if item is None:
            step.fields = {k: texts[k] for k in TEXT_KEYS if k in texts}
            if deadline is not None:
                step.fields["deadline_mode"], step.fields["due_on"] = deadline
            task = self.tasks.get(texts["problem"])
            if task is not None:
                step.fields["special_task"] = task
            step.leaders, step.units = leaders, units
        else:
            self._compare(step, item, texts, deadline, leaders, units)
        self._progress(step, item, texts, leaders)
        if row.action == RowAction.UNCHANGED and (step.fields or step.leaders is not None
                                                  or step.units is not None or step.progress):
            row.action = RowAction.UPDATE
        self.steps.append(step)

    def _deadline(self, group: _Group) -> tuple[str, dt.date | None] | None:
        found = []
        for part in group.parts:
            value = part.values.get("deadline")
            if not _clean(value):
                continue
            try:
                parsed = deadline_parse(value, starts_on=self.campaign.starts_on)
            except _BadDate as e:
                self.problem(part.row, "deadline", e.code, value=e.value)
                return None
            if parsed not in [p for _, p in found]:
                found.append((_clean(value), parsed))
        if len(found) > 1:
            self.problem(group.row, "deadline", LedgerImportIssueCode.DATE_CONFLICT,
                         values="、".join(text for text, _ in found))
            return None
        return found[0][1] if found else (DeadlineMode.NONE, None)

    def _people(self, group: _Group) -> list[Person]:
        return self._named(group, "lead_leaders", self.people.leaders)

    def _units(self, group: _Group) -> list[Unit]:
        return self._named(group, "responsible_units", self.units.units)

    def _named(self, group: _Group, key: str, resolve: Callable) -> list:
        """Whom (or what) the group's cells of column `key` name, in order and once each; a name that
        stands for nothing is a problem of its row."""
        named: list = []
        for row, text in group.texts(key):
            found, problems = resolve(text)
            for e in problems:
                self.problem(row, key, e.code, **e.params)
            named.extend(x for x in found if x not in named)
        return named

    def _compare(self, step: _Step, item: Item, texts: dict, deadline, leaders, units) -> None:
        changes = step.row.changes
        for key in TEXT_KEYS:
            if key in texts:
                old = _clean(getattr(item, key))
                if texts[key] != old:
                    step.fields[key] = texts[key]
                    changes.append(f"{heading_of(self.kind, key)}：{_short(old) or '（空）'} → {_short(texts[key])}")
        if deadline is not None and deadline != (item.deadline_mode, item.due_on):
            step.fields["deadline_mode"], step.fields["due_on"] = deadline
            changes.append(f"{heading_of(self.kind, 'deadline')}：{deadline_label(item.deadline_mode, item.due_on)}"
                           f" → {deadline_label(*deadline)}")
        task = self.tasks.get(texts["problem"])
        if task is not None and item.special_task_id != task.pk:
            step.fields["special_task"] = task
            changes.append(f"专项整治任务：{item.special_task.name if item.special_task else '（空）'} → {task.name}")
        if leaders is not None:
            current = list(item.lead_leaders.all())
            if {p.pk for p in leaders} != {p.pk for p in current}:
                step.leaders = leaders
                changes.append(f"{heading_of(self.kind, 'lead_leaders')}：{_names(current)} → {_names(leaders)}")
        if units is not None:
            current = list(item.responsible_units.all())
            if {u.pk for u in units} != {u.pk for u in current}:
                step.units = units
                changes.append(f"{heading_of(self.kind, 'responsible_units')}：{_names(current)} → {_names(units)}")

    def _progress(self, step: _Step, item: Item | None, texts: dict, leaders: list[Person] | None) -> None:
        present = {k: texts[k] for k in PROGRESS_KEYS if k in texts}
        if not any(present.values()):
            return
        entries = []
        if item is not None:
            entries = getattr(item, "progress_newest_first", None)
            if entries is None:
                entries = list(item.progress.order_by("-reported_on", "-id"))

        def same(entry) -> bool:
            return all(_clean(getattr(entry, k)) == v for k, v in present.items())

        # Equal to the latest entry, or already entered for this date: nothing new to report.
        if entries and (same(entries[0]) or any(e.reported_on == self.reported_on and same(e) for e in entries)):
            return
        row = step.row.row
        plan_only = not present.get("progress")
        if plan_only and any(_clean(e.progress) for e in entries):
            # After real progress a row must say where the work stands; a blank would hide it.
            other = next(k for k in ("next_steps", "strict_execution") if present.get(k))
            self.problem(row, "progress", LedgerImportIssueCode.PROGRESS_REQUIRED, other=heading_of(self.kind, other))
            return
        if item is not None and item.status == ItemStatus.CLOSED:
            self.problem(row, "progress", LedgerImportIssueCode.ITEM_CLOSED, seq=item.seq)
            return
        if self.kind == LedgerKind.PERSONAL:
            leader = self.person
        elif leaders:
            leader = leaders[0]
        else:
            leader = next(iter(item.lead_leaders.all()), None) if item is not None else None
        if leader is None:
            self.problem(row, "lead_leaders", LedgerImportIssueCode.PROGRESS_NEEDS_LEADER,
                         column=heading_of(self.kind, "progress"))
            return
        step.progress = {k: present.get(k, "") for k in PROGRESS_KEYS}
        step.leader = leader
        step.row.progress_added = True
        if plan_only:  # a measure not yet started: stored as a report with only its 后段工作措施
            step.row.changes.append(f"后段工作措施（尚未开展）：{_short(present.get('next_steps') or present['strict_execution'])}")
        else:
            step.row.changes.append(f"新增进展（{self.reported_on.isoformat()}）：{_short(present['progress'])}")


# --- the service ------------------------------------------------------------------------------------


@dataclass
class _Plan:
    result: LedgerImportResult
    steps: list[_Step] = field(default_factory=list)
    base: Unit | None = None


def _expected_headings(kind: LedgerKind) -> str:
    layout = LAYOUTS[kind]
    return _("“%(title)s”的表头为：%(headings)s") % {"title": layout.title, "headings": "、".join(layout.headings)}


def _column_missing(kind: LedgerKind, key: str) -> ImportIssue:
    return column_missing(heading_of(kind, key), _expected_headings(kind))


def _whose(table: _Table) -> set[str]:
    """The names a sheet says it belongs to: its 单位 or 姓名 header, and its own name (the exports' way)."""
    header = _header_fields(table.sheet.rows, table.heading)
    names = {re.sub(r"\s+", "", header.get(label, (0, ""))[1]) for label in ("单位", "姓名")}
    return (names | {table.sheet.name.strip()}) - {""}


def _check_declared_unit(table: _Table, unit: Unit) -> None:
    """A sheet headed with another unit's name is refused: the office picked the wrong file or unit.

    Offices write their unit in many ways (中共涟源市委, 涟源市委员会), so only a header that is
    exactly the name of some other unit, and does not contain ours, counts as a mismatch.
    """
    declared = re.sub(r"\s+", "", _header_fields(table.sheet.rows, table.heading).get("单位", (0, ""))[1])
    if not declared or unit.name in declared or declared in (unit.name, unit.full_name):
        return
    if Unit.objects.filter(Q(name=declared) | Q(full_name=declared)).exclude(pk=unit.pk).exists():
        raise FileProblem(LedgerImportIssueCode.UNIT_HEADER_MISMATCH, declared=declared, unit=unit.full_name)


def _choose_table(sheets: list[XlsxSheet], kind: LedgerKind | None, *, unit: Unit, person: Person | None) -> _Table:
    tables = [t for t in (_locate(s) for s in sheets) if t is not None]
    if not tables and not any(cell_text(c) for s in sheets for row in s.rows for c in row):
        raise FileProblem(LedgerImportIssueCode.SHEET_EMPTY)
    if not tables:
        if kind is not None:
            problem = FileProblem(LedgerImportIssueCode.NO_TABLE, rows=HEADING_SEARCH_ROWS)
            problem.issue = _column_missing(kind, "problem")
            raise problem
        raise FileProblem(LedgerImportIssueCode.NO_TABLE, rows=HEADING_SEARCH_ROWS)
    if kind is not None:
        matching = [t for t in tables if t.kind in (kind, None)]
        if not matching:
            raise FileProblem(LedgerImportIssueCode.KIND_MISMATCH, found=LAYOUTS[tables[0].kind].title,
                               chosen=LAYOUTS[kind].title)
        tables = [t for t in matching if t.kind == kind] or matching
    if len(tables) > 1:
        # A workbook of several units' ledgers (a subtree export): the sheet of the unit (or person) chosen.
        own = person.name if person is not None else unit.name
        tables = [t for t in tables if own in _whose(t)] or tables
    if len(tables) > 1:
        raise FileProblem(LedgerImportIssueCode.SHEETS_AMBIGUOUS, sheets="；".join(t.describe() for t in tables))
    table = tables[0]
    if person is None:
        _check_declared_unit(table, unit)
    if kind is not None:
        table.kind = kind
    elif table.kind is None:
        raise FileProblem(LedgerImportIssueCode.KIND_UNKNOWN)
    return table


def _positions(table: _Table) -> tuple[dict[str, int], list[ImportIssue]]:
    kind = table.kind
    keys = COLUMN_KEYS[kind]
    return heading_positions(table.sheet.rows[table.heading], lambda cell: keys.get(_hkey(cell)), REQUIRED_KEYS[kind],
                             row=table.heading + 1, label_of=lambda key: heading_of(kind, key),
                             expected=_expected_headings(kind))


def _existing_ledger(*, campaign, unit: Unit, kind: LedgerKind, person: Person | None, lock: bool) -> Ledger | None:
    if person is not None:
        qs = Ledger.objects.filter(campaign=campaign, person=person)
    else:
        qs = Ledger.objects.filter(campaign=campaign, unit=unit, kind=kind, person__isnull=True)
    if lock:
        qs = qs.select_for_update(of=("self",))  # PostgreSQL locks no nullable side of a join (person)
    return qs.select_related("unit", "person").first()


def _plan(*, data: bytes, filename: str, campaign, unit: Unit, kind: LedgerKind | None, person: Person | None,
          result: LedgerImportResult, lock: bool) -> _Plan:
    plan = _Plan(result=result)
    file_issue = importing.upload_size_issue(data, max_bytes())
    if file_issue is None and not unit.path.startswith(campaign.owner_unit.path):
        file_issue = ImportIssue(None, "活动", LedgerImportIssueCode.CAMPAIGN_NOT_FOR_UNIT,
                                 {"campaign": campaign.name, "owner": campaign.owner_unit.full_name,
                                  "unit": unit.full_name})
    if file_issue is not None:
        result.errors = [file_issue]
        return plan
    try:
        table = _choose_table(importing.upload_sheets(data, filename), kind, unit=unit, person=person)
    except FileProblem as e:
        result.errors = [e.issue]
        return plan
    kind = table.kind
    result.kind, result.sheet = str(kind), table.sheet.name
    positions, issues = _positions(table)
    header = _header_fields(table.sheet.rows, table.heading)
    reported_on = None
    if "填报时间" in header:
        row, text = header["填报时间"]
        try:
            reported_on = _date_parse(text)
        except _BadDate as e:
            issues.append(ImportIssue(row, "填报时间", e.code, {"value": e.value}))
    result.reported_on = reported_on or timezone.localdate()

    base = unit
    if kind == LedgerKind.PERSONAL:
        sheet_name = header.get("姓名", (None, ""))[1]
        if person is None and sheet_name:
            try:
                person = person_resolve(name=sheet_name, within=unit)
            except LedgerImportError as e:
                issues.append(ImportIssue(header["姓名"][0], "姓名", e.code, e.params))
        elif person is not None and sheet_name and _name_and_note(re.sub(r"\s+", "", sheet_name))[0] != person.name:
            issues.append(ImportIssue(header["姓名"][0], "姓名", LedgerImportIssueCode.PERSON_MISMATCH,
                                      {"sheet": sheet_name, "chosen": person.name}))
        if person is None and "姓名" not in {i.field for i in issues}:
            issues.append(ImportIssue(None, "姓名", LedgerImportIssueCode.PERSON_REQUIRED))
        elif person is not None and not person.unit.path.startswith(unit.path):
            issues.append(ImportIssue(None, "姓名", LedgerImportIssueCode.PERSON_OUTSIDE,
                                      {"name": person.name, "unit": unit.full_name}))
        if person is not None:
            base = person.unit
    else:
        person = None
    result.person = person
    if issues:
        result.errors = issues
        return plan

    groups, result.skipped = _table_groups(table, positions)
    if not groups:
        result.errors = [ImportIssue(None, FILE_FIELD, SheetIssueCode.NO_ROWS, {"what": _("台账")})]
        return plan
    ledger = _existing_ledger(campaign=campaign, unit=base, kind=kind, person=person, lock=lock)
    result.ledger = ledger
    planner = _Planner(kind=kind, campaign=campaign, base=base, person=person, positions=positions, ledger=ledger,
                       reported_on=result.reported_on, groups=groups)
    for group in groups:
        planner.plan(group)
    order = [c.heading for c in LAYOUTS[kind].columns]
    planner.issues.sort(key=lambda i: (i.row or 0, order.index(i.field) if i.field in order else -1))
    result.errors = planner.issues
    result.rows = [s.row for s in planner.steps]
    plan.steps, plan.base = planner.steps, base
    return plan


def _write(*, actor, plan: _Plan, campaign) -> Ledger:
    result = plan.result
    kind = LedgerKind(result.kind)
    ledger = result.ledger or services.ledger_open(actor=actor, campaign=campaign, unit=plan.base, kind=kind,
                                                   person=result.person)
    new_steps = [step for step in plan.steps if step.row.action == RowAction.CREATE]
    # New rows go in bulk (a fixed number of queries); changed rows one by one through the services.
    try:
        fields_of = [dict(step.fields) for step in new_steps]
        created = services.items_create_bulk(actor=actor, ledger=ledger, rows=[
            services.NewItem(
                seq=step.row.seq, problem=fields.pop("problem"), fields=fields,
                lead_leaders=list(step.leaders or ()), responsible_units=list(step.units or ()),
                progress=step.progress, progress_leader=step.leader, reported_on=result.reported_on,
            )
            for step, fields in zip(new_steps, fields_of, strict=True)
        ])
    except DomainError as e:
        row = new_steps[getattr(e, "row_index", 0)].row
        raise importing.WriteFailed(ImportIssue(row.row, heading_of(kind, "seq"), SheetIssueCode.WRITE_FAILED,
                                                {"message": e.message})) from e
    for step, item in zip(new_steps, created, strict=True):
        step.row.item = item
    reported = []
    for step in plan.steps:
        row = step.row
        if row.action == RowAction.CREATE:
            continue
        try:
            if step.fields or step.leaders is not None or step.units is not None:
                row.item = services.item_update(actor=actor, item=row.item, lead_leaders=step.leaders,
                                                responsible_units=step.units, **step.fields)
        except DomainError as e:
            # The database changed between the check and the write, or a rule of the services refused.
            raise importing.WriteFailed(ImportIssue(row.row, heading_of(kind, "seq"),
                                                    SheetIssueCode.WRITE_FAILED, {"message": e.message})) from e
        if step.progress is not None:
            reported.append(step)
    # New progress on existing rows, in bulk, after the rows' own changes (leaders may have changed).
    try:
        services.progress_add_bulk(actor=actor, entries=[
            services.NewProgress(item=step.row.item, leader=step.leader, reported_on=result.reported_on,
                                 **step.progress)
            for step in reported
        ], note="导入，")
    except DomainError as e:
        row = reported[getattr(e, "row_index", 0)].row
        raise importing.WriteFailed(ImportIssue(row.row, heading_of(kind, "seq"), SheetIssueCode.WRITE_FAILED,
                                                {"message": e.message})) from e
    return ledger


def ledger_import(*, actor, data: bytes, filename: str, campaign, unit: Unit, kind: str | None, person=None,
                  dry_run: bool, request=None) -> LedgerImportResult:
    """Check the whole workbook, then (unless `dry_run` or any problem) write it in one transaction.

    Problems never raise: they are in `result.errors`, and then nothing is written. A unit
    outside the actor's LEDGER_EDIT scope is refused like an absent one (404). `actor` None is
    the command line. `kind` None: read from the title or the headings.
    """
    if actor is not None:
        policy.require(actor, Perm.LEDGER_EDIT, unit)
    chosen = LedgerKind(kind) if kind else None
    result = LedgerImportResult(filename=filename, dry_run=dry_run)
    existing: Ledger | None = None  # the ledger before the write, set by the check: what a rollback leaves

    def record() -> None:
        import_recorded(actor=actor, request=request, what="ledger", filename=filename, data=data, result=result,
                        ledger=result.ledger.pk, kind=result.kind, unit=result.ledger.unit.full_name,
                        campaign=campaign.name, progress_added=result.progress_added)

    try:
        # Planned inside the transaction, with the ledger locked, so nothing changes between check and write.
        with importing.all_or_nothing(result, forget=lambda: _forget_rolled_back(result, existing), record=record):
            plan = _plan(data=data, filename=filename, campaign=campaign, unit=unit, kind=chosen, person=person,
                         result=result, lock=True)
            existing = result.ledger
            if not result.errors:
                with hooks.gathered():  # the rows' changes reach the apps above once, not row by row
                    result.ledger = _write(actor=actor, plan=plan, campaign=campaign)
    except IntegrityError:
        # Two imports of a new ledger at once: the other one created it first.
        result.errors = [ImportIssue(None, FILE_FIELD, LedgerImportIssueCode.BUSY)]
        _forget_rolled_back(result, result.ledger)
    return result


def _forget_rolled_back(result: LedgerImportResult, existing: Ledger | None) -> None:
    """After a rolled-back write, the result names only what exists: no new items, no new ledger."""
    result.ledger = existing
    for row in result.rows:
        if row.action == RowAction.CREATE:
            row.item = None

