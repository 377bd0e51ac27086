"""A city campaign with 涟源市's 领导班子 ledger, 市委第二督导组 assigned 涟源市, and the logins of 督查督办:
涟源市's office, head and filler, the group's member, 娄底市's office (ordering office above), 桥头河镇's office,
and 娄星区's office (outside)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huitoukan.access.models import Role
from huitoukan.campaigns import services as campaign_services
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.orgs import services as org_services
from tests.conftest import Tree, built_once, user_create

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 32
MP4 = b"\0\0\0\x18ftypmp42" + b"\0" * 32


def upload(name="现场照片.jpg", body=JPEG):
    return SimpleUploadedFile(name, body)


@dataclass
class World:
    tree: Tree
    campaign: object
    ledger: object
    items: list
    group: object
    office: object  # 涟源市 活动办
    head: object
    filler: object
    supervisor: object  # 市委第二督导组, assigned 涟源市
    other_supervisor: object  # the same group, not on the team
    city_office: object  # 娄底市 活动办
    township_office: object  # 桥头河镇 活动办
    outsider: object  # 娄星区 活动办


def build_world() -> World:
    tree = Tree()
    campaign = campaign_services.campaign_create(
        actor=None, owner_unit=tree.city, name="娄底市回头看", starts_on=dt.date(2014, 12, 31),
        ends_on=dt.date(2015, 6, 30))
    ledger = ledger_services.ledger_open(actor=None, campaign=campaign, unit=tree.lianyuan,
                                         kind=LedgerKind.LEADERSHIP)
    leader = org_services.person_create(actor=None, unit=tree.lianyuan, name="吴海波", position="市委常委",
                                        is_party_leader=True)
    items = []
    for problem in ("文山会海问题突出", "调查研究不深入"):
        item = ledger_services.item_create(actor=None, ledger=ledger, problem=problem, measures="按期整改",
                                           lead_leaders=[leader])
        ledger_services.progress_add(actor=None, item=item, progress="已整改一部分", leader=leader)
        items.append(item)
    group = org_services.supervision_group_create(actor=None, dispatched_by=tree.city, name="市委第二督导组",
                                                  assigned_units=[tree.lianyuan])
    return World(
        tree=tree, campaign=campaign, ledger=ledger, items=items, group=group,
        office=user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="lianyuan_office"),
        head=user_create(Role.UNIT_HEAD, tree.lianyuan, username="lianyuan_head"),
        filler=user_create(Role.UNIT_FILLER, tree.lianyuan, username="lianyuan_filler"),
        supervisor=user_create(Role.SUPERVISOR, tree.lianyuan, group=group, username="supervisor2"),
        other_supervisor=user_create(Role.SUPERVISOR, tree.lianyuan, group=group, username="supervisor3"),
        city_office=user_create(Role.CAMPAIGN_OFFICE, tree.city, username="loudi_office"),
        township_office=user_create(Role.CAMPAIGN_OFFICE, tree.qiaotouhe, username="qiaotouhe_office"),
        outsider=user_create(Role.CAMPAIGN_OFFICE, tree.louxing, username="louxing_office"),
    )


@pytest.fixture(scope="module")
def sup_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        yield build_world()


@pytest.fixture
def w(sup_world, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return sup_world
