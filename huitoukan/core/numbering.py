"""The 发文字号's numbering, one implementation for every app that numbers what it issues (the 督办通知单 of
notices, the 通报 / 简报 / 情况报告 of documents): the default 机关代字 made from the issuing unit's name, and
the next serial taken from a locked counter row.

Each app keeps its own counter table (notices.NoticeCounter per unit and year, documents.DocumentCounter per
unit, year and kind); the rule of taking a serial from it is this module's alone.
"""

from __future__ import annotations

import re

# What a 机关代字 may not hold (GB/T 9704-2012 7.2.4: the 〔〕 are the year's; no spaces, no other brackets).
PREFIX_FORBIDDEN = re.compile(r"[\s〔〕\[\]()（）]")
# The level a unit's name ends with, left out of its 机关代字 (涟源市 → 涟源).
LEVEL_SUFFIX = re.compile(r"(市|县|区|镇|乡|街道|社区|村)$")
PREFIX_NAME_MAX = 10


def default_prefix(unit_name: str, suffix: str) -> str:
    """The 机关代字 until the office sets its own: the unit's name without what a 机关代字 may not hold and
    without its level (at most 10 characters), then `suffix` (涟源市, 督 → 涟源督; 涟源市, 通 → 涟源通)."""
    name = PREFIX_FORBIDDEN.sub("", unit_name or "")
    return (LEVEL_SUFFIX.sub("", name) or name or suffix)[:PREFIX_NAME_MAX] + suffix


def serial_next(counter, **key) -> int:
    """The next serial of the counter row `key` names (e.g. unit=…, year=…), created at 0 the first time.
    `counter` is the counter model (or a queryset of it) with a `last` field and a unique constraint over
    the key's fields. Call it inside the transaction that uses the serial: the row stays locked
    (select_for_update) until that transaction ends, so two issued at once never get the same number
    (SQLite takes its write lock at BEGIN IMMEDIATE)."""
    rows = counter._default_manager.all() if isinstance(counter, type) else counter
    rows.get_or_create(**key)
    row = rows.select_for_update().get(**key)
    row.last += 1
    row.save(update_fields=["last"])
    return row.last
