"""A refused action on the item page says so at the top of the page, before the item's facts.

On a phone the action forms stand below the facts, so an error shown only in the form would be
below the fold (issue 9).
"""

import pytest

from tests.ledgers.test_pages import logged_in, make_item

pytestmark = pytest.mark.django_db


def _before_the_facts(page: str, text: str) -> bool:
    return text in page and page.index(text) < page.index('class="item-layout"')


def test_a_domain_refusal_is_said_above_the_item(lw, client):
    item = make_item(lw)
    response = logged_in(client, lw.office).post(f"/ledgers/items/{item.pk}/relapse/", {"reason": "反弹"})
    page = response.content.decode()
    assert response.status_code == 200
    assert _before_the_facts(page, "未能标记反弹")
    assert _before_the_facts(page, "只有已销号的事项才能标记为反弹。")
    assert 'href="#relapse"' in page and 'id="relapse"' in page


def test_a_form_error_points_to_its_form(lw, client):
    item = make_item(lw)
    response = logged_in(client, lw.office).post(f"/ledgers/items/{item.pk}/send-back/", {"reason": ""})
    page = response.content.decode()
    assert _before_the_facts(page, "未能回炉") and _before_the_facts(page, "请检查表单中标红的内容。")


def test_no_alert_on_a_plain_visit(lw, client):
    item = make_item(lw)
    page = logged_in(client, lw.office).get(f"/ledgers/items/{item.pk}/").content.decode()
    assert 'id="action-refused"' not in page
