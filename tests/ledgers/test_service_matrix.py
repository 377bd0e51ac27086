"""Each permissioned ledger service: allowed, wrong role in scope (403), out of scope (404), and what it records.

These run below the pages and the API, so a service whose own check is weakened fails here even
though the page or the API would still refuse first.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.http import Http404

from huitoukan.access.models import Role
from huitoukan.access.policy import Forbidden
from huitoukan.ledgers import services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import ClosingState, Item, ItemEvent, ItemEventKind, ItemStatus
from tests.ledgers.conftest import pdf, reported

pytestmark = pytest.mark.django_db


@pytest.fixture
def lw(lw_shared):
    # Every test here uses the ledger world: it is built once for the module (tests/ledgers/conftest.py).
    return lw_shared


def _item(lw, *, report=True):
    item = services.item_create(actor=lw.office, ledger=lw.ledger, problem="文山会海", measures="精简会议",
                                lead_leaders=[lw.leader_person])
    return reported(lw, item) if report else item


def _closed(lw):
    item = _item(lw)
    request = services.closing_request(actor=lw.leader, item=item, summary="已完成", files=[pdf()])
    services.closing_verify(actor=lw.head, request=request)
    return item


def _pending(lw):
    return services.closing_request(actor=lw.leader, item=_item(lw), summary="已完成", files=[pdf()])


@dataclass
class Case:
    allowed: str  # an attribute of the LedgerWorld
    refused: str  # a reader of 涟源市 without the right
    given: Callable  # lw -> the object acted on
    act: Callable  # (lw, actor, obj) -> None
    event: str | None  # the ItemEvent kind the allowed call writes


CASES = {
    "item_create": Case("filler", "leader", lambda lw: lw.ledger,
                        lambda lw, a, ledger: services.item_create(actor=a, ledger=ledger, problem="新问题"),
                        ItemEventKind.CREATED),
    "item_update": Case("office", "head", _item,
                        lambda lw, a, item: services.item_update(actor=a, item=item, measures="改"),
                        ItemEventKind.UPDATED),
    "progress_add": Case("leader", "other", _item,
                         lambda lw, a, item: services.progress_add(actor=a, item=item, progress="又压缩3个"),
                         ItemEventKind.PROGRESS),
    "progress_plan": Case("leader", "other", lambda lw: _item(lw, report=False),
                          lambda lw, a, item: services.progress_add(actor=a, item=item, progress="",
                                                                    next_steps="下月起推行视频会议"),
                          ItemEventKind.PROGRESS),
    "evidence_add": Case("leader", "other", _item,
                         lambda lw, a, item: services.evidence_add(actor=a, item=item, files=[pdf("补充.pdf", b"%PDF-1.4 x")]),
                         None),
    "closing_request": Case("leader", "office", _item,
                            lambda lw, a, item: services.closing_request(actor=a, item=item, summary="已完成",
                                                                        files=[pdf()]),
                            ItemEventKind.CLOSE_REQUESTED),
    "closing_verify": Case("head", "filler", lambda lw: _pending(lw),
                           lambda lw, a, request: services.closing_verify(actor=a, request=request),
                           ItemEventKind.CLOSED),
    "closing_return": Case("office", "other", lambda lw: _pending(lw),
                           lambda lw, a, request: services.closing_return(actor=a, request=request, reason="佐证不足"),
                           ItemEventKind.CLOSE_RETURNED),
    "item_send_back": Case("head", "filler", _item,
                           lambda lw, a, item: services.item_send_back(actor=a, item=item, reason="不彻底"),
                           ItemEventKind.SENT_BACK),
    "item_relapse": Case("office", "filler", _closed,
                         lambda lw, a, item: services.item_relapse(actor=a, item=item, reason="回潮"),
                         ItemEventKind.RELAPSED),
    "ledger_open": Case("filler", "head", lambda lw: lw.campaign,
                        lambda lw, a, campaign: services.ledger_open(actor=a, campaign=campaign, unit=lw.tree.lianyuan,
                                                                     kind=LedgerKind.SPECIAL),
                        None),
}


def _item_of(obj):
    return getattr(obj, "item", obj) if not isinstance(obj, Item) else obj


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_allowed_role_acts_and_it_is_recorded(lw, name):
    case = CASES[name]
    obj = case.given(lw)
    events_before = ItemEvent.objects.count()
    case.act(lw, getattr(lw, case.allowed), obj)
    if case.event is not None:
        event = ItemEvent.objects.order_by("-id").first()
        assert ItemEvent.objects.count() > events_before
        assert (event.kind, event.actor) == (case.event, getattr(lw, case.allowed))
        if name != "item_create":
            assert _item_of(obj).history.count() >= 1


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_reader_without_the_right_is_refused_with_403_and_nothing_changes(lw, name):
    case = CASES[name]
    obj = case.given(lw)
    state = (Item.objects.count(), ItemEvent.objects.count(), sorted(Item.objects.values_list("status", flat=True)))
    with pytest.raises(Forbidden):
        case.act(lw, getattr(lw, case.refused), obj)
    assert state == (Item.objects.count(), ItemEvent.objects.count(),
                     sorted(Item.objects.values_list("status", flat=True)))


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("role", [Role.CAMPAIGN_OFFICE, Role.UNIT_HEAD, Role.SYSTEM_ADMIN])
def test_out_of_scope_is_refused_like_an_absent_object(lw, make_user, name, role):
    case = CASES[name]
    obj = case.given(lw)
    stranger = make_user(role, lw.tree.louxing if role != Role.SYSTEM_ADMIN else lw.tree.lianyuan)
    with pytest.raises(Http404):
        case.act(lw, stranger, obj)


def test_a_refused_relapse_leaves_the_item_closed(lw):
    item = _closed(lw)
    with pytest.raises(Forbidden):
        services.item_relapse(actor=lw.filler, item=item, reason="回潮")
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED and item.closing_requests.get().state == ClosingState.VERIFIED
