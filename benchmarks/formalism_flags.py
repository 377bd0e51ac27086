"""形式主义预警 on a synthetic province: recall of planted cases, false flags on the rest, time and queries.

```sh
.venv/bin/python benchmarks/formalism_flags.py [--units 1000] [--items 20000] [--seed 1] [--facts 2] [--show 0]
DATABASE_URL=postgres://postgres@127.0.0.1:5432/huitoukan_ci .venv/bin/python benchmarks/formalism_flags.py
```

On a throwaway database (benchmarks/throwaway_db.py) filled by `huitoukan synth`, then made realistic for these
checks (synth writes what the ledgers' pages need, not what these checks read; portal/synth.py is not changed):

- texts: synth draws every problem from 8 short texts and every report from 2. Each item gets instead a problem
  of its own, written from the seeds' phrases (a subject, one of the 四风 problems of 002 二 / 004 一, `--facts`
  details with the unit's name or a place and numbers, a consequence), and each report a progress text about
  its item's details (the date, two of the measures taken, how many, what next);
- closings: synth closes every item with a date on its deadline day and decides every closing "now": the close
  date is moved 1-30 days before the deadline (3% on the day itself), the decision to that day, 09:00-17:59;
- evidence (synth writes none): one or two files per verified closing (photos ~400 KB, PDFs ~150 KB, log-normal
  sizes), uploaded 1-72 hours before the decision, each its own digest; and a photo on one report in five;
- reports: synth writes them all at one instant; each is moved to its report day, 08:00-18:59.

Then it plants: 10 files reused (5 across units, 5 on two items of one unit), 10 closed items whose only proof
is a 3 KB photo, 10 closed items given a file 3 days after their closing, 30 items of one county closed on their
deadline day, one problem copied (lightly edited) into 20 units' ledgers, and 15 reports of one unit written
in 20 minutes at 22:00 of their items' deadline day. It runs `formalism_scan` over the province's campaign,
counting its SQL queries, and prints per check: planted cases found (recall), flags on unplanted data (false
flags, with the share of the unplanted items they name), and the time, beside a reference: the raw SQL read of
the rows the checks read (items, reports, evidence, closings), fetched through a bare cursor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huitoukan.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.throwaway_db import throwaway_database  # noqa: E402
from huitoukan.campaigns.models import Campaign  # noqa: E402
from huitoukan.formalism.models import Flag, FlagKind  # noqa: E402
from huitoukan.formalism.services import formalism_scan  # noqa: E402
from huitoukan.ledgers.models import (  # noqa: E402
    ClosingRequest,
    ClosingState,
    DeadlineMode,
    Evidence,
    Item,
    ItemStatus,
    Ledger,
    ProgressEntry,
)
from huitoukan.orgs.models import Unit  # noqa: E402
from huitoukan.portal import synth  # noqa: E402

# The seeds' words (002 二, 004 一), to write problems and reports that differ as units' own do.
SUBJECTS = ["班子成员", "部分领导干部", "机关干部", "窗口工作人员", "个别班子成员", "中层干部", "驻村干部", "部分党员干部",
            "执法人员", "班子主要负责人", "分管领导", "站所负责人"]
PROBLEMS = ["文山会海问题仍然存在", "弄虚作假、不求实效", "脱离实际、脱离群众", "消极应付、推诿扯皮", "精神懈怠、不思进取",
            "讲究排场", "铺张浪费", "门难进、脸难看、事难办", "乱收费、乱罚款、乱摊派", "吃拿卡要", "执法不公",
            "庸懒散拖", "工作不落实、服务不主动", "不关心群众冷暖", "落实惠民政策缩水走样", "工作方式简单粗暴",
            "班子软弱无力", "服务群众意识和能力不强", "优亲厚友", "党组织活动不经常", "有令不行、有禁不止",
            "“上有政策、下有对策”", "不敢担当", "搞“形象工程”“政绩工程”", "公款吃喝转入隐蔽场所", "违规配车占房",
            "节庆泛滥", "深入基层调研不够", "评比达标表彰过多过滥", "公务接待超标准", "办公用房超标", "干部“走读”"]
DETAILS = ["{unit}全年召开各类会议{n}次，其中可合并的{k}次", "在{place}等{k}个村的走访中，群众反映办事要跑{n}趟",
           "{unit}下发文件{n}份，部分文件照抄照转上级文件", "{place}有{k}户群众反映低保评定不公开",
           "{unit}接待上级检查{n}批次，陪同人员偏多", "{unit}{k}名干部每月到联系点不足{n}天",
           "{place}便民服务中心窗口{k}个，群众等候平均{n}分钟", "{unit}公务用车{k}辆，登记不全的出车{n}次",
           "{unit}办公用房超标{n}平方米，涉及{k}间", "{place}村级活动场所{k}处，闲置{n}个月以上",
           "{unit}评比表彰项目{n}项，可取消的{k}项", "{unit}{k}个站所工作日去向不明{n}人次"]
RESULTS = ["群众意见较大", "影响了党群干群关系", "群众满意度不高", "造成了不良影响", "群众反映强烈",
           "办事效率低下", "损害了机关形象", "工作推进缓慢"]
DONE = ["召开专题会议研究整改", "制定整改方案并逐项落实", "开展专项清理", "建立登记和公示制度", "组织回访群众",
        "修订完善相关制度", "约谈相关责任人", "开展督查暗访", "实行限时办结", "推行首问负责制"]
NEXT = ["下一步将巩固整改成果", "后段将建立长效机制", "下一步接受群众监督", "后段将开展回头看", "下一步纳入年度考核"]
PLACES = ["石狮", "桥头河", "六亩塘", "荷塘", "白马", "杨市", "七星街", "伏口", "金石", "古塘", "湄江", "茅塘", "龙塘",
          "安平", "渡头塘", "石马山", "三甲", "水洞底", "万宝", "杉山", "茶园", "槎溪", "荷叶", "梓门桥"]
DETAIL_FACTS = 2  # facts per problem (`--facts`): 1 makes the texts more formulaic (see docs/formalism.md)
COPIED = ("本单位部分干部深入基层调研不够，到联系点次数偏少，调研走马观花，对群众反映的突出问题研究解决不及时，"
          "群众意见较大，需进一步建立健全干部联系点制度")


def _detail(rng, unit_name):
    """Two of the unit's own facts (its name or a place, and numbers): what makes one unit's problem its own."""
    return "；".join(d.format(unit=unit_name, place=rng.choice(PLACES), n=rng.randint(2, 90), k=rng.randint(1, 30))
                    for d in rng.sample(DETAILS, DETAIL_FACTS))


def _problem(rng, unit_name, detail=None):
    return f"{rng.choice(SUBJECTS)}{rng.choice(PROBLEMS)}。{detail or _detail(rng, unit_name)}，{rng.choice(RESULTS)}。"


def _progress(rng, day, detail="文山会海问题"):
    """A report on the item's own problem (its detail names the unit or a place, and numbers), as units write."""
    first, then = rng.sample(DONE, 2)
    return (f"针对{detail}的问题，截至{day:%m月%d日}，已{first}，{then}，完成{rng.randint(1, 40)}项，"
            f"{rng.choice(NEXT)}。")


