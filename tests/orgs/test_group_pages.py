"""A supervision group names to its reader only the units and the leader the reader's scope covers."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from huitoukan.access.models import Role
from huitoukan.orgs import services as org_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(tree):
    # 市委第二督导组: sent by the city, led by a city official, to two counties
    leader = org_services.person_create(actor=None, unit=tree.city, name="罗副书记", position="市委副书记")
    return org_services.supervision_group_create(actor=None, dispatched_by=tree.city, name="市委第二督导组",
                                                 assigned_units=[tree.lianyuan, tree.louxing], leader=leader)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_county_office_sees_its_county_in_the_group_and_nothing_beyond(tree, group, make_user, client):
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    client.force_login(office)

    page = client.get(reverse("group-list")).content.decode()
    listed = api(office).get(reverse("api-group-list")).json()["results"]
    detail = api(office).get(reverse("api-group-detail", args=[group.pk])).json()

    assert "市委第二督导组" in page and "涟源市" in page
    assert "娄星区" not in page and "罗副书记" not in page
    for shown in (listed[0], detail):
        assert [u["full_name"] for u in shown["assigned_units"]] == ["娄底市/涟源市"]
        assert shown["leader_id"] is None and shown["leader_name"] is None
        assert "娄星区" not in str(shown) and "罗副书记" not in str(shown)


def test_a_member_of_the_group_sees_its_units_but_not_a_leader_out_of_their_scope(tree, group, make_user):
    member = make_user(Role.SUPERVISOR, tree.city, group=group)

    shown = api(member).get(reverse("api-group-detail", args=[group.pk])).json()

    assert [u["full_name"] for u in shown["assigned_units"]] == ["娄底市/涟源市", "娄底市/娄星区"]
    assert shown["leader_name"] is None


def test_the_city_office_that_sent_the_group_sees_all_of_it(tree, group, make_user, client):
    office = make_user(Role.CAMPAIGN_OFFICE, tree.city)
    client.force_login(office)

    page = client.get(reverse("group-list")).content.decode()
    shown = api(office).get(reverse("api-group-detail", args=[group.pk])).json()

    assert "涟源市" in page and "娄星区" in page and "罗副书记" in page
    assert [u["full_name"] for u in shown["assigned_units"]] == ["娄底市/涟源市", "娄底市/娄星区"]
    assert shown["leader_id"] == group.leader_id and shown["leader_name"] == "罗副书记"
