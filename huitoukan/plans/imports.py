"""Import of a plan's 任务书 from an xlsx (or CSV) table: check every row, then write all or nothing.

Columns (any order, headings in the first 10 rows, spaces and line breaks in them ignored):
序号, 任务 (required), 牵头单位, 责任人, 完成时限, 备注. 序号 identifies a task within the plan: a new
序号 is added, an existing one is updated where a column differs and is "unchanged" otherwise, so
importing the same file again changes nothing. Tasks missing from the file stay: an import never
deletes. 责任人 names a person of the plan's unit or below when exactly one has that name, else it
stays as written. The rows are written through the services (plans.services.task_add/task_update),
so a task's rules are the pages' and the API's.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from enum import Enum

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.audit.events import import_recorded
from huitoukan.core import importing
from huitoukan.core.errors import DomainError
from huitoukan.orgs.models import Person
from huitoukan.plans import services
from huitoukan.plans.models import Plan, PlanTask
from huitoukan.spreadsheets import (
    FILE_FIELD,
    FileProblem,
    ImportIssue,
    RowAction,
    SheetIssueCode,
    cell_text,
    heading_positions,
)

HEADINGS = {"order": "序号", "task": "任务", "lead": "牵头单位", "owner": "责任人", "due_on": "完成时限", "notes": "备注"}
# Other words offices put in those headings.
ALIASES = {"任务书": "task", "工作任务": "task", "任务内容": "task", "整改任务": "task", "牵头部门": "lead",
           "责任单位": "lead", "牵头单位部门": "lead", "责任领导": "owner", "时限": "due_on", "完成时间": "due_on",
           "时间表": "due_on", "完成时限要求": "due_on"}
REQUIRED = ("order", "task")
HEADING_SEARCH_ROWS = 10
LEAD_MAX = PlanTask._meta.get_field("lead").max_length
OWNER_MAX = PlanTask._meta.get_field("owner_text").max_length


class PlanImportIssueCode(Enum):
    NO_TABLE = _("找不到任务书的表头：前 %(rows)d 行中须有“序号”和“任务”两列。")
    ORDER_NOT_NUMBER = _("“%(value)s”不是正整数。")
    ORDER_REPEATED = _("序号 %(order)d 与第%(first)d行重复。")
    BAD_DATE = _("“%(value)s”不是日期，请写成 2015-03-31 或 2015年3月31日。")
    IMPOSSIBLE_DATE = _("“%(value)s”不是存在的日期。")


def max_bytes() -> int:
    return settings.LEDGER_IMPORT_MAX_BYTES


@dataclass
class PlanTaskRow(importing.ImportRow):
    row: int
    order: int
    task: str
    action: RowAction
    changes: list[str] = field(default_factory=list)


@dataclass
class PlanTaskImportResult(importing.ImportResult):
    rows: list[PlanTaskRow] = field(default_factory=list)


def _key(cell) -> str | None:
    text = re.sub(r"[\s\u3000（）()：:]+", "", cell_text(cell))
    for key, heading in HEADINGS.items():
        if text == heading:
            return key
    return ALIASES.get(text)


def _locate(rows: list[list]) -> int | None:
    for index, cells in enumerate(rows[:HEADING_SEARCH_ROWS]):
        keys = {_key(c) for c in cells}
        if all(k in keys for k in REQUIRED):
            return index
    return None


@dataclass
class _Checked:
    row: int
    order: int
    spec: services.TaskSpec


def _owner(plan: Plan, name: str) -> Person | None:
    """The one person of that name at the plan's unit or below, else None (the name is kept as text)."""
    if not name:
        return None
    found = list(Person.objects.filter(name=name, unit__path__startswith=plan.unit.path).select_related("unit")[:2])
    return found[0] if len(found) == 1 else None


