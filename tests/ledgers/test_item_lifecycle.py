"""Items through 未启动 → 整改中 → 基本完成 → 已完成(销号), with 回炉 and 反弹; progress is history."""

import datetime as dt

import pytest
from django.http import Http404

from huitoukan.access.models import Role
from huitoukan.access.policy import Forbidden
from huitoukan.core.errors import DomainError
from huitoukan.ledgers import selectors, services
from huitoukan.ledgers.errors import LedgerErrorCode
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import (
    ClosingState,
    DeadlineMode,
    FourWinds,
    ItemEventKind,
    ItemStatus,
    ProgressEntry,
)
from tests.ledgers.conftest import pdf, reported

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def lw(lw_shared):
    # Every test here uses the ledger world: it is built once for the module (tests/ledgers/conftest.py).
    return lw_shared


def make_item(lw, **overrides):
    params = dict(
        actor=lw.office, ledger=lw.ledger, problem="文山会海问题突出", measures="精简会议文件，压缩发文数量30%",
        four_winds=FourWinds.FORMALISM, deadline_mode=DeadlineMode.DATE, due_on=D(2015, 3, 31),
        lead_leaders=[lw.leader_person, lw.other_leader], responsible_units=[lw.tree.qiaotouhe],
    )
    params.update(overrides)
    return services.item_create(**params)


def test_an_item_gets_the_next_number_and_starts_not_started(lw):
    first, second = make_item(lw), make_item(lw, problem="调查研究不深入")
    assert (first.seq, second.seq) == (1, 2)
    assert first.status == ItemStatus.NOT_STARTED
    assert first.events.get().kind == ItemEventKind.CREATED
    assert first.history.first().history_user == lw.office


def test_a_lead_leader_writes_progress_and_the_ledger_shows_the_latest(lw):
    item = make_item(lw)
    services.progress_add(actor=lw.leader, item=item, progress="已压缩会议12个", next_steps="继续压缩",
                          reported_on=D(2015, 1, 10))
    services.progress_add(actor=lw.other, item=item, progress="发文数量下降35%", next_steps="建立长效机制",
                          reported_on=D(2015, 1, 20), status_after=ItemStatus.BASICALLY_DONE)
    item.refresh_from_db()
    assert item.status == ItemStatus.BASICALLY_DONE
    assert ProgressEntry.objects.filter(item=item).count() == 2  # nothing overwritten
    row = selectors.items_of_ledger(ledger=lw.ledger).get()
    assert selectors.latest_progress(row).progress == "发文数量下降35%"
    assert selectors.latest_progress(row).leader == lw.other_leader


def test_only_lead_leaders_write_progress(lw, make_user):
    item = make_item(lw, lead_leaders=[lw.leader_person])
    with pytest.raises(Forbidden) as err:  # in scope, no right: 403 with the rule's message
        services.progress_add(actor=lw.other, item=item, progress="代别人写")
    assert err.value.code == LedgerErrorCode.NOT_A_LEAD_LEADER
    outsider = make_user(Role.UNIT_FILLER, lw.tree.louxing)
    with pytest.raises(Http404):
        services.progress_add(actor=outsider, item=item, progress="越权")


def test_the_office_writes_on_a_leaders_behalf_marked_so(lw):
    item = make_item(lw)
    entry = services.progress_add(actor=lw.office, item=item, progress="代填进展", leader=lw.leader_person)
    assert entry.by_office and entry.leader == lw.leader_person and entry.author == lw.office
    with pytest.raises(DomainError) as err:
        services.progress_add(actor=lw.office, item=item, progress="代填", leader=lw.head_person)
    assert err.value.code == LedgerErrorCode.LEADER_NOT_OF_ITEM


