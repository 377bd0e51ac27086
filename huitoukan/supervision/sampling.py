"""重点抽查: an auditable, reproducible spot-check sampler over plain data (no models).

Seeds 001 三.2 (重点抽查: 对重点单位、重点对象……进行抽查，抽查要确保一定的覆盖面) and 002 三.5
(随机抽查). The caller turns units into `Candidate`s and people into `Inspector`s; this module
draws, explains, verifies and summarizes, so the same rules can be checked by anyone holding the
definition, the population and the seed.

The procedure, in full (what `verify` re-runs):

1. The population is sorted canonically (by path, then unit id), so input order never matters,
   and fingerprinted with the definition: `definition_digest` (SHA-256 of canonical JSON).
   Display names are not part of the fingerprint: renaming a unit does not void a past draw.
2. The random source is `random.Random(int(sha256(seed + "\\n" + digest)))`, and only its
   `random()` is used (Python guarantees that sequence for an int seed across versions; its
   `sample`/`choice`/`shuffle` are not guaranteed), through a partial Fisher–Yates (`_pick`).
   The seed is committed before the draw (`seed_commitment`, publish it with the digest).
3. Filters give the filtered population (an empty filter set means any value).
   `exclude_sampled_last_time` takes the units sampled last time out of the random parts.
4. 重点单位必抽: with `keys_always_in`, every key unit of the filtered population is in, even one
   sampled last time.
5. 每县至少一个: with `at_least_one_per_county`, every county present in the filtered population
   that no key unit already covers gets one unit drawn at random among its drawable units.
6. 随机补足: the target is max(size, ⌈min_share × filtered population⌉); the sample is topped up
   to it at random from the drawable units not yet in.
7. Assignment: an inspector never inspects their own unit or any unit in its subtree (their home
   path is a prefix of the unit's path), nor a unit they inspected last time (回避). Among the
   allowed inspectors the load is spread as evenly as the recusal allows (an optimal
   semi-matching: no unit can be passed along a chain of allowed inspectors from one inspector to
   another with at least two units fewer), the team's order being shuffled by the draw so that
   who gets which unit rotates. `per_inspector_max` caps every load.

Whatever cannot be satisfied raises `SamplingError`, a Chinese message naming the rule and the
unit or county. The unit sample never depends on the team: the team cannot steer what is drawn.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from fractions import Fraction

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError
from huitoukan.core.lights import LIGHT_LABELS, Light

# Bump when the procedure changes: it is part of the digest, so an old sample never verifies
# against a new procedure by accident.
PROCEDURE = "huitoukan.spot-check.v1"


class SamplingErrorCode(Enum):
    SEED_REQUIRED = _("请填写抽签种子。")
    DUPLICATE_UNIT = _("抽查范围中单位%(unit)s出现了不止一次。")
    DUPLICATE_INSPECTOR = _("检查组中人员（编号 %(inspector)s）出现了不止一次。")
    BAD_LIGHT = _("单位%(unit)s的红黄绿灯“%(light)s”无效。")
    BAD_COUNTY = _("单位%(unit)s的所属县“%(county)s”不是它的上级或本级单位。")
    BAD_SHARE = _("“至少抽取比例”须在 0 到 1 之间，现为“%(share)s”。")
    BAD_SIZE = _("“抽取数量”不能为负数，现为 %(size)s。")
    BAD_MAX = _("“每人最多检查数”须为正整数，现为 %(max)s。")
    BAD_HOME = _("检查组人员（编号 %(inspector)s）没有所在单位。")
    COUNTY_EMPTY = _("“每县至少一个”无法满足：%(county)s符合条件的 %(count)d 个单位上次均已抽查，"
                     "没有可抽的单位。")
    POPULATION_TOO_SMALL = _("“%(rule)s”要求抽取 %(target)d 个单位，但除已抽中的 %(chosen)d 个外，"
                             "可抽的单位只有 %(available)d 个（符合条件的共 %(filtered)d 个）。")
    NO_TEAM = _("检查组没有人员，无法分配抽中的 %(count)d 个单位。")
    UNIT_NO_INSPECTOR = _("回避规则无法满足：抽中的单位%(unit)s没有可以检查的人员"
                          "（检查组人员均属本单位或其上级单位，或上次检查过该单位）。")
    PER_INSPECTOR_MAX = _("“每人最多检查 %(max)d 个单位”无法满足：%(detail)s")


class SamplingError(DomainError):
    pass


class Reason(StrEnum):
    """Why a unit is in the sample."""

    KEY = "key"
    COUNTY = "county"
    TOP_UP = "top_up"


REASON_LABELS = {
    Reason.KEY: _("重点单位必抽"),
    Reason.COUNTY: _("每县至少一个"),
    Reason.TOP_UP: _("随机补足"),
}


def _strings(values: Iterable) -> frozenset[str]:
    return frozenset(str(v) for v in values)


@dataclass(frozen=True)
class Candidate:
    """A unit that may be sampled. `county_key` is its county's path (a prefix of `path`), or None."""

    unit_id: int
    path: str
    county_key: str | None
    level: str
    kind: str
    batch: str = ""
    sector: str = ""
    light: str = Light.GREEN
    overdue: int = 0
    is_key: bool = False
    sampled_last_time: bool = False
    # Display only (not fingerprinted): the explanation and errors name units by these.
    name: str = ""
    county_name: str = ""

    def canonical(self) -> dict:
        return {
            "unit": self.unit_id, "path": self.path, "county": self.county_key,
            "level": str(self.level), "kind": str(self.kind), "batch": str(self.batch),
            "sector": str(self.sector), "light": str(self.light), "overdue": int(self.overdue),
            "key": bool(self.is_key), "last": bool(self.sampled_last_time),
        }


