"""The frozen content of a package: what a deadline asks for, read once and written as canonical JSON.

The snapshot names every row it holds by a key stable across versions (an item by its id, a plan's
section, step or task by its place), so two versions compare row by row and a comment can be anchored
to a row (`<part>#<row key>`). The digest is the SHA-256 of the canonical bytes: the same content
always gives the same digest, and any change of one character gives another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from huitoukan.campaigns.models import Deadline, PackagePart
from huitoukan.ledgers.exports import header_line, ledger_rows, ledger_who
from huitoukan.ledgers.layouts import LAYOUTS
from huitoukan.ledgers.models import ItemStatus, Ledger
from huitoukan.orgs.models import Unit

FORMAT = 1


def canonical(content: dict) -> str:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _ledger_part(part: str, *, deadline: Deadline, unit: Unit, today: dt.date) -> dict:
    kind = part.split(":", 1)[1]
    layout = LAYOUTS[kind]
    ledgers = list(Ledger.objects.filter(campaign_id=deadline.campaign_id, unit=unit, kind=kind)
                   .select_related("unit", "person").order_by("person__name", "id"))
    statuses = dict(ItemStatus.choices)
    sheets = []
    for ledger, rows in ledger_rows(ledgers=ledgers):
        sheets.append({
            "who": ledger_who(ledger),
            "header": header_line(ledger, today),
            "rows": [{
                "key": f"item:{row.item_id}",
                "item_id": row.item_id,
                "status": row.status,
                "status_label": str(statuses.get(row.status, row.status)),
                "cells": {c.key: getattr(row, c.key) for c in layout.columns},
            } for row in rows],
        })
    return {"part": part, "kind": "ledger", "title": layout.title, "attachment": layout.attachment,
            "columns": [[c.key, c.heading] for c in layout.columns], "sheets": sheets}


PLAN_COLUMNS = [["text", "内容"], ["lead", "牵头单位"], ["owner", "责任人"], ["due_on", "完成时限"], ["done", "完成情况"],
                ["notes", "备注"]]


def _plan_rows(frozen: dict) -> list[dict]:
    """A plan's parts as the plan page shows them, each a row a comment can be anchored to: its title and
    正文 (as text: the frozen HTML stays in the snapshot), its file, each step of the 路线图, each task of
    the 任务书 with its owner and date. Keyed by place (a step's or task's 序号), stable across versions."""
    rows = [{"key": "title", "label": "标题", "cells": {"text": frozen.get("title", "")}},
            {"key": "body", "label": "正文", "cells": {"text": frozen.get("body_text", "")}}]
    if frozen.get("file"):
        rows.append({"key": "file", "label": "附件", "cells": {"text": frozen["file"]["name"]}})
    for step in frozen.get("steps", []):
        text = step["title"] + (f"：{step['description']}" if step.get("description") else "")
        rows.append({"key": f"step:{step['order']}", "label": f"路线图第{step['order']}步", "cells": {"text": text}})
    for task in frozen.get("tasks", []):
        rows.append({"key": f"task:{task['order']}", "label": f"任务书第{task['order']}项", "cells": {
            "text": task.get("task", ""), "lead": task.get("lead", ""), "owner": task.get("owner", ""),
            "due_on": task.get("due_on") or "", "done": "已完成" if task.get("done") else "",
            "notes": task.get("notes", "")}})
    return rows


def _plan_part(part: str, *, deadline: Deadline, unit: Unit) -> dict:
    from huitoukan.plans import selectors as plan_selectors  # plans sit below reviews

    kind = part.split(":", 1)[1]
    title = str(PackagePart(part).label)
    plan = next((p for p in plan_selectors.plans_for(unit, deadline.campaign) if p.kind == kind), None)
    if plan is None:
        return {"part": part, "kind": "plan", "title": title, "missing": True, "columns": PLAN_COLUMNS, "rows": []}
    frozen = plan_selectors.plan_snapshot(plan)
    return {"part": part, "kind": "plan", "title": title, "missing": False, "plan": frozen, "columns": PLAN_COLUMNS,
            "rows": _plan_rows(frozen)}


@dataclass(frozen=True)
class Frozen:
    content: dict
    text: str
    digest: str


def package_snapshot(*, deadline: Deadline, unit: Unit, today: dt.date) -> Frozen:
    """The package of `unit` for `deadline` as it stands now."""
    parts = []
    for part in deadline.contents:
        if part.startswith("ledger:"):
            parts.append(_ledger_part(part, deadline=deadline, unit=unit, today=today))
        elif part.startswith("plan:"):
            parts.append(_plan_part(part, deadline=deadline, unit=unit))
    content = {
        "format": FORMAT,
        "deadline": {"id": deadline.pk, "name": deadline.name, "due_on": deadline.due_on.isoformat()},
        "campaign": {"id": deadline.campaign_id, "name": deadline.campaign.name},
        "unit": {"id": unit.pk, "name": unit.name, "full_name": unit.full_name},
        "parts": parts,
    }
    text = canonical(content)
    return Frozen(content=content, text=text, digest=digest_of(text))


def content_of(version) -> dict:
    """A version's frozen content, parsed."""
    return json.loads(version.content)


def rows_of(part: dict) -> list[dict]:
    """Every row of a part, whatever its kind (a ledger's rows over its sheets)."""
    if part.get("kind") == "ledger":
        return [row for sheet in part["sheets"] for row in sheet["rows"]]
    return part.get("rows", [])


def row_label(part: dict, row: dict) -> str:
    if part.get("kind") == "ledger":
        cells = row["cells"]
        return f"第{cells.get('seq', '')}行 {str(cells.get('problem', ''))[:40]}"
    return row.get("label", row["key"])


def anchors(content: dict) -> dict[str, str]:
    """Every anchor a comment may name in this content, with its label: `<part>#<row key>`."""
    found = {}
    for part in content.get("parts", []):
        for row in rows_of(part):
            found[f"{part['part']}#{row['key']}"] = f"{part['title']} {row_label(part, row)}"
    return found
