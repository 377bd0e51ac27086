"""A city campaign whose deadline asks 涟源市 (and every county) for its 领导班子 ledger, and the logins of
the loop: 涟源市's office, head and group member; 娄底市's office; 娄星区's office (outside the chain)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from huitoukan.access.models import Role
from huitoukan.campaigns import services as campaign_services
from huitoukan.campaigns.models import PackagePart, TargetRule
from huitoukan.campaigns.services import DeadlineSpec, PhaseSpec
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import UnitLevel
from tests.conftest import Tree, built_once, user_create


@dataclass
class Loop:
    tree: Tree
    campaign: object
    deadline: object
    ledger: object
    items: list
    office: object  # 涟源市 活动办
    head: object  # 涟源市 主要负责同志
    filler: object
    supervisor: object  # 市委第二督导组, assigned 涟源市
    city_office: object
    city_head: object
    outsider: object  # 娄星区 活动办
    both_offices: object  # one login holding 涟源市's and 娄底市's office


def build_loop() -> Loop:
    tree = Tree()
    campaign = campaign_services.campaign_create(
        actor=None, owner_unit=tree.city, name="娄底市回头看", starts_on=dt.date(2014, 12, 31),
        ends_on=dt.date(2015, 6, 30),
        phases=[PhaseSpec("督查核实", dt.date(2015, 1, 7), dt.date(2015, 2, 28))],
        deadlines=[DeadlineSpec("建立台账并报上一级活动办", dt.date(2015, 2, 5), [UnitLevel.COUNTY],
                                target_rule=TargetRule.CHILDREN,
                                contents=[PackagePart.LEDGER_LEADERSHIP])])
    deadline = campaign.deadlines.get()
    ledger = ledger_services.ledger_open(actor=None, campaign=campaign, unit=tree.lianyuan,
                                         kind=LedgerKind.LEADERSHIP)
    leader = org_services.person_create(actor=None, unit=tree.lianyuan, name="吴海波", position="市委常委",
                                        is_party_leader=True)
    items = [ledger_services.item_create(actor=None, ledger=ledger, problem=problem, measures=measures,
                                         lead_leaders=[leader])
             for problem, measures in (("文山会海问题突出", "压缩会议数量"), ("调查研究不深入", "每月下基层调研"),
                                       ("公款吃喝", "清退超标接待"))]
    group = org_services.supervision_group_create(actor=None, dispatched_by=tree.city, name="市委第二督导组",
                                                  assigned_units=[tree.lianyuan])
    both = user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="both_offices")
    from huitoukan.access import services as access_services

    access_services.role_grant(actor=None, user=both, role=Role.CAMPAIGN_OFFICE, unit=tree.city)
    return Loop(
        tree=tree, campaign=campaign, deadline=deadline, ledger=ledger, items=items,
        office=user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="lianyuan_office"),
        head=user_create(Role.UNIT_HEAD, tree.lianyuan, username="lianyuan_head"),
        filler=user_create(Role.UNIT_FILLER, tree.lianyuan, username="lianyuan_filler"),
        supervisor=user_create(Role.SUPERVISOR, tree.lianyuan, group=group, username="supervisor2"),
        city_office=user_create(Role.CAMPAIGN_OFFICE, tree.city, username="loudi_office"),
        city_head=user_create(Role.UNIT_HEAD, tree.city, username="loudi_head"),
        outsider=user_create(Role.CAMPAIGN_OFFICE, tree.louxing, username="louxing_office"),
        both_offices=both,
    )


@pytest.fixture(scope="module")
def loop_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        yield build_loop()


@pytest.fixture
def loop(loop_world, db):
    return loop_world