def test_closing_needs_evidence_and_a_second_person(lw):
    item = make_item(lw)
    with pytest.raises(DomainError) as err:
        services.closing_request(actor=lw.leader, item=reported(lw, item), summary="已完成")
    assert err.value.code == LedgerErrorCode.EVIDENCE_REQUIRED
    request = services.closing_request(actor=lw.leader, item=reported(lw, item), summary="已完成", files=[pdf()])
    assert request.evidence.count() == 1
    with pytest.raises(DomainError) as err:
        services.closing_request(actor=lw.other, item=reported(lw, item), summary="再申请", files=[pdf()])
    assert err.value.code == LedgerErrorCode.CLOSING_PENDING
    # a responsible leader has no verifying role; the requester may not verify their own request
    with pytest.raises(Forbidden):
        services.closing_verify(actor=lw.other, request=request)
    services.closing_verify(actor=lw.head, request=request, note="经核实已整改到位")
    item.refresh_from_db()
    request.refresh_from_db()
    assert item.status == ItemStatus.CLOSED and item.closed_on is not None
    assert request.state == ClosingState.VERIFIED and request.decided_by == lw.head


def test_the_requester_cannot_verify_their_own_closing(lw, make_user):
    item = make_item(lw)
    both = make_user(Role.UNIT_HEAD, lw.tree.lianyuan, person=lw.leader_person, username="both")
    request = services.closing_request(actor=both, item=reported(lw, item), summary="已完成", files=[pdf()])
    with pytest.raises(Forbidden) as err:
        services.closing_verify(actor=both, request=request)
    assert err.value.code == LedgerErrorCode.SELF_VERIFY


def test_a_returned_closing_keeps_the_item_open_with_the_reason(lw):
    item = make_item(lw)
    request = services.closing_request(actor=lw.leader, item=reported(lw, item), summary="已完成", files=[pdf()])
    with pytest.raises(DomainError):
        services.closing_return(actor=lw.office, request=request, reason=" ")
    services.closing_return(actor=lw.office, request=request, reason="佐证材料不足")
    item.refresh_from_db()
    assert item.status != ItemStatus.CLOSED
    assert item.events.filter(kind=ItemEventKind.CLOSE_RETURNED, note="佐证材料不足").exists()


def test_a_closed_item_takes_no_progress_and_reopens_only_as_relapsed_with_a_reason(lw):
    item = make_item(lw)
    request = services.closing_request(actor=lw.leader, item=reported(lw, item), summary="已完成", files=[pdf()])
    services.closing_verify(actor=lw.office, request=request)
    with pytest.raises(DomainError) as err:
        services.progress_add(actor=lw.leader, item=item, progress="继续")
    assert err.value.code == LedgerErrorCode.ITEM_CLOSED
    with pytest.raises(DomainError):
        services.item_relapse(actor=lw.office, item=item, reason="")
    services.item_relapse(actor=lw.office, item=item, reason="群众反映问题回潮")
    item.refresh_from_db()
    assert item.status == ItemStatus.RELAPSED and item.closed_on is None
    services.progress_add(actor=lw.leader, item=item, progress="再次整改")


def test_relapse_is_only_for_closed_items(lw):
    with pytest.raises(DomainError) as err:
        services.item_relapse(actor=lw.office, item=make_item(lw), reason="x")
    assert err.value.code == LedgerErrorCode.RELAPSE_ONLY_CLOSED


def test_send_back_sets_a_new_deadline(lw):
    item = reported(lw, make_item(lw))
    services.item_send_back(actor=lw.head, item=item, reason="整改效果不理想", due_on=D(2015, 4, 30))
    item.refresh_from_db()
    assert item.status == ItemStatus.SENT_BACK and item.due_on == D(2015, 4, 30)


def test_overdue_is_an_open_dated_item_past_its_deadline(lw):
    late = make_item(lw, due_on=D(2015, 1, 31))
    make_item(lw, due_on=D(2015, 3, 31))
    make_item(lw, deadline_mode=DeadlineMode.LONG_TERM, due_on=None)
    closed = make_item(lw, due_on=D(2015, 1, 15))
    request = services.closing_request(actor=lw.leader, item=reported(lw, closed), summary="完成", files=[pdf()])
    services.closing_verify(actor=lw.office, request=request)
    overdue = lw.ledger.items.filter(selectors.overdue_q(D(2015, 2, 10)))
    assert list(overdue) == [late]


