"""上下联动 after a clerk's walk: 我的事项 lists what a claim's leader leads (the workflow's rule, once each), with a
link to 上下联动; a leading unit without a ledger of that kind exports the items it leads; 撤回 is the handing side's
only (an office above both sides claims or declines instead)."""

from __future__ import annotations

import html
import io
import re

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from huitoukan.access import services as access_services
from huitoukan.access.models import Role
from huitoukan.access.policy import Forbidden
from huitoukan.ledgers import exports, linkage, selectors, services
from huitoukan.ledgers.errors import LinkErrorCode
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.linkage import LinkAction, LinkSubject
from huitoukan.ledgers.models import ItemLink, LinkState
from tests.conftest import user_create
from tests.ledgers import test_linkage as base
from tests.ledgers.test_linkage import claim, hand_up, login

pytestmark = pytest.mark.django_db
world_once, w = base.world_once, base.w  # the fixtures of test_linkage's world


def _cells(data: bytes) -> dict[str, list[str]]:
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
            for sheet in book.worksheets}


# --- 我的事项 --------------------------------------------------------------------------------------------------


def test_my_items_lists_the_items_a_claim_s_leader_leads_once_each(w):
    led = claim(w, hand_up(w, w.items[0], w.police)).item
    claim(w, hand_up(w, w.items[1], w.police), leaders=[w.police_other])  # another leader's
    declined = hand_up(w, w.items[2], w.police)
    linkage.link_decline(actor=w.police_office, link=declined, reason="不属职责")  # declined: leads nothing
    own = w.police_ledger.items.get()

    ids = list(selectors.items_led_by(user=w.police_leader_login).values_list("pk", flat=True))
    assert sorted(ids) == sorted([own.pk, led.pk])
    # a login acting as both of a claim's leaders (two grants) lists the item once
    both = user_create(Role.RESPONSIBLE_LEADER, w.police, person=w.police_leader)
    access_services.role_grant(actor=None, user=both, role=Role.UNIT_HEAD, unit=w.police, person=w.police_other)
    claim(w, hand_up(w, w.items[3], w.police), leaders=[w.police_leader, w.police_other])
    assert sorted(selectors.items_led_by(user=both).values_list("pk", flat=True)) == sorted(
        [own.pk, led.pk, w.items[1].pk, w.items[3].pk])
    # the workflow reads the same relation: every listed item is one he may write progress on
    leads = selectors.item_leads(ids)
    assert all(w.police_leader.pk in leads[pk].leader_ids for pk in ids)

    page = login(w.police_leader_login).get("/ledgers/my-items/").content.decode()
    assert page.count(led.problem) == 1 and w.items[1].problem not in page and w.items[2].problem not in page
    assert "联动：市公安局" in page and 'href="/ledgers/linkage/#mine"' in page
    assert f'href="/ledgers/items/{led.pk}/#progress"' in page  # 填报进展: his to write, as the item page lets him
    api = APIClient()
    api.force_authenticate(w.police_leader_login)
    assert led.pk in [row["id"] for row in api.get("/api/v1/my-items/").json()["results"]]
    # the home page's 我牵头的事项 reads the same list
    assert led.problem[:8] in login(w.police_leader_login).get("/").content.decode()


def test_a_leader_who_leads_no_link_is_not_told_of_linkage_on_my_items(w):
    page = login(w.police_leader_login).get("/ledgers/my-items/").content.decode()
    assert "警务公开不到位" in page and 'id="led-by-me"' not in page


# --- the export of a leading unit without a ledger of that kind ------------------------------------------------------