@dataclass(frozen=True)
class Inspector:
    """A team member: their own unit's path, and the units they inspected last time. `recuse_below` False: a
    member of the inspecting level (home at or above the population's root) is recused from their own unit
    only, not from everything under it."""

    inspector_id: int
    home_path: str
    inspected_last_time: frozenset[int] = frozenset()
    name: str = ""
    recuse_below: bool = True

    def __post_init__(self):
        object.__setattr__(self, "inspected_last_time", frozenset(self.inspected_last_time))

    def recused_from(self, unit: Candidate) -> bool:
        """回避: their own unit or below it, or a unit they inspected last time."""
        own = unit.path == self.home_path or (self.recuse_below and unit.path.startswith(self.home_path))
        return own or unit.unit_id in self.inspected_last_time

    def canonical(self) -> dict:
        canonical = {"id": self.inspector_id, "home": self.home_path, "last": sorted(self.inspected_last_time)}
        if not self.recuse_below:  # absent when True: digests of earlier definitions stay the same
            canonical["own_unit_only"] = True
        return canonical


@dataclass(frozen=True)
class SampleDefinition:
    """A spot check's filters, coverage rules and team. Empty filter sets mean any value."""

    levels: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    batches: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    lights: frozenset[str] = frozenset()
    min_overdue: int = 0
    at_least_one_per_county: bool = False
    min_share: Fraction | float | str = Fraction(0)
    size: int | None = None
    keys_always_in: bool = True
    exclude_sampled_last_time: bool = False
    team: tuple[Inspector, ...] = ()
    per_inspector_max: int | None = None

    def __post_init__(self):
        for name in ("levels", "kinds", "batches", "sectors", "lights"):
            object.__setattr__(self, name, _strings(getattr(self, name)))
        object.__setattr__(self, "team", tuple(self.team))
        try:
            # Through str: 0.1 means one tenth, not the float nearest to it.
            share = Fraction(str(self.min_share))
        except (ValueError, ZeroDivisionError):
            raise SamplingError(SamplingErrorCode.BAD_SHARE, share=self.min_share) from None
        if not 0 <= share <= 1:
            raise SamplingError(SamplingErrorCode.BAD_SHARE, share=self.min_share)
        object.__setattr__(self, "min_share", share)
        if self.size is not None and self.size < 0:
            raise SamplingError(SamplingErrorCode.BAD_SIZE, size=self.size)
        if self.per_inspector_max is not None and self.per_inspector_max < 1:
            raise SamplingError(SamplingErrorCode.BAD_MAX, max=self.per_inspector_max)

    def admits(self, unit: Candidate) -> bool:
        """Whether the unit passes the filters."""
        return (
            (not self.levels or str(unit.level) in self.levels)
            and (not self.kinds or str(unit.kind) in self.kinds)
            and (not self.batches or str(unit.batch) in self.batches)
            and (not self.sectors or str(unit.sector) in self.sectors)
            and (not self.lights or str(unit.light) in self.lights)
            and unit.overdue >= self.min_overdue
        )

    def canonical(self) -> dict:
        return {
            "levels": sorted(self.levels), "kinds": sorted(self.kinds),
            "batches": sorted(self.batches), "sectors": sorted(self.sectors),
            "lights": sorted(self.lights), "min_overdue": self.min_overdue,
            "per_county": self.at_least_one_per_county, "min_share": str(self.min_share),
            "size": self.size, "keys_in": self.keys_always_in,
            "exclude_last": self.exclude_sampled_last_time,
            "team": [i.canonical() for i in sorted(self.team, key=lambda i: i.inspector_id)],
            "per_inspector_max": self.per_inspector_max,
        }


