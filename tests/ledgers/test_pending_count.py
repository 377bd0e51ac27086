"""The 待办's count of closing requests waiting for a user's 核验 comes from the kept counts (ClosingTally)
less what the user may not decide; it, and the list of the oldest, must equal what the policy and the
workflow's rule (rules.may_decide_closing) say of every pending request, whoever asks."""

import pytest
from django.contrib.auth import get_user_model

from huitoukan.access import policy
from huitoukan.access.models import Role, RoleAssignment
from huitoukan.access.policy import Perm
from huitoukan.ledgers import rules, selectors, services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import ClosingRequest, ClosingState, ItemStatus
from huitoukan.orgs import services as org_services
from tests.ledgers.conftest import pdf

pytestmark = pytest.mark.django_db


def expected(reader) -> list[int]:
    """The oracle: every pending request, oldest first, that the reader may verify in scope and decide."""
    pending = (ClosingRequest.objects.filter(state=ClosingState.PENDING).order_by("requested_at", "id")
               .select_related("item__ledger__unit", "requested_by"))
    return [r.pk for r in pending
            if policy.can(reader, Perm.CLOSE_VERIFY, r.item.ledger.unit) and rules.may_decide_closing(
                reader, requested_by=r.requested_by, leader_ids={p.pk for p in r.item.lead_leaders.all()})]


def oldest(reader, limit=100) -> list[int]:
    count = selectors.pending_closings_count_for(user=reader)
    return [c.pk for c in selectors.pending_closings_oldest(user=reader, count=count, limit=limit)]


def _waiting(lw, *, leader_person, leader_login, problem, ledger=None):
    ledger = ledger or lw.ledger
    item = services.item_create(actor=None, ledger=ledger, problem=problem, lead_leaders=[leader_person],
                                responsible_units=[ledger.unit])
    services.progress_add(actor=None, item=item, progress="已完成", status_after=ItemStatus.BASICALLY_DONE,
                          leader=leader_person)
    return services.closing_request(actor=leader_login, item=item, summary="申请销号", files=[pdf()])


def test_the_count_equals_the_list_for_every_reader(lw, make_user):
    city_office = make_user(Role.CAMPAIGN_OFFICE, lw.tree.city)
    louxing_office = make_user(Role.CAMPAIGN_OFFICE, lw.tree.louxing)
    readers = [lw.office, lw.head, lw.leader, lw.other, lw.filler, city_office, louxing_office]
    first = _waiting(lw, leader_person=lw.leader_person, leader_login=lw.leader, problem="会风不实")
    _waiting(lw, leader_person=lw.head_person, leader_login=lw.head, problem="文风不正")
    _waiting(lw, leader_person=lw.other_leader, leader_login=lw.other, problem="车辆超标")
    for reader in readers:
        assert selectors.pending_closings_count_for(user=reader) == len(expected(reader)), reader.username
        assert oldest(reader) == expected(reader), reader.username
    assert selectors.pending_closings_count_for(user=city_office) == 3
    assert selectors.pending_closings_count_for(user=louxing_office) == 0
    # A decided request leaves the count.
    services.closing_verify(actor=city_office, request=first)
    assert selectors.pending_closings_count_for(user=city_office) == 2
    for reader in readers:
        assert selectors.pending_closings_count_for(user=reader) == len(expected(reader)), reader.username
        assert oldest(reader) == expected(reader), reader.username


