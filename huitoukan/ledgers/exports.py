"""The four ledgers as Excel in the layout of seed 001 附件1-4, one sheet per ledger.

Each sheet is the attachment: 附件N, the title, the header line (单位/姓名 职务, 填报时间), the
headings of `LAYOUTS[kind]` in order, one row per item, and the 说明 under the table; printed
A4 landscape, fitted to the width, the headings repeated on every page.

The rows of any number of ledgers are read in a fixed number of queries per batch of
ledgers (`ledger_rows`), so a county's or a province's subtree exports without a query
per unit; XlsxWriter's constant_memory mode streams the rows to disk as they are written.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import operator
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import xlsxwriter
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.audit.models import SecurityEventKind
from huitoukan.audit.services import security_event_record
from huitoukan.core.dates import chinese_date
from huitoukan.core.paths import path_range_q
from huitoukan.ledgers import past
from huitoukan.ledgers.layouts import LAYOUTS, Column, Layout, LedgerKind
from huitoukan.ledgers.models import DeadlineMode, Item, Ledger, ProgressEntry
from huitoukan.orgs.models import Person, Unit

FORMATS = ("xlsx", "docx")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# How ledgers are read together: small enough for every database's limit on query parameters.
LEDGER_BATCH = 500
JOINER = "、"
HEADER_GAP = " " * 16
AS_OF_LABEL = "状态截至："
FONT = "宋体"  # 方正小标宋简体 is rarely installed; Excel, WPS and LibreOffice all map 宋体/SimSun
TITLE_ROW, HEADER_ROW, HEADINGS_ROW, FIRST_ITEM_ROW = 1, 2, 3, 4
_MARGIN_INCHES = 1.5 / 2.54


class LedgerRow(NamedTuple):
    """One item as the ledgers print it; the fields are the layouts' column keys."""

    seq: int | str  # a linked row of the leading unit's ledger (上下联动) reads 联1, 联2 …
    problem: str
    measures: str
    deadline: str
    lead_leaders: str
    responsible_units: str
    category: str
    progress: str
    strict_execution: str
    next_steps: str
    # Not printed: what a frozen package (reviews) keys its rows by and marks closed with.
    item_id: int = 0
    status: str = ""


def deadline_text(mode: str, due_on: dt.date | None) -> str:
    """整改时限/完成时限: a date, 立行立改, 长期坚持, or nothing while it is 未定."""
    if mode == DeadlineMode.DATE and due_on is not None:
        return chinese_date(due_on)
    if mode == DeadlineMode.IMMEDIATE:
        return str(DeadlineMode.IMMEDIATE.label)
    if mode == DeadlineMode.LONG_TERM:
        return str(DeadlineMode.LONG_TERM.label)
    return ""


def header_line(ledger: Ledger, today: dt.date | None = None, as_of: dt.date | None = None) -> str:
    """单位：涟源市 … 填报时间：2015年1月6日 (姓名 and 职务 for 党员领导干部); 填报时间 falls back to today.
    A ledger as it stood on a past day (`as_of`) says that day after it: 状态截至：2015年1月20日."""
    filled_on = ledger.filled_on
    if as_of is not None and (filled_on is None or filled_on > as_of):
        filled_on = as_of
    filled = chinese_date(filled_on or today or timezone.localdate())
    past_day = f"{HEADER_GAP}{AS_OF_LABEL}{chinese_date(as_of)}" if as_of is not None else ""
    if ledger.kind == LedgerKind.PERSONAL and ledger.person_id is not None:
        person = ledger.person
        return f"姓名：{person.name}{HEADER_GAP}职务：{person.position}{HEADER_GAP}填报时间：{filled}{past_day}"
    return f"单位：{ledger.unit.name}{HEADER_GAP}填报时间：{filled}{past_day}"


def ledger_who(ledger: Ledger) -> str:
    """Whose ledger: the person for 党员领导干部, else the unit (a unit's sheet of the items it leads, too)."""
    return ledger.person.name if ledger.kind == LedgerKind.PERSONAL and ledger.person_id is not None else ledger.unit.name


def _key(ledger: Ledger) -> int:
    """Where a ledger's rows are kept: its id; for an unsaved ledger of a unit that only leads linked items
    (`_led_only_ledgers`), minus its unit's id."""
    return ledger.pk if ledger.pk is not None else -ledger.unit_id


def _batches(seq: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(seq), size):
        yield seq[start:start + size]


def _shared_names(model, names: set[str]) -> set[str]:
    if not names:
        return set()
    return set(
        model.objects.filter(name__in=names).order_by().values("name").annotate(n=Count("*")).filter(n__gt=1)
        .values_list("name", flat=True)
    )