@dataclass(frozen=True)
class Sample:
    """A drawn sample: units in draw order, who inspects each, and how to check it."""

    unit_ids: tuple[int, ...]
    assignment: Mapping[int, int]  # unit id -> inspector id
    reasons: Mapping[int, Reason]
    seed: str
    commitment: str
    digest: str
    explanation: tuple[str, ...] = field(default=(), compare=False)

    def loads(self) -> dict[int, int]:
        return dict(Counter(self.assignment.values()))


def _canonical_units(candidates: Iterable[Candidate]) -> list[Candidate]:
    units = sorted(candidates, key=lambda c: (c.path, c.unit_id))
    seen: set[int] = set()
    for unit in units:
        if unit.unit_id in seen:
            raise SamplingError(SamplingErrorCode.DUPLICATE_UNIT, unit=_label(unit))
        seen.add(unit.unit_id)
    return units


def _canonical_json(definition: SampleDefinition, units: list[Candidate]) -> str:
    body = {"procedure": PROCEDURE, "definition": definition.canonical(),
            "population": [u.canonical() for u in units]}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def definition_digest(definition: SampleDefinition, candidates: Iterable[Candidate]) -> str:
    """SHA-256 (hex) of the canonical JSON of the definition and the sorted population."""
    text = _canonical_json(definition, _canonical_units(candidates))
    return hashlib.sha256(text.encode()).hexdigest()


def seed_commitment(seed: str) -> str:
    """The hash to publish before the draw; the seed shown after it must hash to it.

    A guessable seed can be found from its hash: use a long random one (`secrets.token_hex(16)`).
    """
    return hashlib.sha256(f"{PROCEDURE}:seed:{seed}".encode()).hexdigest()


def _rng(seed: str, digest: str) -> random.Random:
    return random.Random(int(hashlib.sha256(f"{seed}\n{digest}".encode()).hexdigest(), 16))


def _pick(rng: random.Random, items: Sequence, k: int) -> list:
    """k items in random order, a partial Fisher–Yates on `rng.random()` only (stable across Pythons)."""
    pool = list(items)
    n = len(pool)
    for i in range(min(k, n)):
        j = i + min(int(rng.random() * (n - i)), n - i - 1)
        pool[i], pool[j] = pool[j], pool[i]
    return pool[: min(k, n)]


def _label(unit: Candidate) -> str:
    return f"“{unit.name}”（编号 {unit.unit_id}）" if unit.name else f"（编号 {unit.unit_id}）"


def _county_label(key: str, units: Sequence[Candidate]) -> str:
    name = next((u.county_name for u in units if u.county_key == key and u.county_name), "")
    return f"“{name}”（{key}）" if name else f"县（{key}）"


