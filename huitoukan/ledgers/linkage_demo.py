"""The demo's 上下联动 (ledgers.linkage): the lead's loader calls `demo_linkage` after the ledgers are written.

Three links of 涟源市, through the services by the demo's logins:

- 户籍、出入境证件 (a new item of its 领导班子 ledger: the approvals sit with the city's police) handed up by
  涟源市's office to 市公安局 (its sector's 主管部门, 公安), claimed by 市公安局's office with its measures, a
  deadline and its lead leader 谭志刚, who writes one progress entry himself (the login `gongan_leader`);
- 群众办事难 (its 专项整治 item) handed up to 娄底市 and still 待认领 (for `loudi_office` to claim or decline);
- 教育系统收受“红包”礼金问责办法 (its 制度建设 item) handed to 市公安局 by mistake and declined with a reason: it
  waits for 涟源市 to hand it to 市教育局.

市公安局 has no people and no logins in the demo's tree: its office `gongan_office` and its leader `gongan_leader`
(谭志刚) are made here by the server operator if the loader's lists have not made them. Loading twice adds
nothing.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model

from huitoukan.access import policy
from huitoukan.access import services as access_services
from huitoukan.access.models import AccountKind, Role, RoleAssignment
from huitoukan.ledgers import linkage
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.models import (
    DeadlineMode,
    FourWinds,
    Handling,
    Item,
    ItemLink,
    Ledger,
    LedgerKind,
    LinkState,
    ProblemLevel,
    Source,
)
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import Person, Unit

POLICE = "娄底市/市公安局"
COUNTY = "娄底市/涟源市"
LEADER_NAME, LEADER_POSITION = "谭志刚", "市公安局党委副书记、常务副局长"
# (username, role, unit, person, note): the lead may add them to portal.demo.LOGINS so that `huitoukan demo` prints
# them; made here when absent.
POLICE_LOGINS = [
    ("gongan_office", Role.CAMPAIGN_OFFICE, POLICE, "", "市公安局活动办，认领涟源市提请牵头的事项"),
    ("gongan_leader", Role.RESPONSIBLE_LEADER, POLICE, LEADER_NAME, "市公安局牵头领导，填报牵头事项进展"),
]

ID_PROBLEM = "户籍迁移、出入境证件办理须到市公安局审批，群众多头跑、来回跑"
ID_MEASURES = "梳理公安审批事项，能下放的提请下放，推行网上预约和就近受理"
ID_REASON = "户籍迁移、出入境证件的审批权限在市公安局，本级无法解决，提请市公安局牵头下放权限、统一办理流程。"
ID_CLAIM = "下放户籍迁移审批和出入境证件受理权限至涟源市公安局，开通网上预约和邮寄送达，办理时限由15天压缩到7天"
ID_PROGRESS = "户籍迁移审批权限已下放涟源市公安局；出入境证件受理窗口1月起在涟源市政务服务中心开放，已受理申请86件。"
ID_NEXT = "开通网上预约和证件邮寄送达，春节前完成。"
SERVICE_PROBLEM = "群众办事难"
SERVICE_REASON = "市、乡、村三级便民服务网络须依托市级统一的网上办事平台，平台建设和经费保障需市委牵头统筹。"
RULES_PROBLEM = "教育系统收受“红包”礼金问责办法"
RULES_REASON = "涉及教师收受礼金的查处，提请市公安局牵头。"
DECLINE_REASON = "该办法属教育系统行风建设和党纪问责，不属公安机关职责，请提请市教育局牵头。"


def _unit(path: str) -> Unit:
    return Unit.objects.get(full_name=path, abolished_on__isnull=True)


def _police_people_and_logins(operator, police: Unit) -> dict:
    """The person 谭志刚 and the two logins of 市公安局, made by the operator where absent."""
    leader = Person.objects.filter(unit=police, name=LEADER_NAME).first() or org_services.person_create(
        actor=operator, unit=police, name=LEADER_NAME, position=LEADER_POSITION, is_party_leader=True)
    users = {}
    for username, role, path, person_name, _note in POLICE_LOGINS:
        unit = _unit(path)
        user = get_user_model().objects.filter(username=username).first() or access_services.account_create(
            actor=operator, username=username, kind=AccountKind.BUSINESS, unit=unit,
            password=settings.DEMO_PASSWORD)
        person = leader if person_name == LEADER_NAME else None
        if person is not None and person.user_id is None:
            person = org_services.person_update(actor=operator, person=person, user=user)
        if not RoleAssignment.objects.filter(user=user, role=role, unit=unit).exists():
            access_services.role_grant(actor=operator, user=user, role=role, unit=unit, person=person)
        users[username] = user
    return users


def _link(item: Item, to_unit: Unit) -> ItemLink | None:
    return ItemLink.objects.filter(item=item, to_unit=to_unit).order_by("-pk").first()


def demo_linkage(*, operator, office, campaign, today: dt.date) -> None:
    """Write the three links (once: a second run adds nothing). `operator`: the server operator (`ops`), who makes
    市公安局's leader and logins; `office`: 涟源市's office (`lianyuan_office`), who hands the items up."""
    county, police, city = _unit(COUNTY), _unit(POLICE), _unit("娄底市")
    with policy.operating(operator):
        users = _police_people_and_logins(operator, police)
    police_office, police_leader = users["gongan_office"], users["gongan_leader"]
    leader = Person.objects.get(unit=police, name=LEADER_NAME)

    # 1. Handed up to 市公安局, claimed, with its leader's progress.
    team = Ledger.objects.get(campaign=campaign, unit=county, kind=LedgerKind.LEADERSHIP, person=None)
    ids = Item.objects.filter(ledger=team, problem=ID_PROBLEM).first() or ledger_services.item_create(
        actor=office, ledger=team, problem=ID_PROBLEM, measures=ID_MEASURES, four_winds=FourWinds.BUREAUCRATISM,
        problem_level=ProblemLevel.WORK, handling=Handling.WITHIN_DEADLINE, source=Source.PUBLIC_OPINION,
        deadline_mode=DeadlineMode.DATE, due_on=today + dt.timedelta(days=60),
        lead_leaders=list(Person.objects.filter(unit=county, name="罗建华")), responsible_units=[county])
    link = _link(ids, police) or linkage.link_hand_up(actor=office, item=ids, to_unit=police, reason=ID_REASON)
    if link.state == LinkState.PENDING:
        link = linkage.link_claim(actor=police_office, link=link, measures=ID_CLAIM,
                                  due_on=today + dt.timedelta(days=45), lead_leaders=[leader])
    if not ids.progress.filter(leader=leader).exists():
        ledger_services.progress_add(actor=police_leader, item=ids, leader=leader, reported_on=today,
                                     progress=ID_PROGRESS, next_steps=ID_NEXT)

    # 2. Handed up to 娄底市, 待认领.
    service = Item.objects.get(ledger__campaign=campaign, ledger__unit=county, problem=SERVICE_PROBLEM)
    if _link(service, city) is None:
        linkage.link_hand_up(actor=office, item=service, to_unit=city, reason=SERVICE_REASON)

    # 3. Handed to 市公安局 and declined with a reason.
    rules = Item.objects.get(ledger__campaign=campaign, ledger__unit=county, problem=RULES_PROBLEM)
    declined = _link(rules, police) or linkage.link_hand_up(actor=office, item=rules, to_unit=police,
                                                             reason=RULES_REASON)
    if declined.state == LinkState.PENDING:
        linkage.link_decline(actor=police_office, link=declined, reason=DECLINE_REASON)