def _sha(rng) -> str:
    return hashlib.sha256(rng.randbytes(16)).hexdigest()


def _local(day: dt.date, minutes: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes))


def _executemany(sql: str, rows: list) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start:start + 5000])


def realistic(rng: random.Random, campaign) -> dict:
    """What the checks read, made as varied as units' own work (see the module's text)."""
    names = dict(Unit.objects.values_list("pk", "name"))
    items = list(Item.objects.filter(ledger__campaign=campaign).values_list(
        "id", "ledger__unit_id", "status", "due_on", "closed_on"))
    details = {pk: _detail(rng, names[unit]) for pk, unit, *_ in items}
    _executemany("UPDATE ledgers_item SET problem = %s WHERE id = %s",
                 [(_problem(rng, names[unit], details[pk]), pk) for pk, unit, *_ in items])
    entries = list(ProgressEntry.objects.filter(item__ledger__campaign=campaign)
                   .values_list("id", "item_id", "reported_on"))
    last_report = {}
    for _pk, item, day in entries:
        last_report[item] = max(day, last_report.get(item, day))
    # Closed 1-10 days after the last report (3% of those with a deadline on the deadline day itself, if later).
    closed_on = {}
    for pk, _unit, _status, due, closed in items:
        if closed is not None:
            day = last_report.get(pk, synth.CAMPAIGN_START) + dt.timedelta(days=rng.randint(1, 10))
            if due is not None and due >= day and rng.random() < 0.03:
                day = due
            closed_on[pk] = day
    _executemany("UPDATE ledgers_item SET closed_on = %s WHERE id = %s", [(d, pk) for pk, d in closed_on.items()])
    closings = list(ClosingRequest.objects.filter(item__ledger__campaign=campaign, state=ClosingState.VERIFIED)
                    .values_list("id", "item_id"))
    decided, evidence = {}, []
    for pk, item in closings:
        day = closed_on.get(item) or synth.CAMPAIGN_END
        decided[pk] = _local(day, rng.randint(9 * 60, 18 * 60 - 1))
        for _ in range(rng.choice((1, 1, 2))):
            photo = rng.random() < 0.7
            size = int(rng.lognormvariate(12.9 if photo else 11.9, 0.6))  # ~400 KB, ~150 KB
            evidence.append(Evidence(item_id=item, closing_request_id=pk, sha256=_sha(rng), size=size,
                                     original_name="整改现场.jpg" if photo else "整改报告.pdf",
                                     content_type="image/jpeg" if photo else "application/pdf"))
            evidence[-1]._at = decided[pk] - dt.timedelta(minutes=rng.randint(60, 72 * 60))
    _executemany("UPDATE ledgers_closingrequest SET decided_at = %s WHERE id = %s",
                 [(at, pk) for pk, at in decided.items()])
    created = {pk: _local(day, rng.randint(8 * 60, 19 * 60 - 1)) for pk, _item, day in entries}
    _executemany("UPDATE ledgers_progressentry SET created_at = %s, progress = %s WHERE id = %s",
                 [(created[pk], _progress(rng, day, details[item]), pk) for pk, item, day in entries])
    for pk, item, _day in entries:
        if rng.random() < 0.2:
            evidence.append(Evidence(item_id=item, progress_entry_id=pk, sha256=_sha(rng), content_type="image/jpeg",
                                     original_name="进展照片.jpg", size=int(rng.lognormvariate(12.9, 0.6))))
            evidence[-1]._at = created[pk]
    Evidence.objects.bulk_create(evidence, batch_size=5000)
    _executemany("UPDATE ledgers_evidence SET uploaded_at = %s WHERE sha256 = %s",
                 [(e._at, e.sha256) for e in evidence])
    return {"items": len(items), "closings": len(closings), "evidence": len(evidence), "entries": len(entries)}


