"""A campaign with one planted case of each 形式主义预警 check and its near-miss (the same shape, just short of
the threshold), on the test tree (娄底市 > 涟源市 > 桥头河镇 > 石狮村; 娄星区 > 乐坪街道; 市教育局).

Rows are written with the ORM (the checks read them, whichever service wrote them), the times set after
`auto_now_add` by an update. Every threshold is the default of formalism.checks.THRESHOLDS.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from dataclasses import dataclass, field

from django.utils import timezone

from huitoukan.access.models import Role
from huitoukan.campaigns import services as campaign_services
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import (
    ClosingRequest,
    ClosingState,
    DeadlineMode,
    Evidence,
    Item,
    ItemStatus,
    ProgressEntry,
)
from huitoukan.orgs import services as org_services
from tests.conftest import Tree, user_create

DUE = dt.date(2015, 1, 20)
_seq = itertools.count(1)
_sha = itertools.count(1)

RING = ("本单位部分干部深入基层调研不够，到联系点次数偏少，调研走马观花，对群众反映的突出问题研究解决不及时，"
        "群众意见较大")
NEAR = ("本单位部分干部深入基层调研不够，到联系点次数偏少，驻村工作队吃住在村的天数达不到规定，"
        "村级活动场所建设滞后，服务群众的能力有待提高")

OWN = "区委班子成员落实八项规定精神不够严格，公务接待中存在超标准陪餐现象，需要进一步规范接待管理"


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def sha() -> str:
    return hashlib.sha256(str(next(_sha)).encode()).hexdigest()


@dataclass
class World:
    tree: Tree
    campaign: object
    ledgers: dict
    leader: object
    office: object  # 涟源市 活动办
    supervisor: object  # 市委第二督导组, assigned 涟源市
    filler: object  # 涟源市 填报员
    head: object
    discipline: object
    outsider: object  # 娄星区 活动办
    planted: dict = field(default_factory=dict)  # name -> item(s)


def item(w: World, unit, *, status=ItemStatus.IN_PROGRESS, due=DUE, closed_on=None, problem="文山会海问题"):
    return Item.objects.create(ledger=w.ledgers[unit.pk], seq=next(_seq), problem=problem, status=status,
                               deadline_mode=DeadlineMode.DATE if due else DeadlineMode.NONE, due_on=due,
                               closed_on=closed_on)


def closed(w: World, unit, *, decided: dt.datetime, due=DUE, closed_on=None, files=(), problem="文山会海问题",
           status=ItemStatus.CLOSED):
    """A closed item with its verified closing; `files`: (size, content type, uploaded at) attached to it."""
    it = item(w, unit, status=status, due=due, closed_on=closed_on or decided.date(), problem=problem)
    closing = ClosingRequest.objects.create(item=it, summary="已整改到位", requested_by=w.office,
                                            state=ClosingState.VERIFIED, decided_by=w.office, decided_at=decided)
    for size, ctype, uploaded in files:
        evidence(it, size=size, ctype=ctype, uploaded=uploaded, closing=closing)
    return it


def evidence(it, *, size=500_000, ctype="image/jpeg", uploaded=None, closing=None, digest=None):
    e = Evidence.objects.create(item=it, closing_request=closing, sha256=digest or sha(), original_name="现场照片.jpg",
                                size=size, content_type=ctype)
    Evidence.objects.filter(pk=e.pk).update(uploaded_at=uploaded or at(DUE, 9))
    return e


def progress(w: World, it, when: dt.datetime, text="已按措施推进"):
    e = ProgressEntry.objects.create(item=it, reported_on=when.date(), progress=text, leader=w.leader,
                                     status_after=ItemStatus.IN_PROGRESS)
    ProgressEntry.objects.filter(pk=e.pk).update(created_at=when)
    return e


def build_world() -> World:
    tree = Tree()
    campaign = campaign_services.campaign_create(actor=None, owner_unit=tree.city, name="娄底市回头看",
                                                 starts_on=dt.date(2014, 12, 31), ends_on=dt.date(2015, 6, 30))
    units = [tree.city, tree.lianyuan, tree.qiaotouhe, tree.shishi, tree.louxing, tree.leping, tree.education]
    ledgers = {u.pk: ledger_services.ledger_open(actor=None, campaign=campaign, unit=u, kind=LedgerKind.LEADERSHIP)
               for u in units}
    group = org_services.supervision_group_create(actor=None, dispatched_by=tree.city, name="市委第二督导组",
                                                  assigned_units=[tree.lianyuan])
    leader = org_services.person_create(actor=None, unit=tree.lianyuan, name="吴海波", position="市委常委")
    w = World(tree=tree, campaign=campaign, ledgers=ledgers, leader=leader,
              office=user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="fm_office"),
              supervisor=user_create(Role.SUPERVISOR, tree.lianyuan, group=group, username="fm_supervisor"),
              filler=user_create(Role.UNIT_FILLER, tree.lianyuan, username="fm_filler"),
              head=user_create(Role.UNIT_HEAD, tree.lianyuan, username="fm_head"),
              discipline=user_create(Role.DISCIPLINE, tree.lianyuan, username="fm_discipline"),
              outsider=user_create(Role.CAMPAIGN_OFFICE, tree.louxing, username="fm_outsider"))
    p, verified = w.planted, at(DUE - dt.timedelta(days=5), 10)

    # The campaign's norm: 25 closings of 市教育局 with a 500 KB photo each, closed before their deadline.
    # 10 of them on their deadline day: 10 of 25 (40%) is short of the share (near-miss of the deadline check).
    for k in range(25):
        closed(w, tree.education, decided=verified, closed_on=DUE if k < 10 else DUE - dt.timedelta(days=3),
               files=[(500_000, "image/jpeg", verified - dt.timedelta(hours=2))])

    # 佐证材料重复使用: one photo on an item of 桥头河镇 and one of 乐坪街道.
    digest = sha()
    p["reused_a"] = item(w, tree.qiaotouhe)
    p["reused_b"] = item(w, tree.leping)
    evidence(p["reused_a"], digest=digest)
    evidence(p["reused_b"], digest=digest)
    p["reused_digest"] = digest
    # near-miss: the same file twice on one item (a progress report's photo kept with the closing too).
    once = item(w, tree.qiaotouhe)
    twice = sha()
    evidence(once, digest=twice)
    evidence(once, digest=twice)
    p["reused_same_item"] = once

    # 佐证晚于销号 (涟源市): a photo 2 hours after the closing was verified; near-misses: 30 minutes after
    # (within the grace), and after a closing of an item reopened since (反弹: new proof is expected).
    photo = [(500_000, "image/jpeg", verified - dt.timedelta(hours=1))]
    p["late"] = closed(w, tree.lianyuan, decided=verified, closed_on=DUE - dt.timedelta(days=5), files=photo)
    evidence(p["late"], uploaded=verified + dt.timedelta(hours=2))
    p["late_grace"] = closed(w, tree.lianyuan, decided=verified, closed_on=DUE - dt.timedelta(days=5), files=photo)
    evidence(p["late_grace"], uploaded=verified + dt.timedelta(minutes=30))
    p["late_relapsed"] = closed(w, tree.lianyuan, decided=verified, closed_on=DUE - dt.timedelta(days=5),
                                files=photo, status=ItemStatus.RELAPSED)
    evidence(p["late_relapsed"], uploaded=verified + dt.timedelta(days=3))

    # 佐证材料过小 (桥头河镇): a 10 KB photo (2% of the 500 KB median); near-misses: 30 KB (6%), and a
    # 10 KB photo beside a real one.
    before = verified - dt.timedelta(hours=1)
    p["tiny"] = closed(w, tree.qiaotouhe, decided=verified, closed_on=DUE - dt.timedelta(days=5),
                       files=[(10_000, "image/jpeg", before)])
    p["tiny_near"] = closed(w, tree.qiaotouhe, decided=verified, closed_on=DUE - dt.timedelta(days=5),
                            files=[(30_000, "image/jpeg", before)])
    p["tiny_with_real"] = closed(w, tree.qiaotouhe, decided=verified, closed_on=DUE - dt.timedelta(days=5),
                                 files=[(10_000, "image/jpeg", before), (400_000, "image/jpeg", before)])

    # 集中在时限当天销号: 娄星区 closes 10 items on their deadline day; 石狮村 9 (near-miss).
    for _ in range(10):
        closed(w, tree.louxing, decided=at(DUE, 16), closed_on=DUE, files=photo)
    for _ in range(9):
        closed(w, tree.shishi, decided=at(DUE, 16), closed_on=DUE, files=photo)

    # 跨单位雷同: one problem at 桥头河镇, 乐坪街道 and 市教育局 (one with its own name in); near-misses: a text
    # sharing its first half (石狮村), a short text everybody writes, and the same text twice in one unit.
    p["ring"] = [item(w, tree.qiaotouhe, problem=RING), item(w, tree.leping, problem=RING.replace("本单位", "街道")),
                 item(w, tree.education, problem=f"“{RING}”")]
    p["near_text"] = item(w, tree.shishi, problem=NEAR)
    for unit in units:
        item(w, unit, problem="会议多、文件多，文山会海")
    p["own_twice"] = [item(w, tree.louxing, problem=OWN), item(w, tree.louxing, problem=OWN)]

    # 突击填报: 涟源市 writes 10 reports between 21:00 and 21:18 of its items' deadline day; near-misses:
    # 石狮村 10 reports spread over 18:00-22:30 of that day, 娄星区 9 reports in 9 minutes.
    rush = [item(w, tree.lianyuan) for _ in range(5)]
    for k in range(10):
        progress(w, rush[k % 5], at(DUE, 21, 2 * k))
    p["rush"] = rush
    spread = [item(w, tree.shishi) for _ in range(2)]
    for k in range(10):
        progress(w, spread[k % 2], at(DUE, 18) + dt.timedelta(minutes=30 * k))
    few = [item(w, tree.louxing) for _ in range(3)]
    for k in range(9):
        progress(w, few[k % 3], at(DUE, 22, k))
    return w
