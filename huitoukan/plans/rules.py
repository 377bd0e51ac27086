"""The plans' rules, each written once: the pages, the API and the import all reach them through the services.

- A plan's body is stored as sanitized HTML: only the tags of a plain official document survive,
  no attribute but a link's address, no script, no style, no event handler.
- A plan links only ledger items of its own unit and campaign.
- A plan is made in a campaign run by its unit or by a unit above it.
- A task's owner (责任人) is a person of the plan's unit or a unit below it.
"""

from __future__ import annotations

import html
import re

import nh3

from huitoukan.plans.errors import PlanError, PlanErrorCode

# What a document typed in a browser or pasted from Word needs: paragraphs, emphasis, lists, headings, tables.
BODY_TAGS = frozenset({
    "p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "h2", "h3", "h4", "h5", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "a",
})
BODY_ATTRIBUTES = {"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
# Dropped with everything inside them, not merely unwrapped: their text is code, not the document's.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "noscript", "template",
                                  "svg", "math", "textarea", "select"})
# A tag (<p>, </li>, <br/>, <a href…>) or a comment: text like "a<b" or "1 < 2" stays text.
_LOOKS_LIKE_HTML = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:[\s/>])|<!--")
_BLOCK_END = re.compile(r"<\s*(?:br\s*/?|/p|/li|/h[2-5]|/tr|/blockquote)\s*>", re.IGNORECASE)
_CELL_END = re.compile(r"<\s*/t[dh]\s*>", re.IGNORECASE)


def body_clean(text: str) -> str:
    """The body as stored: sanitized HTML. Plain text (no markup) becomes paragraphs, one per blank-line block."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return ""
    if not _LOOKS_LIKE_HTML.search(text):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        text = "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
    return nh3.clean(text, tags=set(BODY_TAGS), attributes={k: set(v) for k, v in BODY_ATTRIBUTES.items()},
                     clean_content_tags=set(DROPPED_WITH_CONTENT), url_schemes={"http", "https", "mailto"},
                     strip_comments=True).strip()


_SIMPLE_PARAGRAPHS = re.compile(r"^(?:<p>(?:(?!</?p>).)*</p>)+$", re.S)
_OTHER_TAG = re.compile(r"<(?!/?p>|br\s*/?>)[^>]+>")


def body_for_editing(body: str) -> str:
    """What the edit form shows: a body of plain paragraphs as the text it was typed as (paragraphs apart by a
    blank line, which `body_clean` turns back into the same HTML); a richer body (lists, tables) as its HTML."""
    body = (body or "").strip()
    if not body or not _SIMPLE_PARAGRAPHS.match(body) or _OTHER_TAG.search(body):
        return body
    paragraphs = re.findall(r"<p>(.*?)</p>", body, re.S)
    return "\n\n".join(html.unescape(re.sub(r"<br\s*/?>", "\n", p)) for p in paragraphs)


def body_text(body: str) -> str:
    """The body's words without markup: one line per paragraph, list item or table row (for snapshots and diffs)."""
    marked = _CELL_END.sub("\t", _BLOCK_END.sub("\n", body or ""))
    plain = html.unescape(nh3.clean(marked, tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT)))
    lines = [re.sub(r"[ \t\u3000]+", " ", line).strip() for line in plain.split("\n")]
    return "\n".join(line for line in lines if line)


def check_campaign_applies(*, unit, campaign) -> None:
    """A plan belongs to a campaign its unit takes part in: one run by the unit itself or by a unit above it."""
    owner = campaign.owner_unit
    if not unit.path.startswith(owner.path):
        raise PlanError(PlanErrorCode.CAMPAIGN_NOT_HERE, campaign=campaign.name, unit=unit.full_name)


def check_items_belong(*, plan, items) -> None:
    """Only the ledger items of the plan's own unit and campaign are linked (a 党员领导干部's ledger belongs to
    their unit)."""
    for item in items:
        ledger = item.ledger
        if ledger.unit_id != plan.unit_id or ledger.campaign_id != plan.campaign_id:
            raise PlanError(PlanErrorCode.ITEM_ELSEWHERE, item=item.pk)


def check_owner_belongs(*, plan, owner) -> None:
    """A task's 责任人 works at the plan's unit or below it."""
    if owner is not None and not owner.unit.path.startswith(plan.unit.path):
        raise PlanError(PlanErrorCode.OWNER_ELSEWHERE, person=owner.name, unit=plan.unit.full_name)
