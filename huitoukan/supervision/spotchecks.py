"""重点抽查 stored: who may define and draw a spot check, its population, the commit → draw → verify
services, and the coverage map (抽查覆盖情况). The draw itself is `supervision.sampling` (pure).

The procedure (docs/spot-checks.md):

1. `spotcheck_define` (the ordering office, `inspection.order` over the ordering unit): the population
   (units under the root, with level, kind, batch, light, overdue count, county, key and "sampled last
   time") and the team (each member's home unit and the units they inspected last time) are frozen as
   canonical JSON and fingerprinted (`sampling.definition_digest`); a seed is generated with `secrets`
   and only its commitment (`sampling.seed_commitment`) is shown. The definition is tried once with that
   seed, so a committed spot check can always be drawn; nothing of the sample is kept or shown.
2. `spotcheck_draw` (the same office): the seed is revealed, the sample drawn from the frozen JSON and
   stored with its reasons, inspectors and explanation, and the 重点抽查 `Inspection` of the sampled
   units ordered through `services.inspection_create` by the same actor.
3. `spotcheck_verify` (any reader): the draw re-run from the stored JSON and seed, every rule checked on
   the stored sample, the seed checked against its commitment: 一致 or 不一致 with the reasons.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from fractions import Fraction

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from huitoukan.access import policy
from huitoukan.access.models import Account, Role
from huitoukan.access.policy import Perm
from huitoukan.campaigns.models import Campaign
from huitoukan.core import sql, timeline
from huitoukan.core.errors import DomainError
from huitoukan.core.lights import Light, light_for
from huitoukan.core.paths import STEPLEN, ancestor_paths, path_range_q
from huitoukan.ledgers import selectors as ledger_selectors
from huitoukan.ledgers.models import OPEN_STATUSES, FourWinds, Item, ItemDueTally, ItemStatus
from huitoukan.orgs.models import Batch, Unit, UnitKind, UnitLevel
from huitoukan.supervision import sampling, services
from huitoukan.supervision.models import (
    InspectionKind,
    Method,
    PopulationKind,
    SpotCheck,
    SpotCheckState,
)
from huitoukan.supervision.sampling import (
    REASON_LABELS,
    Candidate,
    Inspector,
    Reason,
    SampleDefinition,
)

# Kept totals are read for this many units per query (SQLite's bound on query parameters).
CHUNK = 500


class SpotCheckErrorCode(Enum):
    TITLE_REQUIRED = _("请填写抽查名称。")
    ROOT_OUTSIDE = _("抽查范围“%(root)s”不在组织单位“%(ordering)s”的范围内。")
    KEY_OUTSIDE = _("重点单位“%(unit)s”不在抽查范围“%(root)s”内。")
    BAD_CHOICE = _("“%(field)s”中的“%(value)s”无效。")
    BAD_SHARE = _("“至少抽取比例（%%）”须在 0 到 100 之间，现为“%(share)s”。")
    TEAM_REQUIRED = _("请填写检查组成员。")
    MEMBER_CANNOT_READ = _("检查组成员“%(member)s”无权查看可能抽中的单位“%(unit)s”。")
    MEMBER_NO_HOME = _("检查组成员“%(member)s”没有所在单位，无法执行回避规则。")
    CAMPAIGN_OUTSIDE = _("活动“%(campaign)s”与组织单位“%(ordering)s”无关（须是其本级、上级或下级的活动）。")
    EMPTY_SAMPLE = _("按该定义抽不到任何单位（符合筛选条件的单位为 0 个，或未设定抽取数量和比例）。")
    ALREADY_DRAWN = _("该抽查已经抽取，不能再次抽取。")
    TAMPERED = _("存档的抽查定义、范围或种子与承诺时不同，不能抽取。")
    NOT_ORDERING = _("只有组织抽查的活动办可以定义和抽取。")
    TREE_CHANGED = _("抽查范围内的单位自承诺以来已移动或撤销，不能按存档的范围安排督查：请重新定义抽查。")
    ORDERER_GONE = _("定义这次抽查的“%(login)s”已无权在“%(unit)s”安排督查：请由组织单位的活动办重新定义。")
    TOO_LARGE = _("“%(field)s”不能超过 %(limit)s。")


class SpotCheckError(DomainError):
    pass


E = SpotCheckErrorCode
sampling.VALUE_LABELS.update({str(v): label for choices in (UnitLevel.choices, UnitKind.choices, Batch.choices)
                              for v, label in choices})
COUNT_LIMIT = 100_000  # no count of a definition goes beyond (a database integer would overflow)


# --- rules ----------------------------------------------------------------------------------------


def on_team(user, spot_check: SpotCheck) -> bool:
    cached = getattr(spot_check, "_team_ids", None)
    if cached is None:
        cached = spot_check._team_ids = {u.pk for u in spot_check.team.all()}
    return getattr(user, "pk", None) in cached


def orders(user, spot_check: SpotCheck) -> bool:
    """The ordering office: `inspection.order` over the ordering unit."""
    return policy.can(user, Perm.INSPECTION_ORDER, spot_check.ordering_unit)


def may_read(user, spot_check: SpotCheck) -> bool:
    """The ordering office, the team, and the readers of the ordering unit (never the sampled units'
    own readers: they see the inspection once drawn)."""
    return (orders(user, spot_check) or on_team(user, spot_check)
            or policy.can(user, Perm.WORK_VIEW, spot_check.ordering_unit))


def spot_checks_q(user) -> Q:
    mine = Q(team=user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
    return mine | policy.units_q(user, Perm.WORK_VIEW, "ordering_unit__path")


def order_refusal(user, spot_check: SpotCheck):
    """Defining and drawing: the ordering office's. 403 to a reader, 404 to anybody else."""
    if orders(user, spot_check):
        return None
    if may_read(user, spot_check):
        return policy.Forbidden(Perm.INSPECTION_ORDER, spot_check.ordering_unit, E.NOT_ORDERING)
    return policy.Denied(Perm.INSPECTION_ORDER, spot_check.ordering_unit)


