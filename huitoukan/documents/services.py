"""Writes of 公文: drafting from live figures, editing the draft, issuing it (the 发文字号 taken then), and
a unit's 机关代字. A document moves through DOCUMENT_MOVES only; every change leaves a history record
naming its actor."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.campaigns.models import Campaign
from huitoukan.core import numbering
from huitoukan.core.officialdoc import OfficialDocError, document_number
from huitoukan.documents import drafting, rules
from huitoukan.documents.errors import DocumentError, DocumentErrorCode
from huitoukan.documents.models import (
    KIND_SUFFIX,
    Document,
    DocumentCounter,
    DocumentKind,
    DocumentPrefix,
    DocumentState,
)
from huitoukan.notices.services import default_issuer
from huitoukan.orgs.models import Unit

E = DocumentErrorCode
S = DocumentState

# (state, action) -> next state; None is a document not yet drafted.
DOCUMENT_MOVES: dict[tuple[str | None, str], str] = {
    (None, "draft"): S.DRAFT,
    (S.DRAFT, "edit"): S.DRAFT,
    (S.DRAFT, "issue"): S.ISSUED,
}
ACTION_LABELS = {"draft": "起草", "edit": "修改", "issue": "印发"}

TITLES = {
    DocumentKind.BULLETIN: "关于{unit}整改落实情况的通报",
    DocumentKind.BRIEF: "{unit}整改落实工作进展情况",
    DocumentKind.REPORT: "关于{unit}开展整改落实情况“回头看”的情况报告",
}


def default_prefix(unit: Unit, kind: str) -> str:
    """The 机关代字 until the office sets its own: the unit's name without its level, then 通 / 简 / 报
    (涟源市 → 涟源通, 涟源简, 涟源报)."""
    return numbering.default_prefix(unit.name, KIND_SUFFIX[DocumentKind(kind)])


def prefixes_of(unit: Unit) -> dict[str, str]:
    """The unit's 机关代字 by kind: the ones its office set, the defaults for the rest."""
    kept = dict(DocumentPrefix.objects.filter(unit=unit).values_list("kind", "prefix"))
    return {kind: kept.get(kind) or default_prefix(unit, kind) for kind in DocumentKind.values}


def _move(document: Document, action: str) -> None:
    after = DOCUMENT_MOVES.get((document.state if document.pk else None, action))
    if after is None:
        raise DocumentError(E.WRONG_STATE, state=document.get_state_display(), action=ACTION_LABELS[action])
    document.state = after


def _save(obj, actor, reason: str) -> None:
    obj._history_user = actor
    obj._change_reason = reason[:100]
    obj.save()


def office_above(issuing_unit: Unit) -> str:
    """The 活动办 one level up from the issuing unit (its parent's, named as default_issuer names it); "" for
    the top of the tree, whose office the clerk names by hand."""
    parent = Unit.objects.filter(path=issuing_unit.path[:-Unit.steplen]).first() if issuing_unit.depth > 1 else None
    return default_issuer(parent) if parent is not None else ""


def _default_addressee(kind: str, issuing_unit: Unit) -> str:
    """A 情况报告 goes up to the office above (seed 001 三.3 信息备案), and so is a 简报 报送 (its 报 list: a 简报
    has no 主送); a 通报 goes down."""
    if kind in (DocumentKind.REPORT, DocumentKind.BRIEF):
        return office_above(issuing_unit)
    return "各有关单位"


def addressee_required(kind: str) -> bool:
    """Every document but a 简报 is issued to a 主送机关 (GB/T 9704-2012 7.3.2); a 简报 is 报送 and 发送 only."""
    return kind != DocumentKind.BRIEF


@transaction.atomic
def document_draft(*, actor, kind: str, unit: Unit, campaign: Campaign, issuing_unit: Unit | None = None,
                   today: dt.date | None = None) -> Document:
    """A new draft of `kind` about `unit`, its body generated from the unit's figures for `campaign` read now
    (kept with the draft), in the name of `issuing_unit` (default: the nearest unit of the actor's office)."""
    rules.raise_if(rules.draft_refusal(actor, unit))
    if kind not in DocumentKind.values:
        raise DocumentError(E.KIND_INVALID, kind=kind)
    names = rules.issuing_units(actor, unit)
    if issuing_unit is not None:
        chosen = [u for u in names if u.pk == issuing_unit.pk]
        if not chosen:
            raise DocumentError(E.ISSUING_UNIT_CHOICE, unit=issuing_unit.name, subject=unit.name)
        issuing_unit = chosen[0]
    else:
        issuing_unit = names[0]
    owner = campaign.owner_unit
    if not (unit.path.startswith(owner.path) or owner.path.startswith(unit.path)):
        raise DocumentError(E.CAMPAIGN_OTHER_UNIT, campaign=campaign.name, unit=unit.name)
    if campaign.pk not in {c.pk for c in campaign_selectors.campaigns_visible(user=actor)}:
        raise policy.Denied(Perm.CAMPAIGN_VIEW, owner)
    today = today or timezone.localdate()
    figures = drafting.figures_read(user=actor, unit=unit, campaign=campaign, today=today)
    issuer = default_issuer(issuing_unit)
    document = Document(
        kind=kind, campaign=campaign, unit=unit, issuing_unit=issuing_unit, issuer_name=issuer,
        title=TITLES[DocumentKind(kind)].format(unit=unit.name),
        addressee=_default_addressee(kind, issuing_unit),
        body=drafting.draft_text(kind=kind, figures=figures), signer=issuer,
        # a 简报 is 送 down (its 送 list) and has no 印发 line; a 文件 is 印发 by its office
        copy_to="各有关单位" if kind == DocumentKind.BRIEF else "", printed_by="" if kind == DocumentKind.BRIEF else issuer,
        figures=figures, figures_read_on=today, drafted_by=actor)
    _move(document, "draft")
    _save(document, actor, f"起草{document.get_kind_display()}")
    return document


