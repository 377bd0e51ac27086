"""Tamper-evident items: each item's progress, evidence and closings chained and anchored (docs/ledger-chain.md).

Every write of ledgers.services that adds to an item or changes it appends one link (`ItemSeal`) to
the item's own chain, in the write's transaction:

    digest = HMAC-SHA256(AUDIT_HMAC_KEY, canonical JSON of
             [previous digest, item id, seq, kind, object id, item state, field hashes, sealed_at])

`item state` is the item's content as the write leaves it (ITEM_FIELDS, one short hash per field)
and `field hashes` the sealed row's own fields (KIND_FIELDS, one short hash per field, the sha256 of
its evidence files included). The short hashes only name what differs; the digest covers them all.
The key is the security log's (audit.services.hmac_sign), kept outside the database, so whoever
can write to the database alone cannot rebuild a link. Anchors (`chain_anchor`) count the links
into a signed file beside the security log's anchors: deleting the newest links of an item shows too.

`chain_verify` recomputes every link from the rows as they are now, a batch of items at a time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from huitoukan.audit.models import SecurityEventKind
from huitoukan.audit.services import (
    anchor_file,
    anchor_line_write,
    hmac_sign,
    security_event_record,
)
from huitoukan.ledgers.models import (
    ClosingRequest,
    ClosingState,
    Evidence,
    Item,
    ItemSeal,
    ProgressEntry,
    SealKind,
)

GENESIS = "0" * 64
SHORT = 8  # hex digits of each field's hash: enough to name what changed; the digest is the proof
BATCH = 1000  # items per batch of the verification and the backfill

# The item's content a link seals (its canonical form, in this order), with the names the report uses.
ITEM_FIELDS: list[tuple[str, str]] = [
    ("ledger_id", "所属台账"), ("seq", "序号"), ("problem", "突出问题"), ("measures", "具体整改措施"),
    ("four_winds", "“四风”类别"), ("subject", "班子或个人"), ("problem_level", "问题层面"), ("handling", "办理方式"),
    ("source", "问题来源"), ("deadline_mode", "时限类型"), ("due_on", "整改时限"), ("review_on", "复查日期"),
    ("special_task_id", "专项整治任务"), ("category", "类别"), ("institution_action", "废改立"),
    ("status", "状态"), ("closed_on", "销号日期"),
]
EVIDENCE_DIGESTS = ("evidence", "佐证材料校验值")
KIND_FIELDS: dict[str, list[tuple[str, str]]] = {
    SealKind.CREATED: [("created_at", "列入时间")],
    SealKind.ITEM: [],
    SealKind.PROGRESS: [
        ("item_id", "所属事项"), ("reported_on", "填报日期"), ("progress", "整改落实情况"),
        ("strict_execution", "严格制度执行情况"), ("next_steps", "后段工作措施"), ("status_after", "填报后状态"),
        ("leader_id", "填报领导"), ("by_office", "活动办代填"), ("author_id", "录入人"), ("created_at", "录入时间"),
        EVIDENCE_DIGESTS,
    ],
    SealKind.EVIDENCE: [
        ("item_id", "所属事项"), ("sha256", "校验值"), ("original_name", "文件名"), ("size", "大小"),
        ("content_type", "文件类型"), ("uploaded_by_id", "上传人"), ("uploaded_at", "上传时间"),
        ("progress_entry_id", "所属进展"), ("closing_request_id", "所属销号申请"),
    ],
    SealKind.CLOSING: [
        ("item_id", "所属事项"), ("summary", "完成情况说明"), ("requested_by_id", "申请人"),
        ("requested_at", "申请时间"), EVIDENCE_DIGESTS,
    ],
    SealKind.DECISION: [
        ("item_id", "所属事项"), ("state", "核验结果"), ("decided_by_id", "核验人"), ("decided_at", "核验时间"),
        ("decision_note", "核验意见"),
    ],
}


def _canon(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _short(value) -> str:
    body = json.dumps(_canon(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()[:SHORT]


def _hashes(obj, fields: list[tuple[str, str]], evidence: list[str] | None = None) -> str:
    """One short hash per field, in order; the evidence digests (sorted) stand for EVIDENCE_DIGESTS."""
    return "".join(_short(sorted(evidence or [])) if name == EVIDENCE_DIGESTS[0] else _short(getattr(obj, name))
                   for name, _label in fields)


def item_state(item: Item) -> str:
    return _hashes(item, ITEM_FIELDS)


# What of the item's content each kind of write may change, so what may differ between a link's item state and
# the one before it. Only `_save_item` (ITEM) edits, closes and reopens; a progress report moves the status alone;
# evidence, a closing request and a decision change nothing (a 核验销号's change is its ITEM link, sealed first).
# A change the write could not have made was made beside the services between two links: the later link sealed
# it as if it were legitimate, so the last link alone would not show it.
CHANGES: dict[str, frozenset[str] | None] = {
    SealKind.CREATED: None, SealKind.ITEM: None, SealKind.PROGRESS: frozenset({"status"}),
    SealKind.EVIDENCE: frozenset(), SealKind.CLOSING: frozenset(), SealKind.DECISION: frozenset(),
}


def _differs(fields: list[tuple[str, str]], sealed: str, now: str) -> list[str]:
    return [label for i, (_name, label) in enumerate(fields)
            if sealed[i * SHORT:(i + 1) * SHORT] != now[i * SHORT:(i + 1) * SHORT]]


def _digest(seal: ItemSeal) -> str:
    return hmac_sign(json.dumps(
        [seal.previous, seal.item_id, seal.seq, seal.kind, seal.object_id, seal.item_state, seal.fields,
         _canon(seal.sealed_at)],
        ensure_ascii=False, separators=(",", ":"),
    ))


# ---- sealing (called by ledgers.services in the write's transaction) ----


@dataclass
class Link:
    item: Item  # as the write leaves it
    kind: str
    obj: object  # the sealed row (the item itself for CREATED and ITEM)
    evidence: list[str] | None = None  # sha256 of the row's evidence (PROGRESS, CLOSING)


def _heads(item_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
    """Each item's last link (seq, digest), in one query."""
    ids = list(set(item_ids))
    if not ids:
        return {}
    last = ItemSeal.objects.filter(item_id__in=ids).values("item_id").annotate(m=Max("seq")).values("m")
    rows = ItemSeal.objects.filter(item_id__in=ids, seq__in=last).values_list("item_id", "seq", "digest")
    heads: dict[int, tuple[int, str]] = {}
    for item_id, seq, digest in rows:
        if seq > heads.get(item_id, (0, ""))[0]:
            heads[item_id] = (seq, digest)
    return heads


