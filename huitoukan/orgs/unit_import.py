"""Import of the unit tree (组织树) from an xlsx or CSV file: check every row, then write all or nothing.

The file names units the way people do, by the path of names from the top (娄底市/涟源市)
or by a unique name, and labels levels and kinds in Chinese. Every problem of every row is
collected first, as "第N行 字段: 说明" with N the row number Excel shows, so one round of
corrections fixes the file. Only a file without a single problem is written, in one
transaction, through the unit services (so each unit gets its history row). A row that
describes a unit exactly as it stands is "unchanged": re-importing a file, or importing an
export, changes nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from enum import Enum

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.audit.events import import_recorded
from huitoukan.core import importing
from huitoukan.core.errors import DomainError
from huitoukan.orgs import selectors, services
from huitoukan.orgs.errors import ImportIssueCode, OrgsError, OrgsErrorCode
from huitoukan.orgs.models import LEVEL_RANK, Batch, Unit, UnitKind, UnitLevel
from huitoukan.spreadsheets import (
    FILE_FIELD,
    FileProblem,
    ImportIssue,
    RowAction,
    SheetIssueCode,
    cell_text,
    column_missing,
    heading_positions,
)

# The file format's column headings. They are data, not UI text: never translated.
COL_PARENT = "上级单位"
COL_NAME = "单位名称"
COL_LEVEL = "层级"
COL_KIND = "类型"
COL_BATCH = "批次"
COL_ESTABLISHED = "成立日期"
COL_ABOLISHED = "撤销日期"
REQUIRED_COLUMNS = (COL_PARENT, COL_NAME, COL_LEVEL, COL_KIND)
KNOWN_COLUMNS = (*REQUIRED_COLUMNS, COL_BATCH, COL_ESTABLISHED, COL_ABOLISHED)

# A title row or two may sit above the headings; further down it is not a heading row.
HEADING_SEARCH_ROWS = 20
NAME_MAX_LENGTH = Unit._meta.get_field("name").max_length
# Spreadsheet programs run a cell starting with one of these as a formula; the CSV export
# puts an apostrophe in front, and the import takes it off again.

LEVEL_ALIASES = {
    "县(市、区)": UnitLevel.COUNTY,
    "县市区": UnitLevel.COUNTY,
    "县(市,区)": UnitLevel.COUNTY,
    "乡镇": UnitLevel.TOWNSHIP,
    "街道": UnitLevel.TOWNSHIP,
    "乡镇/街道": UnitLevel.TOWNSHIP,
    "村": UnitLevel.VILLAGE,
    "社区": UnitLevel.VILLAGE,
    "村/社区": UnitLevel.VILLAGE,
}
KIND_ALIASES = {
    "执法监管部门": UnitKind.LAW_ENFORCEMENT,
    "窗口单位": UnitKind.LAW_ENFORCEMENT,
    "非公": UnitKind.NON_PUBLIC,
    "社会组织": UnitKind.NON_PUBLIC,
}
BATCH_ALIASES = {
    "第一批活动单位": Batch.FIRST,
    "第二批活动单位": Batch.SECOND,
}




@dataclass
class UnitLine:
    """A unit as one line of the unit file holds it (the export writes these, the import reads them)."""

    parent: str  # the parent's full name, "" for a top unit
    name: str
    level: str
    kind: str
    batch: str
    established_on: dt.date | None
    abolished_on: dt.date | None

    def cells(self) -> tuple:
        """The line's cells, in the order of the file's columns."""
        return (self.parent, self.name, self.level, self.kind, self.batch, self.established_on, self.abolished_on)


@dataclass
class UnitImportRow(UnitLine, importing.ImportRow):
    """What the import does with one row of the file (the preview shows these)."""

    row: int
    action: RowAction
    changes: list[str] = field(default_factory=list)  # e.g. "层级：县 → 市"
    unit: Unit | None = field(default=None, repr=False, compare=False)

    @property
    def full_name(self) -> str:
        return f"{self.parent}/{self.name}" if self.parent else self.name

    def get_level_display(self) -> str:
        return UnitLevel(self.level).label

    def get_kind_display(self) -> str:
        return UnitKind(self.kind).label

    def get_batch_display(self) -> str:
        return Batch(self.batch).label if self.batch else ""


@dataclass
class UnitImportResult(importing.ImportResult):
    rows: list[UnitImportRow] = field(default_factory=list)


# --- labels -----------------------------------------------------------------


def _norm(text: str) -> str:
    """Compare labels and headings without spaces, with ASCII brackets and commas."""
    text = re.sub(r"\s+", "", text)
    return text.translate(str.maketrans("（），／＊", "(),/*"))


def _source_label(label) -> str:
    # Files are written in the format's own words (the Chinese source strings), whatever
    # language the page happens to be shown in.
    with translation.override(None):
        return str(label)


@functools.cache
def _lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    aliases = {UnitLevel: LEVEL_ALIASES, UnitKind: KIND_ALIASES, Batch: BATCH_ALIASES}[choices]
    table = {_norm(_source_label(label)): value for value, label in choices.choices}
    table.update({value: value for value in choices.values})
    table.update({_norm(alias): str(value) for alias, value in aliases.items()})
    return table


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """The label a file carries for a stored value: 县, 党委, 第一批."""
    return _source_label(choices(value).label) if value else ""


def _expected(choices: type[models.TextChoices]) -> str:
    return "、".join(_source_label(label) for label in choices.labels)


# --- reading the file ---------------------------------------------------------


def _read(data: bytes, filename: str) -> list[list]:
    sheets = [sheet.rows for sheet in importing.upload_sheets(data, filename)]
    # The first sheet with the headings; a workbook may open with an instructions sheet.
    for rows in sheets:
        if _heading_row_index(rows) is not None:
            return rows
    return sheets[0] if sheets else []


def _heading_key(cell) -> str:
    return _norm(cell_text(cell)).strip("*")


def _heading_row_index(rows: list[list]) -> int | None:
    for i, cells in enumerate(rows[:HEADING_SEARCH_ROWS]):
        if any(_heading_key(c) in KNOWN_COLUMNS for c in cells):
            return i
    return None


def _columns(rows: list[list]) -> tuple[int, dict[str, int], list[ImportIssue]]:
    """The heading row's index, the column of each known heading, and the heading problems."""
    expected = _("表头应包含：%(columns)s") % {"columns": "、".join(REQUIRED_COLUMNS)}
    index = _heading_row_index(rows)
    if index is None:
        return -1, {}, [column_missing(column, expected) for column in REQUIRED_COLUMNS]
    columns, issues = heading_positions(
        rows[index], lambda cell: key if (key := _heading_key(cell)) in KNOWN_COLUMNS else None, REQUIRED_COLUMNS,
        row=index + 1, label_of=str, expected=expected)
    return index, columns, issues