def test_deadline_mode_and_date_go_together(lw):
    with pytest.raises(DomainError) as err:
        make_item(lw, deadline_mode=DeadlineMode.DATE, due_on=None)
    assert err.value.code == LedgerErrorCode.DEADLINE_DATE_REQUIRED
    with pytest.raises(DomainError):
        make_item(lw, deadline_mode=DeadlineMode.IMMEDIATE, due_on=D(2015, 1, 1))
    assert make_item(lw, deadline_mode=DeadlineMode.IMMEDIATE, due_on=None).deadline_mode == DeadlineMode.IMMEDIATE


def test_lead_leaders_and_responsible_units_come_from_the_ledgers_unit(lw):
    from huitoukan.orgs import services as org_services

    stranger = org_services.person_create(actor=None, unit=lw.tree.louxing, name="贺军")
    with pytest.raises(DomainError) as err:
        make_item(lw, lead_leaders=[stranger])
    assert err.value.code == LedgerErrorCode.PERSON_OUTSIDE_UNIT
    with pytest.raises(DomainError) as err:
        make_item(lw, responsible_units=[lw.tree.leping])
    assert err.value.code == LedgerErrorCode.UNIT_OUTSIDE_SCOPE


def test_a_personal_ledger_belongs_to_its_leader(lw):
    ledger = services.ledger_open(actor=lw.office, campaign=lw.campaign, unit=lw.tree.lianyuan,
                                  kind=LedgerKind.PERSONAL, person=lw.leader_person)
    item = services.item_create(actor=lw.office, ledger=ledger, problem="深入基层调研不够")
    assert list(item.lead_leaders.all()) == [lw.leader_person]
    assert services.ledger_open(actor=lw.office, campaign=lw.campaign, unit=lw.tree.lianyuan,
                                kind=LedgerKind.PERSONAL, person=lw.leader_person) == ledger


def test_my_items_are_those_i_lead_across_units(lw):
    mine = make_item(lw, lead_leaders=[lw.leader_person])
    make_item(lw, lead_leaders=[lw.other_leader])
    assert list(selectors.items_led_by(user=lw.leader)) == [mine]


def test_out_of_scope_users_cannot_touch_items(lw, make_user):
    item = make_item(lw)
    neighbour = make_user(Role.CAMPAIGN_OFFICE, lw.tree.louxing)
    with pytest.raises(Http404):
        services.item_update(actor=neighbour, item=item, problem="改")
    with pytest.raises(Http404):
        selectors.item_get_for(user=neighbour, pk=item.pk)
    with pytest.raises(Http404):
        services.item_send_back(actor=neighbour, item=item, reason="x")


def test_item_update_keeps_history_with_before_and_after(lw):
    item = make_item(lw)
    services.item_update(actor=lw.filler, item=item, measures="精简会议文件，压缩发文数量40%")
    latest, previous = list(item.history.all()[:2])
    assert latest.history_user == lw.filler
    assert [(c.field, c.old, c.new) for c in latest.diff_against(previous).changes if c.field == "measures"] == [
        ("measures", "精简会议文件，压缩发文数量30%", "精简会议文件，压缩发文数量40%")]


def test_counts_under_a_unit_include_its_subtree_and_overdue(lw):
    make_item(lw, due_on=D(2015, 1, 31))
    make_item(lw, due_on=D(2999, 1, 31))
    counts = selectors.item_counts_under(unit=lw.tree.city, today=D(2015, 2, 10))
    assert counts.total == 2 and counts.overdue == 1
    assert selectors.item_counts_under(unit=lw.tree.louxing).total == 0