def _target(definition: SampleDefinition, filtered: int) -> tuple[int, str]:
    """The size the rules ask for, and the rule that asks for it."""
    by_share = math.ceil(definition.min_share * filtered)
    size = definition.size or 0
    if size >= by_share and definition.size is not None:
        return size, _g("抽取 %(n)d 个单位") % {"n": size}
    return by_share, _g("至少抽取 %(share)s%%") % {"share": _percent(definition.min_share)}


def _percent(share: Fraction) -> str:
    value = share * 100
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


def draw(definition: SampleDefinition, candidates: Iterable[Candidate], seed: str) -> Sample:
    """Draw the sample the definition asks for, reproducibly from the seed (see the module doc)."""
    if not seed or not seed.strip():
        raise SamplingError(SamplingErrorCode.SEED_REQUIRED)
    units = _canonical_units(candidates)
    _check_inputs(definition, units)
    digest = hashlib.sha256(_canonical_json(definition, units).encode()).hexdigest()
    rng = _rng(seed, digest)
    lines: list[str] = []

    filtered = [u for u in units if definition.admits(u)]
    lines.append(_g("抽查范围 %(total)d 个单位，符合筛选条件的 %(filtered)d 个（%(filters)s）。") % {
        "total": len(units), "filtered": len(filtered), "filters": _describe_filters(definition)})
    drawable = [u for u in filtered
                if not (definition.exclude_sampled_last_time and u.sampled_last_time)]
    if definition.exclude_sampled_last_time:
        lines.append(_g("上次已抽查的 %(n)d 个单位不参加随机抽取（重点单位除外）。") % {
            "n": len(filtered) - len(drawable)})

    chosen: list[Candidate] = []
    reasons: dict[int, Reason] = {}
    why: dict[int, str] = {}

    def take(unit: Candidate, reason: Reason, text: str):
        chosen.append(unit)
        reasons[unit.unit_id] = reason
        why[unit.unit_id] = text

    if definition.keys_always_in:
        keys = [u for u in filtered if u.is_key]
        lines.append(_g("重点单位必抽：符合条件的重点单位 %(n)d 个全部抽中。") % {"n": len(keys)})
        for unit in keys:
            take(unit, Reason.KEY, _g("重点单位必抽。"))

    if definition.at_least_one_per_county:
        counties = sorted({u.county_key for u in filtered if u.county_key is not None})
        lines.append(_g("每县至少一个：符合条件的单位分布在 %(n)d 个县，每县至少抽中一个。") % {
            "n": len(counties)})
        covered = {u.county_key for u in chosen}
        for key in counties:
            if key in covered:
                continue
            pool = [u for u in drawable if u.county_key == key]
            if not pool:
                count = sum(1 for u in filtered if u.county_key == key)
                raise SamplingError(SamplingErrorCode.COUNTY_EMPTY,
                                    county=_county_label(key, units), count=count)
            (unit,) = _pick(rng, pool, 1)
            take(unit, Reason.COUNTY, _g("每县至少一个：从%(county)s的 %(n)d 个可抽单位中随机抽中。") % {
                "county": _county_label(key, units), "n": len(pool)})

    target, rule = _target(definition, len(filtered))
    lines.append(_g("抽取数量：按“%(rule)s”应抽 %(target)d 个（符合条件的 %(filtered)d 个）；"
                    "已抽中 %(chosen)d 个。") % {"rule": rule, "target": target,
                                                 "filtered": len(filtered), "chosen": len(chosen)})
    need = target - len(chosen)
    if need > 0:
        taken = {u.unit_id for u in chosen}
        rest = [u for u in drawable if u.unit_id not in taken]
        if need > len(rest):
            raise SamplingError(SamplingErrorCode.POPULATION_TOO_SMALL, rule=rule, target=target,
                                chosen=len(chosen), available=len(rest), filtered=len(filtered))
        lines.append(_g("随机补足：从其余 %(rest)d 个可抽单位中随机抽取 %(need)d 个。") % {
            "rest": len(rest), "need": need})
        for unit in _pick(rng, rest, need):
            take(unit, Reason.TOP_UP, _g("随机补足：从其余 %(n)d 个可抽单位中随机抽中。") % {
                "n": len(rest)})

    assignment = _assign(definition, chosen, rng)
    names = {i.inspector_id: (i.name or _g("人员 %(id)s") % {"id": i.inspector_id})
             for i in definition.team}
    lines.append(_g("人员分配：回避本人所在单位及其下级单位、上次检查过的单位，按工作量轮换分配%(cap)s。") % {
        "cap": (_g("，每人最多 %(n)d 个") % {"n": definition.per_inspector_max}
                if definition.per_inspector_max else "")})
    for unit in chosen:
        lines.append(_g("%(unit)s：%(why)s 由%(who)s检查。") % {
            "unit": _label(unit), "why": why[unit.unit_id],
            "who": names[assignment[unit.unit_id]]})
    return Sample(
        unit_ids=tuple(u.unit_id for u in chosen), assignment=assignment, reasons=reasons,
        seed=seed, commitment=seed_commitment(seed), digest=digest, explanation=tuple(lines))


