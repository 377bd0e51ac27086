"""A draft's text is plain text: names with & and ' come out as written in the body, the .docx and the PDF
(escaped once, where the PDF's HTML lays them out); and the 成文日期 is not a day still to come."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

import pypdfium2 as pdfium
import pytest
from django.utils import timezone
from docx import Document as Docx

from huitoukan.access.models import Role
from huitoukan.campaigns import services as campaign_services
from huitoukan.campaigns.services import PhaseSpec
from huitoukan.core import officialdoc as od
from huitoukan.documents import selectors, services
from huitoukan.documents.drafting import unit_and_campaign
from huitoukan.documents.errors import DocumentError
from huitoukan.documents.models import DocumentCounter, DocumentKind, DocumentState
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import UnitKind, UnitLevel
from tests.conftest import user_create

pytestmark = pytest.mark.django_db

UNIT_NAME = "涟源A&B'镇"
CAMPAIGN_NAME = "整改落实“回头看”A&B's"


@pytest.fixture
def world(tree):
    unit = org_services.unit_create(actor=None, parent=tree.lianyuan, name=UNIT_NAME, level=UnitLevel.TOWNSHIP,
                                    kind=UnitKind.PARTY_COMMITTEE, established_on=dt.date(2013, 6, 18))
    campaign = campaign_services.campaign_create(
        actor=None, owner_unit=tree.city, name=CAMPAIGN_NAME, starts_on=dt.date(2014, 12, 31),
        ends_on=dt.date(2015, 2, 28), phases=[PhaseSpec("自查自纠", dt.date(2014, 12, 31), dt.date(2015, 1, 6))])
    return {"tree": tree, "unit": unit, "campaign": campaign,
            "office": user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan)}


def _draft(w):
    return services.document_draft(actor=w["office"], kind=DocumentKind.BULLETIN, unit=w["unit"],
                                   campaign=w["campaign"])


def test_a_name_with_an_ampersand_and_a_quote_is_written_as_it_is_in_the_body_docx_and_pdf(world):
    # given a unit and a campaign named with & and '
    # when a 通报 about the unit is drafted and issued
    document = _draft(world)
    # then the body names them as written, not as HTML entities
    assert UNIT_NAME in document.body and CAMPAIGN_NAME in document.body
    assert "&amp;" not in document.body and "&#x27;" not in document.body and "&#39;" not in document.body
    issued = services.document_issue(actor=world["office"], document=document, issued_on=timezone.localdate())
    official = selectors.official_document(issued)
    # and the .docx too
    texts = "\n".join(p.text for p in Docx(BytesIO(od.officialdoc_docx(official))).paragraphs)
    assert "现将截至" in texts and UNIT_NAME in texts and "&amp;" not in texts
    # and the PDF's HTML escapes the text once, where it lays it out
    html = od._pdf_html(official)
    assert "涟源A&amp;B&#x27;镇" in html and "&amp;amp;" not in html and "&amp;#x27;" not in html
    pdf = pdfium.PdfDocument(od.officialdoc_pdf(official))
    try:
        text = re.sub(r"\s+", "", "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))))
    finally:
        pdf.close()
    assert "涟源A&B'镇" in text and "&amp;" not in text


def test_a_date_to_come_is_refused_naming_the_field_and_takes_no_number(world):
    # given a draft
    document = _draft(world)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    # when the office issues it dated tomorrow (or next year)
    for day in (tomorrow, dt.date(timezone.localdate().year + 1, 1, 1)):
        with pytest.raises(DocumentError, match="成文日期.*不能晚于今天"):
            services.document_issue(actor=world["office"], document=document, issued_on=day)
    # then it stays a draft and no serial was taken
    document.refresh_from_db()
    assert (document.state, document.number, document.serial) == (DocumentState.DRAFT, "", None)
    assert not DocumentCounter.objects.exists()
    # and dated today it is issued as number 1
    issued = services.document_issue(actor=world["office"], document=document, issued_on=timezone.localdate())
    assert issued.serial == 1


def test_the_unit_is_named_before_the_campaign_unless_the_campaign_is_named_after_it():
    # given a campaign named after 娄底市: 娄底市 is named once, another unit before it
    assert unit_and_campaign("娄底市", "娄底市党的群众路线教育实践活动") == "娄底市党的群众路线教育实践活动"
    assert unit_and_campaign("涟源市", "娄底市党的群众路线教育实践活动") == "涟源市娄底市党的群众路线教育实践活动"
