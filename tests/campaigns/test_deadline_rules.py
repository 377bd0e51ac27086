"""The one check of a deadline (target rule, levels, kinds, contents, reminder steps, due date) and of a
campaign's review levels, parent and item reminder steps: the same for creating, adding and updating."""

import datetime as dt

import pytest

from huitoukan.access.models import Role
from huitoukan.campaigns import services
from huitoukan.campaigns.errors import CampaignErrorCode
from huitoukan.campaigns.models import PackagePart, TargetRule
from huitoukan.campaigns.services import DeadlineSpec
from huitoukan.core.errors import DomainError
from huitoukan.orgs.models import UnitLevel
from tests.campaigns.test_campaigns import make_campaign
from tests.conftest import user_create

D = dt.date
pytestmark = pytest.mark.django_db


def _refused(call, code, *texts):
    with pytest.raises(DomainError) as err:
        call()
    assert err.value.code == code
    for text in texts:
        assert text in err.value.message
    return err.value


def _spec(**overrides):
    return DeadlineSpec(**{"name": "信息备案", "due_on": D(2015, 2, 5), "levels": [], "target_rule": TargetRule.CHILDREN,
                           "contents": [PackagePart.REPORT], **overrides})


@pytest.fixture
def campaign(tree):
    return make_campaign(tree.city, deadlines=[])


def _add(campaign, **overrides):
    return lambda: services.deadline_add(actor=None, campaign=campaign, spec=_spec(**overrides))


def test_levels_are_needed_only_for_the_levels_rule(campaign):
    added = services.deadline_add(actor=None, campaign=campaign, spec=_spec(levels=[UnitLevel.COUNTY]))
    assert added.levels == [] and added.target_rule == TargetRule.CHILDREN
    _refused(_add(campaign, target_rule=TargetRule.LEVELS), CampaignErrorCode.NO_LEVELS, "适用层级")
    _refused(_add(campaign, target_rule="cousins"), CampaignErrorCode.UNKNOWN_TARGET_RULE, "cousins")


def test_kinds_and_contents_must_be_known_and_contents_not_empty(campaign):
    _refused(_add(campaign, kinds=["martian"]), CampaignErrorCode.UNKNOWN_KIND, "martian")
    _refused(_add(campaign, contents=[]), CampaignErrorCode.NO_CONTENTS, "报送内容")
    _refused(_add(campaign, contents=["ledger:secret"]), CampaignErrorCode.UNKNOWN_CONTENT, "ledger:secret")
    assert not campaign.deadlines.exists()


@pytest.mark.parametrize("steps, code, text", [
    ([{"days": -61, "to": ["office"]}], CampaignErrorCode.STEP_DAYS_INVALID, "第1步"),
    ([{"days": 61, "to": ["office"]}], CampaignErrorCode.STEP_DAYS_INVALID, "-60 到 60"),
    ([{"days": "7", "to": ["office"]}], CampaignErrorCode.STEP_DAYS_INVALID, "整数"),
    ([{"days": 1.5, "to": ["office"]}], CampaignErrorCode.STEP_DAYS_INVALID, "整数"),
    ([{"days": -7, "to": ["office"]}, {"days": -7, "to": ["unit_head"]}], CampaignErrorCode.STEP_DAYS_REPEATED, "第2步"),
    ([{"days": -7, "to": []}], CampaignErrorCode.STEP_NO_RECIPIENTS, "催办对象"),
    ([{"days": -7, "to": ["mayor"]}], CampaignErrorCode.STEP_UNKNOWN_RECIPIENT, "mayor"),
    ([{"to": ["office"]}], CampaignErrorCode.STEPS_MALFORMED, "格式不正确"),
])
def test_reminder_steps_are_checked_step_by_step(campaign, steps, code, text):
    _refused(_add(campaign, reminder_steps=steps), code, text)