# --- one row's values -----------------------------------------------------------

@dataclass
class _Values:
    row: int
    parent_text: str
    name: str
    level: str = ""
    kind: str = ""
    batch: str = ""
    established_on: dt.date | None = None
    abolished_on: dt.date | None = None
    name_ok: bool = True
    # Some cell of the row is wrong: the row is still placed in the tree, to report its
    # parent's problems too and to let later rows name it as their parent.
    broken: bool = False


def _parse_row(row: int, cells: list, columns: dict[str, int], issues: list[ImportIssue]) -> _Values | None:
    def cell(column: str):
        position = columns.get(column)
        if position is None or position >= len(cells):
            return None
        return cells[position]

    raw = {column: cell(column) for column in columns}
    if all(cell_text(v) == "" for v in raw.values()):
        return None
    before = len(issues)

    def problem(column: str, code: Enum, **params) -> None:
        issues.append(ImportIssue(row, column, code, params))

    parent_text = "/".join(part.strip() for part in cell_text(raw.get(COL_PARENT)).split("/")).strip("/")
    values = _Values(row=row, parent_text=parent_text, name=cell_text(raw.get(COL_NAME)))
    if not values.name:
        problem(COL_NAME, SheetIssueCode.REQUIRED)
    elif "/" in values.name:
        problem(COL_NAME, ImportIssueCode.NAME_SLASH)
    elif len(values.name) > NAME_MAX_LENGTH:
        problem(COL_NAME, SheetIssueCode.TOO_LONG, max=NAME_MAX_LENGTH)
    values.name_ok = len(issues) == before
    for column, choices, attr in (
        (COL_LEVEL, UnitLevel, "level"),
        (COL_KIND, UnitKind, "kind"),
        (COL_BATCH, Batch, "batch"),
    ):
        text = cell_text(raw.get(column))
        if not text:
            if column != COL_BATCH:
                problem(column, SheetIssueCode.REQUIRED)
            continue
        value = _lookup(choices).get(_norm(text))
        if value is None:
            problem(column, ImportIssueCode.LABEL_UNKNOWN, value=text, expected=_expected(choices))
        else:
            setattr(values, attr, value)
    for column, attr in ((COL_ESTABLISHED, "established_on"), (COL_ABOLISHED, "abolished_on")):
        try:
            setattr(values, attr, importing.full_date(raw.get(column)))
        except importing.BadDate:
            problem(column, ImportIssueCode.DATE_INVALID, value=cell_text(raw.get(column)))
    values.broken = len(issues) > before
    return values