def draw_refusal(user, spot_check: SpotCheck):
    """Drawing: the ordering office, or a member of the committed team (on site, in front of the unit: the
    seed was committed before anyone knew who would draw). 403 to a reader, 404 to anybody else."""
    if on_team(user, spot_check):
        return None
    return order_refusal(user, spot_check)


def raise_if(refused) -> None:
    if refused is not None:
        raise refused


# --- the population and the team (one place) ------------------------------------------------------


def _county_of(path: str, counties: dict[str, str]) -> str | None:
    """The top-most county-level unit at or above `path` (a 县直单位 of county level counts to its county)."""
    for prefix in (*ancestor_paths(path), path):
        if prefix in counties:
            return prefix
    return None


def _units_under(root: Unit, levels=()) -> tuple[list[Unit], dict[str, str]]:
    """The units in force strictly under `root` (of `levels`, if any), in path order, and the county-level
    units at, above or below the root by path → name: two queries."""
    qs = Unit.objects.filter(path_range_q(root.path), depth__gt=root.depth, abolished_on__isnull=True)
    if levels:
        qs = qs.filter(level__in=list(levels))
    units = list(qs.order_by("path").only("id", "path", "depth", "name", "full_name", "level", "kind", "batch",
                                          "sector"))
    counties = dict(Unit.objects.filter(
        Q(path__in=ancestor_paths(root.path, include_self=True)) | path_range_q(root.path),
        level=UnitLevel.COUNTY).values_list("path", "name"))
    return units, counties


def _lights_and_overdue(units: list[Unit], campaign, today: dt.date) -> tuple[dict[int, Light], dict[int, int]]:
    """红黄绿灯 and overdue items of each unit's subtree, from the ledgers' kept totals (two queries per
    CHUNK units). A unit without open items is grey."""
    lights: dict[int, Light] = {}
    overdue: dict[int, int] = {}
    for start in range(0, len(units), CHUNK):
        chunk = units[start:start + CHUNK]
        lights.update(ledger_selectors.lights_of(chunk, campaign=campaign, today=today))
        rows = ItemDueTally.objects.filter(unit__in=[u.pk for u in chunk], due_on__lt=today, n__gt=0)
        if campaign is not None:
            rows = rows.filter(campaign=campaign)
        overdue.update(rows.values("unit_id").annotate(total=Sum("n")).values_list("unit_id", "total"))
    return lights, overdue


def population(*, root: Unit, levels=(), campaign=None, key_ids=frozenset(), last_ids=frozenset(),
               today: dt.date | None = None) -> list[Candidate]:
    """The candidates of a spot check: the units in force under `root` (of `levels`, if any) with their
    level, kind, batch, 红黄绿灯 and overdue count (their subtree's, in `campaign` if given), county,
    key flag and "sampled last time". A fixed number of queries (five for up to CHUNK units). The sector is
    the unit's 行业系统 (orgs.Unit.sector)."""
    today = today or timezone.localdate()
    units, counties = _units_under(root, levels)
    lights, overdue = _lights_and_overdue(units, campaign, today)
    candidates = []
    for unit in units:
        county = _county_of(unit.path, counties)
        candidates.append(Candidate(
            unit_id=unit.pk, path=unit.path, county_key=county, level=unit.level, kind=unit.kind,
            batch=unit.batch or "", sector=unit.sector or "", light=lights.get(unit.pk, Light.GREY),
            overdue=int(overdue.get(unit.pk, 0)), is_key=unit.pk in key_ids, sampled_last_time=unit.pk in last_ids,
            name=unit.full_name or unit.name, county_name=counties.get(county, "") if county else ""))
    return candidates


