"""The demo's 上下联动 (ledgers.linkage_demo), run on the loaded demo as the lead's loader calls it: 涟源市's item
handed up to 市公安局 and claimed with its leader 谭志刚, who writes its progress with his own login; one item
待认领 at 娄底市; one declined by 市公安局 with its reason, which reached 涟源市's office; a second run adds nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from huitoukan.campaigns.models import Campaign
from huitoukan.ledgers.linkage_demo import (
    DECLINE_REASON,
    ID_PROBLEM,
    LEADER_NAME,
    RULES_PROBLEM,
    SERVICE_PROBLEM,
    demo_linkage,
)
from huitoukan.ledgers.models import Item, ItemLink, LinkState, ProgressEntry
from huitoukan.notifications.models import Notification
from huitoukan.portal.demo import CAMPAIGN_NAME, DEMO_OPERATOR, LOGINS, demo_calendar, demo_load
from tests.conftest import built_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo as `huitoukan demo` loads it: demo_load calls demo_linkage itself."""
    with built_once(django_db_blocker, tmp_path_factory):
        demo_load()
        yield


def _run():
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[DEMO_OPERATOR, "lianyuan_office"])}
    demo_linkage(operator=users[DEMO_OPERATOR], office=users["lianyuan_office"],
                 campaign=Campaign.objects.get(name=CAMPAIGN_NAME), today=demo_calendar().today)


def _links():
    return {link.item.problem: link for link in ItemLink.objects.select_related("item", "to_unit").prefetch_related(
        "lead_leaders")}


def test_the_demo_has_a_claimed_link_a_pending_one_and_a_declined_one(demo):
    links = _links()
    claimed = links[ID_PROBLEM]
    assert (claimed.to_unit.full_name, claimed.state) == ("娄底市/市公安局", LinkState.CLAIMED)
    assert claimed.measures and claimed.due_on and [p.name for p in claimed.lead_leaders.all()] == [LEADER_NAME]
    entry = ProgressEntry.objects.get(item=claimed.item, leader__name=LEADER_NAME)
    assert (entry.author.username, entry.by_office) == ("gongan_leader", False)  # by the leader himself
    pending = links[SERVICE_PROBLEM]
    assert (pending.to_unit.full_name, pending.state) == ("娄底市", LinkState.PENDING)
    declined = links[RULES_PROBLEM]
    assert (declined.to_unit.full_name, declined.state, declined.decline_reason) == (
        "娄底市/市公安局", LinkState.DECLINED, DECLINE_REASON)
    office = get_user_model().objects.get(username="lianyuan_office")
    assert Notification.objects.filter(recipient=office, kind="linkage", body__contains=DECLINE_REASON).exists()
    assert Notification.objects.filter(recipient__username="loudi_office", kind="linkage",
                                       title__contains="涟源市提请").exists()


def test_the_police_logins_see_the_link_and_the_leader_reads_the_item(demo):
    item = Item.objects.get(problem=ID_PROBLEM)
    client = Client()
    client.force_login(get_user_model().objects.get(username="gongan_office"))
    page = client.get(reverse("linkage-index")).content.decode()
    leading = page[page.index('id="leading"'):page.index("上下联动情况")]
    assert ID_PROBLEM[:20] in leading and RULES_PROBLEM[:10] not in leading  # the declined one is not led
    client.force_login(get_user_model().objects.get(username="gongan_leader"))
    assert client.get(reverse("item-detail", args=[item.pk])).status_code == 200


def test_a_second_run_adds_nothing(demo):
    counts = (ItemLink.objects.count(), ItemLink.history.count(), Item.objects.count(), ProgressEntry.objects.count(),
              Notification.objects.count(), get_user_model().objects.count())
    _run()
    assert (ItemLink.objects.count(), ItemLink.history.count(), Item.objects.count(), ProgressEntry.objects.count(),
            Notification.objects.count(), get_user_model().objects.count()) == counts


def test_the_police_logins_are_the_demo_s_own_and_the_leader_is_his_person(demo):
    """`huitoukan demo` prints LOGINS: 市公安局's office and its leader are among them, the leader acting as 谭志刚."""
    logins = {login.username: login for login in LOGINS}
    assert logins["gongan_office"].unit == logins["gongan_leader"].unit == "娄底市/市公安局"
    assert logins["gongan_leader"].person == LEADER_NAME
    leader = get_user_model().objects.get(username="gongan_leader")
    assert leader.person.name == LEADER_NAME and leader.person.unit.full_name == "娄底市/市公安局"
