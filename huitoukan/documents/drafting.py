"""Drafting a document from live figures, and reading its text back into the parts of a 公文.

`figures_read` takes one snapshot of the subject unit's figures for a campaign: the 汇总 (items, 销号率,
overdue, by child unit), the 督查督办 and 开门整改 counts of the roll-up's cards (open findings, notices by
colour, classes, opinions, 满意度严重偏低 marks) and the 责任追究 actions under the unit in the campaign (the
kept counts the 驾驶舱 reads). It is a plain dict (kept as JSON on the document). `draft_text` fills the drafting template of the kind
(templates/documents/drafts/<kind>.txt, a Django template rendered as plain text, autoescape off) with it;
the office edits the result.
`body_blocks` parses the edited text: a line 一、… is a level-1 heading, （一）… level 2, 1．… level 3,
any other line a paragraph.
"""

from __future__ import annotations

import datetime as dt
import re

from django.template import Context
from django.template.loader import get_template

from huitoukan.accountability.case_tally import ACCOUNTABILITY_TOPIC, kinds_shown_to
from huitoukan.accountability.models import ActionKind
from huitoukan.core.officialdoc import Heading, Paragraph
from huitoukan.ledgers.models import FourWinds
from huitoukan.orgs import totals as unit_totals
from huitoukan.publicity.models import OpinionState
from huitoukan.reviews import selectors as review_selectors
from huitoukan.rollups import selectors as rollup_selectors
from huitoukan.rollups.supervision import CLASSES, supervision_rows

# 一、 二、 … 十一、: a level-1 heading; （一）: level 2; 1．, 1. or 1、: level 3 (GB/T 9704-2012 7.3.3).
_NUMERALS = "一二三四五六七八九十"
LEVEL1 = re.compile(rf"^[{_NUMERALS}]+、\s*(?P<text>.+)$")
LEVEL2 = re.compile(rf"^[（(][{_NUMERALS}]+[）)]\s*(?P<text>.+)$")
LEVEL3 = re.compile(r"^\d+[．.、]\s*(?P<text>.+)$")


def body_blocks(text: str) -> list:
    """The body's lines as headings and paragraphs; the headings are renumbered by the generator, so the
    office may insert or delete one without renumbering the others by hand."""
    blocks = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        for level, pattern in ((1, LEVEL1), (2, LEVEL2), (3, LEVEL3)):
            match = pattern.match(line)
            if match:
                blocks.append(Heading(level, match["text"].strip()))
                break
        else:
            blocks.append(Paragraph(line))
    return blocks


def _percent(closed: int, total: int) -> int | None:
    return round(100 * closed / total) if total else None


def _reporting(user, unit, campaign, today: dt.date) -> list[dict]:
    """报送情况 of each deadline of the campaign already due or due within a week, in the unit's part."""
    rows = []
    for deadline in campaign.deadlines.filter(due_on__lte=today + dt.timedelta(days=7)).order_by("due_on", "id"):
        status = review_selectors.reporting_status(user=user, deadline=deadline, within=unit, today=today,
                                                   per_page=1)
        t = status.total
        if t.expected:
            rows.append({"name": deadline.name, "due_on": deadline.due_on.isoformat(),
                         "due_day": f"{deadline.due_on.month}月{deadline.due_on.day}日", "expected": t.expected,
                         "submitted": t.submitted, "late": t.late, "not_submitted": t.not_submitted,
                         "returned": t.returned, "approved": t.approved})
    return rows