def _links_now(ledger_ids: Sequence[int]) -> tuple[dict, dict]:
    leaders: dict[int, list[tuple[str, str]]] = defaultdict(list)
    # The order of Person.Meta (unit path, unit head first), as the screens list them.
    for item_id, name, unit_name in (
        Item.lead_leaders.through.objects.filter(item__ledger_id__in=ledger_ids)
        .order_by("item_id", "person__unit__path", "-person__is_unit_head", "person_id")
        .values_list("item_id", "person__name", "person__unit__name")
        .iterator(chunk_size=5000)
    ):
        leaders[item_id].append((name, unit_name))
    units: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for item_id, name, full_name in (
        Item.responsible_units.through.objects.filter(item__ledger_id__in=ledger_ids)
        .order_by("item_id", "unit__path")
        .values_list("item_id", "unit__name", "unit__full_name")
        .iterator(chunk_size=5000)
    ):
        units[item_id].append((name, full_name))
    return leaders, units


def _latest_now(ledger_ids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
    # The entry selectors.latest_progress shows: the newest by (reported_on, id), one per item.
    return {
        item_id: (progress, strict, next_steps)
        for item_id, progress, strict, next_steps in ProgressEntry.objects.filter(item__ledger_id__in=ledger_ids)
        .annotate(newest=Window(RowNumber(), partition_by=[F("item_id")],
                                order_by=[F("reported_on").desc(), F("id").desc()]))
        .filter(newest=1)
        .values_list("item_id", "progress", "strict_execution", "next_steps")
        .iterator(chunk_size=5000)
    }


_ITEM_FIELDS = ("id", "ledger_id", "seq", "problem", "measures", "deadline_mode", "due_on", "category", "status")


def _rows_of_batch(ledger_ids: Sequence[int], as_of: dt.date | None = None) -> dict[int, list[LedgerRow]]:
    """Four queries whatever the number of ledgers and items in the batch; with `as_of`, the ledgers as they
    stood when that day ended (ledgers.past: the items' history, the entries entered by then)."""
    if as_of is None:
        leaders, units = _links_now(ledger_ids)
        latest = _latest_now(ledger_ids)
        items = (Item.objects.filter(ledger_id__in=ledger_ids).order_by("ledger_id", "seq")
                 .values_list(*_ITEM_FIELDS).iterator(chunk_size=5000))
    else:
        versions = past.item_versions(ledger_ids, as_of)
        leaders, units = past.links_as_of([v["links_id"] for v in versions])
        latest = past.latest_progress_as_of(ledger_ids, as_of)
        items = ([v[f] for f in _ITEM_FIELDS] for v in versions)
    # A name shared by two people (or units) is written so that re-importing the file finds the
    # right one: 姓名（单位） for people, the path for units.
    shared_people = _shared_names(Person, {n for pairs in leaders.values() for n, _ in pairs})
    shared_units = _shared_names(Unit, {n for pairs in units.values() for n, _ in pairs})
    leaders = {i: [f"{n}（{u}）" if n in shared_people else n for n, u in pairs] for i, pairs in leaders.items()}
    units = {i: [full if n in shared_units else n for n, full in pairs] for i, pairs in units.items()}
    rows: dict[int, list[LedgerRow]] = defaultdict(list)
    deadlines: dict[tuple, str] = {}
    no_progress = ("", "", "")
    for item_id, ledger_id, seq, problem, measures, mode, due_on, category, status in items:
        progress, strict, next_steps = latest.get(item_id, no_progress)
        deadline = deadlines.get((mode, due_on))
        if deadline is None:  # deadlines repeat: each date is written (and each label translated) once
            deadline = deadlines[mode, due_on] = deadline_text(mode, due_on)
        rows[ledger_id].append(LedgerRow(
            seq=seq, problem=problem, measures=measures, deadline=deadline,
            lead_leaders=JOINER.join(leaders.get(item_id, ())),
            responsible_units=JOINER.join(units.get(item_id, ())),
            category=category, progress=progress, strict_execution=strict, next_steps=next_steps,
            item_id=item_id, status=status,
        ))
    return rows


def ledger_rows(*, ledgers: Sequence[Ledger], as_of: dt.date | None = None) -> Iterator[tuple[Ledger, list[LedgerRow]]]:
    """Each ledger with its rows in 序号 order: five queries per LEDGER_BATCH ledgers (two more where a ledger's
    unit leads linked items).

    Lead leaders and responsible units are joined with 、; the progress columns are the
    item's latest entry (as `selectors.latest_progress`), empty before the first report.
    上下联动 (ledgers.linkage): a ledger's own rows whose item another unit leads are marked in 问题
    (【联动：市公安局】), and after its own rows come the items its unit leads in the same campaign and kind
    (序号 联1, 联2 …, 问题 marked 【上级牵头·涟源市】 or 【联动·涟源市】).
    With `as_of`, the ledgers as they stood when that day ended (ledgers.past); links are not part of that past
    state, so such a ledger has neither the marks nor the linked rows.
    """
    for batch in _batches(list(ledgers), LEDGER_BATCH):
        rows = _rows_of_batch([ledger.pk for ledger in batch if ledger.pk is not None], as_of)
        if as_of is None:
            _linked_rows(batch, rows)
        for ledger in batch:
            yield ledger, rows.get(_key(ledger), [])


def _linked_rows(batch: Sequence[Ledger], rows: dict[int, list[LedgerRow]]) -> None:
    """上下联动 in the batch's rows: one query for the claimed links of the batch's items and of the items its
    ledgers' units lead; two more (the links' leaders, the items' latest progress) when a unit leads any."""
    # Imported here: linkage reads the ledgers' models and selectors, and writes nothing exports needs first.
    from huitoukan.ledgers.linkage import KIND_ABOVE, KIND_SECTOR
    from huitoukan.ledgers.models import ItemLink, LinkState

    ledger_ids = [ledger.pk for ledger in batch if ledger.pk is not None]
    leading_ledger = {(lg.unit_id, lg.campaign_id, lg.kind): _key(lg) for lg in batch if lg.person_id is None}
    units = {unit_id for unit_id, _c, _k in leading_ledger}
    links = list(
        ItemLink.objects.filter(state=LinkState.CLAIMED).filter(Q(item__ledger_id__in=ledger_ids) | Q(to_unit_id__in=units))
        .order_by("claimed_at", "id")
        .values_list("id", "item_id", "item__ledger_id", "item__ledger__campaign_id", "item__ledger__kind", "to_unit_id",
                     "to_unit__name", "to_unit__path", "from_unit__name", "from_unit__path", "measures", "due_on",
                     "item__seq", "item__problem", "item__category", "item__status"))
    if not links:
        return
    marks: dict[int, str] = {}
    leading: list[tuple[int, tuple]] = []
    for link in links:
        (_pk, item_id, ledger_id, campaign_id, kind, to_unit_id, to_name, to_path, _from_name, from_path, *_rest) = link
        above = from_path.startswith(to_path)
        if ledger_id in ledger_ids:
            marks[item_id] = f"【{KIND_ABOVE if above else KIND_SECTOR}：{to_name}】"
        target = leading_ledger.get((to_unit_id, campaign_id, kind))
        if target is not None:
            leading.append((target, link))
    for ledger_id, own in rows.items():
        rows[ledger_id] = [row._replace(problem=marks[row.item_id] + row.problem) if row.item_id in marks else row
                           for row in own]
    if not leading:
        return
    names: dict[int, list[str]] = defaultdict(list)
    for link_id, name in (ItemLink.lead_leaders.through.objects.filter(itemlink_id__in=[link[0] for _t, link in leading])
                          .order_by("itemlink_id", "person__unit__path", "-person__is_unit_head", "person_id")
                          .values_list("itemlink_id", "person__name")):
        names[link_id].append(name)
    item_ids = [link[1] for _t, link in leading]
    latest = {
        item_id: (progress, strict, next_steps)
        for item_id, progress, strict, next_steps in ProgressEntry.objects.filter(item_id__in=item_ids)
        .annotate(newest=Window(RowNumber(), partition_by=[F("item_id")],
                                order_by=[F("reported_on").desc(), F("id").desc()]))
        .filter(newest=1).values_list("item_id", "progress", "strict_execution", "next_steps")
    }
    numbers: dict[int, int] = defaultdict(int)
    for target, link in leading:
        (link_id, item_id, _l, _c, _k, _t, _tn, to_path, from_name, from_path, measures, due_on, _seq, problem,
         category, status) = link
        numbers[target] += 1
        kind = KIND_ABOVE if from_path.startswith(to_path) else KIND_SECTOR
        progress, strict, next_steps = latest.get(item_id, ("", "", ""))
        rows.setdefault(target, []).append(LedgerRow(
            seq=f"联{numbers[target]}", problem=f"【{kind}·{from_name}】{problem}", measures=measures,
            deadline=deadline_text(DeadlineMode.DATE, due_on), lead_leaders=JOINER.join(names.get(link_id, ())),
            responsible_units=from_name, category=category, progress=progress, strict_execution=strict,
            next_steps=next_steps, item_id=item_id, status=status,
        ))


def subtree_ledgers(*, user, campaign, root_unit, kind: str) -> QuerySet[Ledger]:
    """The campaign's ledgers of `kind` in `root_unit`'s subtree that `user` may read, in tree order.

    `user` None is the command line, which reads everything. A root out of scope is a 404.
    """
    qs = Ledger.objects.filter(campaign=campaign, kind=LedgerKind(kind)).filter(
        path_range_q(root_unit.path, "unit__path"))
    if user is not None:
        policy.require(user, Perm.WORK_VIEW, root_unit)
        qs = qs.filter(policy.units_q(user, Perm.WORK_VIEW, "unit__path"))
    # 党员领导干部: one ledger per person, the unit head's first, as Person.Meta orders people.
    return qs.select_related("unit", "person").order_by("unit__path", "-person__is_unit_head", "person_id", "id")


# ---- the workbook ---------------------------------------------------------------------------

_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_MAX = 31


class SheetNamer:
    """Excel's rules for sheet names: at most 31 characters, none of []:*?/\\, no apostrophe at
    either end, unique ignoring case (名称, 名称(2), …). Names are taken as sheets arrive."""

    def __init__(self):
        self._used: set[str] = set()

    def take(self, name: str) -> str:
        base = _SHEET_NAME_FORBIDDEN.sub("_", name).strip().strip("'")[:_SHEET_NAME_MAX].rstrip("'") or "台账"
        candidate, n = base, 2
        while candidate.casefold() in self._used or candidate.casefold() == "history":
            suffix = f"({n})"
            candidate = base[:_SHEET_NAME_MAX - len(suffix)] + suffix
            n += 1
        self._used.add(candidate.casefold())
        return candidate


def sheet_names(names: Iterable[str]) -> list[str]:
    namer = SheetNamer()
    return [namer.take(name) for name in names]


def _text_units(text: str) -> float:
    """Width in Excel's character units: two for a Chinese character, one for ASCII.

    From the UTF-8 length (1 byte ASCII, 3 bytes CJK), which is computed in C: 50,000 rows
    are measured in a blink, where a unicodedata loop would take seconds.
    """
    n = len(text)
    return n + (len(text.encode("utf-8")) - n) / 2


# 宋体 11 pt: a Chinese character is ~14.7 px, so one unit ~7.4 px; a column unit is 7 px.
_PX_PER_UNIT, _PX_PER_COLUMN_UNIT, _CELL_PADDING_PX = 7.4, 7.0, 8
# Generous: LibreOffice substitutes Noto Sans CJK, whose lines are taller than 宋体's.
_LINE_PT, _ROW_PADDING_PT, _MIN_ROW_PT = 15.0, 5.0, 20.0
_MAX_ROW_PT = 409.0  # Excel's limit


def _lines(text: str, column_units: float) -> int:
    usable = _usable_px(column_units)
    if "\n" not in text:
        return math.ceil(_text_units(text) * _PX_PER_UNIT / usable) or 1
    return sum(math.ceil(_text_units(part) * _PX_PER_UNIT / usable) or 1 for part in text.split("\n"))


def _one_line_max(column_units: float) -> int:
    """The longest text certain to fit on one line of the column (every character counted wide)."""
    return int(_usable_px(column_units) // (2 * _PX_PER_UNIT))


def row_height(texts: Iterable[str], widths: Iterable[float]) -> float:
    """Points for a row whose wrapped cells all show: spreadsheets do not size rows of merged cells,
    and a generated file carries no measured heights, so print would cut the text otherwise."""
    lines = max((_lines(t, w) for t, w in zip(texts, widths, strict=True) if t), default=1)
    return _height(lines)


def _height(lines: int) -> float:
    return min(max(lines * _LINE_PT + _ROW_PADDING_PT, _MIN_ROW_PT), _MAX_ROW_PT)


def _usable_px(column_units: float) -> float:
    return max(column_units * _PX_PER_COLUMN_UNIT - _CELL_PADDING_PX, _PX_PER_UNIT * 2)


def _row_height_fast(values: Sequence[str | int], widths: Sequence[float], one_line: Sequence[int]) -> float:
    """`row_height` of a row's cells (the same figures, as a test holds), skipping the measure of the
    short ones and inlining `_lines` for one-line texts: a province's export measures millions of cells."""
    lines = 1
    ceil = math.ceil
    for value, width, short in zip(values, widths, one_line, strict=True):
        if value.__class__ is not str or (len(value) <= short and "\n" not in value):
            continue
        if "\n" in value:
            n = _lines(value, width)
        else:
            chars = len(value)
            n = ceil((chars + (len(value.encode("utf-8")) - chars) / 2) * _PX_PER_UNIT / _usable_px(width)) or 1
        if n > lines:
            lines = n
    return _height(lines)


@dataclass(frozen=True)
class _Formats:
    label: object
    title: object
    header: object
    heading: object
    text: object
    centred: object
    notes: object


def _formats(workbook) -> _Formats:
    base = {"font_name": FONT, "font_charset": 134, "font_size": 11, "valign": "vcenter"}
    cell = base | {"border": 1, "text_wrap": True}
    return _Formats(
        # 附件N in 黑体 三号 (16 pt), as GB/T 9704-2012 7.3.6 sets the label of an attachment.
        label=workbook.add_format(base | {"font_name": "黑体", "font_size": 16}),
        title=workbook.add_format(base | {"font_size": 16, "bold": True, "align": "center"}),
        header=workbook.add_format(base | {"font_size": 12}),
        heading=workbook.add_format(cell | {"bold": True, "align": "center", "bg_color": "#D9D9D9"}),
        text=workbook.add_format(cell | {"align": "left"}),
        centred=workbook.add_format(cell | {"align": "center"}),
        notes=workbook.add_format(base | {"text_wrap": True, "align": "left", "valign": "top"}),
    )


# Short columns read better centred, as in the printed attachments.
CENTRED_KEYS = frozenset({"seq", "deadline", "lead_leaders", "category"})


def _write_sheet(workbook, formats: _Formats, *, name: str, layout: Layout, header: str,
                 rows: Iterable[Sequence[str | int]], columns: Sequence[Column] | None = None) -> int:
    """One attachment on one sheet; returns the number of item rows.

    `rows` are the cells of each row in the order of `columns` (the layout's, unless a grouped
    sheet adds its 单位 column). In constant_memory mode a row is flushed as soon as a later row
    is written, so each row's height, merges and cells are all set before moving down.
    """
    sheet = workbook.add_worksheet(name)
    columns = columns or layout.columns
    last_col = len(columns) - 1
    widths = [c.width for c in columns]
    keys = [c.key for c in columns]
    cell_formats = [formats.centred if k in CENTRED_KEYS else formats.text for k in keys]

    for i, width in enumerate(widths):
        sheet.set_column(i, i, width)
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)  # one page wide, as many tall as needed
    sheet.repeat_rows(HEADINGS_ROW)
    sheet.set_margins(left=_MARGIN_INCHES, right=_MARGIN_INCHES, top=_MARGIN_INCHES, bottom=_MARGIN_INCHES)
    sheet.set_footer("&C第 &P 页 共 &N 页", {"margin": 0.3})
    sheet.center_horizontally()
    sheet.freeze_panes(FIRST_ITEM_ROW, 0)

    sheet.set_row(0, 22)
    sheet.write_string(0, 0, layout.attachment, formats.label)
    sheet.set_row(TITLE_ROW, 36)
    sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, layout.title, formats.title)
    sheet.set_row(HEADER_ROW, 24)
    sheet.merge_range(HEADER_ROW, 0, HEADER_ROW, last_col, header, formats.header)
    headings = [c.heading for c in columns]
    sheet.set_row(HEADINGS_ROW, row_height(headings, widths))
    for c, heading in enumerate(headings):
        sheet.write_string(HEADINGS_ROW, c, heading, formats.heading)

    one_line = [_one_line_max(w) for w in widths]
    r = FIRST_ITEM_ROW
    for values in rows:
        sheet.set_row(r, _row_height_fast(values, widths, one_line))
        for c, value in enumerate(values):
            if isinstance(value, int):
                sheet.write_number(r, c, value, cell_formats[c])
            elif value:
                # write_string, never write(): a text starting with "=" stays text, not a formula.
                sheet.write_string(r, c, value, cell_formats[c])
            else:
                sheet.write_blank(r, c, None, cell_formats[c])
        r += 1

    sheet.set_row(r, row_height([layout.notes], [sum(widths)]))
    sheet.merge_range(r, 0, r, last_col, layout.notes, formats.notes)
    return r - FIRST_ITEM_ROW


