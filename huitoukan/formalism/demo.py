"""The demo's 形式主义预警: 桥头河镇 copied a problem of 涟源市's ledger nearly word for word into its own and proved
its item with the very photo 涟源市 had uploaded, so the scan finds one 跨单位雷同 and one 佐证材料重复使用 at
each of the two units. 涟源市's office and the 市委第二督导组 see both units' flags; 桥头河镇's office sees its own,
where 涟源市 shows only as another unit (it may not read 涟源市's work).
Called by the portal's demo (huitoukan.portal.demo) after the other parts; written once (a second run adds nothing).
Everything goes through the services (the ledgers' items, progress and evidence, then formalism_scan)."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction

from huitoukan.formalism import services
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import DeadlineMode, FourWinds, Handling, Ledger, ProblemLevel, Source
from huitoukan.ledgers.services import NewItem
from huitoukan.orgs.models import Person

COUNTY_PROBLEM = "部分窗口服务人员群众观念淡薄，办事拖拉推诿，低保评定、宅基地审批等群众反映集中的问题久拖不决"
# The township's copy: its service centre's name put in front, the rest as 涟源市 wrote it (3-gram Jaccard 0.85).
TOWNSHIP_PROBLEM = "镇便民服务中心" + COUNTY_PROBLEM
MEASURES = "推行首问负责、限时办结和一次性告知，低保评定、宅基地审批实行公开承诺、按月通报"
# One photo, uploaded by both units as the proof of their own item.
PHOTO = (b"%PDF-1.4\n% \xe4\xbe\xbf\xe6\xb0\x91\xe6\x9c\x8d\xe5\x8a\xa1\xe4\xb8\xad\xe5\xbf\x83 window\n"
         b"1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def _item(*, office, unit, campaign, problem: str, lead: Person, today: dt.date):
    """The unit's 领导班子 ledger (opened if it has none) and one item in it, with its first progress."""
    ledger = (Ledger.objects.filter(campaign=campaign, unit=unit, kind=LedgerKind.LEADERSHIP).first()
              or ledger_services.ledger_open(actor=office, campaign=campaign, unit=unit, kind=LedgerKind.LEADERSHIP))
    [item] = ledger_services.items_create_bulk(actor=office, ledger=ledger, rows=[NewItem(
        seq=None, problem=problem, lead_leaders=[lead], responsible_units=[unit], progress_leader=lead,
        reported_on=today, progress={"progress": "窗口工作人员实行挂牌上岗，低保、宅基地积案已清理过半。"},
        fields={"measures": MEASURES, "four_winds": FourWinds.BUREAUCRATISM, "problem_level": ProblemLevel.WORK,
                "handling": Handling.WITHIN_DEADLINE, "source": Source.PUBLIC_OPINION,
                "deadline_mode": DeadlineMode.DATE, "due_on": today + dt.timedelta(days=30)})])
    return item


@transaction.atomic
def demo_formalism(*, office, township_office, campaign, county, township, today: dt.date) -> dict | None:
    """`office` of `county` (涟源市) and `township_office` of `township` (桥头河镇) each write their item and upload
    the one photo; then the scan, as the nightly task runs it. Returns its counts (None: loaded before)."""
    if Ledger.objects.filter(campaign=campaign, unit=township).exists():
        return None
    county_item = _item(office=office, unit=county, campaign=campaign, problem=COUNTY_PROBLEM, today=today,
                        lead=Person.objects.get(unit=county, name="罗建华"))
    township_item = _item(office=township_office, unit=township, campaign=campaign, problem=TOWNSHIP_PROBLEM,
                          today=today, lead=Person.objects.get(unit=township, name="胡春林"))
    ledger_services.evidence_add(actor=office, item=county_item,
                                 files=[ContentFile(PHOTO, name="便民服务中心窗口整改现场.pdf")])
    ledger_services.evidence_add(actor=township_office, item=township_item,
                                 files=[ContentFile(PHOTO, name="桥头河镇便民服务中心整改照片.pdf")])
    return services.formalism_scan(campaign=campaign)
