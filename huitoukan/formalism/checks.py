"""The six checks against box-ticking (形式主义). Each reads what it needs of one campaign in a few set queries
(never one per item) and returns `Found` rows: what one check saw at one unit, with its stable key.

The thresholds are campaign-independent and live in THRESHOLDS; a deployment tunes them with the settings
dict FORMALISM_THRESHOLDS (only the keys it names). docs/formalism.md says why each one is what it is.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from huitoukan.campaigns.models import Deadline
from huitoukan.formalism.models import FlagKind
from huitoukan.ledgers.models import (
    ClosingRequest,
    ClosingState,
    Evidence,
    Item,
    ItemStatus,
    ProgressEntry,
)
from huitoukan.rechecks.models import Recheck

THRESHOLDS: dict[str, float] = {
    # 佐证材料重复使用: one file (same SHA-256) on this many different items or more …
    "reuse_min_items": 2,
    # … unless this many units or more attach it: a document the office circulated (the 通知 itself, a form).
    "reuse_common_units": 30,
    # 佐证晚于销号: a file uploaded this long after the closing was verified.
    "late_grace_minutes": 60,
    # 佐证过小: every file of a closed item below this share of the campaign's median closing file of its type …
    "tiny_fraction": 0.05,
    # … the median counted over at least this many files of the type (else no norm, no flag).
    "tiny_min_samples": 20,
    # 集中在时限当天销号: at least this many closed items of one unit closed on their deadline day …
    "deadline_day_min": 10,
    # … and at least this share of the unit's closed items with a deadline.
    "deadline_day_share": 0.5,
    # 跨单位雷同: texts shorter than this (in characters, punctuation and spaces left out) are not compared.
    "text_min_chars": 25,
    # Character n-grams, their Jaccard similarity from which two texts are alike, MinHash permutations.
    "text_ngram": 3,
    "text_similarity": 0.7,
    "text_num_perm": 64,
    # A text found alike at this many units or more, or at this share of the units compared, is the
    # campaign's own template wording (the seeds' phrases every unit lists), not a copy.
    "text_template_units": 50,
    "text_template_share": 0.05,
    # 突击填报: this many progress entries of one unit written within `rush_burst_minutes` …
    "rush_min_entries": 10,
    "rush_burst_minutes": 30,
    # … within the last `rush_hours` before the end of a deadline day (an item's 整改时限 or a reporting deadline).
    "rush_hours": 6,
}


def thresholds() -> dict[str, float]:
    return {**THRESHOLDS, **getattr(settings, "FORMALISM_THRESHOLDS", {})}


@dataclass
class Found:
    kind: str
    unit_id: int
    key: str
    item_ids: list[int]
    evidence: dict
    sentence: str


@dataclass
class Scope:
    """The campaign, and the units a scan writes flags for (None: all of them)."""

    campaign: object
    unit_ids: set[int] | None = None
    names: dict[int, str] = field(default_factory=dict)  # unit id -> full name, filled for the sentences

    def has(self, unit_id: int) -> bool:
        return self.unit_ids is None or unit_id in self.unit_ids

    def q(self, prefix: str = "item__") -> Q:
        if self.unit_ids is None:
            return Q()
        return Q(**{f"{prefix}ledger__unit_id__in": self.unit_ids})


def _ids_text(ids: Iterable[int], limit: int = 200) -> list[int]:
    return sorted(ids)[:limit]


# --- evidence: reused, late, tiny -------------------------------------------------------------------------


def evidence_reused(scope: Scope, t: dict) -> list[Found]:
    """One file (by digest) on different items: a photo of one place passed off as the rectification of several."""
    campaign = scope.campaign
    reused = (Evidence.objects.filter(item__ledger__campaign=campaign).values("sha256")
              .annotate(n=Count("item_id", distinct=True)).filter(n__gte=t["reuse_min_items"]).values("sha256"))
    by_sha: dict[str, list[tuple]] = defaultdict(list)
    for row in (Evidence.objects.filter(item__ledger__campaign=campaign, sha256__in=reused)
                .values_list("sha256", "id", "item_id", "item__ledger__unit_id", "original_name", "size")
                .order_by("sha256", "id")):
        by_sha[row[0]].append(row[1:])
    found = []
    for sha, rows in by_sha.items():
        units = {r[2] for r in rows}
        items = {r[1] for r in rows}
        if len(items) < t["reuse_min_items"] or len(units) >= t["reuse_common_units"]:
            continue
        for unit in sorted(units):
            if not scope.has(unit):
                continue
            own = sorted({r[1] for r in rows if r[2] == unit})
            # The file as this unit named it: another unit's file name is not this unit's office's to read.
            name = next(r[3] for r in rows if r[2] == unit)
            data = {"sha256": sha, "name": name, "size": rows[0][4], "units": sorted(units),
                    "files": [{"evidence": r[0], "item": r[1], "unit": r[2]} for r in rows][:200]}
            others = len(items) - len(own)
            sentence = (f"同一文件“{name}”（SHA-256 {sha[:12]}…）作为佐证材料用于{len(items)}个事项，"
                        f"本单位{len(own)}项" + (f"，另有其他{len(units) - 1}个单位的{others}项" if others else "") + "。")
            found.append(Found(FlagKind.EVIDENCE_REUSED, unit, sha, own, data, sentence))
    return found


def _verified_at(scope: Scope) -> dict[int, dt.datetime]:
    """The latest verified closing of each item now 已完成(销号): when it was decided."""
    latest: dict[int, dt.datetime] = {}
    for item_id, at in (ClosingRequest.objects
                        .filter(scope.q(), item__ledger__campaign=scope.campaign, item__status=ItemStatus.CLOSED,
                                state=ClosingState.VERIFIED, decided_at__isnull=False)
                        .values_list("item_id", "decided_at")):
        if item_id not in latest or at > latest[item_id]:
            latest[item_id] = at
    return latest


def _closed_evidence(scope: Scope) -> dict[int, list[tuple]]:
    """The files of each closed item: (id, name, size, content type, uploaded at, for a 回头看复查), with the
    item's unit. A recheck's files come after the closing by design (rechecks: fresh evidence months later)."""
    files: dict[int, list[tuple]] = defaultdict(list)
    for_recheck = Exists(Recheck.evidence.through.objects.filter(evidence_id=OuterRef("pk")))
    for row in (Evidence.objects.filter(scope.q(), item__ledger__campaign=scope.campaign,
                                        item__status=ItemStatus.CLOSED)
                .annotate(for_recheck=for_recheck)
                .values_list("item_id", "item__ledger__unit_id", "id", "original_name", "size", "content_type",
                             "uploaded_at", "for_recheck").order_by("item_id", "id")):
        files[row[0]].append(row[1:])
    return files


def evidence_late(scope: Scope, t: dict, closed_files: dict, verified: dict) -> list[Found]:
    """A file uploaded after the closing was verified: the item was closed first, its proof found afterwards.
    A 回头看复查's fresh files are not: they are asked for months after the closing."""
    grace = dt.timedelta(minutes=t["late_grace_minutes"])
    found = []
    for item_id, files in closed_files.items():
        at = verified.get(item_id)
        if at is None:
            continue
        late = [f for f in files if f[5] > at + grace and not f[6]]
        if not late:
            continue
        unit = late[0][0]
        data = {"verified_at": at.isoformat(), "files": [
            {"evidence": f[1], "name": f[2], "uploaded_at": f[5].isoformat()} for f in late]}
        first = min(f[5] for f in late)
        hours = (first - at).total_seconds() / 3600
        sentence = (f"事项于{timezone.localtime(at):%Y-%m-%d %H:%M}核验销号，其后又上传佐证材料{len(late)}份"
                    f"（最早的“{late[0][2]}”晚于销号{hours:.1f}小时）。")
        found.append(Found(FlagKind.EVIDENCE_LATE, unit, str(item_id), [item_id], data, sentence))
    return found