@dataclass(frozen=True)
class _Sheet:
    who: str
    layout: Layout
    header: str
    rows: Iterable[Sequence[str | int]]
    columns: Sequence[Column] | None = None


def _cells(rows: Iterable[LedgerRow], columns: Sequence[Column]) -> Iterator[tuple[str | int, ...]]:
    cells = operator.attrgetter(*[c.key for c in columns])  # one C call per row, not one getattr per cell
    return (cells(row) for row in rows)


def _workbook(sheets: Iterable[_Sheet], target=None) -> tuple[bytes | None, int]:
    """Write the sheets (`sheets` may be a generator) to `target`, a file path, or to memory.

    Returns the workbook's bytes (None when written to `target`) and its number of item rows.
    """
    buffer = io.BytesIO() if target is None else None
    workbook = xlsxwriter.Workbook(str(target) if target is not None else buffer,
                                   {"constant_memory": True, "strings_to_formulas": False})
    formats = _formats(workbook)
    namer = SheetNamer()
    total = 0
    for sheet in sheets:
        total += _write_sheet(workbook, formats, name=namer.take(sheet.who), layout=sheet.layout, header=sheet.header,
                              rows=sheet.rows, columns=sheet.columns)
    workbook.close()
    return (buffer.getvalue() if buffer is not None else None), total


