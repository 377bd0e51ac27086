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


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}：{_plain(v)}" for k, v in sorted(value.items()))
    return str(value)


def _plan_part(part: str, *, deadline: Deadline, unit: Unit) -> dict:
    from huitoukan.plans import selectors as plan_selectors  # plans sit below reviews

    kind = part.split(":", 1)[1]
    title = str(PackagePart(part).label)
    plan = next((p for p in plan_selectors.plans_for(unit, deadline.campaign) if p.kind == kind), None)
    if plan is None:
        return {"part": part, "kind": "plan", "title": title, "missing": True, "rows": []}
    frozen = plan_selectors.plan_snapshot(plan)
    # A plan's parts as rows: its scalar fields first, then each element of its lists (路线图, 任务书 …).
    rows = []
    for name in sorted(k for k, v in frozen.items() if not isinstance(v, list)):
        rows.append({"key": f"field:{name}", "label": name, "cells": {"text": _plain(frozen[name])}})
    for name in sorted(k for k, v in frozen.items() if isinstance(v, list)):
        for at, element in enumerate(frozen[name], start=1):
            cells = ({k: _plain(v) for k, v in sorted(element.items())} if isinstance(element, dict)
                     else {"text": _plain(element)})
            rows.append({"key": f"{name}:{at}", "label": f"{name} {at}", "cells": cells})
    return {"part": part, "kind": "plan", "title": title, "missing": False, "plan": frozen, "rows": rows}


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