def test_reminder_steps_at_the_limits_are_kept_in_order_of_days(campaign):
    added = services.deadline_add(actor=None, campaign=campaign, spec=_spec(reminder_steps=[
        {"days": 60, "to": ["unit_head"]}, {"days": -60, "to": ["responsible_leader", "office"]}, {"days": 0, "to": ["office"]}]))
    assert added.reminder_steps == [{"days": -60, "to": ["office", "responsible_leader"]},
                                    {"days": 0, "to": ["office"]}, {"days": 60, "to": ["unit_head"]}]


def test_a_due_date_outside_the_campaign_is_refused_on_add_update_and_create(tree, campaign):
    _refused(_add(campaign, due_on=D(2015, 3, 1)), CampaignErrorCode.DUE_OUTSIDE_CAMPAIGN, "2015-03-01")
    _refused(_add(campaign, due_on=D(2014, 12, 30)), CampaignErrorCode.DUE_OUTSIDE_CAMPAIGN, "2014-12-30")
    deadline = services.deadline_add(actor=None, campaign=campaign, spec=_spec(due_on=D(2015, 2, 28)))
    office = user_create(Role.CAMPAIGN_OFFICE, tree.city)
    _refused(lambda: services.deadline_update(actor=office, deadline=deadline, spec=_spec(due_on=D(2015, 3, 1))),
             CampaignErrorCode.DUE_OUTSIDE_CAMPAIGN)
    _refused(lambda: make_campaign(tree.lianyuan, deadlines=[_spec(due_on=D(2016, 1, 1))]),
             CampaignErrorCode.DUE_OUTSIDE_CAMPAIGN)


def test_a_campaign_may_not_shrink_past_one_of_its_deadlines(tree):
    campaign = make_campaign(tree.city, phases=[], deadlines=[_spec(due_on=D(2015, 2, 28))])
    office = user_create(Role.CAMPAIGN_OFFICE, tree.city)
    _refused(lambda: services.campaign_update(actor=office, campaign=campaign, name=campaign.name,
                                              starts_on=D(2014, 12, 31), ends_on=D(2015, 2, 27)),
             CampaignErrorCode.CAMPAIGN_SHRINKS_DEADLINE, "信息备案")


def test_review_levels_lie_below_the_owner_and_are_kept_in_tree_order(tree):
    campaign = make_campaign(tree.city, review_levels=[UnitLevel.TOWNSHIP, UnitLevel.COUNTY])
    assert campaign.review_levels == [UnitLevel.COUNTY, UnitLevel.TOWNSHIP]
    for bad in (UnitLevel.CITY, UnitLevel.PROVINCE, "galaxy"):
        _refused(lambda bad=bad: make_campaign(tree.city, name=f"另一{bad}", review_levels=[bad]),
                 CampaignErrorCode.REVIEW_LEVEL_INVALID, str(bad))


def test_a_parent_campaign_is_run_above_the_owner(tree):
    city = make_campaign(tree.city)
    county = make_campaign(tree.lianyuan, name="涟源市回头看", parent=city, deadlines=[])
    assert county.parent == city
    _refused(lambda: make_campaign(tree.louxing, name="娄星区回头看", parent=county, deadlines=[]),
             CampaignErrorCode.PARENT_NOT_ABOVE)
    _refused(lambda: make_campaign(tree.city, name="市里另一个", parent=city, deadlines=[]),
             CampaignErrorCode.PARENT_NOT_ABOVE)


def test_item_reminder_steps_are_checked_as_a_deadlines_are(tree):
    _refused(lambda: make_campaign(tree.city, item_reminder_steps=[{"days": 90, "to": ["office"]}]),
             CampaignErrorCode.STEP_DAYS_INVALID, "整改时限催办步骤")
    campaign = make_campaign(tree.city, item_reminder_steps=[{"days": 3, "to": ["unit_head"]}])
    assert campaign.item_reminder_steps == [{"days": 3, "to": ["unit_head"]}]