def item_population(*, root: Unit, levels=(), campaign=None, statuses=(), four_winds=(), key_ids=frozenset(),
                    last_ids=frozenset(), today: dt.date | None = None) -> list[Candidate]:
    """The candidates of a spot check of ledger items: the items of the units at and under `root` (of `levels`,
    if any; of `campaign`, if given), by status and 四风, each with its unit's level, kind, batch and county,
    its own 红黄绿灯 and 1 if it is overdue; key when its unit is a key unit, "sampled last time" by item.
    Two queries."""
    today = today or timezone.localdate()
    units, counties = _units_under(root, levels)
    items = Item.objects.filter(path_range_q(root.path, "ledger__unit__path"), ledger__unit__abolished_on__isnull=True)
    if levels:
        items = items.filter(ledger__unit__level__in=list(levels))
    if campaign is not None:
        items = items.filter(ledger__campaign=campaign)
    if statuses:
        items = items.filter(status__in=list(statuses))
    if four_winds:
        items = items.filter(four_winds__in=list(four_winds))
    candidates = []
    for item in items.select_related("ledger__unit").order_by("ledger__unit__path", "ledger__kind", "seq", "id"):
        unit = item.ledger.unit
        county = _county_of(unit.path, counties)
        is_open = item.status in OPEN_STATUSES
        candidates.append(Candidate(
            unit_id=item.pk, path=unit.path, county_key=county, level=unit.level, kind=unit.kind,
            batch=unit.batch or "", sector=unit.sector or "",
            light=light_for(due_on=item.due_on, today=today, closed=not is_open),
            overdue=int(is_open and item.due_on is not None and item.due_on < today), is_key=unit.pk in key_ids,
            sampled_last_time=item.pk in last_ids, name=f"{unit.full_name or unit.name}：{item.problem[:40]}",
            county_name=counties.get(county, "") if county else ""))
    return candidates


def _common_ancestor(paths: list[str]) -> str:
    first = min(paths)
    last = max(paths)
    n = 0
    while n < len(first) and n < len(last) and first[n] == last[n]:
        n += 1
    return first[: n - n % STEPLEN]


def team_inspectors(team, previous: SpotCheck | None, ordering_unit: Unit | None = None) -> list[Inspector]:
    """Each member as an `Inspector`: their home unit and the units they inspected last time.

    The home is where the member works: the units of their grants (policy.assignments_of) other than a
    supervision group's (which sits at the group's dispatching unit), and their login's own unit; with
    several, their lowest common unit (recused from all of them). Last time: the units the previous
    spot check assigned them. One query for the logins' units, and per member their grants (with their
    groups' units), read once per request by the policy. A member whose home is at or above the ordering unit (of the
    inspecting level: a city official on the city's group) is recused from their own unit only."""
    team = list(team)
    own = dict(Account.objects.filter(user__in=[u.pk for u in team], unit__isnull=False)
               .values_list("user_id", "unit__path"))
    last: dict[int, set[int]] = defaultdict(set)
    if previous is not None:
        for unit_id, who in (previous.assignment or {}).items():
            last[int(who)].add(int(unit_id))
    inspectors = []
    for user in team:
        grants = policy.assignments_of(user)
        homes = [a.unit.path for a in grants if a.role != Role.SUPERVISOR]
        if user.pk in own:
            homes.append(own[user.pk])
        if not homes:  # a group member's login of no unit: the group's dispatching unit
            homes = [a.unit.path for a in grants]
        home = _common_ancestor(homes) if homes else ""
        if not home:
            raise SpotCheckError(E.MEMBER_NO_HOME, member=user.get_username())
        inspectors.append(Inspector(inspector_id=user.pk, home_path=home,
                                    inspected_last_time=frozenset(last[user.pk]), name=user.get_username(),
                                    recuse_below=not _of_inspecting_level(homes, home, ordering_unit)))
    return inspectors


def _of_inspecting_level(homes: list[str], home: str, ordering_unit: Unit | None) -> bool:
    """One home, at or above the ordering unit: a member of the inspecting level (recused from that unit only).
    A member working at several units keeps the whole subtree of their common unit (recused from all)."""
    return ordering_unit is not None and len(set(homes)) == 1 and ordering_unit.path.startswith(home)


def previous_spot_check(*, ordering_unit: Unit, campaign, before: SpotCheck | None = None,
                        population_kind: str = PopulationKind.UNITS) -> SpotCheck | None:
    """The last drawn spot check of the same office (and campaign) and of the same kind of population (units
    or items): whose sample is "last time"."""
    qs = SpotCheck.objects.filter(ordering_unit=ordering_unit, campaign=campaign, state=SpotCheckState.DRAWN,
                                  population_kind=population_kind)
    if before is not None and before.pk is not None:
        qs = qs.exclude(pk=before.pk)
    return qs.order_by("-drawn_at", "-id").first()