def plant(rng: random.Random, campaign) -> dict[str, set]:
    """The planted cases, as the (kind, unit, key) of the flag each must raise (or, for the copied text,
    ("text", item) of each copy, as a text flag names its unit's items)."""
    planted: dict[str, set] = defaultdict(set)
    ledgers = list(Ledger.objects.filter(campaign=campaign, kind="leadership").values_list("id", "unit_id"))
    rng.shuffle(ledgers)
    next_seq = defaultdict(lambda: 10_000)
    user = ClosingRequest.objects.values_list("requested_by_id", flat=True).first()
    leader = ProgressEntry.objects.values_list("leader_id", flat=True).first()
    due = synth.CAMPAIGN_START + dt.timedelta(days=40)

    def new_item(ledger, unit, *, status=ItemStatus.IN_PROGRESS, closed_on=None, problem=None):
        next_seq[ledger] += 1
        return Item.objects.create(ledger_id=ledger, seq=next_seq[ledger], problem=problem or _problem(rng, names[unit]),
                                   status=status, deadline_mode=DeadlineMode.DATE, due_on=due, closed_on=closed_on)

    def closed_item(ledger, unit, *, closed_on, files):
        item = new_item(ledger, unit, status=ItemStatus.CLOSED, closed_on=closed_on)
        at = _local(closed_on, 15 * 60)
        closing = ClosingRequest.objects.create(item=item, summary="已整改", requested_by_id=user,
                                                state=ClosingState.VERIFIED, decided_by_id=user, decided_at=at)
        for size, uploaded in files:
            e = Evidence.objects.create(item=item, closing_request=closing, sha256=_sha(rng), size=size,
                                        original_name="整改现场.jpg", content_type="image/jpeg")
            Evidence.objects.filter(pk=e.pk).update(uploaded_at=uploaded or at - dt.timedelta(hours=5))
        return item, at

    names = dict(Unit.objects.values_list("pk", "name"))
    normal = [(400_000, None)]
    pool = itertools.cycle(ledgers)  # a small province has fewer ledgers than cases: they then share units
    # 佐证材料重复使用: 5 files across two units, 5 on two items of one unit.
    for k in range(10):
        ledger_a, unit_a = next(pool)
        ledger_b, unit_b = (ledger_a, unit_a) if k >= 5 else next(pool)
        a = new_item(ledger_a, unit_a)
        b = new_item(ledger_b, unit_b)
        digest = _sha(rng)
        for item in (a, b):
            Evidence.objects.create(item=item, sha256=digest, size=380_000, original_name="现场照片.jpg",
                                    content_type="image/jpeg")
        planted[FlagKind.EVIDENCE_REUSED] |= {(unit_a, digest), (unit_b, digest)}
    # 佐证材料过小 and 佐证晚于销号: 10 items each.
    for _ in range(10):
        ledger, unit = next(pool)
        item, _at = closed_item(ledger, unit, closed_on=due - dt.timedelta(days=7), files=[(3_000, None)])
        planted[FlagKind.EVIDENCE_TINY].add((unit, str(item.pk)))
    for _ in range(10):
        ledger, unit = next(pool)
        item, at = closed_item(ledger, unit, closed_on=due - dt.timedelta(days=7), files=normal)
        Evidence.objects.filter(pk=Evidence.objects.create(
            item=item, sha256=_sha(rng), size=350_000, original_name="补充照片.jpg", content_type="image/jpeg").pk
        ).update(uploaded_at=at + dt.timedelta(days=3))
        planted[FlagKind.EVIDENCE_LATE].add((unit, str(item.pk)))
    # 集中在时限当天销号: 30 items of one unit closed on their deadline day.
    ledger, unit = next(pool)
    for _ in range(30):
        closed_item(ledger, unit, closed_on=due, files=normal)
    planted[FlagKind.DEADLINE_DAY].add((unit, "unit"))
    # 跨单位雷同: one problem copied into 20 units' ledgers, its unit name or punctuation changed in some.
    for k, (ledger, unit) in enumerate(ledgers[:20]):
        text = COPIED if k % 3 == 0 else COPIED.replace("本单位", names[unit]) if k % 3 == 1 else \
            COPIED.replace("，", "；").replace("本单位", "我们")
        item = new_item(ledger, unit, problem=text)
        planted[FlagKind.TEXT_ALIKE].add((unit, item.pk))
    # 突击填报: 15 reports of one unit's items in 20 minutes from 22:00 of their deadline day.
    ledger, unit = next(pool)
    items = [new_item(ledger, unit) for _ in range(5)]
    for k in range(15):
        e = ProgressEntry.objects.create(item=items[k % 5], reported_on=due, progress=_progress(rng, due, _detail(rng, names[unit])),
                                         status_after=ItemStatus.IN_PROGRESS, leader_id=leader)
        ProgressEntry.objects.filter(pk=e.pk).update(created_at=_local(due, 22 * 60 + k))
    planted[FlagKind.PROGRESS_RUSH].add((unit, due.isoformat()))
    return planted