def _required(label: str, value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DocumentError(E.FIELD_REQUIRED, field=label)
    return value


@transaction.atomic
def document_edit(*, actor, document: Document, title: str, addressee: str, body: str, attachments: str,
                  issuer_name: str, signer: str, copy_to: str, printed_by: str) -> Document:
    """The office's edit of a draft: all fields at once, or nothing."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    rules.raise_if(rules.write_refusal(actor, document))
    _move(document, "edit")
    document.title = _required("标题", title)
    document.issuer_name = _required("发文机关", issuer_name)
    document.signer = _required("发文机关署名", signer)
    document.body = (body or "").strip()
    if not drafting.body_blocks(document.body):
        raise DocumentError(E.BODY_EMPTY)
    document.addressee = (addressee or "").strip().rstrip("：:")
    document.attachments = "\n".join(line.strip() for line in (attachments or "").splitlines() if line.strip())
    document.copy_to = "\n".join(line.strip() for line in (copy_to or "").splitlines() if line.strip())
    document.printed_by = (printed_by or "").strip()
    _save(document, actor, "修改草稿")
    return document


def serial_next(unit: Unit, year: int, kind: str) -> int:
    """The next serial of (unit, year, kind), from its counter row locked until the transaction ends
    (core.numbering, as for the 督办通知单)."""
    return numbering.serial_next(DocumentCounter, unit=unit, year=year, kind=kind)


@transaction.atomic
def document_issue(*, actor, document: Document, issued_on: dt.date) -> Document:
    """印发: the 成文日期 set (not before the figures' day, not after today), the 发文字号 taken (issuing unit,
    the date's year, kind), the text frozen."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    rules.raise_if(rules.write_refusal(actor, document))
    _move(document, "issue")
    if issued_on is None:
        raise DocumentError(E.FIELD_REQUIRED, field="成文日期")
    if addressee_required(document.kind) and not (document.addressee or "").strip():
        raise DocumentError(E.ADDRESSEE_REQUIRED, kind=document.get_kind_display())
    if issued_on < document.figures_read_on:
        raise DocumentError(E.DATE_BEFORE_DRAFT, date=f"{issued_on:%Y-%m-%d}",
                            read_on=f"{document.figures_read_on:%Y-%m-%d}")
    today = timezone.localdate()
    if issued_on > today:  # a day to come would take a serial from a year not yet begun
        raise DocumentError(E.DATE_IN_FUTURE, date=f"{issued_on:%Y-%m-%d}", today=f"{today:%Y-%m-%d}")
    prefix = prefixes_of(document.issuing_unit)[document.kind]
    document.year = issued_on.year
    document.serial = serial_next(document.issuing_unit, document.year, document.kind)
    document.number = document_number(prefix, document.year, document.serial)
    document.issued_on = issued_on
    document.issued_by, document.issued_at = actor, timezone.now()
    _save(document, actor, f"印发，发文字号{document.number}")
    return document


@transaction.atomic
def prefixes_save(*, actor, unit: Unit, prefixes: dict[str, str]) -> dict[str, str]:
    """The unit's own office sets its 机关代字 for each kind (all or nothing)."""
    rules.raise_if(rules.prefix_refusal(actor, unit))
    cleaned = {}
    for kind in DocumentKind.values:
        prefix = (prefixes.get(kind) or "").strip()
        try:
            document_number(prefix, 2000, 1)
        except OfficialDocError:
            raise DocumentError(E.PREFIX_INVALID, kind=DocumentKind(kind).label, prefix=prefix) from None
        cleaned[kind] = prefix
    for kind, prefix in cleaned.items():
        row = DocumentPrefix.objects.filter(unit=unit, kind=kind).first() or DocumentPrefix(unit=unit, kind=kind)
        if row.prefix != prefix:
            row.prefix = prefix
            _save(row, actor, "修改机关代字")
    return cleaned