def _ledger_sheets(ledgers: Sequence[Ledger], today: dt.date | None, as_of: dt.date | None = None) -> Iterator[_Sheet]:
    for ledger, rows in ledger_rows(ledgers=ledgers, as_of=as_of):
        layout = LAYOUTS[ledger.kind]
        yield _Sheet(ledger_who(ledger), layout, header_line(ledger, today, as_of), _cells(rows, layout.columns))


def _blank_sheet(*, kind: str, unit, today: dt.date | None) -> _Sheet:
    """The empty attachment, for a subtree that has no ledger of this kind yet."""
    filled = chinese_date(today or timezone.localdate())
    if kind == LedgerKind.PERSONAL:
        header = f"姓名：{HEADER_GAP}职务：{HEADER_GAP}填报时间：{filled}"
    else:
        header = f"单位：{unit.name}{HEADER_GAP}填报时间：{filled}"
    return _Sheet(unit.name, LAYOUTS[kind], header, [])


def _ledger_workbook(ledgers: Sequence[Ledger], today: dt.date | None,
                     as_of: dt.date | None = None) -> tuple[bytes, int]:
    return _workbook(_ledger_sheets(ledgers, today, as_of))


def ledger_workbook(*, ledgers: list[Ledger], today: dt.date | None = None) -> bytes:
    """The ledgers as one .xlsx, a sheet each (named for the unit, or the person for 党员领导干部)."""
    if not ledgers:
        raise ValueError("ledger_workbook() needs at least one ledger")
    return _ledger_workbook(ledgers, today)[0]