# --- the plan -----------------------------------------------------------------


@dataclass
class _Step:
    """A row of the plan, with what the write needs: the parent in the database or in the file."""

    row: UnitImportRow
    parent_unit: Unit | None = None
    parent_step: _Step | None = None


class _Planner:
    def __init__(self, *, actor, columns: dict[str, int]):
        self.actor = actor
        self.columns = columns
        # The server operator (or a test's set-up, actor None) imports into the whole tree, top units included.
        self.whole_tree = actor is None or policy.can(actor, Perm.UNIT_MANAGE, None)
        if self.whole_tree:
            self.scope: QuerySet[Unit] = Unit.objects.all()
        else:
            self.scope = selectors.units_visible_to(user=actor, perm=Perm.UNIT_MANAGE)
            self.manage_scope = policy.scope(actor, Perm.UNIT_MANAGE)
        self.issues: list[ImportIssue] = []
        self.steps: list[_Step] = []
        self._resolved: dict[str, Unit | OrgsError] = {}
        self._children: dict[int, dict[str, Unit]] = {}
        self._planned_level: dict[int, str] = {}  # unit pk -> its level after an earlier row's update
        self._new_by_full_name: dict[str, _Step] = {}
        self._new_by_name: dict[str, list[_Step]] = {}
        self._seen: dict[tuple, int] = {}  # (parent key, name) -> row

    def problem(self, row: int, column: str, code: Enum, **params) -> None:
        self.issues.append(ImportIssue(row, column, code, params))

    # Units are looked up only inside the actor's scope, so an out-of-scope unit is
    # reported exactly like one that does not exist.
    def _resolve_in_db(self, text: str) -> Unit | OrgsError:
        if text not in self._resolved:
            try:
                self._resolved[text] = selectors.unit_resolve(text, within=self.scope)
            except OrgsError as e:
                self._resolved[text] = e
        return self._resolved[text]

    def _register_new(self, step: _Step) -> None:
        self._new_by_full_name[step.row.full_name] = step
        self._new_by_name.setdefault(step.row.name, []).append(step)

    def _new_candidates(self, text: str) -> list[_Step]:
        suffix = "/" + text
        last = text.rpartition("/")[2]
        return [s for s in self._new_by_name.get(last, []) if ("/" + s.row.full_name).endswith(suffix)]

    def _resolve_parent(self, values: _Values) -> Unit | _Step | None:
        text = values.parent_text
        exact = self._new_by_full_name.get(text)
        if exact is not None:
            return exact
        found = self._resolve_in_db(text)
        if isinstance(found, Unit) and found.full_name == text:
            return found
        new = self._new_candidates(text)
        not_found = isinstance(found, OrgsError) and found.code == OrgsErrorCode.UNIT_NOT_FOUND
        if isinstance(found, Unit) and not new:
            return found
        if not_found and len(new) == 1:
            return new[0]
        if not_found and not new:
            self.problem(values.row, COL_PARENT, ImportIssueCode.PARENT_NOT_FOUND, name=text)
            return None
        candidates = [found.full_name] if isinstance(found, Unit) else found.params.get("candidates", "").split("、")
        candidates = [c for c in candidates if c] + [s.row.full_name for s in new]
        self.problem(values.row, COL_PARENT, ImportIssueCode.PARENT_AMBIGUOUS, name=text,
                     candidates="、".join(candidates))
        return None

    def _children_by_name(self, parent: Unit) -> dict[str, Unit]:
        if parent.pk not in self._children:
            self._children[parent.pk] = {
                u.name: u for u in selectors.children(parent).filter(abolished_on__isnull=True)
            }
        return self._children[parent.pk]

    def _level_of(self, unit: Unit) -> str:
        return self._planned_level.get(unit.pk, unit.level)

    def _own_scope_root(self, values: _Values) -> Unit | None:
        """The unit the row describes, when it is at the top of the actor's scope.

        Its parent lies outside the scope and so cannot be resolved; yet an export made by
        the actor starts with such rows, and it must re-import cleanly.
        """
        if self.whole_tree or not values.name_ok:
            return None
        if values.parent_text in self._new_by_full_name or self._new_candidates(values.parent_text):
            return None
        if not values.parent_text:
            return self.scope.filter(depth=1, name=values.name, abolished_on__isnull=True).first()
        parent = self._resolve_in_db(values.parent_text)
        if not (isinstance(parent, OrgsError) and parent.code == OrgsErrorCode.UNIT_NOT_FOUND):
            return None
        found = self._resolve_in_db(f"{values.parent_text}/{values.name}")
        if isinstance(found, Unit) and not self.manage_scope.covers_path(found.path[: -Unit.steplen]):
            return found
        return None

    def plan(self, values: _Values) -> None:
        if values.abolished_on is not None:
            if not values.broken:
                self._plan_abolished(values)
            return
        parent: Unit | _Step | None = None
        existing: Unit | None = None
        if not values.parent_text:
            if self.whole_tree:
                existing = Unit.objects.filter(depth=1, name=values.name, abolished_on__isnull=True).first()
            else:
                existing = self._own_scope_root(values)
                if existing is None:
                    self.problem(values.row, COL_PARENT, ImportIssueCode.TOP_UNIT_CLI_ONLY)
                    return
        else:
            existing = self._own_scope_root(values)
            if existing is None:
                parent = self._resolve_parent(values)
                if parent is None:
                    if values.name_ok:
                        # Later rows may name this one as their parent: blame only this row.
                        placeholder = self._row(values, None, RowAction.CREATE)
                        placeholder.parent = values.parent_text
                        self._register_new(_Step(row=placeholder))
                    return
                if isinstance(parent, Unit) and values.name_ok:
                    existing = self._children_by_name(parent).get(values.name)
        if not values.name_ok:
            return

        if existing is not None:
            parent_key: tuple = ("unit", existing.path[: -Unit.steplen])
        elif isinstance(parent, _Step):
            parent_key = ("row", parent.row.row)
        else:
            parent_key = ("unit", parent.path if parent is not None else "")
        other = self._seen.get((parent_key, values.name))
        if other is not None:
            self.problem(values.row, COL_NAME, ImportIssueCode.DUPLICATE_IN_FILE, other=other, name=values.name)
            return
        self._seen[(parent_key, values.name)] = values.row

        if values.broken:
            if existing is None:
                self._register_new(_Step(row=self._row(values, parent, RowAction.CREATE)))
        elif existing is not None:
            self._plan_existing(values, existing, parent if isinstance(parent, Unit) else None)
        else:
            self._plan_new(values, parent)

    @staticmethod
    def _parent_name(parent: Unit | _Step | None) -> str:
        if isinstance(parent, _Step):
            return parent.row.full_name
        return parent.full_name if parent is not None else ""

    def _row(self, values: _Values, parent: Unit | _Step | None, action: RowAction) -> UnitImportRow:
        return UnitImportRow(
            row=values.row, parent=self._parent_name(parent), name=values.name, level=values.level,
            kind=values.kind, batch=values.batch, established_on=values.established_on, abolished_on=None,
            action=action,
        )

    def _check_level(self, values: _Values, parent_name: str, parent_level: str) -> bool:
        if parent_level and LEVEL_RANK[values.level] < LEVEL_RANK[parent_level]:
            self.problem(values.row, COL_LEVEL, ImportIssueCode.LEVEL_ABOVE_PARENT,
                         level=choice_label(UnitLevel, values.level), parent=parent_name,
                         parent_level=choice_label(UnitLevel, parent_level))
            return False
        return True

    def _plan_new(self, values: _Values, parent: Unit | _Step | None) -> None:
        if isinstance(parent, _Step):
            parent_level = parent.row.level
        else:
            parent_level = self._level_of(parent) if parent is not None else ""
        if not self._check_level(values, self._parent_name(parent), parent_level):
            return
        step = _Step(row=self._row(values, parent, RowAction.CREATE),
                     parent_unit=parent if isinstance(parent, Unit) else None,
                     parent_step=parent if isinstance(parent, _Step) else None)
        self.steps.append(step)
        self._register_new(step)

    def _plan_existing(self, values: _Values, unit: Unit, parent: Unit | None) -> None:
        # A column the file does not have leaves that field as it is.
        if COL_BATCH not in self.columns:
            values.batch = unit.batch
        if COL_ESTABLISHED not in self.columns:
            values.established_on = unit.established_on
        if parent is None and unit.depth > 1:
            parent = Unit.objects.get(path=unit.path[: -Unit.steplen])
        if parent is not None and not self._check_level(values, parent.full_name, self._level_of(parent)):
            return
        changes = [
            f"{label}：{old or '（空）'} → {new or '（空）'}"
            for label, old, new in (
                (COL_LEVEL, choice_label(UnitLevel, unit.level), choice_label(UnitLevel, values.level)),
                (COL_KIND, choice_label(UnitKind, unit.kind), choice_label(UnitKind, values.kind)),
                (COL_BATCH, choice_label(Batch, unit.batch), choice_label(Batch, values.batch)),
                (COL_ESTABLISHED, cell_text(unit.established_on), cell_text(values.established_on)),
            )
            if old != new
        ]
        if values.level != unit.level:
            child_levels = set(selectors.children(unit).values_list("level", flat=True))
            higher = [lv for lv in child_levels if LEVEL_RANK[lv] < LEVEL_RANK[values.level]]
            if higher:
                self.problem(values.row, COL_LEVEL, ImportIssueCode.LEVEL_ABOVE_CHILD,
                             level=choice_label(UnitLevel, values.level),
                             child_level=choice_label(UnitLevel, min(higher, key=LEVEL_RANK.__getitem__)))
                return
        self._planned_level[unit.pk] = values.level
        row = self._row(values, parent, RowAction.UPDATE if changes else RowAction.UNCHANGED)
        row.name, row.changes, row.unit = unit.name, changes, unit
        self.steps.append(_Step(row=row))

    def _plan_abolished(self, values: _Values) -> None:
        """A row of an abolished unit (an export carries them) must match the record exactly."""
        full_name = f"{values.parent_text}/{values.name}" if values.parent_text else values.name
        candidates = self.scope.filter(
            name=values.name, abolished_on=values.abolished_on, level=values.level, kind=values.kind
        )
        match = next(
            (u for u in candidates.order_by("path")[:50] if ("/" + u.full_name).endswith("/" + full_name)), None
        )
        if match is None:
            self.problem(values.row, COL_ABOLISHED, ImportIssueCode.ABOLISHED_MISMATCH)
            return
        row = UnitImportRow(
            row=values.row, parent=match.full_name.rpartition("/")[0], name=match.name, level=match.level,
            kind=match.kind, batch=match.batch, established_on=match.established_on,
            abolished_on=match.abolished_on, action=RowAction.UNCHANGED, unit=match,
        )
        self.steps.append(_Step(row=row))