def _read(plan: Plan, data: bytes, filename: str, result: PlanTaskImportResult) -> list[_Checked]:
    """The file's rows as task specs, every problem collected into `result.errors` (第N行 列: 说明)."""
    size = importing.upload_size_issue(data, max_bytes())
    if size is not None:
        result.errors.append(size)
        return []
    try:
        sheets = importing.upload_sheets(data, filename)
    except FileProblem as e:
        result.errors.append(e.issue)
        return []
    table = next(((s, h) for s in sheets if (h := _locate(s.rows)) is not None), None)
    if table is None:
        result.errors.append(ImportIssue(None, FILE_FIELD, PlanImportIssueCode.NO_TABLE,
                                         {"rows": HEADING_SEARCH_ROWS}))
        return []
    sheet, heading = table
    positions, issues = heading_positions(sheet.rows[heading], _key, REQUIRED, row=heading + 1,
                                          label_of=HEADINGS.get, expected=_("序号、任务"))
    if issues:
        result.errors.extend(issues)
        return []

    def cell(cells, key):
        at = positions.get(key)
        return cells[at] if at is not None and at < len(cells) else None

    checked: list[_Checked] = []
    first_row_of: dict[int, int] = {}
    for index in range(heading + 1, len(sheet.rows)):
        cells = sheet.rows[index]
        row = index + 1
        texts = {key: cell_text(cell(cells, key)).strip() for key in HEADINGS}
        if not any(texts.values()):
            continue
        problems: list[ImportIssue] = []

        def problem(key, code, **params):
            problems.append(ImportIssue(row, HEADINGS[key], code, params))  # noqa: B023

        order = None
        if not texts["order"]:
            problem("order", SheetIssueCode.REQUIRED)
        elif not re.fullmatch(r"\d{1,6}", texts["order"]) or int(texts["order"]) == 0:
            problem("order", PlanImportIssueCode.ORDER_NOT_NUMBER, value=texts["order"])
        else:
            order = int(texts["order"])
            if order in first_row_of:
                problem("order", PlanImportIssueCode.ORDER_REPEATED, order=order, first=first_row_of[order])
            else:
                first_row_of[order] = row
        if not texts["task"]:
            problem("task", SheetIssueCode.REQUIRED)
        if len(texts["lead"]) > LEAD_MAX:
            problem("lead", SheetIssueCode.TOO_LONG, max=LEAD_MAX)
        if len(texts["owner"]) > OWNER_MAX:
            problem("owner", SheetIssueCode.TOO_LONG, max=OWNER_MAX)
        due_on = None
        try:
            due_on = importing.full_date(cell(cells, "due_on"))
        except importing.BadDate as e:
            code = PlanImportIssueCode.IMPOSSIBLE_DATE if e.impossible else PlanImportIssueCode.BAD_DATE
            problem("due_on", code, value=e.text)
        if problems:
            result.errors.extend(problems)
            continue
        owner = _owner(plan, texts["owner"])
        spec = services.TaskSpec(task=texts["task"], lead=texts["lead"], owner=owner,
                                 owner_text=texts["owner"], due_on=due_on, notes=texts["notes"])
        checked.append(_Checked(row, order, spec))
    if not checked and not result.errors:
        result.errors.append(ImportIssue(None, FILE_FIELD, SheetIssueCode.NO_ROWS, {"what": _("任务")}))
    return checked


_COMPARED = (("task", "任务"), ("lead", "牵头单位"), ("owner_text", "责任人"), ("due_on", "完成时限"), ("notes", "备注"))


def _changes(task: PlanTask, spec: services.TaskSpec) -> list[str]:
    def shown(value):
        return "—" if value in (None, "") else str(value)

    return [f"{label}：{shown(getattr(task, name))} → {shown(getattr(spec, name))}"
            for name, label in _COMPARED if getattr(task, name) != getattr(spec, name)]


def plan_tasks_import(*, actor, plan: Plan, data: bytes, filename: str, dry_run: bool,
                      request=None) -> PlanTaskImportResult:
    """Check the whole table, then (unless `dry_run` or any problem) write it in one transaction.

    Problems never raise: they are in `result.errors`, and then nothing is written. A preview makes
    the very same writes and rolls them back. `actor` None is the command line.
    """
    if actor is not None:
        policy.require(actor, Perm.LEDGER_EDIT, plan.unit)
    result = PlanTaskImportResult(filename=filename, dry_run=dry_run)

    def record() -> None:
        import_recorded(actor=actor, request=request, what="plan-tasks", filename=filename, data=data,
                        result=result, plan=plan.pk, unit=plan.unit.full_name, campaign=plan.campaign.name)

    with importing.all_or_nothing(result, forget=lambda: None, record=record):
        checked = _read(plan, data, filename, result)
        if result.errors:
            return result
        existing = {t.order: t for t in Plan.objects.select_for_update().get(pk=plan.pk).tasks.all()}
        for entry in checked:
            task = existing.get(entry.order)
            spec = entry.spec
            if task is not None:
                # The import does not know the 已完成 flag: it keeps the task's own.
                spec = services.TaskSpec(**{**spec.__dict__, "done": task.done})
            try:
                if task is None:
                    services.task_add(actor=actor, plan=plan, spec=spec, order=entry.order)
                    result.rows.append(PlanTaskRow(entry.row, entry.order, spec.task, RowAction.CREATE))
                elif services.task_fields_differ(task, plan, spec):
                    changes = _changes(task, spec)
                    services.task_update(actor=actor, task=task, spec=spec)
                    result.rows.append(PlanTaskRow(entry.row, entry.order, spec.task, RowAction.UPDATE, changes))
                else:
                    result.rows.append(PlanTaskRow(entry.row, entry.order, spec.task, RowAction.UNCHANGED))
            except DomainError as e:
                raise importing.WriteFailed(ImportIssue(entry.row, HEADINGS["task"], SheetIssueCode.WRITE_FAILED,
                                                        {"message": e.message})) from e
    return result


def task_template_xlsx() -> bytes:
    """The blank 任务书 the import reads: a title line, then the headings, and widths to write in."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "任务书"
    sheet.append(["任务书（路线图、任务书、时间表）"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADINGS))
    sheet.append(list(HEADINGS.values()))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.append([1, "（示例）压缩会议数量，精简文件简报", "市委办", "张三", "2015-03-31", "示例行，导入前请删除"])
    for letter, width in zip("ABCDEF", (6, 50, 18, 12, 14, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