def seal(links: list[Link], *, new_items: bool = False) -> list[ItemSeal]:
    """Append the links, in order, to their items' chains: one query for the heads, one insert."""
    if not links:
        return []
    heads = {} if new_items else _heads(link.item.pk for link in links)
    now = timezone.now()
    seals = []
    for link in links:
        seq, previous = heads.get(link.item.pk, (0, GENESIS))
        row = ItemSeal(item_id=link.item.pk, seq=seq + 1, kind=str(link.kind), object_id=link.obj.pk,
                       item_state=item_state(link.item), fields=_hashes(link.obj, KIND_FIELDS[link.kind], link.evidence),
                       previous=previous, sealed_at=now)
        row.digest = _digest(row)
        heads[link.item.pk] = (row.seq, row.digest)
        seals.append(row)
    return ItemSeal.objects.bulk_create(seals, batch_size=1000)


def seal_created(items: list[Item]) -> None:
    seal([Link(item, SealKind.CREATED, item) for item in items], new_items=True)


def seal_item(item: Item) -> None:
    """The item changed (edited, closed, sent back, relapsed): its content as it now stands."""
    seal([Link(item, SealKind.ITEM, item)])


def seal_progress(entries: list[ProgressEntry], items: dict[int, Item], with_files: bool) -> None:
    """Progress entries of a bulk write, with their evidence digests (one query, only if files came)."""
    shas: dict[int, list[str]] = defaultdict(list)
    if with_files:
        for entry_id, sha in Evidence.objects.filter(progress_entry__in=entries).values_list(
                "progress_entry_id", "sha256"):
            shas[entry_id].append(sha)
    seal([Link(items[e.item_id], SealKind.PROGRESS, e, shas[e.pk]) for e in entries])


def seal_evidence(item: Item, rows: list[Evidence]) -> None:
    seal([Link(item, SealKind.EVIDENCE, row) for row in rows])


def seal_closing(item: Item, request: ClosingRequest, evidence: list[Evidence]) -> None:
    seal([Link(item, SealKind.CLOSING, request, [e.sha256 for e in evidence])])


def seal_decisions(item: Item, requests: list[ClosingRequest]) -> None:
    seal([Link(item, SealKind.DECISION, r) for r in requests])


# ---- verification ----