# ---- a subtree: a sheet per ledger, or a sheet per child unit when there are many ----------

# Above this many ledgers a subtree is written a sheet per child unit of its root (with a 单位
# column), not a sheet per ledger: XlsxWriter keeps a temporary file open per sheet and adding
# sheets costs more the more there are, so thousands of sheets exhaust open files and time.
SHEET_PER_LEDGER_MAX = 200
UNIT_COLUMN = Column("unit", "单位", 16)
PERSON_COLUMN = Column("unit", "单位及姓名", 20)


def _grouped_columns(layout: Layout) -> tuple[Column, ...]:
    extra = PERSON_COLUMN if layout.kind == LedgerKind.PERSONAL else UNIT_COLUMN
    return (layout.columns[0], extra, *layout.columns[1:])


def _grouped_sheets(ledgers: Sequence[Ledger], root_unit, kind: str, today: dt.date | None,
                    on_rows: Callable[[int], None]) -> Iterator[_Sheet]:
    """A sheet for the root's own ledgers (本级) and one per child unit with everything under it,
    in tree order; each row names its unit (and person, for 党员领导干部) in a 单位 column."""
    layout = LAYOUTS[kind]
    columns = _grouped_columns(layout)
    rest = operator.attrgetter(*[c.key for c in columns[2:]])  # after 序号 and 单位
    cut = len(root_unit.path) + Unit.steplen
    child_names = dict(Unit.objects.filter(path_range_q(root_unit.path), depth=root_unit.depth + 1)
                       .values_list("path", "name"))
    filled = chinese_date(today or timezone.localdate())

    def group_of(ledger: Ledger) -> str:
        return ledger.unit.path[:cut] if len(ledger.unit.path) >= cut else root_unit.path

    def rows_of(group: list[Ledger]) -> Iterator[list[str | int]]:
        for ledger, rows in ledger_rows(ledgers=group):
            who = ledger.unit.name
            if kind == LedgerKind.PERSONAL and ledger.person_id is not None:
                who = f"{ledger.unit.name} · {ledger.person.name}"
            for row in rows:
                yield (row.seq, who, *rest(row))
            on_rows(len(rows))

    for path, group in itertools.groupby(ledgers, key=group_of):
        if path == root_unit.path:
            name, title = f"{root_unit.name}（本级）", root_unit.full_name
        else:
            name = child_names.get(path, path)
            title = f"{root_unit.full_name}/{name}及下级单位"
        header = f"单位：{title}{HEADER_GAP}填报时间：{filled}"
        yield _Sheet(name, layout, header, rows_of(list(group)), columns)


