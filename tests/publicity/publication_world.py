"""A county with a published list and everything that must never reach the public beside it.

娄底市 > 涟源市 > 桥头河镇 (tests.conftest.Tree). 涟源市's 领导班子 ledger has two items: `shown`, whose texts name a
leader (张建国, 涟源市 市委书记), an ordinary person the office hides by hand (李四), a phone and an ID number; and
`hidden`, never chosen. Its 党员领导干部 ledger exists too (never publishable). 桥头河镇 has a draft nobody
published, and 娄星区 a list that was published and then withdrawn.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from huitoukan.access.models import Role
from huitoukan.campaigns import services as campaign_services
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import DeadlineMode
from huitoukan.orgs import services as org_services
from huitoukan.publicity import services
from huitoukan.publicity.models import PublicationKind
from tests.conftest import Tree, user_create

LEADER = "张建国"
ORDINARY = "李四"
PHONE = "13807381234"
ID_NUMBER = "43138119800101123X"
HIDDEN_PROBLEM = "未公开的问题：公车私用三起"
HIDDEN_PROGRESS = "未公开的进展：已追回油费"
DRAFT_PROBLEM = "桥头河镇草稿中的问题"
WITHDRAWN_PROBLEM = "娄星区已撤回的问题"
PERSONAL_PROBLEM = "领导个人整改措施：带头改进作风"
# Strings no public page, feed or download may ever contain.
SECRETS = (LEADER, ORDINARY, PHONE, ID_NUMBER, HIDDEN_PROBLEM, HIDDEN_PROGRESS, DRAFT_PROBLEM, WITHDRAWN_PROBLEM,
           PERSONAL_PROBLEM, "市委书记")


@dataclass
class World:
    tree: Tree
    campaign: object
    office: object  # 涟源市 活动办
    city_office: object
    filler: object
    leader: object
    ledger: object
    shown: object
    hidden: object
    personal: object
    publication: object  # published (v1): `shown` only, 李四 hidden by hand
    draft: object  # 桥头河镇's, never published
    withdrawn: object  # 娄星区's, published then withdrawn


def publish(actor, publication):
    built = services.publication_preview(actor=actor, publication=publication)
    return services.publication_publish(actor=actor, publication=publication, digest=built.digest)


def _ledger_with(actor, campaign, unit, problem):
    ledger = ledger_services.ledger_open(actor=actor, campaign=campaign, unit=unit, kind=LedgerKind.LEADERSHIP)
    item = ledger_services.item_create(actor=actor, ledger=ledger, problem=problem, measures="建立制度")
    return ledger, item


def build_world() -> World:
    tree = Tree()
    city_office = user_create(Role.CAMPAIGN_OFFICE, tree.city, username="pub_city_office")
    office = user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="pub_office")
    filler = user_create(Role.UNIT_FILLER, tree.lianyuan, username="pub_filler")
    campaign = campaign_services.campaign_create(actor=city_office, owner_unit=tree.city, name="回头看",
                                                 starts_on=dt.date(2014, 10, 1), ends_on=dt.date(2015, 6, 30))
    leader = org_services.person_create(actor=None, unit=tree.lianyuan, name=LEADER, position="市委书记",
                                        is_party_leader=True, is_unit_head=True)
    ledger = ledger_services.ledger_open(actor=office, campaign=campaign, unit=tree.lianyuan,
                                         kind=LedgerKind.LEADERSHIP)
    shown = ledger_services.item_create(
        actor=office, ledger=ledger, lead_leaders=[leader], responsible_units=[tree.lianyuan],
        problem=f"群众反映办事难，{LEADER}同志牵头整改；{ORDINARY}来电{PHONE}反映，身份证{ID_NUMBER}",
        measures=f"由{LEADER}约谈窗口负责人", deadline_mode=DeadlineMode.DATE, due_on=dt.date(2015, 3, 31))
    ledger_services.progress_add(actor=office, item=shown, leader=leader, progress=f"已整改，{ORDINARY}表示满意",
                                 reported_on=dt.date(2015, 1, 20))
    hidden = ledger_services.item_create(actor=office, ledger=ledger, problem=HIDDEN_PROBLEM, measures="追责",
                                         lead_leaders=[leader])
    ledger_services.progress_add(actor=office, item=hidden, leader=leader, progress=HIDDEN_PROGRESS,
                                 reported_on=dt.date(2015, 1, 21))
    personal = ledger_services.ledger_open(actor=office, campaign=campaign, unit=tree.lianyuan,
                                           kind=LedgerKind.PERSONAL, person=leader)
    ledger_services.item_create(actor=office, ledger=personal, problem=PERSONAL_PROBLEM)

    publication = services.publication_create(actor=office, kind=PublicationKind.LEDGER, ledger=ledger)
    services.publication_choose(actor=office, publication=publication, item_ids=[shown.pk],
                                title=publication.title, extra_redactions=ORDINARY)
    publish(office, publication)

    township_ledger, _item = _ledger_with(office, campaign, tree.qiaotouhe, DRAFT_PROBLEM)
    draft = services.publication_create(actor=office, kind=PublicationKind.LEDGER, ledger=township_ledger)
    services.publication_choose(actor=office, publication=draft, item_ids=[_item.pk], title=draft.title)

    louxing_ledger, louxing_item = _ledger_with(city_office, campaign, tree.louxing, WITHDRAWN_PROBLEM)
    withdrawn = services.publication_create(actor=city_office, kind=PublicationKind.LEDGER, ledger=louxing_ledger)
    services.publication_choose(actor=city_office, publication=withdrawn, item_ids=[louxing_item.pk],
                                title=withdrawn.title)
    publish(city_office, withdrawn)
    services.publication_withdraw(actor=city_office, publication=withdrawn, reason="内容有误")
    publication.refresh_from_db()
    return World(tree=tree, campaign=campaign, office=office, city_office=city_office, filler=filler, leader=leader,
                 ledger=ledger, shown=shown, hidden=hidden, personal=personal, publication=publication, draft=draft,
                 withdrawn=withdrawn)
