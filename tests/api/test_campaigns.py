"""Campaigns over the API: phases, deadlines with their lights and expected units, in scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from huitoukan.access.models import Role
from huitoukan.campaigns import services as campaign_services
from huitoukan.campaigns.models import Campaign
from huitoukan.campaigns.services import DeadlineSpec, PhaseSpec
from huitoukan.orgs.models import UnitLevel

NOT_FOUND = {"detail": "不存在或不在权限范围内"}


def _campaign(owner, name="“回头看”活动"):
    return campaign_services.campaign_create(
        actor=None,
        owner_unit=owner,
        name=name,
        starts_on=dt.date(2014, 12, 31),
        ends_on=dt.date(2015, 2, 28),
        phases=[PhaseSpec("自查自纠阶段", dt.date(2014, 12, 31), dt.date(2015, 1, 6))],
        deadlines=[
            DeadlineSpec(
                "建立台账",
                dt.date(2015, 1, 6),
                [UnitLevel.COUNTY, UnitLevel.TOWNSHIP],
                phase_name="自查自纠阶段",
            )
        ],
    )


@pytest.mark.django_db
def test_county_office_sees_the_city_campaign_with_its_own_expected_units(
    tree, make_user, client_for
):
    # given a city campaign whose deadline applies to counties and townships
    campaign = _campaign(tree.city)
    client = client_for(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))

    # when the 涟源市 office reads it
    listed = client.get(reverse("api-campaign-list")).json()["results"]
    detail = client.get(reverse("api-campaign-detail", args=[campaign.pk])).json()

    # then it counts only the expected units it can see (涟源市 and 桥头河镇), and the past deadline is red
    assert [c["name"] for c in listed] == ["“回头看”活动"]
    assert [p["name"] for p in detail["phases"]] == ["自查自纠阶段"]
    (deadline,) = detail["deadlines"]
    assert deadline["expected_units"] == 2
    assert deadline["light"] == "red"
    assert deadline["phase_id"] == detail["phases"][0]["id"]
    assert deadline["levels"] == ["county", "township"]


@pytest.mark.django_db
def test_campaign_of_another_county_looks_missing(tree, make_user, client_for):
    other = _campaign(tree.louxing, name="娄星区活动")
    client = client_for(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))

    hidden = client.get(reverse("api-campaign-detail", args=[other.pk]))
    missing = client.get(reverse("api-campaign-detail", args=[999_999]))

    assert client.get(reverse("api-campaign-list")).json()["results"] == []
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == NOT_FOUND


@pytest.mark.django_db
def test_administrators_read_no_campaigns(tree, make_user, client_for):
    _campaign(tree.city)
    client = client_for(make_user(Role.SYSTEM_ADMIN, tree.city))

    assert client.get(reverse("api-campaign-list")).status_code == 404


@pytest.mark.django_db
def test_county_office_creates_a_campaign_with_phases_and_deadlines(tree, make_user, client_for):
    client = client_for(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))

    response = client.post(
        reverse("api-campaign-list"),
        {
            "owner_unit": tree.lianyuan.pk,
            "name": "涟源市“回头看”",
            "starts_on": "2015-01-01",
            "ends_on": "2015-02-28",
            "phases": [{"name": "自查自纠", "starts_on": "2015-01-01", "ends_on": "2015-01-10"}],
            "deadlines": [
                {
                    "name": "报送台账",
                    "due_on": "2015-01-10",
                    "levels": ["township"],
                    "phase_name": "自查自纠",
                }
            ],
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["owner_unit_full_name"] == "娄底市/涟源市"
    assert body["deadlines"][0]["expected_units"] == 1
    assert body["deadlines"][0]["phase_id"] == body["phases"][0]["id"]


@pytest.mark.django_db
def test_county_office_cannot_create_for_the_city(tree, make_user, client_for):
    client = client_for(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))

    response = client.post(
        reverse("api-campaign-list"),
        {
            "owner_unit": tree.city.pk,
            "name": "越权活动",
            "starts_on": "2015-01-01",
            "ends_on": "2015-02-28",
        },
        format="json",
    )

    assert response.status_code == 404
    assert not Campaign.objects.filter(name="越权活动").exists()


@pytest.mark.django_db
def test_bad_nested_input_names_the_item_and_field(tree, make_user, client_for):
    client = client_for(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))

    response = client.post(
        reverse("api-campaign-list"),
        {
            "owner_unit": tree.lianyuan.pk,
            "name": "活动",
            "starts_on": "2015-01-01",
            "ends_on": "2015-02-28",
            "deadlines": [{"name": "报送", "due_on": "2015-01-10", "levels": ["galaxy"]}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith(
        "报送时限第1项适用层级第1项（deadlines[0].levels[0]）："
    )


@pytest.mark.django_db
def test_deadline_naming_an_unknown_phase_is_refused(tree, make_user, client_for):
    client = client_for(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))

    response = client.post(
        reverse("api-campaign-list"),
        {
            "owner_unit": tree.lianyuan.pk,
            "name": "活动",
            "starts_on": "2015-01-01",
            "ends_on": "2015-02-28",
            "deadlines": [
                {
                    "name": "报送",
                    "due_on": "2015-01-10",
                    "levels": ["township"],
                    "phase_name": "不存在",
                }
            ],
        },
        format="json",
    )

    assert response.status_code == 400
    assert "不存在" in response.json()["detail"]


@pytest.mark.django_db
def test_service_rule_violation_answers_400_with_its_code(tree, make_user, client_for):
    client = client_for(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))

    response = client.post(
        reverse("api-campaign-list"),
        {
            "owner_unit": tree.lianyuan.pk,
            "name": "活动",
            "starts_on": "2015-03-01",
            "ends_on": "2015-02-28",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "DATES_REVERSED"
