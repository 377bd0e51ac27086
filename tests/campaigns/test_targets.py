"""Which units a deadline expects a report from: its rule (direct subordinates, or levels below), its kinds,
the tree as it stood on the due date, a subtree's part; in a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huitoukan.campaigns import selectors, services
from huitoukan.campaigns.models import TargetRule
from huitoukan.campaigns.services import DeadlineSpec
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import UnitKind, UnitLevel
from tests.campaigns.test_campaigns import make_campaign

D = dt.date
pytestmark = pytest.mark.django_db


def _deadline(owner, *, rule=TargetRule.CHILDREN, levels=(), kinds=()):
    campaign = make_campaign(owner, deadlines=[])
    return services.deadline_add(actor=None, campaign=campaign, spec=DeadlineSpec(
        "信息备案", D(2015, 2, 5), list(levels), target_rule=rule, kinds=list(kinds)))


def _names(deadline, within=None):
    return [u.name for u in selectors.deadline_expected_units(deadline=deadline, within=within)]


def test_direct_subordinates_are_the_owners_children_of_every_kind_in_path_order(tree):
    deadline = _deadline(tree.city)
    assert _names(deadline) == ["涟源市", "娄星区", "市教育局"]
    # not a township or village below them
    assert "桥头河镇" not in _names(deadline)


def test_kinds_narrow_the_direct_subordinates(tree):
    deadline = _deadline(tree.city, kinds=[UnitKind.PARTY_COMMITTEE])
    assert sorted(_names(deadline)) == sorted(["涟源市", "娄星区"])
    organs = _deadline(tree.lianyuan, rule=TargetRule.LEVELS, levels=[UnitLevel.TOWNSHIP, UnitLevel.VILLAGE],
                       kinds=[UnitKind.GRASSROOTS])
    assert _names(organs) == ["石狮村"]


def test_a_county_sees_only_its_own_part_of_the_direct_subordinates(tree):
    deadline = _deadline(tree.city)
    assert _names(deadline, within=tree.lianyuan) == ["涟源市"]
    # a township is no direct subordinate of the city: nothing of the rule is inside its part
    assert _names(deadline, within=tree.qiaotouhe) == []


def test_direct_subordinates_are_those_of_the_tree_on_the_due_date(tree):
    deadline = _deadline(tree.city)
    # today, long after the 2015 deadline, 桥头河镇 is moved up under the city, and a new county is set up
    org_services.unit_move(actor=None, unit=tree.qiaotouhe, new_parent=tree.city)
    org_services.unit_create(actor=None, parent=tree.city, name="万宝新区", level=UnitLevel.COUNTY,
                             kind=UnitKind.PARTY_GROUP, established_on=D(2016, 1, 1))
    tree.refresh()
    assert sorted(_names(deadline)) == sorted(["涟源市", "娄星区", "市教育局"])
    later = make_campaign(tree.city, name="以后的活动", starts_on=D(2998, 1, 1), ends_on=D(2999, 12, 31), phases=[],
                          deadlines=[])
    now = services.deadline_add(actor=None, campaign=later, spec=DeadlineSpec(
        "整改报告", D(2999, 1, 1), target_rule=TargetRule.CHILDREN))
    assert sorted(_names(now)) == sorted(["涟源市", "娄星区", "市教育局", "桥头河镇", "万宝新区"])


def test_levels_rule_keeps_its_meaning_units_of_the_levels_below_the_owner(tree):
    deadline = _deadline(tree.city, rule=TargetRule.LEVELS, levels=[UnitLevel.TOWNSHIP])
    assert _names(deadline) == ["桥头河镇", "乐坪街道"]  # path order: 涟源市 was set up first
    assert _names(deadline, within=tree.lianyuan) == ["桥头河镇"]


def _queries(deadline, within=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        list(selectors.deadline_expected_units(deadline=deadline, within=within))
    return len(ctx.captured_queries)


@pytest.mark.parametrize("rule, levels", [(TargetRule.CHILDREN, []), (TargetRule.LEVELS, [UnitLevel.TOWNSHIP])])
def test_the_expected_units_take_the_same_few_queries_however_many_units(tree, rule, levels):
    deadline = _deadline(tree.city, rule=rule, levels=levels, kinds=[UnitKind.PARTY_COMMITTEE])
    before = _queries(deadline), _queries(deadline, within=tree.lianyuan)
    for n in range(6):
        county = org_services.unit_create(actor=None, parent=tree.city, name=f"新县{n}", level=UnitLevel.COUNTY,
                                          kind=UnitKind.PARTY_COMMITTEE, established_on=D(2013, 1, 1))
        org_services.unit_create(actor=None, parent=county, name=f"新镇{n}", level=UnitLevel.TOWNSHIP,
                                 kind=UnitKind.PARTY_COMMITTEE, established_on=D(2013, 1, 1))
    deadline.campaign.owner_unit.refresh_from_db()
    assert len(_names(deadline)) > 2
    assert (_queries(deadline), _queries(deadline, within=tree.lianyuan)) == before
    assert before[0] <= 3