# --- canonical JSON, and back ----------------------------------------------------------------------


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def population_json(candidates: list[Candidate]) -> str:
    """The candidates in canonical order, fingerprinted fields plus their display names."""
    units = sorted(candidates, key=lambda c: (c.path, c.unit_id))
    return _dumps([{**c.canonical(), "name": c.name, "county_name": c.county_name} for c in units])


def candidates_from(text: str) -> list[Candidate]:
    return [Candidate(unit_id=d["unit"], path=d["path"], county_key=d["county"], level=d["level"], kind=d["kind"],
                      batch=d["batch"], sector=d["sector"], light=d["light"], overdue=d["overdue"],
                      is_key=d["key"], sampled_last_time=d["last"], name=d.get("name", ""),
                      county_name=d.get("county_name", "")) for d in json.loads(text)]


def definition_json(definition: SampleDefinition) -> str:
    return _dumps(definition.canonical())


def definition_from(text: str, names: dict[int, str] | None = None) -> SampleDefinition:
    d = json.loads(text)
    names = names or {}
    team = tuple(Inspector(inspector_id=i["id"], home_path=i["home"], inspected_last_time=frozenset(i["last"]),
                           name=names.get(i["id"], ""), recuse_below=not i.get("own_unit_only", False))
                 for i in d["team"])
    return SampleDefinition(
        levels=d["levels"], kinds=d["kinds"], batches=d["batches"], sectors=d["sectors"], lights=d["lights"],
        min_overdue=d["min_overdue"], at_least_one_per_county=d["per_county"], min_share=d["min_share"],
        size=d["size"], keys_always_in=d["keys_in"], exclude_sampled_last_time=d["exclude_last"], team=team,
        per_inspector_max=d["per_inspector_max"])


def _share(percent) -> Fraction:
    return Fraction(str(percent)) / 100


# --- services -------------------------------------------------------------------------------------


def _clean_choices(label: str, values, allowed) -> list[str]:
    values = sorted({str(v) for v in (values or ()) if str(v).strip()})
    for value in values:
        if value not in allowed:
            raise SpotCheckError(E.BAD_CHOICE, field=label, value=value)
    return values


def _check_team_reads(team, definition: SampleDefinition, candidates: list[Candidate]) -> None:
    """Every member must be able to read every unit the definition may sample (the inspection's rule)."""
    admitted = [c for c in candidates if definition.admits(c)]
    for member in team:
        scope = policy.scope(member, Perm.WORK_VIEW)
        unread = next((c for c in admitted if not scope.covers_path(c.path)), None)
        if unread is not None:
            raise SpotCheckError(E.MEMBER_CANNOT_READ, member=member.get_username(), unit=unread.name)


def _percent(value) -> Decimal:
    try:
        percent = Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        raise SpotCheckError(E.BAD_SHARE, share=value) from None
    if not percent.is_finite() or not 0 <= percent <= 100:
        raise SpotCheckError(E.BAD_SHARE, share=value)
    return percent.quantize(Decimal("0.01"))


