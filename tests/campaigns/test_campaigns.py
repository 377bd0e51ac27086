"""Campaigns: phases, deadlines, who sees them, which units are expected to report, the lights."""

import datetime as dt

import pytest

from huitoukan.access.models import Role
from huitoukan.campaigns import selectors, services
from huitoukan.campaigns.errors import CampaignErrorCode
from huitoukan.campaigns.services import DeadlineSpec, PhaseSpec
from huitoukan.core.errors import DomainError
from huitoukan.core.lights import Light, light_for
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import UnitKind, UnitLevel

D = dt.date


def make_campaign(owner, **overrides):
    params = dict(
        actor=None,
        owner_unit=owner,
        name="整改落实情况“回头看”",
        starts_on=D(2014, 12, 31),
        ends_on=D(2015, 2, 28),
        phases=[
            PhaseSpec("自查自纠", D(2014, 12, 31), D(2015, 1, 6)),
            PhaseSpec("督查核实", D(2015, 1, 7), D(2015, 1, 16)),
            PhaseSpec("深化整改", D(2015, 1, 17), D(2015, 2, 28)),
        ],
        deadlines=[DeadlineSpec("信息备案", D(2015, 2, 5), [UnitLevel.COUNTY, UnitLevel.CITY], "深化整改")],
    )
    params.update(overrides)
    return services.campaign_create(**params)


@pytest.mark.parametrize(
    "due, today, light",
    [
        (D(2015, 2, 5), D(2015, 2, 6), Light.RED),
        (D(2015, 2, 5), D(2015, 2, 5), Light.AMBER),
        (D(2015, 2, 5), D(2015, 1, 29), Light.AMBER),
        (D(2015, 2, 5), D(2015, 1, 28), Light.GREEN),
    ],
)
def test_lights_red_amber_green(due, today, light):
    assert light_for(due_on=due, today=today) == light


def test_a_closed_matter_is_grey_whatever_the_date():
    assert light_for(due_on=D(2015, 2, 5), today=D(2016, 1, 1), closed=True) == Light.GREY


@pytest.mark.django_db
def test_phases_are_ordered_and_the_deadline_belongs_to_its_phase(tree):
    campaign = make_campaign(tree.city)
    assert [p.name for p in campaign.phases.all()] == ["自查自纠", "督查核实", "深化整改"]
    assert campaign.deadlines.get().phase.name == "深化整改"
    assert selectors.current_phase(campaign, D(2015, 1, 10)).name == "督查核实"


@pytest.mark.django_db
def test_overlapping_phases_are_refused(tree):
    with pytest.raises(DomainError) as err:
        make_campaign(tree.city, phases=[
            PhaseSpec("自查自纠", D(2014, 12, 31), D(2015, 1, 8)),
            PhaseSpec("督查核实", D(2015, 1, 7), D(2015, 1, 16)),
        ])
    assert err.value.code == CampaignErrorCode.PHASES_OVERLAP


@pytest.mark.django_db
def test_a_phase_outside_the_campaign_is_refused(tree):
    with pytest.raises(DomainError) as err:
        make_campaign(tree.city, phases=[PhaseSpec("自查自纠", D(2014, 12, 1), D(2015, 1, 6))])
    assert err.value.code == CampaignErrorCode.PHASE_OUTSIDE_CAMPAIGN


@pytest.mark.django_db
def test_expected_units_are_those_of_the_levels_existing_on_the_due_date(tree):
    campaign = make_campaign(tree.city)
    deadline = campaign.deadlines.get()
    # a county set up after the due date, and one abolished before it, are not expected
    late = org_services.unit_create(actor=None, parent=tree.city, name="万宝新区", level=UnitLevel.COUNTY,
                                    kind=UnitKind.PARTY_GROUP, established_on=D(2015, 3, 1))
    gone = org_services.unit_create(actor=None, parent=tree.city, name="旧区", level=UnitLevel.COUNTY,
                                    kind=UnitKind.PARTY_COMMITTEE, established_on=D(2010, 1, 1))
    org_services.unit_abolish(actor=None, unit=gone, on=D(2015, 1, 1))
    expected = {u.name for u in selectors.deadline_expected_units(deadline=deadline)}
    assert expected == {"涟源市", "娄星区", "市教育局"}
    assert late.name not in expected


@pytest.mark.django_db
def test_a_county_office_sees_the_city_campaign_and_counts_only_itself(tree, make_user):
    campaign = make_campaign(tree.city)
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    assert list(selectors.campaigns_visible_to(user=office)) == [campaign]
    expected = selectors.deadline_expected_units_for(user=office, deadline=campaign.deadlines.get())
    assert [u.name for u in expected] == ["涟源市"]


@pytest.mark.django_db
def test_a_county_campaign_is_invisible_to_a_neighbouring_county(tree, make_user):
    make_campaign(tree.lianyuan, name="涟源市回头看", deadlines=[])
    neighbour = make_user(Role.CAMPAIGN_OFFICE, tree.louxing)
    assert not selectors.campaigns_visible_to(user=neighbour).exists()


@pytest.mark.django_db
def test_administrators_see_no_campaigns(tree, make_user):
    make_campaign(tree.city)
    assert not selectors.campaigns_visible_to(user=make_user(Role.SYSTEM_ADMIN, tree.city)).exists()


@pytest.mark.django_db
def test_only_an_office_in_scope_creates_a_campaign(tree, make_user):
    from django.http import Http404

    with pytest.raises(Http404):
        make_campaign(tree.city, actor=make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))
    campaign = make_campaign(tree.lianyuan, actor=make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan), deadlines=[])
    assert campaign.history.first().history_user is not None


@pytest.mark.django_db
def test_a_unit_moved_after_the_deadline_still_counts_where_it_was(tree, make_user):
    campaign = make_campaign(tree.city, deadlines=[DeadlineSpec("信息备案", D(2015, 2, 5), [UnitLevel.TOWNSHIP])])
    deadline = campaign.deadlines.get()
    before = {u.name for u in selectors.deadline_expected_units(deadline=deadline, within=tree.lianyuan)}
    # 桥头河镇 is moved to 娄星区 today, long after the 2015 deadline
    org_services.unit_move(actor=None, unit=tree.qiaotouhe, new_parent=tree.louxing)
    tree.refresh()
    after = {u.name for u in selectors.deadline_expected_units(deadline=deadline, within=tree.lianyuan)}
    assert before == after == {"桥头河镇"}
    assert {u.name for u in selectors.deadline_expected_units(deadline=deadline, within=tree.louxing)} == {"乐坪街道"}
    # a deadline after the move follows the new tree
    later_campaign = make_campaign(tree.city, name="以后的活动", starts_on=D(2998, 1, 1), ends_on=D(2999, 12, 31),
                                   phases=[], deadlines=[])
    later = services.deadline_add(actor=None, campaign=later_campaign, spec=DeadlineSpec(
        "整改报告", D(2999, 1, 1), [UnitLevel.TOWNSHIP]))
    assert {u.name for u in selectors.deadline_expected_units(deadline=later, within=tree.louxing)} == {
        "乐坪街道", "桥头河镇"}
