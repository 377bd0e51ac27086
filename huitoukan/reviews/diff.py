"""Two versions of a package side by side: rows added, changed, closed, removed; changed text as a redline.

Chinese has no spaces, so the redline's unit is a character, and a run of Latin letters or digits is one
word: "2015年" against "2016年" marks the number, not each digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from huitoukan.ledgers.models import ItemStatus
from huitoukan.reviews.snapshot import row_label, rows_of

_TOKENS = re.compile(r"[A-Za-z0-9_.]+|\s+|.", re.S)


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "insert", "delete"
    text: str


REWRITTEN = 0.4  # below this share of common text, a value was rewritten rather than edited


def redline(old: str, new: str) -> list[Segment]:
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if a and b and matcher.ratio() < REWRITTEN:
        # Interleaved scraps of two different texts read as neither: the old one struck through, the new whole.
        return [Segment("delete", old), Segment("insert", new)]
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return segments


@dataclass
class CellChange:
    key: str
    heading: str
    segments: list[Segment]


@dataclass
class RowDiff:
    key: str
    label: str
    change: str  # "added", "removed", "changed", "unchanged"
    closed: bool = False  # 销号 between the two versions
    cells: list[CellChange] = field(default_factory=list)


@dataclass
class PartDiff:
    part: str
    title: str
    rows: list[RowDiff]
    kind: str = "ledger"  # "ledger" or "plan": only a ledger's rows are closed (销号)

    def count(self, change: str) -> int:
        return sum(1 for r in self.rows if r.change == change)

    @property
    def added(self) -> int:
        return self.count("added")

    @property
    def changed(self) -> int:
        return self.count("changed")

    @property
    def removed(self) -> int:
        return self.count("removed")

    @property
    def closed(self) -> int:
        return sum(1 for r in self.rows if r.closed)


def _headings(part: dict) -> dict[str, str]:
    return {key: heading for key, heading in part.get("columns", [])}


def compare(old: dict, new: dict) -> list[PartDiff]:
    """The parts of `new` (then any only in `old`), each row matched by its key across the versions."""
    old_parts = {p["part"]: p for p in old.get("parts", [])}
    new_parts = {p["part"]: p for p in new.get("parts", [])}
    order = [*new_parts, *(k for k in old_parts if k not in new_parts)]
    result = []
    for name in order:
        before, after = old_parts.get(name), new_parts.get(name)
        part = after or before
        headings = _headings(part)
        old_rows = {r["key"]: r for r in rows_of(before)} if before else {}
        new_rows = {r["key"]: r for r in rows_of(after)} if after else {}
        rows = []
        for key in [*new_rows, *(k for k in old_rows if k not in new_rows)]:
            a, b = old_rows.get(key), new_rows.get(key)
            label = row_label(part, b or a)
            if a is None:
                rows.append(RowDiff(key, label, "added", cells=[
                    CellChange(k, headings.get(k, k), [Segment("insert", str(v))]) for k, v in b["cells"].items()]))
                continue
            if b is None:
                rows.append(RowDiff(key, label, "removed", cells=[
                    CellChange(k, headings.get(k, k), [Segment("delete", str(v))]) for k, v in a["cells"].items()]))
                continue
            changed = [CellChange(k, headings.get(k, k), redline(str(a["cells"].get(k, "")), str(v)))
                       for k, v in b["cells"].items() if str(a["cells"].get(k, "")) != str(v)]
            status_changed = a.get("status") != b.get("status")
            if status_changed:
                changed.append(CellChange("status", "状态", redline(a.get("status_label", ""),
                                                                   b.get("status_label", ""))))
            closed = status_changed and b.get("status") == ItemStatus.CLOSED
            rows.append(RowDiff(key, label, "changed" if changed else "unchanged", closed=closed, cells=changed))
        result.append(PartDiff(name, part["title"], rows, part.get("kind", "ledger")))
    return result