def _check_inputs(definition: SampleDefinition, units: list[Candidate]):
    lights = {str(light) for light in Light}
    for unit in units:
        if str(unit.light) not in lights:
            raise SamplingError(SamplingErrorCode.BAD_LIGHT, unit=_label(unit), light=unit.light)
        if unit.county_key is not None and not unit.path.startswith(unit.county_key):
            raise SamplingError(SamplingErrorCode.BAD_COUNTY, unit=_label(unit),
                                county=unit.county_key)
    seen: set[int] = set()
    for inspector in definition.team:
        if inspector.inspector_id in seen:
            raise SamplingError(SamplingErrorCode.DUPLICATE_INSPECTOR,
                                inspector=inspector.inspector_id)
        if not inspector.home_path:
            raise SamplingError(SamplingErrorCode.BAD_HOME, inspector=inspector.inspector_id)
        seen.add(inspector.inspector_id)


# How the explanation names a filter's values (层级 township → 乡镇街道): filled by the callers that know the
# tree's choices (spotchecks), so the sampler itself imports no models.
VALUE_LABELS: dict[str, object] = {}  # value -> (lazy) label


def _describe_filters(definition: SampleDefinition) -> str:
    parts = []
    names = {**{str(k): v for k, v in LIGHT_LABELS.items()}, **VALUE_LABELS}
    for label, values in ((_g("层级"), definition.levels), (_g("类型"), definition.kinds),
                          (_g("批次"), definition.batches), (_g("行业系统"), definition.sectors),
                          (_g("红黄绿灯"), definition.lights)):
        if values:
            parts.append(f"{label}：{'、'.join(str(names.get(v, v)) for v in sorted(values))}")
    if definition.min_overdue:
        parts.append(_g("逾期事项不少于 %(n)d 项") % {"n": definition.min_overdue})
    return "；".join(parts) or _g("不限")


def _assign(definition: SampleDefinition, chosen: list[Candidate], rng: random.Random) -> dict[int, int]:
    """unit id -> inspector id: recusal respected, loads as even as recusal allows, within the cap."""
    if not chosen:
        return {}
    if not definition.team:
        raise SamplingError(SamplingErrorCode.NO_TEAM, count=len(chosen))
    # Rotation: the team's order for this draw (ties in load go to the earlier member).
    team = _pick(rng, sorted(definition.team, key=lambda i: i.inspector_id), len(definition.team))
    allowed: dict[int, list[int]] = {}  # unit id -> team positions allowed
    for unit in chosen:
        allowed[unit.unit_id] = [k for k, i in enumerate(team) if not i.recused_from(unit)]
        if not allowed[unit.unit_id]:
            raise SamplingError(SamplingErrorCode.UNIT_NO_INSPECTOR, unit=_label(unit))

    # Greedy start, the most constrained units first, each to its least loaded allowed member.
    load = [0] * len(team)
    owner: dict[int, int] = {}
    order = sorted(range(len(chosen)), key=lambda n: (len(allowed[chosen[n].unit_id]), n))
    for n in order:
        uid = chosen[n].unit_id
        k = min(allowed[uid], key=lambda k: (load[k], k))
        owner[uid] = k
        load[k] += 1
    # Then pass units along chains of allowed members while that evens the loads out
    # (each pass lowers the sum of squared loads, so this ends, at an optimal semi-matching).
    while _even_out(chosen, allowed, owner, load):
        pass

    cap = definition.per_inspector_max
    if cap is not None and max(load) > cap:
        if len(chosen) > cap * len(team):
            detail = _g("抽中 %(n)d 个单位，检查组 %(k)d 人最多只能检查 %(m)d 个。") % {
                "n": len(chosen), "k": len(team), "m": cap * len(team)}
        else:
            k = max(range(len(team)), key=lambda k: (load[k], -k))
            who = team[k].name or _g("人员 %(id)s") % {"id": team[k].inspector_id}
            detail = _g("受回避规则限制，%(who)s至少要检查 %(n)d 个单位。") % {"who": who, "n": load[k]}
        raise SamplingError(SamplingErrorCode.PER_INSPECTOR_MAX, max=cap, detail=detail)
    return {unit.unit_id: team[owner[unit.unit_id]].inspector_id for unit in chosen}