def reference(campaign) -> float:
    """The raw SQL read of the rows the checks read, every row fetched through a bare cursor."""
    sqls = [
        "SELECT i.id, l.unit_id, i.problem, i.status, i.due_on, i.closed_on FROM ledgers_item i "
        "JOIN ledgers_ledger l ON l.id = i.ledger_id WHERE l.campaign_id = %s",
        "SELECT p.id, p.item_id, l.unit_id, p.progress, p.created_at, i.due_on FROM ledgers_progressentry p "
        "JOIN ledgers_item i ON i.id = p.item_id JOIN ledgers_ledger l ON l.id = i.ledger_id WHERE l.campaign_id = %s",
        "SELECT e.id, e.item_id, l.unit_id, e.sha256, e.size, e.content_type, e.uploaded_at, e.closing_request_id "
        "FROM ledgers_evidence e JOIN ledgers_item i ON i.id = e.item_id JOIN ledgers_ledger l ON l.id = i.ledger_id "
        "WHERE l.campaign_id = %s",
        "SELECT c.item_id, c.decided_at FROM ledgers_closingrequest c JOIN ledgers_item i ON i.id = c.item_id "
        "JOIN ledgers_ledger l ON l.id = i.ledger_id WHERE l.campaign_id = %s AND c.state = 'verified'",
    ]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in sqls:
            cursor.execute(sql, [campaign.pk])
            cursor.fetchall()
    return time.perf_counter() - started