def figures_read(*, user, unit, campaign, today: dt.date) -> dict:
    """The subject unit's figures for `campaign` as of `today`, as JSON-ready values (`user`: the drafter,
    who reads the unit's business data)."""
    rollup = rollup_selectors.rollup_for(unit=unit, campaign=campaign, today=today)
    f = rollup.figures
    children = [child for child, _f in rollup.children]
    rows, whole = supervision_rows(unit=unit, children=children, campaign=campaign)
    by_child = {row.unit.pk: row for row in rows}
    four_winds = dict(FourWinds.choices)
    opinion_labels = dict(OpinionState.choices)
    # The 责任追究 actions under the unit in this campaign, from the kept counts the 驾驶舱 reads
    # (accountability.case_tally), so the document and the 驾驶舱 say the same; only the kinds the drafter
    # may read (case_tally.kinds_shown_to: all with ACCOUNTABILITY_VIEW, else the public 通报批评 and 公开曝光),
    # the document being read by everyone it is sent to.
    kept = unit_totals.work_counts([unit], topic=ACCOUNTABILITY_TOPIC, campaign_id=campaign.pk)[unit.pk]
    shown = set(kinds_shown_to(user, unit))
    actions = [{"kind": kind, "label": label, "n": kept[kind]} for kind, label in ActionKind.choices
               if kind in shown and kept[kind] > 0]
    return {
        "read_on": today.isoformat(),
        "unit": unit.name,
        "campaign": campaign.name,
        "total": f.total, "closed": f.closed, "closed_percent": f.closed_percent, "overdue": f.overdue,
        "due_soon": f.due_soon, "reopened": f.reopened, "units": f.units, "built": f.built,
        "own": {"total": rollup.own.total, "closed": rollup.own.closed, "closed_percent": rollup.own.closed_percent,
                "overdue": rollup.own.overdue},
        "four_winds": [{"name": str(four_winds.get(k, k)), "n": n} for k, n in rollup.by_four_winds.most_common()
                       if k and n],
        "children": [{"name": child.name, "total": cf.total, "closed": cf.closed,
                      "closed_percent": cf.closed_percent, "overdue": cf.overdue,
                      "notices_red": by_child[child.pk].notices.get("red", 0),
                      "satisfaction_low": by_child[child.pk].satisfaction_low}
                     for child, cf in rollup.children if not child.abolished_on],
        "findings_open": whole.findings_open,
        "notices": {key: whole.notices.get(key, 0) for key in ("blue", "yellow", "red", "closed")},
        "classes": [{"name": name, "n": whole.classes.get(name, 0)} for name in CLASSES],
        "failed": whole.failed,
        "opinions": [{"name": str(opinion_labels.get(k, k)), "n": n} for k, n in sorted(whole.opinions.items()) if n],
        "opinions_total": sum(whole.opinions.values()),
        "satisfaction_low": whole.satisfaction_low,
        # The kept counts are by kind only (a person's action and a unit's 单位责任 alike): the text counts 项.
        "accountability": [{"kind": a["kind"], "name": str(a["label"]), "n": a["n"]} for a in actions],
        "accountability_total": sum(a["n"] for a in actions),
        "reporting": _reporting(user, unit, campaign, today),
    }


def _chinese_day(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日"


def unit_and_campaign(unit: str, campaign: str) -> str:
    """The unit's name before the campaign's, once: a campaign named after its unit (娄底市党的群众路线…) is
    not written 娄底市娄底市党的群众路线…. The drafting templates write `unit_campaign`, never the two side by side."""
    return campaign if campaign.startswith(unit) else f"{unit}{campaign}"


def draft_text(*, kind: str, figures: dict) -> str:
    """The body of a new draft of `kind`, from the drafting template filled with `figures`."""
    behind = sorted((c for c in figures["children"] if c["total"]),
                    key=lambda c: (c["closed_percent"] if c["closed_percent"] is not None else 101, c["name"]))
    context = {**figures, "read_day": _chinese_day(figures["read_on"]),
               "unit_campaign": unit_and_campaign(figures["unit"], figures["campaign"]),
               "overdue_children": [c for c in figures["children"] if c["overdue"]],
               "behind": behind[:3], "ahead": list(reversed(behind))[:3] if len(behind) > 3 else [],
               "low_children": [c for c in figures["children"] if c["satisfaction_low"]]}
    # Plain text, not HTML: autoescape off, or 涟源A&B镇 would come out 涟源A&amp;B镇 in the body, the .docx and
    # the PDF (the PDF's HTML escapes the text where it lays it out; the pages escape it when they show it).
    template = get_template(f"documents/drafts/{kind}.txt").template
    text = template.render(Context(context, autoescape=False))
    # One line per paragraph: the template's blank lines and indentation are layout, not text.
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
