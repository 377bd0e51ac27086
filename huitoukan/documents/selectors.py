"""Reads of 公文: the documents a reader may see (404 outside), and a document as an OfficialDocument."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from huitoukan.core import sql
from huitoukan.core.officialdoc import LAYOUT_BRIEF, OfficialDocument
from huitoukan.documents import drafting, rules
from huitoukan.documents.models import BRIEF_NAME, Document, DocumentKind, DocumentState


def documents_for(*, user) -> QuerySet[Document]:
    return (Document.objects.filter(rules.documents_q(user))
            .select_related("unit", "issuing_unit", "campaign").order_by("-drafted_at", "-id"))


def filtered(qs: QuerySet[Document], *, kind: str = "", state: str = "") -> QuerySet[Document]:
    if kind in DocumentKind.values:
        qs = qs.filter(kind=kind)
    if state in DocumentState.values:
        qs = qs.filter(state=state)
    return qs


def document_get_for(*, user, pk) -> Document:
    key = sql.key_or_none(pk)
    document = key and (Document.objects.select_related("unit", "issuing_unit", "campaign", "drafted_by",
                                                        "issued_by").filter(pk=key).first())
    if not document or not rules.may_read(user, document):
        raise Http404
    return document


def official_document(document: Document) -> OfficialDocument:
    """The document's parts for huitoukan.core.officialdoc (issued: its number and date; a draft has none,
    and is not laid out). A 简报 is laid out under its masthead (LAYOUT_BRIEF): BRIEF_NAME, its issue (the
    serial), edited by the issuing office on the 成文日期; its 主送 field is its 报 list, its 抄送 its 送 list."""
    if document.kind == DocumentKind.BRIEF:
        return OfficialDocument(
            layout=LAYOUT_BRIEF, brief_name=BRIEF_NAME, issue_no=document.serial, issuer=document.issuer_name,
            number=document.number, title=document.title, signer=document.signer, date=document.issued_on,
            body=drafting.body_blocks(document.body), attachments=document.attachment_names,
            report_to=document.addressee_names, send_to=document.copy_to_names)
    return OfficialDocument(
        issuer=document.issuer_name, number=document.number, title=document.title, signer=document.signer,
        date=document.issued_on, addressee=document.addressee, body=drafting.body_blocks(document.body),
        attachments=document.attachment_names, copy_to=document.copy_to_names, printed_by=document.printed_by,
        printed_on=document.issued_on if document.printed_by else None)


def filename(document: Document, extension: str) -> str:
    return f"{document.number}-{document.title}.{extension}"


def history_of(document: Document) -> list:
    return list(document.history.select_related("history_user").order_by("history_date", "history_id"))
