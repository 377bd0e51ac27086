"""Lists that grow answer in a fixed number of queries, however many rows they page through."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from huitoukan.access.models import Role
from huitoukan.campaigns import services as campaign_services
from huitoukan.campaigns.services import DeadlineSpec, PhaseSpec
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import UnitLevel


def _grow(tree, make_user, n: int) -> None:
    for i in range(n):
        person = org_services.person_create(actor=None, unit=tree.lianyuan, name=f"干部{i}")
        org_services.supervision_group_create(
            actor=None,
            dispatched_by=tree.city,
            name=f"督导组{i}",
            assigned_units=[tree.lianyuan, tree.louxing],
            leader=person,
        )
        make_user(Role.UNIT_FILLER, tree.qiaotouhe)
        campaign_services.campaign_create(
            actor=None,
            owner_unit=tree.city,
            name=f"活动{i}",
            starts_on=dt.date(2015, 1, 1),
            ends_on=dt.date(2015, 2, 28),
            phases=[
                PhaseSpec("自查", dt.date(2015, 1, 1), dt.date(2015, 1, 9)),
                PhaseSpec("整改", dt.date(2015, 1, 10), dt.date(2015, 2, 28)),
            ],
            deadlines=[DeadlineSpec("报送", dt.date(2015, 2, 5), [UnitLevel.COUNTY])],
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "most"),
    [
        # token, role assignments, count, page (+ one prefetch where rows nest a list)
        ("api-person-list", 4),
        ("api-group-list", 5),
        ("api-campaign-list", 5),
        ("api-role-assignment-list", 4),
    ],
)
def test_list_queries_do_not_grow_with_rows(
    tree, make_user, client_for, django_assert_max_num_queries, route, most
):
    # given a city office and a dozen rows of everything
    client = client_for(make_user(Role.CAMPAIGN_OFFICE, tree.city))
    _grow(tree, make_user, 12)

    # when one page of the list is read
    with django_assert_max_num_queries(most):
        response = client.get(reverse(route))

    # then it holds every row
    assert response.status_code == 200
    assert response.json()["count"] >= 12
