"""A city campaign (娄底市回头看) with 六看 and 三个检验标准 published by 娄底市's office; 市委第二督导组 assigned
涟源市; 桥头河镇's 专项整治方案 with two tasks; and the logins: 娄底市's office (manages the campaign), 涟源市's
office, head and the group's member, 桥头河镇's office, and 娄星区's office."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from huitoukan.access.models import Role
from huitoukan.assessments import demo
from huitoukan.campaigns import services as campaign_services
from huitoukan.orgs import services as org_services
from huitoukan.plans import services as plan_services
from huitoukan.plans.models import PlanKind
from huitoukan.plans.services import TaskSpec
from tests.conftest import Tree, built_once, user_create

TODAY = dt.date(2015, 3, 10)


@dataclass
class World:
    tree: Tree
    campaign: object
    liukan: object  # published version 1 of 六看
    sange: object  # published version 1 of 三个检验标准
    plan: object  # 桥头河镇's 专项整治方案
    tasks: list
    group: object
    city_office: object
    office: object  # 涟源市 活动办
    head: object
    supervisor: object
    township_office: object
    outsider: object  # 娄星区 活动办


def build_world() -> World:
    tree = Tree()
    campaign = campaign_services.campaign_create(
        actor=None, owner_unit=tree.city, name="娄底市回头看", starts_on=dt.date(2014, 12, 31),
        ends_on=dt.date(2015, 6, 30))
    group = org_services.supervision_group_create(actor=None, dispatched_by=tree.city, name="市委第二督导组",
                                                  assigned_units=[tree.lianyuan])
    city_office = user_create(Role.CAMPAIGN_OFFICE, tree.city, username="loudi_office")
    result = demo.demo_assessments(city_office, None, campaign, [], TODAY)
    liukan, sange = (c.versions.get(number=1) for c in result.checklists)
    plan = plan_services.plan_create(actor=None, unit=tree.qiaotouhe, campaign=campaign, kind=PlanKind.SPECIAL,
                                     title="桥头河镇专项整治方案")
    tasks = [plan_services.task_add(actor=None, plan=plan, spec=TaskSpec(task=text)) for text in
             ("整治群众办事难", "整治乱收费乱罚款乱摊派")]
    return World(
        tree=tree, campaign=campaign, liukan=liukan, sange=sange, plan=plan, tasks=tasks, group=group,
        city_office=city_office,
        office=user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="lianyuan_office"),
        head=user_create(Role.UNIT_HEAD, tree.lianyuan, username="lianyuan_head"),
        supervisor=user_create(Role.SUPERVISOR, tree.lianyuan, group=group, username="supervisor2"),
        township_office=user_create(Role.CAMPAIGN_OFFICE, tree.qiaotouhe, username="qiaotouhe_office"),
        outsider=user_create(Role.CAMPAIGN_OFFICE, tree.louxing, username="louxing_office"),
    )


@pytest.fixture(scope="module")
def as_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        yield build_world()


@pytest.fixture
def w(as_world, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return as_world