def _counted(sheets: Iterator[_Sheet], on_rows: Callable[[int], None]) -> Iterator[_Sheet]:
    for sheet in sheets:
        rows = list(sheet.rows)
        yield _Sheet(sheet.who, sheet.layout, sheet.header, rows, sheet.columns)
        on_rows(len(rows))


def _led_in_subtree(*, user, campaign, root_unit, kind: str):
    """上下联动: the claimed links of the campaign's items of `kind` led by a unit of the subtree that `user` reads
    (None: the command line, everything)."""
    from huitoukan.ledgers.models import ItemLink, LinkState

    links = ItemLink.objects.filter(state=LinkState.CLAIMED, item__ledger__campaign=campaign,
                                    item__ledger__kind=LedgerKind(kind)).filter(
        path_range_q(root_unit.path, "to_unit__path"))
    if user is not None:
        links = links.filter(policy.units_q(user, Perm.WORK_VIEW, "to_unit__path"))
    return links


def _led_only_ledgers(*, user, campaign, root_unit, kind: str, ledgers: Sequence[Ledger]) -> list[Ledger]:
    """The units of the subtree that lead linked items of the campaign and `kind` (上下联动) but keep no unit ledger
    of that kind: an unsaved ledger each, whose sheet holds only the linked rows (联1, 联2 …), as their ledger list
    shows them. One query."""
    have = {lg.unit_id for lg in ledgers if lg.person_id is None}
    led = _led_in_subtree(user=user, campaign=campaign, root_unit=root_unit, kind=kind).values("to_unit_id")
    units = Unit.objects.filter(pk__in=led).exclude(pk__in=have).order_by("path")
    return [Ledger(campaign=campaign, unit=unit, kind=LedgerKind(kind)) for unit in units]