def _type_class(content_type: str) -> str:
    if content_type.startswith(("image/", "video/", "audio/")):
        return content_type.split("/")[0]
    return "pdf" if content_type == "application/pdf" else "document"


TYPE_LABELS = {"image": "图片", "video": "视频", "audio": "音频", "pdf": "PDF", "document": "文档"}


def _norms(scope: Scope, t: dict) -> dict[str, int]:
    """The campaign's median closing file by type (the files attached to verified closings)."""
    sizes: dict[str, list[int]] = defaultdict(list)
    for size, ctype in Evidence.objects.filter(
            item__ledger__campaign=scope.campaign, closing_request__state=ClosingState.VERIFIED
    ).values_list("size", "content_type"):
        sizes[_type_class(ctype)].append(size)
    return {k: int(statistics.median(v)) for k, v in sizes.items() if len(v) >= t["tiny_min_samples"]}


def evidence_tiny(scope: Scope, t: dict, closed_files: dict) -> list[Found]:
    """A closed item whose every file is far smaller than the campaign's norm of its type: no real proof."""
    norms = _norms(scope, t)
    found = []
    for item_id, files in closed_files.items():
        judged = [(f, norms.get(_type_class(f[4]))) for f in files]
        if not files or any(norm is None or f[3] >= t["tiny_fraction"] * norm for f, norm in judged):
            continue
        data = {"files": [{"evidence": f[1], "name": f[2], "size": f[3], "norm": norm, "type": _type_class(f[4])}
                          for f, norm in judged], "fraction": t["tiny_fraction"]}
        f, norm = judged[0]
        sentence = (f"已销号事项的{len(files)}份佐证材料都远小于本活动同类材料的中位数（如“{f[2]}”{f[3]}字节，"
                    f"{TYPE_LABELS[_type_class(f[4])]}中位数{norm}字节，不足其{t['tiny_fraction']:.0%}）。")
        found.append(Found(FlagKind.EVIDENCE_TINY, files[0][0], str(item_id), [item_id], data, sentence))
    return found


