"""Rules added after the ledger review."""

import datetime as dt

import pytest
from django.http import Http404

from huitoukan.access.errors import AccessErrorCode
from huitoukan.access.models import Role
from huitoukan.access.policy import Forbidden
from huitoukan.core.errors import DomainError
from huitoukan.ledgers import selectors, services
from huitoukan.ledgers.errors import LedgerErrorCode
from huitoukan.ledgers.models import ClosingState, ItemStatus
from tests.ledgers.conftest import pdf, reported

pytestmark = pytest.mark.django_db


@pytest.fixture
def lw(lw_shared):
    # Every test here uses the ledger world: it is built once for the module (tests/ledgers/conftest.py).
    return lw_shared


def item_of(lw, **fields):
    fields.setdefault("lead_leaders", [lw.leader_person])
    return services.item_create(actor=lw.office, ledger=lw.ledger, problem="文山会海", **fields)


def test_an_administrator_cannot_be_linked_to_a_person_nor_read_items_through_one(lw, make_user):
    with pytest.raises(DomainError) as err:
        make_user(Role.SYSTEM_ADMIN, lw.tree.lianyuan, person=lw.leader_person)
    assert err.value.code == AccessErrorCode.PERSON_NOT_FOR_ROLE
    admin = make_user(Role.SYSTEM_ADMIN, lw.tree.lianyuan)
    lw.leader_person.user = admin
    lw.leader_person.save()
    with pytest.raises(Http404):
        selectors.item_get_for(user=admin, pk=item_of(lw).pk)


def test_sending_back_voids_a_pending_closing(lw):
    item = reported(lw, item_of(lw))
    request = services.closing_request(actor=lw.leader, item=item, summary="已完成", files=[pdf()])
    services.item_send_back(actor=lw.head, item=item, reason="效果不理想")
    request.refresh_from_db()
    assert request.state == ClosingState.RETURNED
    with pytest.raises(DomainError):
        services.closing_verify(actor=lw.office, request=request)


def test_the_same_person_cannot_verify_from_another_login(lw, make_user):
    item = reported(lw, item_of(lw))
    request = services.closing_request(actor=lw.leader, item=item, summary="已完成", files=[pdf()])
    second_login = make_user(Role.UNIT_HEAD, lw.tree.lianyuan, person=lw.leader_person)
    with pytest.raises(Forbidden) as err:
        services.closing_verify(actor=second_login, request=request)
    assert err.value.code == LedgerErrorCode.SELF_VERIFY
    count = selectors.pending_closings_count_for(user=second_login)
    assert request.pk not in [c.pk for c in selectors.pending_closings_oldest(user=second_login, count=count, limit=50)]


def test_closing_needs_progress_and_after_a_relapse_new_evidence(lw):
    item = item_of(lw)
    with pytest.raises(DomainError) as err:
        services.closing_request(actor=lw.leader, item=item, summary="已完成", files=[pdf()])
    assert err.value.code == LedgerErrorCode.CLOSING_WITHOUT_PROGRESS
    reported(lw, item)
    request = services.closing_request(actor=lw.leader, item=item, summary="已完成", files=[pdf()])
    services.closing_verify(actor=lw.head, request=request)
    services.item_relapse(actor=lw.office, item=item, reason="问题回潮")
    with pytest.raises(DomainError) as err:
        services.closing_request(actor=lw.leader, item=item, summary="又完成了")
    assert err.value.code == LedgerErrorCode.EVIDENCE_REQUIRED
    services.closing_request(actor=lw.leader, item=item, summary="又完成了", files=[pdf("新.pdf", b"%PDF-1.4 new")])


def test_a_report_cannot_be_dated_in_the_future(lw):
    with pytest.raises(DomainError) as err:
        services.progress_add(actor=lw.leader, item=item_of(lw), progress="x", reported_on=dt.date(2999, 1, 1))
    assert err.value.code == LedgerErrorCode.REPORTED_IN_FUTURE


def test_a_closed_item_is_not_edited(lw):
    item = reported(lw, item_of(lw))
    services.closing_verify(actor=lw.head, request=services.closing_request(
        actor=lw.leader, item=item, summary="已完成", files=[pdf()]))
    with pytest.raises(DomainError) as err:
        services.item_update(actor=lw.office, item=item, problem="改写历史")
    assert err.value.code == LedgerErrorCode.CLOSED_NOT_EDITABLE
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED and item.problem == "文山会海"


def test_the_office_asking_to_close_is_told_only_leaders_may(lw):
    item = reported(lw, item_of(lw))
    with pytest.raises(Forbidden) as err:
        services.closing_request(actor=lw.office, item=item, summary="代为申请", files=[pdf()])
    assert err.value.code == LedgerErrorCode.NOT_A_LEAD_LEADER_TO_CLOSE


