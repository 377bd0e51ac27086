"""The plans' test world: 涟源市 with its office, filler and head, a campaign of 娄底市, ledger items of
涟源市 in it, and the same kinds of things elsewhere (娄星区, another campaign) that a plan may not touch."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from huitoukan.access.models import Role
from huitoukan.campaigns import services as campaign_services
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.orgs import services as org_services
from huitoukan.plans import services
from huitoukan.plans.models import PlanKind
from tests.conftest import user_create

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="整改方案.pdf", body=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def docx_bytes(extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx(name="整改方案.docx", body=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body if body is not None else docx_bytes())


@dataclass
class PlanWorld:
    tree: object
    campaign: object  # 娄底市's campaign: 涟源市 and 娄星区 take part
    other_campaign: object  # another campaign of 娄底市
    items: list  # 涟源市's items in `campaign`
    item_other_unit: object  # 娄星区's item in `campaign`
    item_other_campaign: object  # 涟源市's item in `other_campaign`
    person: object  # a person of 桥头河镇 (below 涟源市)
    person_elsewhere: object  # a person of 娄星区
    office: object
    filler: object
    head: object
    office_out: object  # 娄星区's office


def _campaign(owner, name):
    return campaign_services.campaign_create(actor=None, owner_unit=owner, name=name,
                                             starts_on=dt.date(2014, 12, 31), ends_on=dt.date(2015, 3, 31))


def _items(campaign, unit, problems):
    ledger = ledger_services.ledger_open(actor=None, campaign=campaign, unit=unit, kind=LedgerKind.LEADERSHIP)
    return [ledger_services.item_create(actor=None, ledger=ledger, problem=p, measures="按期整改") for p in problems]


def build(tree) -> PlanWorld:
    campaign = _campaign(tree.city, "娄底市回头看")
    other = _campaign(tree.city, "娄底市专项检查")
    return PlanWorld(
        tree=tree, campaign=campaign, other_campaign=other,
        items=_items(campaign, tree.lianyuan, ["文山会海问题突出", "调查研究不深入", "公款吃喝"]),
        item_other_unit=_items(campaign, tree.louxing, ["会议过多"])[0],
        item_other_campaign=_items(other, tree.lianyuan, ["检查评比过多"])[0],
        person=org_services.person_create(actor=None, unit=tree.qiaotouhe, name="彭光辉", position="镇党委书记"),
        person_elsewhere=org_services.person_create(actor=None, unit=tree.louxing, name="贺军", position="区委常委"),
        office=user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="office"),
        filler=user_create(Role.UNIT_FILLER, tree.lianyuan, username="filler"),
        head=user_create(Role.UNIT_HEAD, tree.lianyuan, username="head"),
        office_out=user_create(Role.CAMPAIGN_OFFICE, tree.louxing, username="office_out"),
    )


def plan_with_parts(world: PlanWorld, *, actor=None, kind=PlanKind.RECTIFICATION):
    """涟源市's 整改方案 with a body, two steps, three tasks and two linked items."""
    unit = world.tree.lianyuan
    plan = services.plan_create(actor=actor, unit=unit, campaign=world.campaign, kind=kind,
                                title="涟源市“回头看”整改方案", body="<p>一、总体要求</p><p>二、主要任务</p>")
    services.step_add(actor=actor, plan=plan, title="动员部署", description="召开动员大会")
    services.step_add(actor=actor, plan=plan, title="查摆问题")
    services.task_add(actor=actor, plan=plan, spec=services.TaskSpec(
        task="压缩会议数量", lead="市委办", owner=world.person, due_on=dt.date(2015, 3, 31)))
    services.task_add(actor=actor, plan=plan, spec=services.TaskSpec(
        task="精简文件简报", lead="市政府办", owner_text="李明", due_on=dt.date(2015, 2, 15)))
    services.task_add(actor=actor, plan=plan, spec=services.TaskSpec(task="建立长效机制", notes="长期坚持"))
    services.plan_link_items(actor=actor, plan=plan, items=world.items[:2])
    return plan
