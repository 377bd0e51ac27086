"""上下联动 (ledgers.linkage): a problem handed up by 涟源市 is claimed by 娄底市's 市公安局 (a sector lead) and
appears once in each ledger, counted once in the city's roll-up; a declined one goes back with its reason."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from openpyxl import load_workbook

from huitoukan.access.models import Role
from huitoukan.access.policy import Denied, Forbidden
from huitoukan.campaigns import services as campaign_services
from huitoukan.ledgers import exports, linkage, services
from huitoukan.ledgers.errors import LedgerError, LinkErrorCode
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.linkage import LinkAction, LinkSubject
from huitoukan.ledgers.models import (
    Item,
    ItemEvent,
    ItemEventKind,
    ItemLink,
    ItemStatus,
    ItemTally,
    LinkState,
)
from huitoukan.notifications.models import Notification
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import Batch, UnitKind, UnitLevel
from huitoukan.rollups import selectors as rollup_selectors
from tests.conftest import Tree, built_once, user_create
from tests.ledgers.conftest import pdf

DUE = dt.date(2015, 3, 31)


@dataclass
class World:
    tree: Tree
    police: object  # 市公安局: city level, sector 公安, under 娄底市
    campaign: object
    lianyuan_leader: object  # person of 涟源市, lead leader of its items
    police_leader: object  # person of 市公安局
    police_other: object  # another person of 市公安局, never named on a claim
    city_leader: object  # person of 娄底市
    lianyuan_office: object
    police_office: object
    police_leader_login: object
    police_clerk: object  # a 市公安局 责任领导 login whose person leads nothing
    city_office: object
    louxing_office: object  # out of scope of everything here
    lianyuan_ledger: object
    police_ledger: object
    city_ledger: object
    items: list  # 涟源市's items: open, with 吴海波 leading


def _build() -> World:
    tree = Tree()
    police = org_services.unit_create(actor=None, parent=tree.city, name="市公安局", level=UnitLevel.CITY,
                                      kind=UnitKind.LAW_ENFORCEMENT, batch=Batch.FIRST, sector="公安",
                                      established_on=dt.date(2013, 6, 18))
    campaign = campaign_services.campaign_create(actor=None, owner_unit=tree.city, name="回头看",
                                                 starts_on=dt.date(2014, 12, 31), ends_on=dt.date(2015, 2, 28))
    person = org_services.person_create
    lianyuan_leader = person(actor=None, unit=tree.lianyuan, name="吴海波", position="市委常委", is_party_leader=True)
    police_leader = person(actor=None, unit=police, name="刘国强", position="局长", is_party_leader=True,
                           is_unit_head=True)
    police_other = person(actor=None, unit=police, name="陈志明", position="副局长", is_party_leader=True)
    city_leader = person(actor=None, unit=tree.city, name="李国华", position="市委副书记", is_party_leader=True)
    lianyuan_office = user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="ly_office")
    police_office = user_create(Role.CAMPAIGN_OFFICE, police, username="police_office")
    police_leader_login = user_create(Role.RESPONSIBLE_LEADER, police, person=police_leader, username="liuguoqiang")
    police_clerk = user_create(Role.RESPONSIBLE_LEADER, police, person=police_other, username="chenzhiming")
    city_office = user_create(Role.CAMPAIGN_OFFICE, tree.city, username="city_office")
    louxing_office = user_create(Role.CAMPAIGN_OFFICE, tree.louxing, username="lx_office")
    open_ledger = services.ledger_open
    lianyuan_ledger = open_ledger(actor=None, campaign=campaign, unit=tree.lianyuan, kind=LedgerKind.LEADERSHIP)
    police_ledger = open_ledger(actor=None, campaign=campaign, unit=police, kind=LedgerKind.LEADERSHIP)
    city_ledger = open_ledger(actor=None, campaign=campaign, unit=tree.city, kind=LedgerKind.LEADERSHIP)
    items = [services.item_create(actor=None, ledger=lianyuan_ledger, problem=f"群众反映窗口办证难{i}",
                                  measures="简化流程", lead_leaders=[lianyuan_leader]) for i in range(1, 5)]
    services.item_create(actor=None, ledger=police_ledger, problem="警务公开不到位", lead_leaders=[police_leader])
    return World(tree, police, campaign, lianyuan_leader, police_leader, police_other, city_leader, lianyuan_office,
                 police_office, police_leader_login, police_clerk, city_office, louxing_office, lianyuan_ledger,
                 police_ledger, city_ledger, items)


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        yield _build()


@pytest.fixture
def w(world_once, db, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    for user in (world_once.lianyuan_office, world_once.police_office, world_once.police_leader_login,
                 world_once.police_clerk, world_once.city_office, world_once.louxing_office):
        for attr in ("_huitoukan_assignments", "_huitoukan_scopes", "_huitoukan_person", "_huitoukan_kind"):
            user.__dict__.pop(attr, None)
    for item in world_once.items:
        item.refresh_from_db()
    return world_once


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def hand_up(w, item, to_unit, reason="需市公安局统一调度警力"):
    return linkage.link_hand_up(actor=w.lianyuan_office, item=item, to_unit=to_unit, reason=reason)


def claim(w, link, actor=None, leaders=None):
    return linkage.link_claim(actor=actor or w.police_office, link=link, measures="市公安局牵头统一整治", due_on=DUE,
                              lead_leaders=leaders or [w.police_leader])


def _sheet_texts(data: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


# --- the Done-when -------------------------------------------------------------------------------------------


def test_a_problem_handed_up_to_the_sector_lead_is_in_both_ledgers_once_and_counted_once(w):
    item = w.items[0]
    city_before = rollup_selectors.rollup_for(unit=w.tree.city, campaign=w.campaign).figures.total
    tallies_before = sorted(ItemTally.objects.filter(n__gt=0).values_list("unit_id", "status", "n"))

    link = hand_up(w, item, w.police)
    assert link.state == LinkState.PENDING
    # 市公安局's office is told, and may read the item while it waits
    assert Notification.objects.filter(recipient=w.police_office, key=f"item-link:{link.pk}:handed").exists()
    assert login(w.police_office).get(f"/ledgers/items/{item.pk}/").status_code == 200
    claim(w, link)

    link.refresh_from_db()
    assert link.state == LinkState.CLAIMED and linkage.kind_label(link) == "联动"
    # the police's ledger page: its own row, then the linked one in a section of its own, once
    page = login(w.police_office).get(f"/ledgers/{w.police_ledger.pk}/").content.decode()
    assert page.count(item.problem) == 1 and "联1" in page and "警务公开不到位" in page
    assert 'id="linked-items"' in page
    # 涟源市's page: its row, marked
    page = login(w.lianyuan_office).get(f"/ledgers/{w.lianyuan_ledger.pk}/").content.decode()
    assert page.count(item.problem) == 1 and "联动：市公安局" in page
    # the exports: once in each, marked
    police_cells = _sheet_texts(exports.ledger_file(user_or_none=w.police_office, ledger=w.police_ledger,
                                                    fmt="xlsx").data)
    assert "联1" in police_cells and f"【联动·涟源市】{item.problem}" in police_cells
    assert sum(item.problem in c for c in police_cells) == 1
    from docx import Document
    police_doc = Document(io.BytesIO(exports.ledger_file(user_or_none=w.police_office, ledger=w.police_ledger,
                                                         fmt="docx").data))
    doc_cells = [cell.text for table in police_doc.tables for row in table.rows for cell in row.cells]
    assert "联1" in doc_cells and f"【联动·涟源市】{item.problem}" in doc_cells
    lianyuan_cells = _sheet_texts(exports.ledger_file(user_or_none=w.lianyuan_office, ledger=w.lianyuan_ledger,
                                                      fmt="xlsx").data)
    assert sum(item.problem in c for c in lianyuan_cells) == 1
    assert f"【联动：市公安局】{item.problem}" in lianyuan_cells
    # counted once: the city's 汇总 and the kept totals are as they were
    assert rollup_selectors.rollup_for(unit=w.tree.city, campaign=w.campaign).figures.total == city_before
    assert sorted(ItemTally.objects.filter(n__gt=0).values_list("unit_id", "status", "n")) == tallies_before


def test_a_declined_problem_goes_back_with_its_reason_and_then_up_the_chain(w):
    item = w.items[1]
    link = hand_up(w, item, w.police)
    declined = linkage.link_decline(actor=w.police_office, link=link, reason="不属公安职责，应由市政府统筹")
    assert declined.state == LinkState.DECLINED
    note = Notification.objects.get(recipient=w.lianyuan_office, key=f"item-link:{link.pk}:declined")
    assert "不属公安职责，应由市政府统筹" in note.body
    page = login(w.lianyuan_office).get(f"/ledgers/items/{item.pk}/").content.decode()
    assert "不属公安职责，应由市政府统筹" in page and "已拒绝" in page
    # declined: the police no longer read the item
    assert login(w.police_clerk).get(f"/ledgers/items/{item.pk}/").status_code == 404
    # handed again, to 娄底市, and claimed by the city's office
    second = hand_up(w, item, w.tree.city, reason="需市里统筹")
    claimed = claim(w, second, actor=w.city_office, leaders=[w.city_leader])
    assert linkage.kind_label(claimed) == "上级牵头"
    page = login(w.city_office).get(f"/ledgers/{w.city_ledger.pk}/").content.decode()
    assert "上级牵头" in page and "联1" in page
    assert "上级牵头：娄底市" in login(w.lianyuan_office).get(f"/ledgers/{w.lianyuan_ledger.pk}/").content.decode()
    kinds = list(ItemEvent.objects.filter(item=item).values_list("kind", flat=True))
    assert kinds.count(ItemEventKind.LINK_HANDED_UP) == 2 and ItemEventKind.LINK_DECLINED in kinds
    assert ItemEventKind.LINK_CLAIMED in kinds


# --- who writes progress ---------------------------------------------------------------------------------------


def test_the_claims_leaders_write_progress_and_a_clerk_without_the_claim_may_not(w):
    item, other = w.items[2], w.items[3]
    # before any claim, the police know nothing of the item
    assert login(w.police_leader_login).get(f"/ledgers/items/{item.pk}/").status_code == 404
    claim(w, hand_up(w, item, w.police))
    entry = services.progress_add(actor=w.police_leader_login, item=item, progress="已统一调度警力")
    assert entry.leader == w.police_leader and not entry.by_office
    # the police office writes for its leader (代填); the item's own office keeps its rights
    assert services.progress_add(actor=w.police_office, item=item, progress="代填进展", leader=w.police_leader).by_office
    services.progress_add(actor=w.lianyuan_office, item=item, progress="配合整改", leader=w.lianyuan_leader)
    response = login(w.police_leader_login).post(f"/ledgers/items/{item.pk}/progress/", {
        "progress": "页面填报", "status_after": ItemStatus.IN_PROGRESS, "reported_on": "2015-01-10"})
    assert response.status_code == 302
    # a police login not named on the claim reads it but may not write (403); on an unlinked item: 404
    with pytest.raises(Forbidden):
        services.progress_add(actor=w.police_clerk, item=item, progress="无权填报")
    assert login(w.police_clerk).post(f"/ledgers/items/{item.pk}/progress/", {"progress": "x"}).status_code == 403
    assert login(w.police_clerk).post(f"/ledgers/items/{other.pk}/progress/", {"progress": "x"}).status_code == 404
    with pytest.raises(Denied):
        services.progress_add(actor=w.police_office, item=other, progress="未认领", leader=w.police_leader)


# --- the rules of handing up -------------------------------------------------------------------------------------


def test_only_units_above_or_a_sector_lead_above_the_level_may_receive(w):
    item = w.items[0]
    county_bureau = org_services.unit_create(actor=None, parent=w.tree.city, name="市直某县级局", level=UnitLevel.COUNTY,
                                             kind=UnitKind.ORGAN, sector="公安", established_on=dt.date(2013, 6, 18))
    receivers = linkage.receivers_for(w.tree.lianyuan)
    assert [u.name for u in receivers] == ["娄底市", "市公安局"]
    for refused in (w.tree.louxing, w.tree.qiaotouhe, w.tree.education, county_bureau, w.tree.lianyuan):
        with pytest.raises(LedgerError) as e:
            hand_up(w, item, refused)
        assert e.value.code == LinkErrorCode.RECEIVER_NOT_ALLOWED
    # a township's receivers: its county, the city, and the sector leads under either above its level
    assert {u.name for u in linkage.receivers_for(w.tree.qiaotouhe)} == {"涟源市", "娄底市", "市公安局", "市直某县级局"}
    with pytest.raises(LedgerError) as e:
        hand_up(w, item, w.police, reason="  ")
    assert e.value.code == LinkErrorCode.REASON_REQUIRED


def test_one_open_link_per_item(w):
    item = w.items[0]
    link = hand_up(w, item, w.police)
    with pytest.raises(LedgerError) as e:
        hand_up(w, item, w.tree.city)
    assert e.value.code == LinkErrorCode.ALREADY_LINKED
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemLink.objects.create(item=item, from_unit=w.tree.lianyuan, to_unit=w.tree.city, reason="绕过服务")
    # withdrawn, it may go elsewhere
    assert linkage.link_withdraw(actor=w.lianyuan_office, link=link).state == LinkState.WITHDRAWN
    assert hand_up(w, item, w.tree.city).state == LinkState.PENDING
    with pytest.raises(LedgerError) as e:  # a withdrawn link is no longer claimable
        claim(w, link)
    assert e.value.code == LinkErrorCode.WRONG_STATE


def test_who_may_claim_decline_and_withdraw(w):
    link = hand_up(w, w.items[0], w.police)
    subject = LinkSubject(link.item, link, link)
    # the handing office may not claim its own hand-up; the receiver may not withdraw it
    assert linkage.refusal_of(w.lianyuan_office, LinkAction.CLAIM, subject) is not None
    assert isinstance(linkage.refusal_of(w.police_office, LinkAction.WITHDRAW, subject), Forbidden)
    # a reader of the receiving unit without LEDGER_EDIT: 403; out of scope: 404
    assert isinstance(linkage.refusal_of(w.police_clerk, LinkAction.DECLINE, subject), Forbidden)
    assert isinstance(linkage.refusal_of(w.louxing_office, LinkAction.CLAIM, subject), Denied)
    # the office above the receiver may claim for it
    assert linkage.refusal_of(w.city_office, LinkAction.CLAIM, subject) is None
    # the claim's leaders must be people of the leading unit, and there must be one
    with pytest.raises(LedgerError) as e:
        claim(w, link, leaders=[w.lianyuan_leader])
    assert e.value.code == LinkErrorCode.LEADER_OUTSIDE
    with pytest.raises(LedgerError) as e:
        linkage.link_claim(actor=w.police_office, link=link, measures="", due_on=DUE, lead_leaders=[w.police_leader])
    assert e.value.code == LinkErrorCode.MEASURES_REQUIRED
    with pytest.raises(LedgerError) as e:
        linkage.link_decline(actor=w.police_office, link=link, reason="")
    assert e.value.code == LinkErrorCode.REASON_REQUIRED


def test_an_upper_office_claims_from_below(w):
    item = w.items[0]
    # 涟源市's own office is not above its item
    with pytest.raises(Forbidden):
        linkage.link_claim_from_below(actor=w.lianyuan_office, item=item, unit=w.tree.lianyuan, measures="x",
                                      due_on=DUE, lead_leaders=[w.lianyuan_leader])
    response = login(w.city_office).post(f"/ledgers/items/{item.pk}/claim-from-below/", {
        "unit": w.tree.city.pk, "measures": "市里主动牵头", "due_on": "2015-03-31", "lead_leaders": [w.city_leader.pk]})
    assert response.status_code == 302
    link = ItemLink.objects.get(item=item)
    assert (link.state, link.from_above, link.to_unit, link.claimed_by) == (
        LinkState.CLAIMED, True, w.tree.city, w.city_office)
    assert list(link.lead_leaders.all()) == [w.city_leader]
    assert link.history.filter(history_user=w.city_office).exists()
    assert Notification.objects.filter(recipient=w.lianyuan_office, key=f"item-link:{link.pk}:claimed").exists()


def test_a_closed_item_is_not_handed_up(w):
    item = w.items[0]
    services.progress_add(actor=w.lianyuan_office, item=item, progress="完成", leader=w.lianyuan_leader)
    request = services.closing_request(actor=user_create(Role.RESPONSIBLE_LEADER, w.tree.lianyuan,
                                                         person=w.lianyuan_leader), item=item, summary="已完成",
                                       files=[pdf()])
    services.closing_verify(actor=w.city_office, request=request)
    with pytest.raises(LedgerError) as e:
        hand_up(w, item, w.police)
    assert e.value.code == LinkErrorCode.ITEM_CLOSED


# --- pages ---------------------------------------------------------------------------------------------------------


def test_the_pages_hand_up_claim_and_decline(w):
    item = w.items[0]
    office = login(w.lianyuan_office)
    page = office.get(f"/ledgers/items/{item.pk}/").content.decode()
    assert "提请上级牵头" in page and 'data-basis="linkage.claim"' in page
    assert office.post(f"/ledgers/items/{item.pk}/hand-up/", {"to_unit": w.police.pk, "reason": "需统一调度"}
                       ).status_code == 302
    link = ItemLink.objects.get(item=item)
    police = login(w.police_office)
    assert "待本单位认领" in police.get("/ledgers/linkage/").content.decode()
    assert "认领" in police.get(f"/ledgers/items/{item.pk}/").content.decode()
    # a refusal of the service comes back as a message on the item page, nothing written
    response = police.post(f"/ledgers/links/{link.pk}/claim/", {"measures": "牵头", "due_on": "2015-03-31",
                                                                "lead_leaders": [w.lianyuan_leader.pk]}, follow=True)
    assert ItemLink.objects.get(pk=link.pk).state == LinkState.PENDING
    assert police.post(f"/ledgers/links/{link.pk}/decline/", {"reason": "不属职责"}).status_code == 302
    assert ItemLink.objects.get(pk=link.pk).state == LinkState.DECLINED
    assert "不属职责" in office.get("/ledgers/linkage/").content.decode()
    assert response.status_code == 200
    # the menu entry: for whoever holds LEDGER_EDIT somewhere, not for a reader
    assert 'href="/ledgers/linkage/"' in office.get("/").content.decode()
    assert 'href="/ledgers/linkage/"' not in login(w.police_clerk).get("/").content.decode()


def test_out_of_scope_answers_404(w):
    item = w.items[0]
    link = hand_up(w, item, w.police)
    outsider = login(w.louxing_office)
    assert outsider.get(f"/ledgers/items/{item.pk}/").status_code == 404
    for url in (f"/ledgers/links/{link.pk}/claim/", f"/ledgers/links/{link.pk}/decline/",
                f"/ledgers/links/{link.pk}/withdraw/", f"/ledgers/items/{item.pk}/hand-up/",
                f"/ledgers/items/{item.pk}/claim-from-below/", "/ledgers/links/999999/claim/"):
        assert outsider.post(url, {"reason": "x"}).status_code == 404, url
    assert ItemLink.objects.get(pk=link.pk).state == LinkState.PENDING


# --- the report ----------------------------------------------------------------------------------------------------


def test_the_report_counts_per_level_and_kind_in_a_fixed_number_of_queries(w, django_assert_num_queries):
    a, b, c, d = w.items
    claim(w, hand_up(w, a, w.police))  # 市级 联动, claimed
    linkage.link_decline(actor=w.police_office, link=hand_up(w, b, w.police), reason="不属职责")  # declined
    hand_up(w, b, w.tree.city)  # 市级 上级牵头, pending
    linkage.link_claim_from_below(actor=w.city_office, item=c, unit=w.tree.city, measures="主动", due_on=DUE,
                                  lead_leaders=[w.city_leader])  # 上级牵头, claimed, not handed
    claim(w, hand_up(w, d, w.tree.city), actor=w.city_office, leaders=[w.city_leader])
    Item.objects.filter(pk=d.pk).update(status=ItemStatus.CLOSED)  # 已完成: claimed, and the item closed
    with django_assert_num_queries(1):
        report = linkage.linkage_report(user=w.city_office)
    rows = {(r.level_label, r.kind_label): (r.handed, r.claimed, r.declined, r.done, r.pending) for r in report}
    assert rows == {("市级", "上级牵头"): (2, 2, 0, 1, 1), ("市级", "行业主管部门联动"): (2, 1, 1, 0, 0)}
    # 涟源市's office sees the same items (all are 涟源市's); 娄星区's sees none
    assert linkage.linkage_report(user=w.louxing_office) == []
    page = login(w.city_office).get("/ledgers/linkage/").content.decode()
    assert "行业主管部门联动" in page and "市级" in page


def test_a_leading_unit_without_a_ledger_of_that_kind_sees_the_item_on_its_ledger_list(w):
    special = services.ledger_open(actor=None, campaign=w.campaign, unit=w.tree.lianyuan, kind=LedgerKind.SPECIAL)
    item = services.item_create(actor=None, ledger=special, problem="整治交通违法乱象", lead_leaders=[w.lianyuan_leader])
    claim(w, hand_up(w, item, w.police))
    page = login(w.police_office).get(f"/ledgers/?campaign={w.campaign.pk}&unit={w.police.pk}").content.decode()
    assert "整治交通违法乱象" in page and 'id="linked-items"' in page
    # its 领导班子 ledger does not show an item of another kind
    assert "整治交通违法乱象" not in login(w.police_office).get(f"/ledgers/{w.police_ledger.pk}/").content.decode()


def test_the_api_hands_up_claims_and_refuses_as_the_pages_do(w):
    from rest_framework.test import APIClient

    item = w.items[0]
    office, police = APIClient(), APIClient()
    office.force_authenticate(w.lianyuan_office)
    police.force_authenticate(w.police_office)
    refused = office.post(f"/api/v1/items/{item.pk}/hand-up/", {"to_unit": w.tree.louxing.pk, "reason": "x"},
                          format="json")
    assert refused.status_code == 400
    made = office.post(f"/api/v1/items/{item.pk}/hand-up/", {"to_unit": w.police.pk, "reason": "需统一调度"},
                       format="json")
    assert made.status_code == 201 and made.json()["state"] == LinkState.PENDING
    link_id = made.json()["id"]
    assert office.post(f"/api/v1/links/{link_id}/claim/", {}, format="json").status_code == 403
    claimed = police.post(f"/api/v1/links/{link_id}/claim/", {
        "measures": "牵头整治", "due_on": "2015-03-31", "lead_leaders": [w.police_leader.pk]}, format="json")
    assert claimed.status_code == 200 and claimed.json()["kind_display"] == "联动"
    assert [row["id"] for row in police.get("/api/v1/links/").json()["results"]] == [link_id]
    outsider = APIClient()
    outsider.force_authenticate(w.louxing_office)
    assert outsider.get(f"/api/v1/links/{link_id}/").status_code == 404