def test_word_export_survives_control_characters(lw):
    from docx import Document

    from huitoukan.ledgers.word import ledger_document

    item_of(lw, measures="第一行\x0b第二行\x07")
    import io

    text = "\n".join(c.text for row in Document(io.BytesIO(ledger_document(ledger=lw.ledger))).tables[0].rows
                     for c in row.cells)
    assert "第一行\n第二行" in text


def test_api_filter_with_a_bad_campaign_id_is_a_404(lw):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(lw.office)
    assert client.get("/api/v1/ledgers/?campaign=abc").status_code == 404


def test_a_sheet_headed_with_another_unit_is_refused(lw):
    import io

    from openpyxl import Workbook

    from huitoukan.ledgers.imports import ledger_import
    from huitoukan.ledgers.models import Item

    wb = Workbook()
    ws = wb.active
    ws.append(["附件1："])
    ws.append(["领导班子整改落实工作台帐"])
    ws.append(["单位：娄星区", None, None, None, None, None, "填报时间：2015年1月6日"])
    ws.append(["序号", "突出问题", "具体整改措施", "整改时限", "牵头领导", "责任单位", "整改落实情况", "后段工作措施"])
    ws.append([1, "文山会海", "压缩会议", "2015年3月31日", "吴海波", "涟源市", "", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = ledger_import(actor=lw.office, data=buffer.getvalue(), filename="台账.xlsx", campaign=lw.campaign,
                           unit=lw.tree.lianyuan, kind=None, dry_run=False)
    assert any("娄星区" in str(e) and "不一致" in str(e) for e in result.errors)
    assert not Item.objects.exists()


def test_export_of_shared_names_reimports_as_a_no_op(lw):
    from huitoukan.ledgers.exports import ledger_workbook
    from huitoukan.ledgers.imports import ledger_import
    from huitoukan.ledgers.models import Item
    from huitoukan.orgs import services as org_services
    from huitoukan.orgs.models import UnitKind, UnitLevel

    # two 新村 (one under 桥头河镇, one under 涟源市 itself) and two 吴海波
    village = org_services.unit_create(actor=None, parent=lw.tree.qiaotouhe, name="新村", level=UnitLevel.VILLAGE,
                                       kind=UnitKind.GRASSROOTS)
    org_services.unit_create(actor=None, parent=lw.tree.lianyuan, name="新村", level=UnitLevel.TOWNSHIP,
                             kind=UnitKind.GRASSROOTS)
    namesake = org_services.person_create(actor=None, unit=lw.tree.qiaotouhe, name="吴海波", position="镇长")
    item = services.item_create(actor=lw.office, ledger=lw.ledger, problem="文山会海",
                                lead_leaders=[namesake], responsible_units=[village])
    services.progress_add(actor=lw.office, item=item, progress="已整改", leader=namesake, reported_on=dt.date(2015, 1, 6))
    before = Item.history.count()
    data = ledger_workbook(ledgers=[lw.ledger])
    result = ledger_import(actor=lw.office, data=data, filename="台账.xlsx", campaign=lw.campaign,
                           unit=lw.tree.lianyuan, kind=None, dry_run=False)
    assert not result.errors, result.errors
    assert Item.history.count() == before


def test_a_co_lead_leader_holding_the_head_role_cannot_verify(lw, make_user):
    item = reported(lw, item_of(lw, lead_leaders=[lw.leader_person, lw.other_leader]))
    request = services.closing_request(actor=lw.leader, item=item, summary="已完成", files=[pdf()])
    co_leader_as_head = make_user(Role.UNIT_HEAD, lw.tree.lianyuan, person=lw.other_leader)
    with pytest.raises(Forbidden) as err:
        services.closing_verify(actor=co_leader_as_head, request=request)
    assert err.value.code == LedgerErrorCode.SELF_VERIFY


def test_the_requester_cannot_verify_from_another_login_after_leaving_the_item(lw, make_user):
    item = reported(lw, item_of(lw, lead_leaders=[lw.leader_person, lw.other_leader]))
    request = services.closing_request(actor=lw.leader, item=item, summary="已完成", files=[pdf()])
    services.item_update(actor=lw.office, item=item, lead_leaders=[lw.other_leader])
    requester_as_head = make_user(Role.UNIT_HEAD, lw.tree.lianyuan, person=lw.leader_person)
    with pytest.raises(Forbidden) as err:
        services.closing_verify(actor=requester_as_head, request=request)
    assert err.value.code == LedgerErrorCode.SELF_VERIFY
    services.closing_verify(actor=lw.head, request=request)  # someone else may