# --- the service ----------------------------------------------------------------


def _plan(*, actor, data: bytes, filename: str) -> tuple[list[_Step], list[ImportIssue]]:
    size_issue = importing.upload_size_issue(data, settings.UNIT_IMPORT_MAX_BYTES)
    if size_issue is not None:
        return [], [size_issue]
    try:
        rows = _read(data, filename)
    except FileProblem as e:
        return [], [e.issue]
    heading, columns, issues = _columns(rows)
    if issues:
        return [], issues
    parsed = [
        values
        for index in range(heading + 1, len(rows))
        if (values := _parse_row(index + 1, rows[index], columns, issues)) is not None
    ]
    if not parsed and not issues:
        return [], [ImportIssue(None, FILE_FIELD, SheetIssueCode.NO_ROWS, {"what": _("单位")})]
    planner = _Planner(actor=actor, columns=columns)
    for values in parsed:
        planner.plan(values)
    issues.extend(planner.issues)
    issues.sort(key=lambda issue: (issue.row or 0, KNOWN_COLUMNS.index(issue.field)
                                   if issue.field in KNOWN_COLUMNS else -1))
    return planner.steps, issues


def _write(*, actor, steps: list[_Step]) -> None:
    created: dict[int, Unit] = {}  # row -> the unit it created
    updated: dict[int, Unit] = {}  # pk -> the unit as an earlier row left it (its level may have changed)
    for step in steps:
        row = step.row
        try:
            if row.action == RowAction.CREATE:
                if step.parent_step is not None:
                    parent = created[step.parent_step.row.row]
                else:
                    parent = updated.get(getattr(step.parent_unit, "pk", None), step.parent_unit)
                row.unit = services.unit_create(
                    actor=actor, parent=parent, name=row.name, level=row.level, kind=row.kind,
                    batch=row.batch, established_on=row.established_on,
                )
                created[row.row] = row.unit
            elif row.action == RowAction.UPDATE:
                row.unit = services.unit_update(
                    actor=actor, unit=row.unit, name=row.name, level=row.level, kind=row.kind,
                    batch=row.batch, established_on=row.established_on,
                )
                updated[row.unit.pk] = row.unit
        except (policy.Denied, policy.Forbidden) as e:
            raise importing.WriteFailed(ImportIssue(row.row, COL_PARENT, ImportIssueCode.PARENT_NOT_FOUND,
                                                    {"name": row.parent})) from e
        except DomainError as e:
            # The database changed between the check and the write (someone else edited the tree).
            raise importing.WriteFailed(ImportIssue(row.row, COL_NAME, SheetIssueCode.WRITE_FAILED,
                                                    {"message": e.message})) from e


def unit_import(*, actor, data: bytes, filename: str, dry_run: bool = False, request=None) -> UnitImportResult:
    """Check the whole file, then (unless `dry_run` or any problem) write it in one transaction.

    Problems never raise: they are in `result.errors`, and then nothing is written.
    `actor` None is the command line, which alone may add top units.
    """
    result = UnitImportResult(filename=filename, dry_run=dry_run)

    def record() -> None:
        import_recorded(actor=actor, request=request, what="units", filename=filename, data=data, result=result)

    # Planned inside the transaction, so the tree cannot change between the check and the write.
    with importing.all_or_nothing(result, forget=lambda: _forget_created(result), record=record):
        steps, result.errors = _plan(actor=actor, data=data, filename=filename)
        result.rows = [step.row for step in steps]
        if not result.errors:
            _write(actor=actor, steps=steps)
    return result


def _forget_created(result: UnitImportResult) -> None:
    """After a rolled-back write the result names no unit that does not exist."""
    for row in result.rows:
        if row.action == RowAction.CREATE:
            row.unit = None
