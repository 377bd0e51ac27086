import copy
import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from huitoukan.access.models import Role
from huitoukan.campaigns import services as campaign_services
from huitoukan.campaigns.models import Campaign
from huitoukan.ledgers import services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import Ledger
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import Person
from tests.conftest import Tree, built_once, user_create

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="整改佐证.pdf", body=PDF):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@dataclass
class LedgerWorld:
    tree: object
    campaign: object
    head_person: object
    leader_person: object
    other_leader: object
    leader: object  # the login of 吴海波, a 责任领导
    other: object  # the login of 罗建华, another 责任领导
    office: object
    head: object
    filler: object
    ledger: object


def lw_build(tree, make_user) -> LedgerWorld:
    """涟源市's campaign office, filler, head and two 责任领导, and its 领导班子 ledger, made through the services."""
    campaign = campaign_services.campaign_create(
        actor=None, owner_unit=tree.city, name="回头看", starts_on=dt.date(2014, 12, 31), ends_on=dt.date(2015, 2, 28)
    )
    head_person = org_services.person_create(actor=None, unit=tree.lianyuan, name="张卫国", position="市委书记",
                                             is_party_leader=True, is_unit_head=True)
    leader_person = org_services.person_create(actor=None, unit=tree.lianyuan, name="吴海波",
                                               position="市委常委、组织部长", is_party_leader=True)
    other_leader = org_services.person_create(actor=None, unit=tree.lianyuan, name="罗建华", position="市长",
                                              is_party_leader=True)
    leader = make_user(Role.RESPONSIBLE_LEADER, tree.lianyuan, person=leader_person, username="wuhaibo")
    other = make_user(Role.RESPONSIBLE_LEADER, tree.lianyuan, person=other_leader, username="luojianhua")
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="office")
    head = make_user(Role.UNIT_HEAD, tree.lianyuan, person=head_person, username="head")
    filler = make_user(Role.UNIT_FILLER, tree.lianyuan, username="filler")
    ledger = services.ledger_open(actor=office, campaign=campaign, unit=tree.lianyuan, kind=LedgerKind.LEADERSHIP)
    return LedgerWorld(tree, campaign, head_person, leader_person, other_leader, leader, other, office, head, filler,
                       ledger)


@pytest.fixture
def lw(tree, make_user, settings, tmp_path) -> LedgerWorld:
    settings.MEDIA_ROOT = tmp_path / "media"
    return lw_build(tree, make_user)


@pytest.fixture(scope="module")
def lw_once(django_db_setup, django_db_blocker, tmp_path_factory) -> LedgerWorld:
    with built_once(django_db_blocker, tmp_path_factory):
        yield lw_build(Tree(), user_create)


@pytest.fixture
def lw_shared(lw_once, db, settings, tmp_path) -> LedgerWorld:
    """`lw` built once for a module whose tests all use it: a module opts in by defining
    `lw` as this. Each test gets the same rows as new objects, so what a test changes on its
    objects (or caches on its users, like their scopes) does not reach the next test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    people = Person.objects.in_bulk([lw_once.head_person.pk, lw_once.leader_person.pk, lw_once.other_leader.pk])
    users = get_user_model().objects.in_bulk(
        [u.pk for u in (lw_once.leader, lw_once.other, lw_once.office, lw_once.head, lw_once.filler)])
    return LedgerWorld(
        copy.copy(lw_once.tree).refresh(), Campaign.objects.get(pk=lw_once.campaign.pk),
        people[lw_once.head_person.pk], people[lw_once.leader_person.pk], people[lw_once.other_leader.pk],
        users[lw_once.leader.pk], users[lw_once.other.pk], users[lw_once.office.pk], users[lw_once.head.pk],
        users[lw_once.filler.pk], Ledger.objects.get(pk=lw_once.ledger.pk),
    )


def reported(lw, item, text="已按措施整改"):
    """The item with one progress entry (the office writes it for its first lead leader): closing needs one."""
    leader = item.lead_leaders.first()
    services.progress_add(actor=None, item=item, progress=text, leader=leader)
    return item