def _with_led_only(ledgers: list[Ledger], led_only: list[Ledger]) -> list[Ledger]:
    """The subtree's ledgers with the led-only ones in tree order (after a unit's own personal ledgers)."""
    if not led_only:
        return ledgers
    return sorted(ledgers + led_only, key=lambda lg: lg.unit.path)  # stable: the ledgers' own order kept


def subtree_item_count(*, user, campaign, root_unit, kind: str) -> int:
    """How many rows the subtree's export holds (for its progress bar, and to decide on a job): the items of its
    ledgers and the linked items its units lead."""
    items = Item.objects.filter(ledger__in=subtree_ledgers(user=user, campaign=campaign, root_unit=root_unit,
                                                           kind=kind).order_by().values("pk")).count()
    return items + _led_in_subtree(user=user, campaign=campaign, root_unit=root_unit, kind=kind).count()


def _subtree_workbook(*, user, campaign, root_unit, kind: str, today: dt.date | None, target=None,
                      progress: Callable[[int, int], None] | None = None) -> tuple[bytes | None, int, int]:
    ledgers = list(subtree_ledgers(user=user, campaign=campaign, root_unit=root_unit, kind=kind))
    ledgers = _with_led_only(ledgers, _led_only_ledgers(user=user, campaign=campaign, root_unit=root_unit, kind=kind,
                                                        ledgers=ledgers))
    if not ledgers:
        data, rows = _workbook([_blank_sheet(kind=kind, unit=root_unit, today=today)], target)
        return data, rows, 0
    total = subtree_item_count(user=user, campaign=campaign, root_unit=root_unit, kind=kind) if progress else 0
    done = 0

    def on_rows(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    if len(ledgers) > SHEET_PER_LEDGER_MAX:
        sheets = _grouped_sheets(ledgers, root_unit, kind, today, on_rows)
    else:
        sheets = _counted(_ledger_sheets(ledgers, today), on_rows)
    data, rows = _workbook(sheets, target)
    return data, rows, sum(ledger.pk is not None for ledger in ledgers)  # the kept ledgers, not the led-only sheets


def subtree_workbook(*, user, campaign, root_unit, kind: str, today: dt.date | None = None) -> bytes:
    """Every ledger of `kind` of the campaign under `root_unit` that `user` may read, a sheet per
    unit (per person for 党员领导干部) in tree order, or a sheet per child unit above
    SHEET_PER_LEDGER_MAX ledgers; a blank attachment when there is none. A unit that leads linked items of
    `kind` (上下联动) but keeps no ledger of it has a sheet of those rows (联1 …, `_led_only_ledgers`)."""
    return _subtree_workbook(user=user, campaign=campaign, root_unit=root_unit, kind=kind, today=today)[0]


def subtree_workbook_write(path, *, user, campaign, root_unit, kind: str, today: dt.date | None = None,
                           progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    """`subtree_workbook` written to the file `path`, with `progress(rows done, rows in all)`.

    Returns (rows, ledgers). Streams: memory stays flat whatever the size of the subtree.
    """
    _, rows, ledgers = _subtree_workbook(user=user, campaign=campaign, root_unit=root_unit, kind=kind,
                                         today=today, target=path, progress=progress)
    return rows, ledgers


def subtree_filename(*, root_unit, kind: str) -> str:
    return f"{LAYOUTS[LedgerKind(kind)].title}-{root_unit.name}及下级单位.xlsx"


# ---- exports with their security-log entry (web and command line) ---------------------------


@dataclass(frozen=True)
class LedgerFile:
    data: bytes
    filename: str
    content_type: str
    rows: int


def _record(*, user_or_none, request, detail: dict) -> None:
    security_event_record(
        kind=SecurityEventKind.EXPORT,
        user=user_or_none,
        username=user_or_none.get_username() if user_or_none is not None else "命令行",
        request=request,
        detail=detail,
    )


def ledger_file(*, user_or_none, ledger: Ledger, fmt: str, request=None, today: dt.date | None = None,
                as_of: dt.date | None = None) -> LedgerFile:
    """One ledger as .xlsx or .docx, recorded in the security log. The caller has checked
    that the user may read it (`selectors.ledger_get_for`); None is the command line.
    With `as_of`, the ledger as it stood when that day ended, the day in its header and file name."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    if fmt == "xlsx":
        data, rows = _ledger_workbook([ledger], today, as_of)
    else:
        # word.py builds on this module's rows; imported here so neither module needs the other first.
        from huitoukan.ledgers.word import document_with_count

        data, rows = document_with_count(ledger=ledger, today=today, as_of=as_of)
    detail = {"what": "ledger", "ledgers": [ledger.pk], "kind": ledger.kind, "who": ledger_who(ledger),
              "campaign": ledger.campaign_id, "format": fmt, "rows": rows}
    if as_of is not None:
        detail["as_of"] = as_of.isoformat()
    _record(user_or_none=user_or_none, request=request, detail=detail)
    stem = f"{LAYOUTS[ledger.kind].title}-{ledger_who(ledger)}"
    if as_of is not None:
        stem += f"-{as_of:%Y-%m-%d}"
    return LedgerFile(data, f"{stem}.{fmt}", CONTENT_TYPES[fmt], rows)


def subtree_export_record(*, user_or_none, campaign, root_unit, kind: str, rows: int | None = None,
                          ledgers: int | None = None, request=None, job=None) -> None:
    """The security-log entry of a subtree export handed to someone (a download, a file written)."""
    detail = {"what": "ledgers", "kind": LedgerKind(kind).value, "unit": root_unit.full_name, "unit_id": root_unit.pk,
              "campaign": campaign.pk, "format": "xlsx", "rows": rows if job is None else job.result_rows}
    if ledgers is not None:
        detail["ledgers"] = ledgers
    if job is not None:
        detail |= {"job": str(job.pk), "sha256": job.result_sha256}
    _record(user_or_none=user_or_none, request=request, detail=detail)


def subtree_file(*, user_or_none, campaign, root_unit, kind: str, request=None,
                 today: dt.date | None = None) -> LedgerFile:
    """The subtree's ledgers of `kind` as one .xlsx, recorded in the security log."""
    kind = LedgerKind(kind)
    data, rows, ledgers = _subtree_workbook(user=user_or_none, campaign=campaign, root_unit=root_unit, kind=kind,
                                            today=today)
    subtree_export_record(user_or_none=user_or_none, campaign=campaign, root_unit=root_unit, kind=kind, rows=rows,
                          ledgers=ledgers, request=request)
    return LedgerFile(data, subtree_filename(root_unit=root_unit, kind=kind), CONTENT_TYPES["xlsx"], rows)
