"""The demo's 回头看复查: two 立行立改 items of 涟源市 closed months ago, so the office sees a recheck due (待复查,
with its reminder) and one already confirmed with a fresh file (已复查), beside the rounds still to come (未到期).
Called by the portal's demo (huitoukan.portal.demo) after the other parts; written once (a second run adds nothing).

Everything goes through the services: the items, their first progress, the 销号 request and its 核验 (ledgers),
the planning, the confirmation and the reminders (rechecks). One thing cannot: the demo lives in the present and
核验销号 dates a closing today (`ledgers.services._decide`), so no recheck of the demo could be due. So each item's
销号日期 is set back here, demo only (`_demo_closing_date`), as a recorded change of the item, before its rechecks
are planned from it. Nothing else is back-dated: the request, the decision and the files keep the moments they
were really written, which the items' chains seal (docs/ledger-chain.md), so `ledger-verify` stays clean.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction

from huitoukan.core import hooks
from huitoukan.ledgers import chain
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import (
    DeadlineMode,
    FourWinds,
    Handling,
    Item,
    ItemEvent,
    ItemEventKind,
    Ledger,
    ProblemLevel,
    Source,
)
from huitoukan.ledgers.services import NewItem
from huitoukan.orgs.models import Person
from huitoukan.rechecks import services
from huitoukan.rechecks.models import Recheck, RecheckState

# The one due now: closed about four months ago (its 3-month round came due 20 days ago: the office is reminded,
# the head not yet, who is reminded only 30 days after the date).
DUE_PROBLEM = "乡镇干部“走读”现象依然存在，工作日晚上和节假日值班带班制度落实不到位"
DUE_DAYS_AGO = 20
# The one already rechecked: closed about five months ago, its 3-month round confirmed today with a fresh photo.
DONE_PROBLEM = "公车私用问题时有发生，节假日公务用车未按规定封存"
DONE_DAYS_AGO = 50
DEMO_REASON = "演示数据：销号日期设为%(day)s（演示系统的销号都在今天，使回头看复查到期；仅演示数据如此）"


def _pdf(title: str) -> bytes:
    """A small PDF of its own: two files with the same bytes would be one file reused (形式主义预警)."""
    return f"%PDF-1.4\n% {title}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".encode()


def _demo_closing_date(item: Item, closed_on: dt.date, operator) -> Item:
    """Demo only: the item, just closed (today) through the services, gets `closed_on` as its 销号日期. Written as
    the item's writes are: a history row by the demo's operator saying why, a line on its timeline, and a link of
    its chain (ledgers.chain.seal_item, as every change of an item's content), so the history still shows who
    closed it and when, and ledger-verify finds nothing to report. Never called outside the demo."""
    reason = DEMO_REASON % {"day": closed_on.isoformat()}
    item.closed_on = closed_on
    item._history_user = operator
    item._change_reason = reason
    item.save()
    chain.seal_item(item)
    ItemEvent.objects.create(item=item, kind=ItemEventKind.UPDATED, actor=operator, status_before=item.status,
                             status_after=item.status, note=reason)
    return item


def _closed_long_ago(*, leader, head, operator, items: list[Item], closed_on: dict[int, dt.date]) -> None:
    """Each item closed through the services (the lead leader asks with a file, the head verifies), then dated
    back. The closing's hook (planning rechecks of items closed since yesterday) is held to the end of the block
    (core.hooks.gathered), so it sees the 销号日期 as set and plans nothing: `rechecks_plan` plans from it."""
    with hooks.gathered():
        for item in items:
            request = ledger_services.closing_request(
                actor=leader, item=item, summary="已按措施整改到位，建立长效机制，申请销号。",
                files=[ContentFile(_pdf(f"销号佐证 {item.problem}"), name="整改完成情况佐证.pdf")])
            item = ledger_services.closing_verify(actor=head, request=request, note="经核验，同意销号。")
            _demo_closing_date(item, closed_on[item.pk], operator)


@transaction.atomic
def demo_rechecks(*, operator, office, leader, head, campaign, unit, today: dt.date) -> list[Recheck]:
    """`office`, `leader` (吴海波, the items' lead leader) and `head` (张卫国) of `unit` (涟源市) in `campaign`;
    `operator`: the demo's login that dates the closings back. Returns the rechecks planned."""
    ledger = Ledger.objects.get(campaign=campaign, unit=unit, kind=LedgerKind.LEADERSHIP)
    if Item.objects.filter(ledger=ledger, problem=DUE_PROBLEM).exists():
        return []
    lead = Person.objects.get(user=leader)
    fields = {"four_winds": FourWinds.BUREAUCRATISM, "problem_level": ProblemLevel.WORK, "handling": Handling.NOW,
              "source": Source.PUBLIC_OPINION, "deadline_mode": DeadlineMode.IMMEDIATE}
    rows = [
        NewItem(seq=None, problem=DUE_PROBLEM, lead_leaders=[lead], responsible_units=[unit], fields={
            **fields, "measures": "乡镇干部工作日住乡住村，实行值班带班和去向公示制度，市委督查室每月暗访"},
            progress={"progress": "全市乡镇全面落实值班带班和去向公示制度，暗访未发现“走读”现象。"},
            progress_leader=lead, reported_on=today),
        NewItem(seq=None, problem=DONE_PROBLEM, lead_leaders=[lead], responsible_units=[unit], fields={
            **fields, "four_winds": FourWinds.EXTRAVAGANCE, "measures": "公务用车统一管理，节假日一律封存，安装定位系统"},
            progress={"progress": "公务用车全部安装北斗定位，节假日统一封存并公示。"},
            progress_leader=lead, reported_on=today),
    ]
    due, done = ledger_services.items_create_bulk(actor=office, ledger=ledger, rows=rows)
    closed_on = {due.pk: services.add_months(today - dt.timedelta(days=DUE_DAYS_AGO), -3),
                 done.pk: services.add_months(today - dt.timedelta(days=DONE_DAYS_AGO), -3)}
    _closed_long_ago(leader=leader, head=head, operator=operator, items=[due, done],
                     closed_on=closed_on)
    services.rechecks_plan(campaign=campaign)
    first = Recheck.objects.get(item=done, round_months=3, state=RecheckState.PENDING)
    services.recheck_confirm(
        actor=leader, recheck=first, today=today,
        note="回访乡镇和车管部门，节假日公务用车全部封存，定位记录无异常，整改成果巩固。",
        files=[ContentFile(_pdf("节假日公务用车封存检查记录"), name="节假日公车封存检查记录.pdf")])
    services.reminders_send(today=today)
    return list(Recheck.objects.filter(item__in=[due, done]))