@transaction.atomic
def spotcheck_define(*, actor, ordering_unit: Unit, root: Unit, title: str, starts_on: dt.date, team,
                     campaign=None, levels=(), kinds=(), batches=(), sectors=(), lights=(), min_overdue: int = 0,
                     at_least_one_per_county: bool = False, min_share_percent=0, size: int | None = None,
                     keys_always_in: bool = True, key_units=(), exclude_sampled_last_time: bool = False,
                     per_inspector_max: int | None = None, today: dt.date | None = None,
                     population_kind: str = PopulationKind.UNITS, item_statuses=(), item_four_winds=()) -> SpotCheck:
    """定义并承诺: freeze the population (the units under `root`, or their ledger items by status and 四风) and
    the team, commit a secret seed (已承诺)."""
    policy.require(actor, Perm.INSPECTION_ORDER, ordering_unit)
    if not (title or "").strip():
        raise SpotCheckError(E.TITLE_REQUIRED)
    if not root.path.startswith(ordering_unit.path):
        raise SpotCheckError(E.ROOT_OUTSIDE, root=root.full_name, ordering=ordering_unit.full_name)
    if campaign is not None and not (ordering_unit.path.startswith(campaign.owner_unit.path)
                                     or campaign.owner_unit.path.startswith(ordering_unit.path)):
        raise SpotCheckError(E.CAMPAIGN_OUTSIDE, campaign=campaign.name, ordering=ordering_unit.full_name)
    levels = _clean_choices(_g("层级"), levels, UnitLevel.values)
    kinds = _clean_choices(_g("类型"), kinds, UnitKind.values)
    batches = _clean_choices(_g("批次"), batches, Batch.values)
    lights = _clean_choices(_g("红黄绿灯"), lights, [str(light) for light in Light])
    sectors = sorted({str(s).strip() for s in (sectors or ()) if str(s).strip()})
    percent = _percent(min_share_percent)
    for label, value in ((_g("逾期事项不少于"), min_overdue), (_g("抽取数量"), size),
                         (_g("每人最多检查数"), per_inspector_max)):
        if value is not None and int(value) > COUNT_LIMIT:
            raise SpotCheckError(E.TOO_LARGE, field=label, limit=COUNT_LIMIT)
    population_kind = _clean_choices(_g("抽查对象"), [population_kind], PopulationKind.values)[0]
    items = population_kind == PopulationKind.ITEMS
    item_statuses = _clean_choices(_g("事项状态"), item_statuses, ItemStatus.values) if items else []
    item_four_winds = _clean_choices(_g("“四风”类别"), item_four_winds, FourWinds.values) if items else []
    key_units = list(key_units)
    for unit in key_units:
        if not unit.path.startswith(root.path) or unit.pk == root.pk:
            raise SpotCheckError(E.KEY_OUTSIDE, unit=unit.full_name, root=root.full_name)
    team = list({u.pk: u for u in team}.values())
    if not team:
        raise SpotCheckError(E.TEAM_REQUIRED)
    for member in team:
        policy.forget(member)

    previous = previous_spot_check(ordering_unit=ordering_unit, campaign=campaign, population_kind=population_kind)
    last_ids = set(previous.sample_units) if previous else set()
    if items:
        candidates = item_population(root=root, levels=levels, campaign=campaign, statuses=item_statuses,
                                     four_winds=item_four_winds, key_ids={u.pk for u in key_units},
                                     last_ids=last_ids, today=today)
    else:
        candidates = population(root=root, levels=levels, campaign=campaign, key_ids={u.pk for u in key_units},
                                last_ids=last_ids, today=today)
    definition = SampleDefinition(
        levels=levels, kinds=kinds, batches=batches, sectors=sectors, lights=lights,
        min_overdue=max(int(min_overdue or 0), 0), at_least_one_per_county=bool(at_least_one_per_county),
        min_share=_share(percent), size=size, keys_always_in=bool(keys_always_in),
        exclude_sampled_last_time=bool(exclude_sampled_last_time),
        team=tuple(team_inspectors(team, previous, ordering_unit)), per_inspector_max=per_inspector_max)
    _check_team_reads(team, definition, candidates)
    seed = secrets.token_hex(16)
    # Tried once with the committed seed (the sample is not kept): a committed check can always be drawn.
    if not sampling.draw(definition, candidates, seed).unit_ids:
        raise SpotCheckError(E.EMPTY_SAMPLE)
    spot_check = SpotCheck(
        title=title.strip(), campaign=campaign, ordering_unit=ordering_unit, root=root, levels=levels, kinds=kinds,
        population_kind=population_kind, item_statuses=item_statuses, item_four_winds=item_four_winds,
        batches=batches, sectors=sectors, lights=lights, min_overdue=definition.min_overdue,
        at_least_one_per_county=definition.at_least_one_per_county, min_share_percent=percent, size=size,
        keys_always_in=definition.keys_always_in, exclude_sampled_last_time=definition.exclude_sampled_last_time,
        per_inspector_max=per_inspector_max, starts_on=starts_on, previous=previous,
        definition_json=definition_json(definition), population_json=population_json(candidates),
        digest=sampling.definition_digest(definition, candidates), commitment=sampling.seed_commitment(seed),
        secret_seed=seed, created_by=actor)
    spot_check._history_user = actor
    spot_check.save()
    spot_check.key_units.set(key_units)
    spot_check.team.set(team)
    return spot_check


def _inspected_units(spot_check: SpotCheck, sample) -> list[Unit]:
    """The units the sample's inspection visits, in draw order: the sampled units, or the units of the sampled
    items (by their stored paths: the population as frozen)."""
    if spot_check.population_kind != PopulationKind.ITEMS:
        units = Unit.objects.in_bulk(list(sample.unit_ids))
        return [units[uid] for uid in sample.unit_ids]
    paths = {c.unit_id: c.path for c in candidates_from(spot_check.population_json)}
    ordered = list(dict.fromkeys(paths[uid] for uid in sample.unit_ids))
    by_path = {u.path: u for u in Unit.objects.filter(path__in=ordered, abolished_on__isnull=True)}
    if len(by_path) != len(ordered):
        raise SpotCheckError(E.TREE_CHANGED)
    return [by_path[p] for p in ordered]


