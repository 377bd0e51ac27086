"""Route × role rows of 公文 (merged into tests/test_route_table.py).

Each side gets two 通报 of its county (涟源市 / 娄星区) drafted by the county's office from its figures:
`document_draft` (草稿) and `document_issued` (已印发). "In", 涟源市's office drafts, edits and issues; every
business role held at 涟源市 reads the issued one and its downloads; a draft is the office's only (404 to
the others, as for an absent document); the 机关代字 page is the unit's own office's (403 to its readers).
"""

from __future__ import annotations

from django.utils import timezone

from huitoukan.access.models import Role
from huitoukan.documents import services
from huitoukan.documents.models import Document, DocumentKind, DocumentPrefix, DocumentState
from tests.conftest import user_create
from tests.route_types import BUSINESS, SIDE_BUILDERS, Route

OFFICE = frozenset({Role.CAMPAIGN_OFFICE})
EDITED = "关于整改落实情况的通报（修改）"


def _build(inn, out, users, tree):
    office_out = user_create(Role.CAMPAIGN_OFFICE, out.county, username="document_office_out")
    for side, office in ((inn, users[Role.CAMPAIGN_OFFICE]), (out, office_out)):
        side.document_draft = _draft(office, side)
        side.document_issued = services.document_issue(actor=office, document=_draft(office, side),
                                                        issued_on=timezone.localdate())


def _draft(office, side):
    return services.document_draft(actor=office, kind=DocumentKind.BULLETIN, unit=side.county,
                                   campaign=side.campaign)


SIDE_BUILDERS.append(_build)


def _path(suffix: str, name: str = "document_issued"):
    return lambda s, p=suffix: f"/documents/{getattr(s, name).pk}/" + p


def _edit(s) -> dict:
    return {"title": EDITED, "addressee": "各乡镇党委", "body": "一、总体情况\n正文一段。", "attachments": "",
            "issuer_name": "涟源市教育实践活动领导小组办公室", "signer": "涟源市教育实践活动领导小组办公室",
            "copy_to": "", "printed_by": ""}


def _downloaded(content_type: str):
    return lambda s, r: r["Content-Type"] == content_type and "filename*=UTF-8''" in r["Content-Disposition"]


ROUTES: dict = {
    ("document-list", "GET"): Route(lambda s: "/documents/", BUSINESS, out=False),
    ("document-create", "GET"): Route(lambda s: "/documents/new/", OFFICE, readers=BUSINESS, out=False),
    # The form names the unit: a refusal is 403 where the reader reads it, 404 for a unit out of scope.
    ("document-create", "POST"): Route(
        lambda s: "/documents/new/", OFFICE, readers=BUSINESS, ok_status=302,
        body=lambda s: {"kind": DocumentKind.BRIEF, "unit": s.county.pk, "campaign": s.campaign.pk},
        done=lambda s, r: Document.objects.filter(kind=DocumentKind.BRIEF, unit=s.county).exists()),
    ("document-detail", "GET"): Route(_path(""), BUSINESS),
    # A draft is the drafting office's only: everybody else gets 404, as for an absent document.
    ("document-edit", "GET"): Route(_path("edit/", "document_draft"), OFFICE),
    ("document-edit", "POST"): Route(_path("edit/", "document_draft"), OFFICE, ok_status=302, body=_edit,
                                     done=lambda s, r: Document.objects.get(pk=s.document_draft.pk).title == EDITED),
    ("document-issue", "POST"): Route(
        _path("issue/", "document_draft"), OFFICE, ok_status=302,
        body=lambda s: {"issued_on": timezone.localdate().isoformat()},
        done=lambda s, r: Document.objects.get(pk=s.document_draft.pk).state == DocumentState.ISSUED),
    ("document-docx", "GET"): Route(_path("docx/"), BUSINESS, done=_downloaded(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")),
    ("document-pdf", "GET"): Route(_path("pdf/"), BUSINESS, done=_downloaded("application/pdf")),
    ("document-prefixes", "GET"): Route(lambda s: f"/documents/prefixes/{s.county.pk}/", OFFICE, readers=BUSINESS),
    ("document-prefixes", "POST"): Route(
        lambda s: f"/documents/prefixes/{s.county.pk}/", OFFICE, readers=BUSINESS, ok_status=302,
        body=lambda s: {"bulletin": "涟群办通", "brief": "涟群办简", "report": "涟群办报"},
        done=lambda s, r: DocumentPrefix.objects.filter(unit=s.county, prefix="涟群办通").exists()),
}