def test_own_requests_and_led_items_are_left_out_each_on_its_own(lw):
    """A verifier who also leads items: their own request on an item they no longer lead, and another's
    request on an item they lead, are both out of their count, as out of their list."""
    RoleAssignment.objects.create(user=lw.leader, role=Role.CAMPAIGN_OFFICE, unit=lw.tree.lianyuan)
    own = _waiting(lw, leader_person=lw.leader_person, leader_login=lw.leader, problem="本人申请")
    services.item_update(actor=lw.office, item=own.item, lead_leaders=[lw.other_leader])
    led = services.item_create(actor=lw.office, ledger=lw.ledger, problem="本人牵头",
                               lead_leaders=[lw.leader_person, lw.other_leader], responsible_units=[lw.tree.lianyuan])
    services.progress_add(actor=lw.office, item=led, progress="已完成", status_after=ItemStatus.BASICALLY_DONE,
                          leader=lw.other_leader)
    services.closing_request(actor=lw.other, item=led, summary="申请销号", files=[pdf()])
    _waiting(lw, leader_person=lw.head_person, leader_login=lw.head, problem="他人事项")
    reader = get_user_model().objects.get(pk=lw.leader.pk)  # the grant above, read afresh
    count = selectors.pending_closings_count_for(user=reader)
    assert [c.problem for c in selectors.pending_closings_oldest(user=reader, count=count, limit=8)] == ["他人事项"]
    assert count == 1 and oldest(reader) == expected(reader)


def test_a_request_of_the_same_person_under_another_login_is_left_out(lw, make_user):
    """The workflow refuses a request's own person under any login (rules.is_same_person): so do the count
    and the list, even where that person no longer leads the item."""
    request = _waiting(lw, leader_person=lw.leader_person, leader_login=lw.leader, problem="本人申请")
    services.item_update(actor=lw.office, item=request.item, lead_leaders=[lw.other_leader])
    second_login = make_user(Role.CAMPAIGN_OFFICE, lw.tree.lianyuan, username="second")
    RoleAssignment.objects.create(user=second_login, role=Role.UNIT_HEAD, unit=lw.tree.lianyuan,
                                  person=lw.leader_person)
    reader = get_user_model().objects.get(pk=second_login.pk)
    assert expected(reader) == [] and oldest(reader) == []
    assert selectors.pending_closings_count_for(user=reader) == 0
    assert oldest(lw.office) == expected(lw.office) == [request.pk]


def test_the_home_page_shows_the_count_and_the_oldest_requests(lw, make_user, client):
    city_office = make_user(Role.CAMPAIGN_OFFICE, lw.tree.city)
    for n in range(3):
        _waiting(lw, leader_person=lw.leader_person, leader_login=lw.leader, problem=f"问题{n}")
    client.force_login(city_office)
    home = client.get("/").content.decode()
    assert "待核验的销号申请" in home and '<span class="badge bg-yellow-lt">3</span>' in home
    assert home.index("问题0") < home.index("问题1") < home.index("问题2")


@pytest.mark.parametrize("share", [1, 10_000])
def test_the_oldest_are_the_same_whichever_way_they_are_found(lw, make_user, monkeypatch, share):
    """A narrow scope finds its waiting requests from its items, a wide one walks them by age: the same list.
    With share 1, 涟源市 (3 of the 4 waiting) finds them from its items; the city, and both with 10,000, by age."""
    monkeypatch.setattr(selectors, "NARROW_SCOPE_SHARE", share)
    city_office = make_user(Role.CAMPAIGN_OFFICE, lw.tree.city)
    mine = [_waiting(lw, leader_person=lw.leader_person, leader_login=lw.leader, problem=f"问题{n}") for n in range(3)]
    louxing_leader = org_services.person_create(actor=None, unit=lw.tree.louxing, name="娄星区领导",
                                                is_party_leader=True)
    louxing_login = make_user(Role.RESPONSIBLE_LEADER, lw.tree.louxing, person=louxing_leader, username="louxing")
    louxing_ledger = services.ledger_open(actor=city_office, campaign=lw.campaign, unit=lw.tree.louxing,
                                          kind=LedgerKind.LEADERSHIP)
    elsewhere = _waiting(lw, leader_person=louxing_leader, leader_login=louxing_login, problem="娄星区的问题",
                         ledger=louxing_ledger)
    for reader, waiting in ((lw.office, mine), (city_office, [*mine, elsewhere])):
        assert oldest(reader) == expected(reader) == [r.pk for r in waiting]