def _names(spot_check: SpotCheck) -> dict[int, str]:
    return {u.pk: u.get_username() for u in spot_check.team.all()}


@transaction.atomic
def spotcheck_draw(*, actor, spot_check: SpotCheck) -> SpotCheck:
    """抽取: reveal the seed, draw from the frozen definition and population, store the sample and order
    the 重点抽查 inspection of the sampled units (已抽取)."""
    spot_check = (SpotCheck.objects.select_for_update(of=("self",)).select_related("ordering_unit", "campaign")
                  .get(pk=spot_check.pk))
    raise_if(draw_refusal(actor, spot_check))
    if spot_check.state != SpotCheckState.COMMITTED:
        raise SpotCheckError(E.ALREADY_DRAWN)
    if not policy.can(spot_check.created_by, Perm.INSPECTION_ORDER, spot_check.ordering_unit):
        raise SpotCheckError(E.ORDERER_GONE, login=spot_check.created_by.get_username(),
                             unit=spot_check.ordering_unit.full_name)
    definition = definition_from(spot_check.definition_json, _names(spot_check))
    sample = sampling.draw(definition, candidates_from(spot_check.population_json), spot_check.secret_seed)
    if sample.commitment != spot_check.commitment or sample.digest != spot_check.digest:
        raise SpotCheckError(E.TAMPERED)
    units = _inspected_units(spot_check, sample)
    # The inspection is ordered by the office that committed the spot check; the drawer writes it.
    spot_check.inspection = services.inspection_create(
        actor=actor, ordered_by=spot_check.created_by, kind=InspectionKind.SPOT_CHECK, title=spot_check.title,
        ordering_unit=spot_check.ordering_unit, units=units, starts_on=spot_check.starts_on,
        team=list(spot_check.team.all()), methods=[Method.RANDOM])
    spot_check.inspected_units = [u.pk for u in units]
    spot_check.seed = spot_check.secret_seed
    spot_check.sample_units = list(sample.unit_ids)
    spot_check.reasons = {str(uid): str(reason) for uid, reason in sample.reasons.items()}
    spot_check.assignment = {str(uid): who for uid, who in sample.assignment.items()}
    spot_check.explanation = list(sample.explanation)
    spot_check.state = SpotCheckState.DRAWN
    spot_check.drawn_by, spot_check.drawn_at = actor, timezone.now()
    spot_check._history_user = actor
    spot_check.save()
    return spot_check


@dataclass
class Verification:
    """The answer of a check: 一致 when `drawn` and no problem."""

    drawn: bool
    problems: list[str] = field(default_factory=list)

    @property
    def consistent(self) -> bool:
        return self.drawn and not self.problems

    @property
    def label(self) -> str:
        if not self.drawn:
            return _g("尚未抽取")
        return _g("一致") if not self.problems else _g("不一致")


def _columns_definition(spot_check: SpotCheck, stored: SampleDefinition) -> SampleDefinition:
    """The definition the page shows (the model's columns), with the stored team."""
    return SampleDefinition(
        levels=spot_check.levels, kinds=spot_check.kinds, batches=spot_check.batches, sectors=spot_check.sectors,
        lights=spot_check.lights, min_overdue=spot_check.min_overdue,
        at_least_one_per_county=spot_check.at_least_one_per_county, min_share=_share(spot_check.min_share_percent),
        size=spot_check.size, keys_always_in=spot_check.keys_always_in,
        exclude_sampled_last_time=spot_check.exclude_sampled_last_time, team=stored.team,
        per_inspector_max=spot_check.per_inspector_max)


def spotcheck_verify(spot_check: SpotCheck) -> Verification:
    """核验: re-run the draw from the stored definition, population and revealed seed; check the seed
    against the commitment recorded before the draw, every rule on the stored sample, and that the
    definition shown and the inspection ordered are the ones drawn."""
    if spot_check.state != SpotCheckState.DRAWN:
        return Verification(drawn=False)
    problems: list[str] = []
    try:
        definition = definition_from(spot_check.definition_json, _names(spot_check))
        candidates = candidates_from(spot_check.population_json)
        sample = sampling.Sample(
            unit_ids=tuple(int(u) for u in spot_check.sample_units),
            assignment={int(k): int(v) for k, v in (spot_check.assignment or {}).items()},
            reasons={int(k): Reason(v) for k, v in (spot_check.reasons or {}).items()},
            seed=spot_check.seed, commitment=spot_check.commitment, digest=spot_check.digest)
    except (ValueError, KeyError, TypeError) as e:
        return Verification(drawn=True, problems=[_g("存档的抽查定义、范围或结果无法读取：%(error)s") % {"error": e}])
    except sampling.SamplingError as e:
        return Verification(drawn=True, problems=[e.message])
    problems += sampling.verify(definition, candidates, sample)
    try:
        again = sampling.draw(definition, candidates, spot_check.seed) if spot_check.seed.strip() else None
    except sampling.SamplingError:
        again = None
    if again is not None and dict(again.reasons) != dict(sample.reasons):
        problems.append(_g("抽中理由与按种子重新抽取的结果不同。"))
    if _columns_definition(spot_check, definition).canonical() != definition.canonical():
        problems.append(_g("页面所示的抽查定义与承诺时存档的定义不同。"))
    if spot_check.inspection_id is not None:
        ordered = set(spot_check.inspection.units.values_list("pk", flat=True))
        if ordered != {u.pk for u in _inspected_units(spot_check, sample)}:
            problems.append(_g("所安排督查的被检查单位与抽取结果不同。"))
    return Verification(drawn=True, problems=problems)