def score(campaign, planted: dict[str, set]) -> list[tuple]:
    planted_items = set(Item.objects.filter(ledger__campaign=campaign, seq__gt=10_000).values_list("pk", flat=True))
    # A reused digest also flags the unplanted item the file came from, if any: none here (fresh digests).
    unplanted_items = Item.objects.filter(ledger__campaign=campaign).count() - len(planted_items)
    rows = []
    for kind, label in FlagKind.choices:
        flags = list(Flag.objects.filter(campaign=campaign, kind=kind).prefetch_related("items"))
        if kind == FlagKind.TEXT_ALIKE:
            named = {(f.unit_id, i.pk) for f in flags for i in f.items.all()}
            hit = len(planted[kind] & named)
        else:
            hit = len(planted[kind] & {(f.unit_id, f.key) for f in flags})
        false = [f for f in flags if not ({i.pk for i in f.items.all()} & planted_items)]
        false_items = {i.pk for f in false for i in f.items.all()}
        rows.append((label, len(planted[kind]), hit, len(flags), len(false), len(false_items),
                     len(false_items) / unplanted_items if unplanted_items else 0.0))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--facts", type=int, default=2, help="facts of its own in each problem text")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=0, help="print the texts of this many unplanted text flags")
    args = parser.parse_args()
    global DETAIL_FACTS
    DETAIL_FACTS = args.facts
    import datasketch  # noqa: F401 (numpy and scipy: paid once per process, before the clock)
    rng = random.Random(args.seed)
    with throwaway_database() as where:
        print(f"# {where}: synth --units {args.units} --items {args.items} --seed {args.seed}")
        clock = time.perf_counter()
        result = synth.synth(units=args.units, items=args.items, seed=args.seed)
        campaign = Campaign.objects.get(pk=result.campaign_id)
        print(f"# synth: {time.perf_counter() - clock:.1f} s ({result.units} units, {result.items} items)")
        clock = time.perf_counter()
        with transaction.atomic():
            made = realistic(rng, campaign)
            planted = plant(rng, campaign)
        print(f"# made realistic and planted: {time.perf_counter() - clock:.1f} s ({made})")
        reference(campaign)  # warm the cache for both
        ref = min(reference(campaign) for _ in range(3))
        with CaptureQueriesContext(connection) as queries:
            clock = time.perf_counter()
            counts = formalism_scan(campaign=campaign)
            seconds = time.perf_counter() - clock
        clock = time.perf_counter()
        again = formalism_scan(campaign=campaign)
        rescan = time.perf_counter() - clock
        scanned = Item.objects.filter(ledger__campaign=campaign).count()
        entries = ProgressEntry.objects.filter(item__ledger__campaign=campaign).count()
        print(f"# scanned {scanned} items, {entries} progress entries, "
              f"{Evidence.objects.filter(item__ledger__campaign=campaign).count()} files")
        print(f"{'check':<14}{'planted':>8}{'found':>7}{'recall':>8}{'flags':>7}{'false':>7}{'false items':>13}"
              f"{'rate':>9}")
        for label, n, hit, flags, false, false_items, rate in score(campaign, planted):
            recall = f"{hit / n:.0%}" if n else "—"
            print(f"{label:<14}{n:>8}{hit:>7}{recall:>8}{flags:>7}{false:>7}{false_items:>13}{rate:>9.3%}")
        planted_items = set(Item.objects.filter(ledger__campaign=campaign, seq__gt=10_000).values_list("pk", flat=True))
        shown = 0
        for flag in Flag.objects.filter(campaign=campaign, kind=FlagKind.TEXT_ALIKE).order_by("pk"):
            if shown < args.show and not set(flag.items.values_list("pk", flat=True)) & planted_items:
                print(f"  false text flag, {flag.evidence['similarity']}: {flag.evidence['text'][:70]}")
                shown += 1
        print(f"scan: {seconds:.2f} s, {len(queries)} queries ({counts['found']} flags, {counts['new']} new); "
              f"re-scan: {rescan:.2f} s ({again['new']} new, {again['again']} again)")
        print(f"reference, raw SQL read of the rows the checks read: {ref:.2f} s; ratio {seconds / ref:.1f}")


if __name__ == "__main__":
    main()
