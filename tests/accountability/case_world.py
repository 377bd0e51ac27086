"""The world of the 责任追究 tests, built through the services: 娄底市 > 涟源市 > 桥头河镇 and 娄星区 (tests.conftest.Tree),
a campaign, people of 涟源市 (its head 张卫国, the lead leader 吴海波, a cadre 李明 of 桥头河镇) and of 娄星区 (王强),
涟源市's 领导班子 ledger with three items past their deadline, a 形式主义 item that relapsed (反弹, led by 吴海波),
a supervision finding about it, a notice of that finding, four letters from the public to 涟源市, and the logins:
the city's discipline staff (市纪委), the heads of 涟源市 and 娄星区, 涟源市's office."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huitoukan.access.models import Role
from huitoukan.accountability import case_services
from huitoukan.accountability.models import ActionKind, CaseCause, Responsibility
from huitoukan.campaigns import services as campaign_services
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import DeadlineMode, FourWinds
from huitoukan.notices import services as notice_services
from huitoukan.orgs import services as org_services
from huitoukan.publicity import opinion_services
from huitoukan.publicity import services as publicity_services
from huitoukan.publicity.models import OpinionKind, PublicationKind
from huitoukan.supervision import services as supervision_services
from tests.conftest import Tree, user_create

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="处理决定.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class CaseWorld:
    tree: Tree
    campaign: object
    head_person: object  # 张卫国, 涟源市's head
    leader_person: object  # 吴海波, lead leader of the relapsed item
    cadre: object  # 李明, of 桥头河镇
    outsider_person: object  # 王强, of 娄星区
    discipline: object  # the city's 纪委 login: records everywhere under 娄底市
    head: object  # 涟源市's head login: reads 涟源市's cases
    louxing_head: object
    office: object  # 涟源市's office: reads no case
    city_office: object
    ledger: object
    overdue: list
    relapsed: object
    finding: object
    notice: object
    opinions: list
    louxing_finding: object


def _relapsed(w_office, leader_login, head_login, ledger, leader_person):
    item = ledger_services.item_create(actor=w_office, ledger=ledger, problem="会议多、文件多，文山会海反弹",
                                       measures="精简会议文件", four_winds=FourWinds.FORMALISM,
                                       lead_leaders=[leader_person])
    ledger_services.progress_add(actor=None, item=item, progress="已精简", leader=leader_person)
    request = ledger_services.closing_request(actor=leader_login, item=item, summary="已完成", files=[pdf("佐证.pdf")])
    ledger_services.closing_verify(actor=head_login, request=request)
    return ledger_services.item_relapse(actor=w_office, item=item, reason="检查发现会议数量又有回升")


def build_case_world() -> CaseWorld:
    tree = Tree()
    today = timezone.localdate()
    campaign = campaign_services.campaign_create(actor=None, owner_unit=tree.city, name="回头看",
                                                 starts_on=today - dt.timedelta(days=120),
                                                 ends_on=today + dt.timedelta(days=60))
    person = org_services.person_create
    head_person = person(actor=None, unit=tree.lianyuan, name="张卫国", position="市委书记", is_party_leader=True,
                         is_unit_head=True)
    leader_person = person(actor=None, unit=tree.lianyuan, name="吴海波", position="市委常委", is_party_leader=True)
    cadre = person(actor=None, unit=tree.qiaotouhe, name="李明", position="党委委员")
    outsider_person = person(actor=None, unit=tree.louxing, name="王强", position="区委书记", is_unit_head=True)
    office = user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="case_office")
    head = user_create(Role.UNIT_HEAD, tree.lianyuan, person=head_person, username="case_head")
    leader = user_create(Role.RESPONSIBLE_LEADER, tree.lianyuan, person=leader_person, username="case_leader")
    city_office = user_create(Role.CAMPAIGN_OFFICE, tree.city, username="case_city_office")
    ledger = ledger_services.ledger_open(actor=office, campaign=campaign, unit=tree.lianyuan,
                                         kind=LedgerKind.LEADERSHIP)
    overdue = [ledger_services.item_create(actor=office, ledger=ledger, problem=f"逾期问题{n}", measures="整改",
                                           deadline_mode=DeadlineMode.DATE, due_on=today - dt.timedelta(days=10 + n),
                                           lead_leaders=[leader_person]) for n in range(3)]
    relapsed = _relapsed(office, leader, head, ledger, leader_person)
    finding = supervision_services.finding_record(actor=city_office, unit=tree.lianyuan, item=relapsed,
                                                  description="文山会海问题反弹，形式主义突出")
    notice = notice_services.notice_issue(actor=city_office, addressed_unit=tree.lianyuan, title="关于文山会海反弹的督办通知",
                                          requirements="限期整改", findings=[finding],
                                          answer_due_on=today + dt.timedelta(days=7))
    publication = publicity_services.publication_create(actor=office, kind=PublicationKind.LEDGER, ledger=ledger)
    publicity_services.publication_choose(actor=office, publication=publication, title=publication.title,
                                          item_ids=[relapsed.pk])
    built = publicity_services.publication_preview(actor=office, publication=publication)
    publicity_services.publication_publish(actor=office, publication=publication, digest=built.digest)
    opinions = [opinion_services.opinion_submit(unit=tree.lianyuan, kind=OpinionKind.REPORT, subject=f"反映会议过多{n}",
                                                content="开会太多，干部没时间下基层。", about_item=relapsed).opinion
                for n in range(4)]
    louxing_office = user_create(Role.CAMPAIGN_OFFICE, tree.louxing, username="case_louxing_office")
    louxing_finding = supervision_services.finding_record(actor=louxing_office, unit=tree.leping,
                                                          description="乐坪街道台账不全")
    return CaseWorld(
        tree=tree, campaign=campaign, head_person=head_person, leader_person=leader_person, cadre=cadre,
        outsider_person=outsider_person,
        discipline=user_create(Role.DISCIPLINE, tree.city, username="case_discipline"),
        head=head, louxing_head=user_create(Role.UNIT_HEAD, tree.louxing, person=outsider_person,
                                            username="case_louxing_head"),
        office=office, city_office=city_office, ledger=ledger, overdue=overdue, relapsed=relapsed, finding=finding,
        notice=notice, opinions=opinions, louxing_finding=louxing_finding)


def relapse_case(w: CaseWorld, actor=None, **overrides):
    """The relapse's case with 一案双查: 李明 directly responsible (通报批评), 吴海波 the leader (诫勉批评)."""
    today = timezone.localdate()
    fields = dict(
        actor=actor or w.discipline, unit=w.tree.lianyuan, campaign=w.campaign, title="涟源市文山会海问题反弹",
        cause=CaseCause.RELAPSE, facts="经查，涟源市会议文件数量反弹。", double_check=True, decided_on=today,
        decider="中共娄底市纪委", items=[w.relapsed], findings=[w.finding], notices=[w.notice],
        opinions=[w.opinions[0]],
        actions=[(w.cadre, Responsibility.DIRECT, ActionKind.CIRCULATE, today, "通报批评"),
                 (w.leader_person, Responsibility.LEADER, ActionKind.ADMONISH, today, "诫勉谈话")])
    fields.update(overrides)
    return case_services.case_record(**fields)
