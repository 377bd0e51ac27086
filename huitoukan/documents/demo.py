"""The demo's 公文: the city office's 简报 on 娄底市 issued as of the demo's day, and a 通报 of 涟源市 its office
has drafted and not yet issued, so a newcomer sees both states (and the numbering) without writing one first.
Called by the portal's demo (huitoukan.portal.demo); written once (a second run adds nothing)."""

from __future__ import annotations

import datetime as dt

from huitoukan.documents import services
from huitoukan.documents.models import Document, DocumentKind


def demo_documents(*, city_office, office, campaign, city, county, today: dt.date) -> list[Document]:
    """`city_office` drafts and issues a 简报 on `city`; `office` drafts a 通报 on `county` and keeps it as a draft."""
    if Document.objects.filter(campaign=campaign).exists():
        return []
    brief = services.document_draft(actor=city_office, kind=DocumentKind.BRIEF, unit=city, campaign=campaign,
                                    today=today)
    brief = services.document_issue(actor=city_office, document=brief, issued_on=today)
    bulletin = services.document_draft(actor=office, kind=DocumentKind.BULLETIN, unit=county, campaign=campaign,
                                       today=today)
    return [brief, bulletin]