def _even_out(chosen, allowed, owner, load) -> bool:
    """Find one chain from a member to one with at least two units fewer and shift along it."""
    held: dict[int, list[int]] = {k: [] for k in range(len(load))}
    for unit in chosen:
        held[owner[unit.unit_id]].append(unit.unit_id)
    for start in sorted(range(len(load)), key=lambda k: (-load[k], k)):
        # BFS over members; came[k] = (previous member, unit passed from it to k).
        came: dict[int, tuple[int, int] | None] = {start: None}
        queue = deque([start])
        while queue:
            k = queue.popleft()
            for uid in held[k]:
                for other in allowed[uid]:
                    if other in came:
                        continue
                    came[other] = (k, uid)
                    if load[other] <= load[start] - 2:
                        end = other
                        while came[end] is not None:
                            prev, moved = came[end]
                            owner[moved] = end
                            end = prev
                        load[start] -= 1
                        load[other] += 1
                        return True
                    queue.append(other)
    return False


def verify(definition: SampleDefinition, candidates: Iterable[Candidate], sample: Sample) -> list[str]:
    """Re-draw and check every rule; the problems in Chinese, none when the sample is sound."""
    problems: list[str] = []
    try:
        units = _canonical_units(candidates)
        digest = definition_digest(definition, units)
    except SamplingError as e:
        return [e.message]
    if sample.commitment != seed_commitment(sample.seed):
        problems.append(_g("抽签种子与事先公布的承诺值不符。"))
    if sample.digest != digest:
        problems.append(_g("抽查定义或抽查范围与抽签时不同（指纹不符）。"))
    try:
        again = draw(definition, units, sample.seed)
    except SamplingError as e:
        problems.append(_g("按该定义和种子无法重新抽取：%(error)s") % {"error": e.message})
        again = None
    if again is not None:
        if list(again.unit_ids) != list(sample.unit_ids):
            problems.append(_g("被抽单位与按种子重新抽取的结果不同。"))
        if dict(again.assignment) != dict(sample.assignment):
            problems.append(_g("人员分配与按种子重新抽取的结果不同。"))
    problems.extend(_rule_problems(definition, units, sample))
    return problems


