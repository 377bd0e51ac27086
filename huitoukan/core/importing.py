"""What both imports share, the unit tree's (orgs.unit_import) and a ledger's (ledgers.imports).

An import reads the upload (`upload_sheets`, after `upload_size_issue`), checks every row, then
writes all or nothing (`all_or_nothing`) and says what it did, or would do, in its result
(`ImportResult`, rows that are `ImportRow`s). What each import reads and writes is its own.

It builds on huitoukan.spreadsheets, the reader both imports use, which belongs here too and
moves once the work in progress on it has landed; spreadsheets imports no app either.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction

from huitoukan.spreadsheets import (
    FILE_FIELD,
    FileIssueCode,
    FileProblem,
    ImportIssue,
    ImportTally,
    RowAction,
    XlsxSheet,
    cell_text,
    read_csv,
    size_label,
    xlsx_read,
)


class ImportRow:
    """A row of an import's result, as the preview shows it: what the import does with it (`action`)."""

    action: RowAction

    def get_action_display(self) -> str:
        return RowAction(self.action).label


@dataclass
class ImportResult(ImportTally):
    """What an import did, or would do (a dry run): its rows, or the errors that stopped it."""

    filename: str
    dry_run: bool
    rows: list = field(default_factory=list)
    errors: list[ImportIssue] = field(default_factory=list)
    committed: bool = False


def upload_size_issue(data: bytes, limit: int) -> ImportIssue | None:
    """The upload's own problem, before anything reads it: empty, or over `limit` bytes."""
    if not data:
        return ImportIssue(None, FILE_FIELD, FileIssueCode.FILE_EMPTY)
    if len(data) > limit:
        return ImportIssue(None, FILE_FIELD, FileIssueCode.FILE_TOO_LARGE, {"limit": size_label(limit)})
    return None


def upload_sheets(data: bytes, filename: str) -> list[XlsxSheet]:
    """The upload's sheets, by its file type: an xlsx workbook's visible worksheets, a CSV file as one sheet.

    Raises FileProblem for another type, or a file its type's reader refuses.
    """
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix in ("csv", "txt"):
        return [XlsxSheet(filename, read_csv(data), [])]
    if suffix in ("xlsx", "xlsm"):
        return xlsx_read(data)
    raise FileProblem(FileIssueCode.FILE_TYPE)


def cell_date(value) -> dt.date | None:
    """The date a date cell holds (the readers give dates and datetimes); None for any other cell."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


# A whole date as files write it: 2015年3月31日 (or 号), 2015-03-31, 2015/3/31, 2015.3.31, 20150331,
# with a midnight time after it as some spreadsheets export dates (2013-06-18 00:00:00).
_FULL_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?(?:T?0{1,2}:00(?::00(?:\.0+)?)?)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


class BadDate(ValueError):
    """A cell that is not a whole date (`impossible`: it has the shape of one, like 2015-02-30)."""

    def __init__(self, text: str, *, impossible: bool = False):
        self.text, self.impossible = text, impossible
        super().__init__(text)


def full_date(value) -> dt.date | None:
    """The one parser of whole dates in imported files: a date cell, or text in any form of _FULL_DATE,
    spaces anywhere; None for an empty cell or a template's blank "    年   月   日"."""
    day = cell_date(value)
    if day is not None:
        return day
    text = re.sub(r"\s+", "", cell_text(value))
    if not text.replace("年", "").replace("月", "").replace("日", ""):
        return None
    match = _FULL_DATE.match(text) or _COMPACT_DATE.match(text)
    if match is None:
        raise BadDate(text)
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError as e:
        raise BadDate(text, impossible=True) from e


class WriteFailed(Exception):
    """The write refused a row the check had passed (the database changed in between, or a service's rule)."""

    def __init__(self, issue: ImportIssue):
        self.issue = issue
        super().__init__(str(issue))


@contextmanager
def all_or_nothing(result: ImportResult, *, forget: Callable[[], None], record: Callable[[], None]) -> Iterator[None]:
    """The transaction of one import: its body checks every row into `result`, and writes only without errors.

    The check runs inside the transaction, so nothing changes between the check and the write.
    A preview (`result.dry_run`) makes the very same write and rolls it back: it cannot promise
    what the confirmation would refuse. A write that raises WriteFailed is rolled back and its
    issue is the result's only error. After a rollback `forget` takes out of the result what no
    longer exists; a committed import is `record`ed (the security log) in the same transaction.
    """
    try:
        with transaction.atomic(durable=not result.dry_run):
            yield
            if result.errors:
                return
            if result.dry_run:
                transaction.set_rollback(True)
                forget()
                return
            record()
    except WriteFailed as e:
        result.errors = [e.issue]
        forget()
        return
    result.committed = True


# --- the command line ------------------------------------------------------------------------------

# The exit status when the file has problems, apart from 1 for a command that could not run.
EXIT_BAD_FILE = 2


def command_read(path, limit: int) -> bytes:
    """A file named on the command line, read to one byte over `limit`: enough for the import to refuse it."""
    from django.core.management.base import CommandError

    try:
        with open(path, "rb") as f:
            return f.read(limit + 1)
    except OSError as e:
        raise CommandError(f"无法读取文件 {path}：{e.strerror or e}") from e


def command_refuse(stderr, result: ImportResult, filename: str) -> None:
    """Every problem of a refused file on stderr, one a line, then exit code 2: nothing was written."""
    from django.core.management.base import CommandError

    if result.errors:
        for issue in result.errors:
            stderr.write(str(issue))
        raise CommandError(f"{filename} 有 {len(result.errors)} 处错误，没有写入任何数据。", returncode=EXIT_BAD_FILE)