def test_a_leading_unit_without_a_ledger_of_that_kind_exports_the_items_it_leads(w):
    special = services.ledger_open(actor=None, campaign=w.campaign, unit=w.tree.lianyuan, kind=LedgerKind.SPECIAL)
    item = services.item_create(actor=None, ledger=special, problem="整治交通违法乱象", lead_leaders=[w.lianyuan_leader])
    claim(w, hand_up(w, item, w.police))

    # the ledger list's 导出（含下级） of 市公安局's 专项整治, which it keeps no ledger of
    page = login(w.police_office).get(f"/ledgers/?campaign={w.campaign.pk}&unit={w.police.pk}").content.decode()
    urls = [html.unescape(u) for u in re.findall(r'href="([^"]*/export/\?[^"]*)"', page)]
    url = next(u for u in urls if f"kind={LedgerKind.SPECIAL.value}" in u)
    response = login(w.police_office).get(url)
    assert response.status_code == 200
    sheets = _cells(b"".join(response.streaming_content) if response.streaming else response.content)
    assert list(sheets) == ["市公安局"]
    assert "联1" in sheets["市公安局"] and "【联动·涟源市】整治交通违法乱象" in sheets["市公安局"]
    assert exports.subtree_item_count(user=w.police_office, campaign=w.campaign, root_unit=w.police,
                                      kind=LedgerKind.SPECIAL) == 1

    # the city's export: 涟源市's row, marked, and 市公安局's sheet of what it leads, in tree order
    city = _cells(exports.subtree_file(user_or_none=w.city_office, campaign=w.campaign, root_unit=w.tree.city,
                                       kind=LedgerKind.SPECIAL).data)
    assert list(city) == ["涟源市", "市公安局"]
    assert "【联动：市公安局】整治交通违法乱象" in city["涟源市"]
    assert "【联动·涟源市】整治交通违法乱象" in city["市公安局"]
    # out of the reader's scope: 涟源市's office does not get 市公安局's sheet
    county = _cells(exports.subtree_file(user_or_none=w.lianyuan_office, campaign=w.campaign,
                                         root_unit=w.tree.lianyuan, kind=LedgerKind.SPECIAL).data)
    assert list(county) == ["涟源市"]
    # a declined or withdrawn link leads nothing: no sheet
    ItemLink.objects.filter(item=item).update(state=LinkState.DECLINED)
    empty = _cells(exports.subtree_file(user_or_none=w.police_office, campaign=w.campaign, root_unit=w.police,
                                        kind=LedgerKind.SPECIAL).data)
    assert not any("整治交通违法乱象" in c for cells in empty.values() for c in cells)


# --- 撤回 is the handing side's ----------------------------------------------------------------------------------


def test_an_office_above_both_sides_declines_and_may_not_withdraw(w):
    link = hand_up(w, w.items[0], w.police)
    subject = LinkSubject(link.item, link, link)
    # 娄底市's office holds LEDGER_EDIT at 涟源市 and at 市公安局: it acts for the receiver
    refused = linkage.refusal_of(w.city_office, LinkAction.WITHDRAW, subject)
    assert isinstance(refused, Forbidden) and refused.code == LinkErrorCode.RECEIVER_MAY_NOT_WITHDRAW
    offered = linkage.actions_for(w.city_office, LinkSubject(link.item, link))
    assert LinkAction.WITHDRAW not in offered and {LinkAction.CLAIM, LinkAction.DECLINE} <= offered
    assert LinkAction.WITHDRAW in linkage.actions_for(w.lianyuan_office, LinkSubject(link.item, link))
    page = login(w.city_office).get(f"/ledgers/items/{link.item_id}/").content.decode()
    assert f"/ledgers/links/{link.pk}/withdraw/" not in page and f"/ledgers/links/{link.pk}/decline/" in page
    with pytest.raises(Forbidden):
        linkage.link_withdraw(actor=w.city_office, link=link)
    assert login(w.city_office).post(f"/ledgers/links/{link.pk}/withdraw/").status_code == 403
    api = APIClient()
    api.force_authenticate(w.city_office)
    assert api.post(f"/api/v1/links/{link.pk}/withdraw/", {}, format="json").status_code == 403
    assert ItemLink.objects.get(pk=link.pk).state == LinkState.PENDING
    # the handing office withdraws
    assert linkage.link_withdraw(actor=w.lianyuan_office, link=link).state == LinkState.WITHDRAWN
