"""The world of the 年度考核 tests: 娄底市's campaign of this year, 涟源市 with five townships, each put in the way of
one rule of 评先选优 (or none), 涟源市's party leaders (a relapse case with 一案双查 names two of them), its office,
discipline staff, head and a supervision group, and 娄星区's head and discipline staff (out of scope)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from huitoukan.access.models import Role
from huitoukan.accountability import annual_services, case_services, passing_services
from huitoukan.accountability.models import ActionKind, AppraisalResult, CaseCause, Responsibility
from huitoukan.campaigns import services as campaign_services
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.notices import escalation
from huitoukan.notices import services as notice_services
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import UnitKind, UnitLevel
from tests.conftest import Tree, user_create


def today() -> dt.date:
    return timezone.localdate()


def year() -> int:
    return today().year


@dataclass
class World:
    tree: Tree
    campaign: object
    units: dict  # name -> township under 涟源市
    direct: object  # 李明: 当事人 of the relapse case
    leader: object  # 吴海波: 相关领导 of the relapse case
    clean: object  # 赵刚: an action of last year only
    slack: object  # 钱伟: leads an overdue item
    township_head: object  # 七星街镇's 主要负责同志, 诫勉批评 this year
    case: object  # the relapse case (一案双查)
    office: object
    discipline: object
    head: object  # 涟源市 主要负责同志
    supervisor: object  # member of 市委督导组 (assigned 涟源市)
    other_supervisor: object  # member of another group assigned 涟源市 too
    group: object
    louxing_head: object
    louxing_discipline: object


def _township(tree, name):
    return org_services.unit_create(actor=None, parent=tree.lianyuan, name=name, level=UnitLevel.TOWNSHIP,
                                    kind=UnitKind.PARTY_COMMITTEE, established_on=dt.date(2013, 6, 18))


def build_world() -> World:
    tree = Tree()
    units = {"桥头河镇": tree.qiaotouhe}
    for name in ("六亩塘镇", "七星街镇", "杨市镇", "伏口镇"):
        units[name] = _township(tree, name)
    tree.refresh()
    units["桥头河镇"] = tree.qiaotouhe
    start = max(dt.date(year(), 1, 1), today() - dt.timedelta(days=60))
    campaign = campaign_services.campaign_create(actor=None, owner_unit=tree.city, name="娄底市回头看",
                                                 starts_on=start, ends_on=today() + dt.timedelta(days=90))
    person = org_services.person_create
    direct = person(actor=None, unit=tree.lianyuan, name="李明", position="市住建局局长", is_party_leader=True)
    leader = person(actor=None, unit=tree.lianyuan, name="吴海波", position="市委常委", is_party_leader=True)
    clean = person(actor=None, unit=tree.lianyuan, name="赵刚", position="副市长", is_party_leader=True)
    slack = person(actor=None, unit=tree.lianyuan, name="钱伟", position="市委常委", is_party_leader=True)
    township_head = person(actor=None, unit=units["七星街镇"], name="孙强", position="镇党委书记",
                           is_party_leader=True, is_unit_head=True)
    office = user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="annual_office")
    discipline = user_create(Role.DISCIPLINE, tree.lianyuan, username="annual_discipline")
    group = org_services.supervision_group_create(actor=None, dispatched_by=tree.city, name="市委第一督导组",
                                                  assigned_units=[tree.lianyuan])
    other = org_services.supervision_group_create(actor=None, dispatched_by=tree.city, name="市委第三督导组",
                                                  assigned_units=[tree.lianyuan])
    w = World(tree=tree, campaign=campaign, units=units, direct=direct, leader=leader, clean=clean, slack=slack,
              township_head=township_head, case=None, office=office, discipline=discipline,
              head=user_create(Role.UNIT_HEAD, tree.lianyuan, username="annual_head"),
              supervisor=user_create(Role.SUPERVISOR, tree.lianyuan, group=group, username="annual_supervisor"),
              other_supervisor=user_create(Role.SUPERVISOR, tree.lianyuan, group=other, username="annual_other"),
              group=group,
              louxing_head=user_create(Role.UNIT_HEAD, tree.louxing, username="louxing_head"),
              louxing_discipline=user_create(Role.DISCIPLINE, tree.louxing, username="louxing_annual_discipline"))
    decided = max(today() - dt.timedelta(days=1), dt.date(year(), 1, 1))
    # 一案双查 for a relapse: the person directly responsible and the leader responsible.
    w.case = case_services.case_record(
        actor=discipline, unit=tree.lianyuan, campaign=campaign, title="市住建局公款吃喝问题反弹", cause=CaseCause.RELAPSE,
        facts="公款吃喝问题整改销号后再次发生", decided_on=decided, decider="涟源市纪委",
        actions=[(direct, Responsibility.DIRECT, ActionKind.SANCTION, decided),
                 (leader, Responsibility.LEADER, ActionKind.ADMONISH, decided)])
    # Last year's action on 赵刚 does not count this year.
    last_year = dt.date(year() - 1, 6, 1)
    case_services.case_record(
        actor=discipline, unit=tree.lianyuan, title="去年的约谈", cause=CaseCause.SLACK, facts="整改不力",
        decided_on=last_year, decider="涟源市纪委", actions=[(clean, Responsibility.DIRECT, ActionKind.TALK, last_year)])
    # 七星街镇's head is admonished this year: the unit is excluded through its head.
    case_services.case_record(
        actor=discipline, unit=units["七星街镇"], title="七星街镇整改不力", cause=CaseCause.FORMALISM,
        facts="搞形式、走过场", decided_on=decided, decider="涟源市纪委",
        actions=[(township_head, Responsibility.DIRECT, ActionKind.ADMONISH, decided)])
    # 六亩塘镇's 述职评议考核 failed: 不过关.
    passing_services.appraisal_record(actor=discipline, campaign=campaign, unit=units["六亩塘镇"],
                                      result=AppraisalResult.FAILED, appraised_on=decided, note="考核不合格")
    # 杨市镇 has an item overdue in a village's ledger under it (its own 过关 verdict looks at its own ledgers only, so
    # the overdue rule alone excludes it); 钱伟 leads one overdue at 涟源市.
    village = org_services.unit_create(actor=None, parent=units["杨市镇"], name="杨市村", level=UnitLevel.VILLAGE,
                                       kind=UnitKind.GRASSROOTS, established_on=dt.date(2013, 6, 18))
    for unit, leaders in ((village, []), (tree.lianyuan, [slack])):
        ledger = ledger_services.ledger_open(actor=office, campaign=campaign, unit=unit, kind=LedgerKind.LEADERSHIP)
        ledger_services.item_create(actor=office, ledger=ledger, problem="文山会海问题突出", deadline_mode="date",
                                    due_on=today() - dt.timedelta(days=3), lead_leaders=leaders)
    # 伏口镇 leaves a 督办通知单 unanswered until it turns red.
    issued_on = today() - dt.timedelta(days=20)
    notice_services.notice_issue(actor=office, addressed_unit=units["伏口镇"], title="关于文山会海问题的督办通知",
                                 requirements="限期整改并答复", problems="会议过多过滥", answer_due_on=issued_on + dt.timedelta(days=5),
                                 today=issued_on)
    escalation.escalation_run_now(today=today())
    # 桥头河镇 is commended.
    annual_services.commendation_record(actor=discipline, year=year(), unit=units["桥头河镇"], reason="整改抓得紧、成效好",
                                        decided_on=decided, decider="涟源市委")
    return w
