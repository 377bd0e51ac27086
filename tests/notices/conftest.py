"""娄底市 > 涟源市 > 桥头河镇 with 市委第二督导组 (dispatched by 娄底市, assigned 涟源市) and the logins of 督办:
娄底市's office and head (the issuing side above), the group's member, 涟源市's office, head and filler (the
addressed unit), 桥头河镇's office (below) and 娄星区's office (outside); a supervision finding of 涟源市."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huitoukan.access.models import Role
from huitoukan.notices import services
from huitoukan.orgs import services as org_services
from huitoukan.supervision import services as supervision_services
from tests.conftest import Tree, built_once, user_create

TODAY = dt.date(2015, 3, 2)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name="整改报告.pdf", body=PDF):
    return SimpleUploadedFile(name, body)


@dataclass
class World:
    tree: Tree
    group: object
    finding: object
    city_office: object
    city_head: object
    supervisor: object
    office: object  # 涟源市 活动办: answers
    head: object
    filler: object
    township_office: object
    outsider: object


def build_world() -> World:
    tree = Tree()
    group = org_services.supervision_group_create(actor=None, dispatched_by=tree.city, name="市委第二督导组",
                                                  assigned_units=[tree.lianyuan])
    city_office = user_create(Role.CAMPAIGN_OFFICE, tree.city, username="loudi_office")
    finding = supervision_services.finding_record(actor=city_office, unit=tree.lianyuan,
                                                  description="整改台账未明确整改时限")
    return World(
        tree=tree, group=group, finding=finding, city_office=city_office,
        city_head=user_create(Role.UNIT_HEAD, tree.city, username="loudi_head"),
        supervisor=user_create(Role.SUPERVISOR, tree.lianyuan, group=group, username="supervisor2"),
        office=user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="lianyuan_office"),
        head=user_create(Role.UNIT_HEAD, tree.lianyuan, username="lianyuan_head"),
        filler=user_create(Role.UNIT_FILLER, tree.lianyuan, username="lianyuan_filler"),
        township_office=user_create(Role.CAMPAIGN_OFFICE, tree.qiaotouhe, username="qiaotouhe_office"),
        outsider=user_create(Role.CAMPAIGN_OFFICE, tree.louxing, username="louxing_office"),
    )


@pytest.fixture(scope="module")
def notice_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        yield build_world()


@pytest.fixture
def w(notice_world, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return notice_world


def issue(w, actor=None, unit=None, *, today=TODAY, due=None, **kwargs):
    """A notice from the city's office (by default) to 涟源市, due a week after `today`."""
    fields = {"title": "关于督促涟源市抓好整改落实的督办通知", "problems": "文山会海问题突出\n调查研究不深入",
              "requirements": "限期整改到位", **kwargs}
    return services.notice_issue(actor=actor or w.city_office, addressed_unit=unit or w.tree.lianyuan,
                                 answer_due_on=due or today + dt.timedelta(days=7), today=today, **fields)