def _rule_problems(definition: SampleDefinition, units: list[Candidate], sample: Sample) -> list[str]:
    """Every coverage and recusal rule, checked on the sample itself (not only by re-drawing)."""
    problems: list[str] = []
    by_id = {u.unit_id: u for u in units}
    ids = list(sample.unit_ids)
    for uid in sorted(set(ids) - set(by_id)):
        problems.append(_g("被抽单位（编号 %(unit)s）不在抽查范围中。") % {"unit": uid})
    if len(set(ids)) != len(ids):
        problems.append(_g("同一单位被抽中不止一次。"))
    picked = [by_id[i] for i in dict.fromkeys(ids) if i in by_id]
    filtered = [u for u in units if definition.admits(u)]
    for unit in picked:
        if not definition.admits(unit):
            problems.append(_g("被抽单位%(unit)s不符合筛选条件。") % {"unit": _label(unit)})
        elif (definition.exclude_sampled_last_time and unit.sampled_last_time
              and not (definition.keys_always_in and unit.is_key)):
            problems.append(_g("单位%(unit)s上次已抽查，本次应排除。") % {"unit": _label(unit)})
    picked_ids = {u.unit_id for u in picked}
    if definition.keys_always_in:
        for unit in filtered:
            if unit.is_key and unit.unit_id not in picked_ids:
                problems.append(_g("重点单位必抽：%(unit)s未被抽中。") % {"unit": _label(unit)})
    if definition.at_least_one_per_county:
        have = {u.county_key for u in picked}
        for key in sorted({u.county_key for u in filtered if u.county_key is not None} - have):
            problems.append(_g("每县至少一个：%(county)s没有被抽中的单位。") % {
                "county": _county_label(key, units)})
    target, rule = _target(definition, len(filtered))
    if len(picked) < target:
        problems.append(_g("“%(rule)s”要求至少 %(target)d 个单位，只抽中了 %(n)d 个。") % {
            "rule": rule, "target": target, "n": len(picked)})
    team = {i.inspector_id: i for i in definition.team}
    for unit in picked:
        who = sample.assignment.get(unit.unit_id)
        if who not in team:
            problems.append(_g("单位%(unit)s没有分配给检查组中的人员。") % {"unit": _label(unit)})
        elif team[who].recused_from(unit):
            problems.append(_g("回避规则：单位%(unit)s分配给了应回避的人员（编号 %(who)s）。") % {
                "unit": _label(unit), "who": who})
    for uid in sorted(set(sample.assignment) - picked_ids):
        problems.append(_g("人员分配中的单位（编号 %(unit)s）不在被抽单位中。") % {"unit": uid})
    cap = definition.per_inspector_max
    if cap is not None:
        for who, n in sorted(Counter(sample.assignment.values()).items()):
            if n > cap:
                problems.append(_g("人员（编号 %(who)s）分到 %(n)d 个单位，超过每人最多 %(cap)d 个。") % {
                    "who": who, "n": n, "cap": cap})
    return problems


def coverage(samples: Iterable[Sample], candidates: Iterable[Candidate]) -> dict:
    """Over a campaign's draws: how often each unit and county was sampled, and what never was.

    {"draws": n, "units": {unit id: times}, "counties": {county key: {"name", "units",
    "units_sampled", "times"}}, "never_sampled": [unit ids, in path order],
    "counties_never_sampled": [keys], "units_total", "units_sampled", "unknown_units": [ids]}
    """
    units = _canonical_units(candidates)
    times: Counter[int] = Counter()
    draws = 0
    for sample in samples:
        draws += 1
        times.update(set(sample.unit_ids))
    known = {u.unit_id for u in units}
    counties: dict[str, dict] = {}
    for unit in units:
        if unit.county_key is None:
            continue
        entry = counties.setdefault(unit.county_key, {
            "name": unit.county_name, "units": 0, "units_sampled": 0, "times": 0})
        entry["name"] = entry["name"] or unit.county_name
        entry["units"] += 1
        entry["units_sampled"] += 1 if times[unit.unit_id] else 0
        entry["times"] += times[unit.unit_id]
    return {
        "draws": draws,
        "units": {u.unit_id: times[u.unit_id] for u in units},
        "counties": counties,
        "never_sampled": [u.unit_id for u in units if not times[u.unit_id]],
        "counties_never_sampled": [k for k, v in counties.items() if not v["times"]],
        "units_total": len(units),
        "units_sampled": sum(1 for u in units if times[u.unit_id]),
        "unknown_units": sorted(set(times) - known),
    }


__all__ = [
    "Candidate", "Inspector", "Reason", "REASON_LABELS", "Sample", "SampleDefinition",
    "SamplingError", "SamplingErrorCode", "coverage", "definition_digest", "draw",
    "seed_commitment", "verify",
]