def test_the_unit_page_shows_overdue_counts_to_business_readers_only(lw, make_user, client):
    make_item(lw, due_on=D(2015, 1, 31))
    client.force_login(lw.office)
    assert "逾期" in client.get(f"/units/{lw.tree.lianyuan.pk}/").content.decode()
    client.force_login(make_user(Role.SYSTEM_ADMIN, lw.tree.city))
    assert "整改事项" not in client.get(f"/units/{lw.tree.lianyuan.pk}/").content.decode()


def test_bulk_creation_keeps_the_rules_and_the_history_of_item_create(lw, django_assert_max_num_queries):
    rows = [
        services.NewItem(seq=i, problem=f"问题{i}", fields={"deadline_mode": DeadlineMode.DATE, "due_on": D(2015, 3, 31)},
                         lead_leaders=[lw.leader_person, lw.other_leader], responsible_units=[lw.tree.qiaotouhe],
                         progress={"progress": f"进展{i}", "next_steps": "继续"}, reported_on=D(2015, 1, 6))
        for i in range(1, 41)
    ]
    # 34: three of them seal the items' chains (ledgers.chain: the created links, the heads, the progress links)
    with django_assert_max_num_queries(34):
        items = services.items_create_bulk(actor=lw.office, ledger=lw.ledger, rows=rows)
    assert [i.seq for i in items] == list(range(1, 41))
    item = items[0]
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS
    assert set(item.lead_leaders.all()) == {lw.leader_person, lw.other_leader}
    # the history says what happened: listed (未启动) with its leaders, then moved by its first report
    created, reported_ = item.history.order_by("history_id")
    assert (created.history_type, created.status, created.history_user) == ("+", ItemStatus.NOT_STARTED, lw.office)
    assert {row.person for row in created.lead_leaders.all()} == {lw.leader_person, lw.other_leader}
    assert (reported_.history_type, reported_.status, reported_.history_change_reason) == (
        "~", ItemStatus.IN_PROGRESS, "填报进展")
    assert selectors.latest_progress(item).progress == "进展1"
    assert list(item.events.values_list("kind", flat=True)) == [ItemEventKind.CREATED, ItemEventKind.PROGRESS]


def test_bulk_creation_names_the_refused_row_and_writes_nothing(lw):
    from huitoukan.ledgers.models import Item
    from huitoukan.orgs import services as org_services

    stranger = org_services.person_create(actor=None, unit=lw.tree.louxing, name="贺军")
    rows = [services.NewItem(seq=1, problem="好的", fields={}, lead_leaders=[lw.leader_person], responsible_units=[]),
            services.NewItem(seq=2, problem="坏的", fields={}, lead_leaders=[stranger], responsible_units=[])]
    with pytest.raises(DomainError) as err:
        services.items_create_bulk(actor=lw.office, ledger=lw.ledger, rows=rows)
    assert err.value.row_index == 1
    assert not Item.objects.exists()


def test_bulk_progress_follows_progress_adds_rules(lw, django_assert_max_num_queries):
    items = [make_item(lw, problem=f"问题{i}") for i in range(20)]
    entries = [services.NewProgress(item=i, progress="已整改", leader=lw.leader_person, reported_on=D(2015, 1, 6))
               for i in items]
    with django_assert_max_num_queries(15):
        services.progress_add_bulk(actor=lw.office, entries=entries)
    first = items[0]
    first.refresh_from_db()
    assert first.status == ItemStatus.IN_PROGRESS
    assert first.history.first().history_change_reason == "填报进展"
    assert selectors.latest_progress(first).by_office
    closed = reported(lw, make_item(lw))
    services.closing_verify(actor=lw.head, request=services.closing_request(
        actor=lw.leader, item=closed, summary="完成", files=[pdf()]))
    with pytest.raises(DomainError) as err:
        services.progress_add_bulk(actor=lw.office, entries=[
            services.NewProgress(item=items[1], progress="再报", leader=lw.leader_person),
            services.NewProgress(item=closed, progress="再报", leader=lw.leader_person)])
    assert err.value.code == LedgerErrorCode.ITEM_CLOSED and err.value.row_index == 1