# --- closings on the deadline day ---------------------------------------------------------------------------


def deadline_day(scope: Scope, t: dict) -> list[Found]:
    """Many items of one unit closed on their very deadline day: closed to meet the date, not because done."""
    per_unit: dict[int, list[tuple]] = defaultdict(list)
    for row in (Item.objects.filter(scope.q(""), ledger__campaign=scope.campaign, status=ItemStatus.CLOSED,
                                    closed_on__isnull=False, due_on__isnull=False)
                .values_list("ledger__unit_id", "id", "due_on", "closed_on")):
        per_unit[row[0]].append(row[1:])
    found = []
    for unit, rows in per_unit.items():
        on_day = [r for r in rows if r[1] == r[2]]
        if len(on_day) < t["deadline_day_min"] or len(on_day) < t["deadline_day_share"] * len(rows):
            continue
        days = defaultdict(int)
        for r in on_day:
            days[r[1].isoformat()] += 1
        top = sorted(days.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
        data = {"closed": len(rows), "on_deadline_day": len(on_day), "days": dict(top),
                "items": _ids_text(r[0] for r in on_day)}
        sentence = (f"本单位{len(rows)}个有时限的已销号事项中，{len(on_day)}个恰在整改时限当天销号"
                    f"（{'、'.join(f'{d} {n}个' for d, n in top)}）。")
        found.append(Found(FlagKind.DEADLINE_DAY, unit, "unit", sorted(r[0] for r in on_day), data, sentence))
    return found


# --- near-identical texts across units ----------------------------------------------------------------------

_NOT_TEXT = re.compile(r"[\W_]+")


def normalized(text: str) -> str:
    """The characters that carry meaning: punctuation, spaces and symbols left out."""
    return _NOT_TEXT.sub("", text or "")


BUCKET_ALL_PAIRS = 50
SIGNATURE_BLOCK = 100_000  # n-grams a block: its (n-grams × permutations) array of uint32 is ~25 MB at 64


def gram_ids(text: str, n: int):
    """The text's character n-grams as sorted distinct CRC-32 values (stable across runs), a numpy array."""
    import numpy as np

    count = max(len(text) - n + 1, 0)
    return np.unique(np.fromiter((zlib.crc32(text[i:i + n].encode()) for i in range(count)), dtype=np.uint32,
                                 count=count))


def signature_matrix(flat, offsets, num_perm: int):
    """The MinHash signatures of texts given as one array of their n-grams' hash values (`flat`, a text's
    from `offsets[i]` to `offsets[i + 1]`): row i is exactly the `hashvalues` that datasketch's
    `MinHash(num_perm, hashfunc=int).update_batch(text i's values)` gives (its permutations, its mixing;
    tests/formalism checks it), computed a block of texts at a time instead of text by text."""
    import numpy as np
    from datasketch import MinHash
    from datasketch.minhash import _SCHEME_WIDTHS, _fmix

    proto = MinHash(num_perm=num_perm, hashfunc=int)
    a, b = proto.permutations
    width = _SCHEME_WIDTHS[proto.scheme]
    texts = len(offsets) - 1
    result = np.empty((texts, num_perm), dtype=proto.hashvalues.dtype)
    start = 0
    while start < texts:
        end = int(np.searchsorted(offsets, offsets[start] + SIGNATURE_BLOCK, side="right")) - 1
        end = min(max(end, start + 1), texts)
        lo, hi = offsets[start], offsets[end]
        hv = _fmix(proto._hash_input_array(flat[lo:hi]).reshape(-1, 1), width)
        result[start:end] = np.minimum(proto.hashvalues, np.minimum.reduceat(hv * a + b, offsets[start:end] - lo,
                                                                             axis=0))
        start = end
    return result


def gram_set(text: str, n: int) -> set[int]:
    """The same n-gram values as `gram_ids`, as a Python set (the exact path, without numpy)."""
    return {zlib.crc32(text[i:i + n].encode()) for i in range(max(len(text) - n + 1, 0))}


# Up to this many distinct texts, every pair is compared exactly (about 20,000 pairs of small sets, a few ms):
# a county's campaign, or the demo, needs neither MinHash nor numpy, whose imports alone take ~0.45 s.
EXACT_TEXTS = 200


def _exact_pairs(keys: list[str], n: int):
    """Every pair of texts, with the Jaccard similarity of their n-gram sets."""
    sets = [gram_set(k, n) for k in keys]

    def similarity(i: int, j: int) -> float:
        common = len(sets[i] & sets[j])
        return common / (len(sets[i]) + len(sets[j]) - common)

    return ((i, j) for i in range(len(keys)) for j in range(i + 1, len(keys))), similarity


def _lsh_pairs(keys: list[str], n: int, t: dict):
    """The candidate pairs of MinHash LSH over all texts, with the exact Jaccard similarity of their n-grams.

    The signatures are datasketch's MinHash (`signature_matrix`); the LSH banding uses datasketch's choice of
    bands and rows for the threshold (`lsh._optimal_param`, as MinHashLSH does) but is done with numpy over the
    whole matrix, band by band: MinHashLSH's index keeps a dict of sets per band, several GB at a province."""
    import numpy as np
    from datasketch.lsh import _optimal_param

    num_perm = int(t["text_num_perm"])
    grams = [gram_ids(k, n) for k in keys]
    sizes = np.fromiter((g.size for g in grams), dtype=np.int64, count=len(grams))
    offsets = np.concatenate(([0], np.cumsum(sizes)))
    flat = np.concatenate(grams) if grams else np.empty(0, dtype=np.uint32)
    del grams
    signatures = signature_matrix(flat, offsets, num_perm)
    bands, rows = _optimal_param(t["text_similarity"], num_perm, 0.5, 0.5)
    multipliers = np.random.RandomState(1).randint(1, 2**62, size=rows, dtype=np.uint64) | np.uint64(1)
    pairs: set[tuple[int, int]] = set()
    for band in range(bands):
        hashed = (signatures[:, band * rows:(band + 1) * rows].astype(np.uint64) * multipliers).sum(axis=1)
        order = np.argsort(hashed, kind="stable")
        ordered = hashed[order]
        cuts = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
        starts, ends = np.concatenate(([0], cuts)), np.concatenate((cuts, [len(ordered)]))
        for s, e in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=True):
            members = sorted(order[s:e].tolist())
            if len(members) <= BUCKET_ALL_PAIRS:
                pairs.update((x, y) for k, x in enumerate(members) for y in members[k + 1:])
            else:  # a crowded bucket (template wording): each to the first and to the next, not all pairs
                pairs.update((members[0], y) for y in members[1:])
                pairs.update(zip(members, members[1:], strict=False))

    def similarity(i: int, j: int) -> float:
        a, b = flat[offsets[i]:offsets[i + 1]], flat[offsets[j]:offsets[j + 1]]
        common = np.intersect1d(a, b, assume_unique=True).size
        return common / (a.size + b.size - common)

    return pairs, similarity


