"""上下联动's forms on the item page (ledgers.linkage_views): a refused form comes back in its panel, open, with the
clerk's input and each field's error under it, nothing written; where the action is no longer offered, the reason comes as a message."""

from __future__ import annotations

import re

import pytest

from huitoukan.ledgers import linkage
from huitoukan.ledgers.models import ItemLink, LinkState
from tests.ledgers import test_linkage as base
from tests.ledgers.test_linkage import claim, hand_up, login

pytestmark = pytest.mark.django_db
world_once, w = base.world_once, base.w  # the fixtures of test_linkage's world


def _form(page: str, action: str) -> str:
    """The <details> around the form posting to `action`."""
    start = page.rindex("<details", 0, page.index(f'action="{action}"'))
    return page[start:page.index("</details>", start)]


def test_a_hand_up_without_a_reason_comes_back_with_the_chosen_receiver_and_the_error_under_the_reason(w):
    item = w.items[0]
    response = login(w.lianyuan_office).post(f"/ledgers/items/{item.pk}/hand-up/",
                                             {"to_unit": w.police.pk, "reason": "   "})
    assert response.status_code == 200 and not ItemLink.objects.filter(item=item).exists()
    form = _form(response.content.decode(), f"/ledgers/items/{item.pk}/hand-up/")
    assert form.startswith("<details") and " open>" in form.split("\n")[0]
    assert re.search(rf'<option value="{w.police.pk}" selected>', form)
    reason = form[form.index('name="reason"'):]
    assert "is-invalid" in form and "autofocus" in form and "invalid-feedback" in reason
    assert "段是必填项" in reason


def test_a_claim_without_a_deadline_keeps_the_measures_and_the_leaders(w):
    item = w.items[1]
    link = hand_up(w, item, w.police)
    response = login(w.police_office).post(f"/ledgers/links/{link.pk}/claim/", {
        "measures": "市公安局牵头统一整治", "due_on": "", "lead_leaders": [w.police_leader.pk]})
    assert response.status_code == 200 and ItemLink.objects.get(pk=link.pk).state == LinkState.PENDING
    form = _form(response.content.decode(), f"/ledgers/links/{link.pk}/claim/")
    assert "市公安局牵头统一整治</textarea>" in form
    assert re.search(rf'value="{w.police_leader.pk}" id="[^"]+" checked', form)
    due = form[form.index('name="due_on"'):]
    assert "invalid-feedback" in due[:600]


def test_a_decline_without_a_reason_opens_the_decline_form_not_the_claim(w):
    item = w.items[2]
    link = hand_up(w, item, w.police)
    page = login(w.police_office).post(f"/ledgers/links/{link.pk}/decline/", {"reason": ""}).content.decode()
    assert " open>" in _form(page, f"/ledgers/links/{link.pk}/decline/").split("\n")[0]
    assert " open>" not in _form(page, f"/ledgers/links/{link.pk}/claim/").split("\n")[0]
    assert ItemLink.objects.get(pk=link.pk).state == LinkState.PENDING


def test_where_the_action_is_no_longer_offered_the_reason_comes_as_a_message(w):
    item = w.items[0]
    link = claim(w, hand_up(w, item, w.police))
    response = login(w.police_office).post(f"/ledgers/links/{link.pk}/decline/", {"reason": ""})
    assert response.status_code == 302 and response["Location"].endswith(f"/ledgers/items/{item.pk}/#linkage")


def test_a_claim_without_a_leader_keeps_the_input_and_says_so_under_the_leaders(w):
    link = hand_up(w, w.items[1], w.police)
    page = login(w.police_office).post(f"/ledgers/links/{link.pk}/claim/", {
        "measures": "市公安局牵头统一整治", "due_on": "2015-03-31"}).content.decode()
    form = _form(page, f"/ledgers/links/{link.pk}/claim/")
    assert 'value="2015-03-31"' in form and "市公安局牵头统一整治</textarea>" in form
    leaders = form[form.index("牵头单位领导"):]
    assert 'type="checkbox"' in leaders and "invalid-feedback" in leaders and w.police_leader.name in leaders
    assert "未能认领" in page  # said at the top of the page too: on a phone the panel stands far below


def test_a_sector_lead_s_report_counts_the_links_it_was_asked_to_lead(w):
    claim(w, hand_up(w, w.items[0], w.police))
    linkage.link_decline(actor=w.police_office, link=hand_up(w, w.items[1], w.police), reason="不属职责")
    rows = {(r.level_label, r.kind_label): (r.handed, r.claimed, r.declined, r.done, r.pending)
            for r in linkage.linkage_report(user=w.police_office)}
    assert rows == {("市级", "行业主管部门联动"): (2, 1, 1, 0, 0)}
    assert linkage.linkage_report(user=w.louxing_office) == []


def test_the_claim_s_leader_finds_the_items_he_leads_on_the_linkage_page(w):
    led = claim(w, hand_up(w, w.items[0], w.police))
    claim(w, hand_up(w, w.items[1], w.police), leaders=[w.police_other])
    assert [link.pk for link in linkage.led_by_me(user=w.police_leader_login)] == [led.pk]
    page = login(w.police_leader_login).get("/ledgers/linkage/").content.decode()
    mine = page[page.index('id="mine"'):page.index("上下联动情况")]
    assert w.items[0].problem in mine and w.items[1].problem not in mine
    assert 'id="mine"' not in login(w.lianyuan_office).get("/ledgers/linkage/").content.decode()