@dataclass
class ChainReport:
    items: int = 0
    links: int = 0
    problems: list[str] = field(default_factory=list)
    anchors: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def message(self) -> str:
        if self.ok:
            return (f"台账链校验通过：{self.items} 个整改事项的 {self.links} 个封存环节全部一致，"
                    f"与 {self.anchors} 个锚点相符。")
        return (f"台账链校验未通过：发现 {len(self.problems)} 处问题；"
                f"已校验 {self.items} 个整改事项的 {self.links} 个封存环节。")


@dataclass
class _Batch:
    """Everything the chains of a batch of items rest on, read in a fixed number of queries."""

    items: list[Item]
    seals: dict[int, list[ItemSeal]]
    rows: dict[tuple[str, int], object]  # (kind, id) → the row now (decisions share the request)
    of_item: dict[int, list[tuple[str, object]]]  # each item's sealable rows: (kind, row)
    evidence_of: dict[tuple[str, int], list[str]]


def _items_in_batches(unit=None) -> Iterator[list[Item]]:
    items = Item.objects.select_related("ledger__unit", "ledger__person").order_by("pk")
    if unit is not None:
        items = items.filter(ledger__unit__path__startswith=unit.path)
    last = 0
    while True:
        batch = list(items.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def _batch(items: list[Item]) -> _Batch:
    ids = [i.pk for i in items]
    seals: dict[int, list[ItemSeal]] = defaultdict(list)
    for s in ItemSeal.objects.filter(item_id__in=ids).order_by("item_id", "seq"):
        seals[s.item_id].append(s)
    rows: dict[tuple[str, int], object] = {}
    of_item: dict[int, list[tuple[str, object]]] = defaultdict(list)
    evidence_of: dict[tuple[str, int], list[str]] = defaultdict(list)
    for item in items:
        rows[(SealKind.CREATED, item.pk)] = rows[(SealKind.ITEM, item.pk)] = item
    for entry in ProgressEntry.objects.filter(item_id__in=ids).order_by("created_at", "id"):
        rows[(SealKind.PROGRESS, entry.pk)] = entry
        of_item[entry.item_id].append((SealKind.PROGRESS, entry))
    for request in ClosingRequest.objects.filter(item_id__in=ids).order_by("requested_at", "id"):
        rows[(SealKind.CLOSING, request.pk)] = rows[(SealKind.DECISION, request.pk)] = request
        of_item[request.item_id].append((SealKind.CLOSING, request))
        if request.state != ClosingState.PENDING:
            of_item[request.item_id].append((SealKind.DECISION, request))
    for ev in Evidence.objects.filter(item_id__in=ids).order_by("uploaded_at", "id"):
        if ev.progress_entry_id is not None:
            evidence_of[(SealKind.PROGRESS, ev.progress_entry_id)].append(ev.sha256)
        elif ev.closing_request_id is not None:
            evidence_of[(SealKind.CLOSING, ev.closing_request_id)].append(ev.sha256)
        else:
            rows[(SealKind.EVIDENCE, ev.pk)] = ev
            of_item[ev.item_id].append((SealKind.EVIDENCE, ev))
    return _Batch(items, seals, rows, of_item, evidence_of)


def _where(item: Item) -> str:
    ledger = item.ledger
    owner = f"（{ledger.person.name}）" if ledger.person_id else ""
    problem = item.problem if len(item.problem) <= 20 else item.problem[:20] + "…"
    return f"{ledger.unit.full_name} · {ledger.get_kind_display()}{owner} · 第 {item.seq} 项「{problem}」"


def _row_name(kind: str, row) -> str:
    label = SealKind(kind).label
    if kind == SealKind.PROGRESS:
        return f"{label}（编号 {row.pk}，填报日期 {row.reported_on:%Y-%m-%d}）"
    if kind == SealKind.EVIDENCE:
        return f"{label}（编号 {row.pk}，{row.original_name}）"
    if kind in (SealKind.CLOSING, SealKind.DECISION):
        return f"{label}（编号 {row.pk}）"
    return str(label)


def _item_problems(item: Item, batch: _Batch) -> tuple[int, list[str]]:
    """(links checked, problems) of one item's chain, from the batch's rows."""
    where, problems = _where(item), []
    seals = batch.seals.get(item.pk, [])
    if not seals:
        return 0, [f"{where}：未封存（没有任何封存环节；存量数据请运行 ledger-seal --backfill）"]
    previous, sealed, state_before = GENESIS, set(), None
    for expected_seq, s in enumerate(seals, start=1):
        name = f"第 {s.seq} 环（{SealKind(s.kind).label if s.kind in SealKind.values else s.kind}，" \
               f"封存于 {timezone.localtime(s.sealed_at):%Y-%m-%d %H:%M}）"
        if s.seq != expected_seq or s.previous != previous:
            problems.append(f"{where}：{name}之前的环节缺失（链断开：封存记录被删除或插入）")
        previous = s.digest
        sealed.add((s.kind, s.object_id))
        row = batch.rows.get((s.kind, s.object_id)) if s.kind in KIND_FIELDS else None
        if row is None or (s.kind in (SealKind.CREATED, SealKind.ITEM) and s.object_id != item.pk):
            problems.append(f"{where}：{name}封存的{SealKind(s.kind).label if s.kind in SealKind.values else '记录'}"
                            f"（编号 {s.object_id}）已不存在（被删除）")
            state_before = None
            continue
        fields = KIND_FIELDS[s.kind]
        if _digest(s) != s.digest:
            problems.append(f"{where}：{name}的封存记录被改动（校验值不符）")
            state_before = None
            continue
        may_change = CHANGES.get(s.kind)
        if state_before is not None and may_change is not None:
            changed = [(name_, label) for i, (name_, label) in enumerate(ITEM_FIELDS)
                       if s.item_state[i * SHORT:(i + 1) * SHORT] != state_before[i * SHORT:(i + 1) * SHORT]]
            outside = [label for name_, label in changed if name_ not in may_change]
            if outside:
                problems.append(f"{where}：{name}封存时事项的{'、'.join(outside)}与上一环不同，"
                                f"而{SealKind(s.kind).label}不会改动它（两环之间在系统之外被改动）")
        state_before = s.item_state
        now = _hashes(row, fields, batch.evidence_of.get((s.kind, s.object_id)))
        if now != s.fields:
            problems.append(f"{where}：{name}的{_row_name(s.kind, row)}被改动："
                            f"{'、'.join(_differs(fields, s.fields, now)) or '内容'}与封存时不同")
    last = seals[-1]
    now_state = item_state(item)
    if now_state != last.item_state:
        problems.append(f"{where}：事项的{'、'.join(_differs(ITEM_FIELDS, last.item_state, now_state))}"
                        f"与最后一次封存时不同（在系统之外被改动）")
    for kind, row in batch.of_item.get(item.pk, []):
        if (kind, row.pk) not in sealed:
            problems.append(f"{where}：{_row_name(kind, row)}未封存（在系统之外写入或改动）")
    return len(seals), problems


def _walk(unit=None) -> Iterator[tuple[_Batch, list[ItemSeal]]]:
    for items in _items_in_batches(unit):
        batch = _batch(items)
        yield batch, [s for item in items for s in batch.seals.get(item.pk, [])]


def chain_verify(*, unit=None, anchors: Path | str | None = None) -> ChainReport:
    """Recompute every item's chain (under `unit`, or all) and hold the links to the anchors.

    Streams the items a batch at a time (a fixed number of queries per batch). The anchors are
    checked only on a whole verification: a subtree's links are a part of each anchor's count.
    """
    report = ChainReport()
    tally: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # anchor → [links, sum of digests]
    for batch, seals in _walk(unit):
        for item in batch.items:
            links, problems = _item_problems(item, batch)
            report.items += 1
            report.links += links
            report.problems.extend(problems)
        for s in seals:
            if s.anchor is not None:
                tally[s.anchor][0] += 1
                tally[s.anchor][1] = (tally[s.anchor][1] + int(s.digest, 16)) % MODULUS
    if unit is None:
        report.problems.extend(_anchor_problems(Path(anchors) if anchors else chain_anchor_file(), tally, report))
    return report


# ---- anchors: outside the database, signed with the security log's key ----

MODULUS = 1 << 256


def chain_anchor_file() -> Path:
    """Beside the security log's anchors (AUDIT_ANCHOR_FILE's folder): storage other than the database's."""
    return anchor_file().with_name("ledger-anchors.jsonl")


def _anchor_mac(number: int, count: int, total: str, at: str) -> str:
    return hmac_sign(f"ledger-chain|{number}|{count}|{total}|{at}")


def _anchors_read(path: Path) -> tuple[dict[int, dict], str]:
    anchors: dict[int, dict] = {}
    if not path.exists():
        return anchors, ""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                a = json.loads(line)
                n, count, total, at = int(a["anchor"]), int(a["count"]), str(a["sum"]), str(a["at"])
                mac = str(a["mac"])
            except (ValueError, KeyError, TypeError):
                return anchors, f"台账链锚点文件第 {number} 行无法读取（被改动）"
            if mac != _anchor_mac(n, count, total, at):
                return anchors, f"台账链锚点文件第 {number} 行的签名不符（被改动）"
            anchors[n] = a
    return anchors, ""


def _anchor_problems(path: Path, tally: dict[int, list[int]], report: ChainReport) -> list[str]:
    anchors, problem = _anchors_read(path)
    if problem:
        return [problem]
    problems = []
    for n, a in sorted(anchors.items()):
        links, total = tally.get(n, [0, 0])
        at = a["at"][:16].replace("T", " ")
        if links != int(a["count"]):
            problems.append(f"锚点 {n}（{at}）记有 {a['count']} 个封存环节，现在只有 {links} 个"
                            f"（封存环节被删除或改动）")
        elif f"{total:064x}" != a["sum"]:
            problems.append(f"锚点 {n}（{at}）与现有封存环节的校验值不符（封存环节被改写）")
    for n in sorted(set(tally) - set(anchors)):
        problems.append(f"{tally[n][0]} 个封存环节标为锚点 {n}，锚点文件 {path} 中没有该锚点（被改动或锚点文件被替换）")
    report.anchors = len(anchors)
    return problems


def chain_anchor(path: Path | str | None = None) -> dict | None:
    """Count the links sealed since the last anchor into a new signed anchor line (None: nothing new).

    The links take the anchor's number in the database; the line holds their count and the sum of
    their digests. A link written by a transaction still open is left for the next anchor.
    """
    path = Path(path) if path is not None else chain_anchor_file()
    with transaction.atomic():
        anchors, _problem = _anchors_read(path)
        last = ItemSeal.objects.aggregate(m=Max("anchor"))["m"] or 0
        number = max([last, *anchors]) + 1
        if not ItemSeal.objects.filter(anchor__isnull=True).update(anchor=number):
            return None
        count, total = 0, 0
        for digest in ItemSeal.objects.filter(anchor=number).values_list("digest", flat=True).iterator(
                chunk_size=5000):
            count += 1
            total = (total + int(digest, 16)) % MODULUS
        at = timezone.now().isoformat()
        line = {"anchor": number, "count": count, "sum": f"{total:064x}", "at": at}
        line["mac"] = _anchor_mac(number, count, line["sum"], at)
        return anchor_line_write(path, line)


# ---- sealing what was written before the chain (or beside the services) ----


def _when(kind: str, row) -> dt.datetime:
    return {SealKind.PROGRESS: lambda: row.created_at, SealKind.EVIDENCE: lambda: row.uploaded_at,
            SealKind.CLOSING: lambda: row.requested_at, SealKind.DECISION: lambda: row.decided_at}[kind]() \
        or timezone.now()


def chain_backfill(*, username: str = "命令行", actor=None) -> tuple[int, int]:
    """Seal every row not yet in its item's chain (items loaded before the chain, synthetic provinces).

    Each item's missing links are appended in the order the rows were written; an item with no
    link starts with its CREATED link. Said in the security log (补封台账链) with the counts, since
    whatever stood in the rows at this moment is what the links then vouch for. Returns (items, links).
    """
    items_sealed = links_sealed = 0
    with transaction.atomic():
        for batch, _seals in _walk():
            links: list[Link] = []
            for item in batch.items:
                sealed = {(s.kind, s.object_id) for s in batch.seals.get(item.pk, [])}
                todo = sorted((r for r in batch.of_item.get(item.pk, []) if (r[0], r[1].pk) not in sealed),
                              key=lambda r: (_when(*r), r[1].pk))
                if not sealed:
                    links.append(Link(item, SealKind.CREATED, item))
                links.extend(Link(item, kind, row, batch.evidence_of.get((kind, row.pk)) if kind in (
                    SealKind.PROGRESS, SealKind.CLOSING) else None) for kind, row in todo)
                items_sealed += bool(todo) or not sealed
            seal(links)
            links_sealed += len(links)
        if links_sealed:
            security_event_record(kind=SecurityEventKind.LEDGER_SEALED, user=actor, username=username,
                                  detail={"items": items_sealed, "links": links_sealed})
    return items_sealed, links_sealed


def chain_broken_record(report: ChainReport, *, unit=None, username: str = "命令行") -> None:
    """A failed verification in the security log: the first problems, and how many there were."""
    security_event_record(kind=SecurityEventKind.LEDGER_CHAIN_BROKEN, username=username, detail={
        "unit": unit.full_name if unit is not None else "", "problems": len(report.problems),
        "first": report.problems[:20],
    })