def alike_groups(texts: dict[str, list[tuple]], t: dict, exact_texts: int | None = None
                 ) -> list[tuple[list[str], float]]:
    """Groups of near-identical distinct texts, each pair confirmed by the exact Jaccard similarity of their
    character n-grams, with the lowest confirmed similarity in each. The candidate pairs: all of them up to
    `exact_texts` distinct texts (EXACT_TEXTS), beyond that those of MinHash LSH (`_lsh_pairs`), which finds the
    same pairs but (rarely) misses one; a test holds both paths to the same groups."""
    keys = list(texts)
    n = int(t["text_ngram"])
    exact = EXACT_TEXTS if exact_texts is None else exact_texts
    pairs, similarity_of = (_exact_pairs(keys, n) if len(keys) <= exact else _lsh_pairs(keys, n, t))
    parent = list(range(len(keys)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    lowest: dict[int, float] = {}
    for i, j in pairs:
        similarity = similarity_of(i, j)
        if similarity >= t["text_similarity"]:
            parent[root(j)] = root(i)
            lowest[i] = min(lowest.get(i, 1.0), similarity)
            lowest[j] = min(lowest.get(j, 1.0), similarity)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(keys)):
        groups[root(i)].append(i)
    result = []
    for members in groups.values():
        if len(members) == 1 and len(texts[keys[members[0]]]) < 2:
            continue
        result.append(([keys[i] for i in members], min((lowest.get(i, 1.0) for i in members), default=1.0)))
    return result


TEXT_LABELS = {"problem": "突出问题", "progress": "整改落实情况"}


def text_alike(scope: Scope, t: dict) -> list[Found]:
    """The same problem or progress written by several units: copied from one another rather than their own.
    Compared over the whole campaign (a copy at a unit outside the scanned ones still counts); written for
    the scanned units. Exact copies are grouped first, so each distinct text is hashed once."""
    texts: dict[str, list[tuple]] = defaultdict(list)  # normalized -> [(kind, id, item, unit)]
    originals: dict[str, str] = {}  # normalized -> the first text as written
    minimum = t["text_min_chars"]
    for item_id, unit, problem in (Item.objects.filter(ledger__campaign=scope.campaign)
                                   .values_list("id", "ledger__unit_id", "problem").iterator(chunk_size=20_000)):
        norm = normalized(problem)
        if len(norm) >= minimum:
            texts[norm].append(("problem", item_id, item_id, unit))
            originals.setdefault(norm, problem)
    for entry_id, item_id, unit, progress in (
            ProgressEntry.objects.filter(item__ledger__campaign=scope.campaign)
            .values_list("id", "item_id", "item__ledger__unit_id", "progress").iterator(chunk_size=20_000)):
        norm = normalized(progress)
        if len(norm) >= minimum:
            texts[norm].append(("progress", entry_id, item_id, unit))
            originals.setdefault(norm, progress)
    if not texts:
        return []
    compared_units = len({d[3] for docs in texts.values() for d in docs})
    template_units = max(t["text_template_units"], t["text_template_share"] * compared_units)
    found = []
    for group, similarity in alike_groups(texts, t):
        docs = [(*d, key) for key in group for d in texts[key]]
        units = {d[3] for d in docs}
        if len(units) < 2 or len(units) >= template_units:
            continue
        for unit in sorted(units):
            if not scope.has(unit):
                continue
            own = sorted((d for d in docs if d[3] == unit), key=lambda d: (d[0], d[1]))
            first = own[0]
            text = originals[first[4]]
            key = f"{first[0]}:{first[1]}"
            data = {"similarity": round(similarity, 3), "units": sorted(units), "ngram": t["text_ngram"],
                    "docs": [{"kind": d[0], "id": d[1], "item": d[2], "unit": d[3]} for d in docs][:200],
                    "text": text[:500]}
            sentence = (f"本单位的{len(own)}条{TEXT_LABELS[first[0]]}与其他{len(units) - 1}个单位的文字高度雷同"
                        f"（字符{t['text_ngram']}元组相似度不低于{similarity:.0%}）：“{text[:60]}”")
            found.append(Found(FlagKind.TEXT_ALIKE, unit, key, sorted({d[2] for d in own}), data, sentence))
    return found


# --- progress written in bulk before a deadline -----------------------------------------------------------


def _day_end(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def progress_rush(scope: Scope, t: dict) -> list[Found]:
    """Many progress entries of one unit written within minutes, in the last hours before a deadline ends:
    the ledger filled in for the deadline, not as the work went."""
    reporting = set(Deadline.objects.filter(campaign=scope.campaign).values_list("due_on", flat=True))
    window = dt.timedelta(hours=t["rush_hours"])
    burst = dt.timedelta(minutes=t["rush_burst_minutes"])
    groups: dict[tuple[int, dt.date], list[tuple]] = defaultdict(list)
    for entry_id, item_id, unit, created, due in (
            ProgressEntry.objects.filter(scope.q(), item__ledger__campaign=scope.campaign)
            .values_list("id", "item_id", "item__ledger__unit_id", "created_at", "item__due_on")
            .iterator(chunk_size=20_000)):
        day = timezone.localdate(created)
        if (day == due or day in reporting) and created >= _day_end(day) - window:
            groups[(unit, day)].append((created, entry_id, item_id))
    found = []
    for (unit, day), rows in groups.items():
        if len(rows) < t["rush_min_entries"]:
            continue
        rows.sort()
        best, start = (0, 0, 0), 0
        for end in range(len(rows)):
            while rows[end][0] - rows[start][0] > burst:
                start += 1
            if end - start + 1 > best[0]:
                best = (end - start + 1, start, end)
        count, first, last = best
        if count < t["rush_min_entries"]:
            continue
        burst_rows = rows[first:last + 1]
        span = (burst_rows[-1][0] - burst_rows[0][0]).total_seconds() / 60
        deadline = "整改时限" if day not in reporting else "报送截止日"
        data = {"deadline": day.isoformat(), "entries": [r[1] for r in burst_rows][:500],
                "from": burst_rows[0][0].isoformat(), "to": burst_rows[-1][0].isoformat()}
        sentence = (f"{day}（{deadline}）{timezone.localtime(burst_rows[0][0]):%H:%M}至"
                    f"{timezone.localtime(burst_rows[-1][0]):%H:%M}的{span:.0f}分钟内集中录入整改进展{count}条。")
        found.append(Found(FlagKind.PROGRESS_RUSH, unit, day.isoformat(), sorted({r[2] for r in burst_rows}),
                           data, sentence))
    return found


def run_all(scope: Scope, t: dict | None = None) -> list[Found]:
    t = t or thresholds()
    closed_files = _closed_evidence(scope)
    verified = _verified_at(scope)
    return [*evidence_reused(scope, t), *evidence_late(scope, t, closed_files, verified),
            *evidence_tiny(scope, t, closed_files), *deadline_day(scope, t), *text_alike(scope, t),
            *progress_rush(scope, t)]
