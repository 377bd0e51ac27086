"""The demo's 责任追究: the lead's loader calls `demo_cases` after the publicity demo.

One case by the city's 纪委 login, of what the suggestions page proposes for 涟源市: the 窗口 item (门难进、脸难看、
事难办, 官僚主义) was closed, then relapsed (反弹) — a case with 一案双查: the director of the 政务服务中心 directly
responsible (通报批评) and the item's lead leader 罗建华 (诫勉批评). It cites the item and what the 纪委 may read about
it (the public's letter 政务服务中心窗口午休无人, sent from the item; the 暗访's finding about it stays sealed), so its
问题链条 shows them 已关联.

桥头河镇's red 督办通知单 is left for the clerk: its 约谈提醒 suggestion stays 待研究, with its 立案 button.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db.models import Q

from huitoukan.accountability import case_selectors, case_services
from huitoukan.accountability.models import ActionKind, Case, CaseCause, Responsibility
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.models import ClosingState, FourWinds, Item, ItemStatus
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import Person, Unit

WINDOW_PROBLEM = "窗口单位“门难进、脸难看、事难办”问题群众反映强烈"
RELAPSE_TITLE = "涟源市政务服务中心窗口“门难进、脸难看、事难办”问题反弹"
DECIDER = "中共娄底市纪委、市委组织部"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _unit(path: str) -> Unit:
    return Unit.objects.get(full_name=path, abolished_on__isnull=True)


def _relapsed_window(*, office, leader, head, lianyuan: Unit) -> Item:
    """A 四风 item of 涟源市 in 反弹: the one there is, or the 窗口 item closed and relapsed through the services."""
    found = (Item.objects.filter(ledger__unit=lianyuan, status=ItemStatus.RELAPSED).exclude(four_winds="")
             .order_by("pk").first())
    if found is not None:
        return found
    item = Item.objects.get(ledger__unit=lianyuan, problem=WINDOW_PROBLEM)
    if item.status != ItemStatus.CLOSED:
        request = item.closing_requests.filter(state=ClosingState.PENDING).first() or ledger_services.closing_request(
            actor=leader, item=item, summary="126项审批事项全部进驻，窗口作风明显好转，申请销号。",
            files=[ContentFile(PDF, name="窗口作风整改佐证.pdf")])
        ledger_services.closing_verify(actor=head, request=request, note="经核验，同意销号。")
    return ledger_services.item_relapse(actor=office, item=item,
                                        reason="暗访发现社保窗口工作时间离岗，群众排队等候时间长，问题反弹。")


def _director(office, lianyuan: Unit) -> Person:
    centre = _unit(f"{lianyuan.full_name}/涟源市政务服务中心")
    return (Person.objects.filter(unit=centre, name="周建明").first()
            or org_services.person_create(actor=office, unit=centre, name="周建明", position="主任"))


def demo_cases(*, discipline, office, leader, head, campaign, today: dt.date) -> None:
    """Record the relapse case (once: a second run adds nothing). `discipline`: the 纪委 login over 娄底市; `office`,
    `leader`, `head`: 涟源市's office, its lead leader 吴海波 and its head 张卫国 (for the relapse)."""
    lianyuan = _unit("娄底市/涟源市")
    if not Case.objects.filter(unit=lianyuan, title=RELAPSE_TITLE).exists():
        item = _relapsed_window(office=office, leader=leader, head=head, lianyuan=lianyuan)
        leaders = list(item.lead_leaders.order_by("pk"))
        direct = _director(office, lianyuan)
        # What the 纪委 may read about the item (a sealed 暗访's finding is not yet theirs to cite).
        readable = case_selectors.candidates_for(user=discipline, unit=lianyuan)
        case_services.case_record(
            actor=discipline, unit=lianyuan, campaign=campaign, title=RELAPSE_TITLE, cause=CaseCause.RELAPSE,
            facts="市委第二督导组暗访发现，涟源市政务服务中心社保窗口工作人员工作时间离岗，群众排队等候约25分钟；"
                  "该问题已于整改中销号，属“四风”问题反弹回潮。",
            double_check=True, decided_on=today, decider=DECIDER, items=[item],
            findings=list(readable.findings.filter(Q(item=item) | Q(linked_item=item))),
            opinions=list(readable.opinions.filter(Q(about_item=item) | Q(ledger_item=item))),
            actions=[(direct, Responsibility.DIRECT, ActionKind.CIRCULATE, today, "在全市范围内通报批评。"),
                     (leaders[0], Responsibility.LEADER, ActionKind.ADMONISH, today,
                      f"作为牵头领导（{FourWinds(item.four_winds).label}问题），督促整改不严，予以诫勉谈话。")])