# --- selectors ------------------------------------------------------------------------------------


def campaigns_of(unit: Unit) -> QuerySet[Campaign]:
    """The campaigns a spot check ordered at `unit` may belong to: run at, above or below it."""
    return (Campaign.objects.filter(Q(owner_unit__path__in=ancestor_paths(unit.path, include_self=True))
                                    | path_range_q(unit.path, "owner_unit__path"))
            .select_related("owner_unit").order_by("-starts_on", "id"))


def orderable_units(*, user) -> list[Unit]:
    """The units where `user` holds a grant that orders inspections: where a new spot check starts."""
    return sorted({a.unit.pk: a.unit for a in policy.assignments_of(user)
                   if policy.holds_at(user, Perm.INSPECTION_ORDER, a.unit)}.values(), key=lambda u: u.path)


def spot_checks_for(*, user) -> QuerySet[SpotCheck]:
    return (SpotCheck.objects.filter(pk__in=SpotCheck.objects.filter(spot_checks_q(user)).values("pk"))
            .select_related("ordering_unit", "root", "campaign"))


def spot_checks_to_draw(*, user) -> QuerySet[SpotCheck]:
    """Committed spot checks the reader may draw (its office's, or on its team), oldest first (督查督办 index)."""
    mine = Q(team=user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
    ids = SpotCheck.objects.filter(policy.units_q(user, Perm.INSPECTION_ORDER, "ordering_unit__path") | mine,
                                   state=SpotCheckState.COMMITTED).values("pk")
    return (SpotCheck.objects.filter(pk__in=ids).select_related("ordering_unit", "root").order_by("created_at", "id"))


def spot_check_get_for(*, user, pk) -> SpotCheck:
    key = sql.key_or_none(pk)
    spot_check = key and (SpotCheck.objects.select_related(
        "ordering_unit", "root", "campaign", "inspection", "created_by", "drawn_by", "previous")
        .prefetch_related("team", "key_units").filter(pk=key).first())
    if not spot_check or not may_read(user, spot_check):
        raise Http404
    return spot_check


# Frozen JSON is read on the detail page and through the API, not as history lines.
HISTORY_HIDDEN = frozenset({"definition_json", "population_json", "explanation", "reasons", "assignment",
                            "secret_seed"})


def spot_check_history(*, user, spot_check: SpotCheck) -> list | None:
    """The spot check's history (core.timeline) for a reader of history at the ordering unit, else None:
    定义 and 抽取, who and when; the seed appears at the draw, never before."""
    if not policy.can(user, Perm.HISTORY_VIEW, spot_check.ordering_unit):
        return None
    return timeline.entries(SpotCheck.history.filter(id=spot_check.pk), hidden=HISTORY_HIDDEN)


@dataclass
class SampleRow:
    unit: dict  # the candidate as stored (unit, path, name, county_name, light, overdue, key, last)
    reason: str
    inspector: str


def sample_rows(spot_check: SpotCheck) -> list[SampleRow]:
    """The drawn sample in draw order with the reason and the inspector of each unit (no query beyond
    the team, prefetched by `spot_check_get_for`)."""
    if spot_check.state != SpotCheckState.DRAWN:
        return []
    by_id = {d["unit"]: d for d in json.loads(spot_check.population_json)}
    names = _names(spot_check)
    labels = {str(k): str(v) for k, v in REASON_LABELS.items()}
    return [SampleRow(unit=by_id.get(uid, {"unit": uid, "name": str(uid)}),
                      reason=labels.get(spot_check.reasons.get(str(uid), ""), ""),
                      inspector=names.get(spot_check.assignment.get(str(uid)), str(spot_check.assignment.get(
                          str(uid), ""))))
            for uid in spot_check.sample_units]


def population_size(spot_check: SpotCheck) -> int:
    return len(json.loads(spot_check.population_json))


NO_COUNTY = "none"  # the coverage row of the units above county level (no path is "none")


@dataclass
class CoverageRow:
    key: str  # a county's path, or NO_COUNTY for the units above county level
    name: str
    units: int
    units_sampled: int
    times: int
    last: dt.datetime | None
    unit_id: int | None = None  # the county unit, for drill-down

    @property
    def share(self) -> int:
        """Percent of the units sampled at least once (rounded down)."""
        return self.units_sampled * 100 // self.units if self.units else 0

    @property
    def never(self) -> int:
        return self.units - self.units_sampled


@dataclass
class UnitCoverage:
    unit_id: int
    name: str
    times: int
    last: dt.datetime | None


@dataclass
class CoverageMap:
    root: Unit
    campaign: object
    draws: int
    units_total: int
    units_sampled: int
    counties: list[CoverageRow]
    units: list[UnitCoverage]  # with `county`: that county's units; else the units never sampled
    county: CoverageRow | None = None
    levels: tuple = ()

    @property
    def share(self) -> int:
        return self.units_sampled * 100 // self.units_total if self.units_total else 0


def coverage_map(*, user, root: Unit, campaign=None, county: str | None = None, levels=()) -> CoverageMap:
    """抽查覆盖情况 over the units under `root` (404 unless the reader reads it): every drawn spot check (of
    `campaign`, if given) that sampled a unit there, whoever ordered it — a sampled unit's readers already
    read its 重点抽查 inspection, so a county sees how the city's rounds covered it; per county how many
    units, sampled, how often, last date, never; with `county` (a county's path), that county's units one
    by one; with `levels`, the units of those levels only (e.g. the townships a round samples). Three
    queries, whatever the tree's size."""
    policy.require(user, Perm.WORK_VIEW, root)
    levels = tuple(lv for lv in dict.fromkeys(levels) if lv in UnitLevel.values)
    units, counties = _units_under(root, levels)
    drawn = SpotCheck.objects.filter(state=SpotCheckState.DRAWN)
    if campaign is not None:
        drawn = drawn.filter(campaign=campaign)
    candidates = []
    for u in units:
        key = _county_of(u.path, counties)
        candidates.append(Candidate(unit_id=u.pk, path=u.path, county_key=key, level=u.level, kind=u.kind,
                                    name=u.full_name or u.name, county_name=counties.get(key, "") if key else ""))
    known = {c.unit_id for c in candidates}
    # Only the draws that sampled a unit of the subtree count here.
    rows = [(ids, at) for ids, at in drawn.values_list("inspected_units", "drawn_at") if known.intersection(ids)]
    summary = sampling.coverage([sampling.Sample(unit_ids=tuple(ids), assignment={}, reasons={}, seed="",
                                                 commitment="", digest="") for ids, _at in rows], candidates)
    last: dict[int, dt.datetime] = {}
    for ids, at in rows:
        for uid in ids:
            if uid not in last or at > last[uid]:
                last[uid] = at
    county_ids = {u.path: u.pk for u in units if u.path in counties}
    table: list[CoverageRow] = []
    by_key = {}
    for c in candidates:
        key = c.county_key or NO_COUNTY
        row = by_key.get(key)
        if row is None:
            row = by_key[key] = CoverageRow(key=key, name=counties.get(key, _g("县级以上单位")),
                                            units=0, units_sampled=0, times=0, last=None,
                                            unit_id=county_ids.get(key))
            table.append(row)
        times = summary["units"][c.unit_id]
        row.units += 1
        row.units_sampled += 1 if times else 0
        row.times += times
        when = last.get(c.unit_id)
        if when is not None and (row.last is None or when > row.last):
            row.last = when
    table.sort(key=lambda r: (r.key == NO_COUNTY, r.key))
    chosen = by_key.get(county) if county is not None else None
    if county is not None and chosen is None:
        raise Http404
    listed = [c for c in candidates if (c.county_key or NO_COUNTY) == county] if county is not None else [
        c for c in candidates if not summary["units"][c.unit_id]]
    return CoverageMap(
        root=root, campaign=campaign, draws=summary["draws"], units_total=summary["units_total"],
        units_sampled=summary["units_sampled"], counties=table, county=chosen, levels=levels,
        units=[UnitCoverage(unit_id=c.unit_id, name=c.name, times=summary["units"][c.unit_id],
                            last=last.get(c.unit_id)) for c in listed])


__all__ = [
    "CoverageMap", "SpotCheckError", "SpotCheckErrorCode", "Verification", "coverage_map", "may_read",
    "order_refusal", "population", "sample_rows", "spot_check_get_for", "spot_checks_for", "spotcheck_define",
    "spotcheck_draw", "spotcheck_verify", "spot_check_history", "spot_checks_to_draw", "team_inspectors",
]
