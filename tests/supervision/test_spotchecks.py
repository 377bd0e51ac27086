"""重点抽查 stored: commit → draw → verify on a small tree; the draw reproduces from what is stored, tampering
is caught, the coverage and recusal rules hold on a stored draw, only the ordering office defines and draws,
and the population and coverage reads are bounded."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client

from huitoukan.access.models import Role
from huitoukan.campaigns import services as campaign_services
from huitoukan.core.lights import Light
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import UnitKind, UnitLevel
from huitoukan.supervision import sampling, spotchecks
from huitoukan.supervision.models import InspectionKind, SpotCheck, SpotCheckState
from huitoukan.supervision.sampling import SamplingError
from huitoukan.supervision.spotchecks import SpotCheckError, SpotCheckErrorCode
from tests.conftest import Tree, built_once, user_create

ON = dt.date(2013, 6, 18)


@dataclasses.dataclass
class SpotWorld:
    tree: Tree
    campaign: object
    townships: dict  # name -> unit
    office: object  # 娄底市 活动办: orders
    filler: object  # 娄底市 填报员: reads, may not order
    county_office: object  # 涟源市 活动办: cannot read the city's spot checks
    outside: object  # 市委第二督导组 member homed at 市教育局 (inspects anywhere under the counties)
    local: object  # the same group's member homed at 涟源市 (recused from 涟源市's units)
    louxing_member: object  # the same group's member homed at 娄星区


def build_spot_world() -> SpotWorld:
    tree = Tree()
    townships = {"桥头河镇": tree.qiaotouhe, "乐坪街道": tree.leping}
    for county, names in ((tree.lianyuan, ("六亩塘镇", "蓝田街道", "伏口镇")), (tree.louxing, ("大埠桥街道", "涟滨街道"))):
        for name in names:
            townships[name] = org_services.unit_create(actor=None, parent=county, name=name, level=UnitLevel.TOWNSHIP,
                                                       kind=UnitKind.PARTY_COMMITTEE, established_on=ON)
    tree.refresh()
    campaign = campaign_services.campaign_create(actor=None, owner_unit=tree.city, name="娄底市回头看",
                                                 starts_on=dt.date(2014, 12, 31), ends_on=dt.date(2015, 6, 30))
    # 伏口镇 has an overdue item: red, one overdue
    ledger = ledger_services.ledger_open(actor=None, campaign=campaign, unit=townships["伏口镇"],
                                         kind=LedgerKind.LEADERSHIP)
    ledger_services.item_create(actor=None, ledger=ledger, problem="会议偏多", measures="压缩会议",
                                deadline_mode="date", due_on=dt.date(2015, 1, 31))
    group = org_services.supervision_group_create(actor=None, dispatched_by=tree.city, name="市委第二督导组",
                                                  assigned_units=[tree.lianyuan, tree.louxing])
    return SpotWorld(
        tree=tree, campaign=campaign, townships=townships,
        office=user_create(Role.CAMPAIGN_OFFICE, tree.city, username="sc_office"),
        filler=user_create(Role.UNIT_FILLER, tree.city, username="sc_filler"),
        county_office=user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="sc_county"),
        outside=user_create(Role.SUPERVISOR, tree.education, group=group, username="sc_outside"),
        local=user_create(Role.SUPERVISOR, tree.lianyuan, group=group, username="sc_local"),
        louxing_member=user_create(Role.SUPERVISOR, tree.louxing, group=group, username="sc_louxing"),
    )


@pytest.fixture(scope="module")
def spot_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        yield build_spot_world()


@pytest.fixture
def sw(spot_world, db):
    return spot_world


TODAY = dt.date(2015, 3, 2)


def define(sw, **kwargs) -> SpotCheck:
    args = {"actor": sw.office, "ordering_unit": sw.tree.city, "root": sw.tree.city, "title": "第一轮重点抽查",
            "starts_on": TODAY, "campaign": sw.campaign, "levels": [UnitLevel.TOWNSHIP],
            "at_least_one_per_county": True, "size": 3, "team": [sw.outside, sw.local, sw.louxing_member], "today": TODAY}
    return spotchecks.spotcheck_define(**{**args, **kwargs})


def stored_draw(sc: SpotCheck):
    definition = spotchecks.definition_from(sc.definition_json)
    return definition, spotchecks.candidates_from(sc.population_json)


# --- commit, then draw --------------------------------------------------------------------------------


def test_the_commitment_is_recorded_before_the_draw_and_the_seed_kept_out_of_sight(sw):
    sc = define(sw)
    assert sc.state == SpotCheckState.COMMITTED and sc.seed == "" and sc.sample_units == []
    assert sc.commitment == sampling.seed_commitment(sc.secret_seed) and len(sc.secret_seed) == 32
    definition, candidates = stored_draw(sc)
    assert sc.digest == sampling.definition_digest(definition, candidates)
    # The history has the commitment, never the secret seed
    # (the creation, then the team recorded with it)
    records = list(sc.history.all())
    assert records and all(r.history_user == sw.office and r.commitment == sc.commitment and r.seed == ""
                           for r in records)
    assert not hasattr(records[0], "secret_seed")
    assert {u.user_id for u in records[0].team.all()} == {sw.outside.pk, sw.local.pk, sw.louxing_member.pk}
    assert sc.inspection is None


def test_the_draw_reveals_the_seed_stores_the_sample_and_orders_the_inspection(sw):
    sc = spotchecks.spotcheck_draw(actor=sw.office, spot_check=define(sw))
    assert sc.state == SpotCheckState.DRAWN and sc.seed == sc.secret_seed
    assert sc.drawn_by == sw.office and sc.drawn_at is not None
    inspection = sc.inspection
    assert inspection.kind == InspectionKind.SPOT_CHECK and inspection.created_by == sw.office
    assert set(inspection.units.values_list("pk", flat=True)) == set(sc.sample_units)
    assert set(inspection.team.all()) == {sw.outside, sw.local, sw.louxing_member}
    states = [h.state for h in sc.history.order_by("history_id")]
    assert states[-1] == SpotCheckState.DRAWN and set(states[:-1]) == {SpotCheckState.COMMITTED}
    assert sc.history.order_by("history_id").last().seed == sc.seed
    assert sc.history.order_by("history_id").last().history_user == sw.office
    assert sc.explanation and set(sc.reasons) == {str(u) for u in sc.sample_units}


def test_a_spot_check_is_drawn_once(sw):
    sc = spotchecks.spotcheck_draw(actor=sw.office, spot_check=define(sw))
    with pytest.raises(SpotCheckError) as e:
        spotchecks.spotcheck_draw(actor=sw.office, spot_check=sc)
    assert e.value.code == SpotCheckErrorCode.ALREADY_DRAWN


# --- it reproduces, and tampering shows --------------------------------------------------------------


def test_the_stored_draw_reproduces_and_verifies(sw):
    sc = spotchecks.spotcheck_draw(actor=sw.office, spot_check=define(sw))
    definition, candidates = stored_draw(sc)
    again = sampling.draw(definition, list(reversed(candidates)), sc.seed)
    assert list(again.unit_ids) == sc.sample_units
    assert {str(k): v for k, v in again.assignment.items()} == sc.assignment
    result = spotchecks.spotcheck_verify(SpotCheck.objects.get(pk=sc.pk))
    assert result.consistent and result.label == "一致" and result.problems == []


def test_verify_before_the_draw_says_not_drawn(sw):
    result = spotchecks.spotcheck_verify(define(sw))
    assert not result.drawn and result.label == "尚未抽取"


def _tampered(sc, **changes):
    SpotCheck.objects.filter(pk=sc.pk).update(**changes)
    return spotchecks.spotcheck_verify(SpotCheck.objects.get(pk=sc.pk))


def test_a_tampered_sample_is_inconsistent(sw):
    sc = spotchecks.spotcheck_draw(actor=sw.office, spot_check=define(sw))
    out = next(c.unit_id for c in stored_draw(sc)[1] if c.unit_id not in sc.sample_units)
    result = _tampered(sc, sample_units=[*sc.sample_units[:-1], out])
    assert result.label == "不一致"
    assert "被抽单位与按种子重新抽取的结果不同。" in result.problems


def test_a_tampered_seed_is_inconsistent(sw):
    sc = spotchecks.spotcheck_draw(actor=sw.office, spot_check=define(sw))
    result = _tampered(sc, seed="0" * 32)
    assert result.label == "不一致"
    assert "抽签种子与事先公布的承诺值不符。" in result.problems


def test_a_tampered_population_or_definition_is_inconsistent(sw):
    sc = spotchecks.spotcheck_draw(actor=sw.office, spot_check=define(sw))
    population = json.loads(sc.population_json)
    population[0]["key"] = not population[0]["key"]
    assert any("指纹不符" in p for p in _tampered(sc, population_json=json.dumps(population)).problems)
    sc = spotchecks.spotcheck_draw(actor=sw.office, spot_check=define(sw))
    assert "页面所示的抽查定义与承诺时存档的定义不同。" in _tampered(sc, size=5).problems


def test_a_tampered_inspection_is_inconsistent(sw):
    sc = spotchecks.spotcheck_draw(actor=sw.office, spot_check=define(sw))
    sc.inspection.units.remove(sc.inspection.units.first())
    assert "所安排督查的被检查单位与抽取结果不同。" in spotchecks.spotcheck_verify(sc).problems


# --- the rules hold on a stored draw -----------------------------------------------------------------


@pytest.mark.parametrize("seed_round", range(4))
def test_coverage_keys_and_recusal_hold_on_stored_draws(sw, seed_round):
    key = sw.townships["蓝田街道"]
    sc = spotchecks.spotcheck_draw(actor=sw.office, spot_check=define(sw, key_units=[key], size=4))
    by_id = {c.unit_id: c for c in stored_draw(sc)[1]}
    picked = [by_id[u] for u in sc.sample_units]
    # every county at least one, the key unit in, the size met, townships only
    assert {c.county_key for c in picked} == {sw.tree.lianyuan.path, sw.tree.louxing.path}
    assert key.pk in sc.sample_units and sc.reasons[str(key.pk)] == "key"
    assert len(picked) == 4 and all(c.level == UnitLevel.TOWNSHIP for c in picked)
    # A county's member never gets a unit of their county
    for uid, who in sc.assignment.items():
        if by_id[int(uid)].path.startswith(sw.tree.lianyuan.path):
            assert who != sw.local.pk
        if by_id[int(uid)].path.startswith(sw.tree.louxing.path):
            assert who != sw.louxing_member.pk


def test_the_population_carries_lights_overdue_counties_and_names(sw):
    candidates = {c.name: c for c in spotchecks.population(root=sw.tree.city, campaign=sw.campaign, today=TODAY)}
    fukou = candidates["娄底市/涟源市/伏口镇"]
    assert fukou.light == Light.RED and fukou.overdue == 1 and fukou.county_key == sw.tree.lianyuan.path
    assert fukou.county_name == "涟源市"
    assert candidates["娄底市/涟源市"].light == Light.RED  # its subtree's
    assert candidates["娄底市/娄星区/乐坪街道"].light == Light.GREY
    assert candidates["娄底市/市教育局"].county_key is None
    assert "娄底市" not in candidates  # the root itself is not sampled


def test_red_units_only(sw):
    sc = spotchecks.spotcheck_draw(actor=sw.office, spot_check=define(
        sw, lights=[Light.RED], at_least_one_per_county=False, size=1))
    assert sc.sample_units == [sw.townships["伏口镇"].pk]


def test_last_time_excluded_and_inspected_last_time_recused(sw):
    first = spotchecks.spotcheck_draw(actor=sw.office, spot_check=define(sw, size=2, at_least_one_per_county=False))
    second = define(sw, size=2, at_least_one_per_county=False, exclude_sampled_last_time=True)
    assert second.previous == first
    definition, candidates = stored_draw(second)
    assert {c.unit_id for c in candidates if c.sampled_last_time} == set(first.sample_units)
    last = {i.inspector_id: set(i.inspected_last_time) for i in definition.team}
    assert last[sw.outside.pk] == {int(u) for u, who in first.assignment.items() if who == sw.outside.pk}
    second = spotchecks.spotcheck_draw(actor=sw.office, spot_check=second)
    assert not set(second.sample_units) & set(first.sample_units)
    for uid, who in second.assignment.items():
        assert int(uid) not in last[who]


def test_inspectors_homes_come_from_their_grants_and_logins(sw):
    homes = {i.inspector_id: i.home_path for i in spotchecks.team_inspectors([sw.outside, sw.local, sw.office], None)}
    assert homes == {sw.outside.pk: sw.tree.education.path, sw.local.pk: sw.tree.lianyuan.path,
                     sw.office.pk: sw.tree.city.path}


# --- refusals -----------------------------------------------------------------------------------------


def test_only_the_ordering_office_defines_and_draws(sw):
    with pytest.raises(PermissionDenied):
        define(sw, actor=sw.filler)
    with pytest.raises(Http404):
        define(sw, actor=sw.county_office)
    sc = define(sw)
    with pytest.raises(PermissionDenied):
        spotchecks.spotcheck_draw(actor=sw.filler, spot_check=sc)
    with pytest.raises(Http404):
        spotchecks.spotcheck_draw(actor=sw.county_office, spot_check=sc)
    with pytest.raises(Http404):
        spotchecks.spot_check_get_for(user=sw.county_office, pk=sc.pk)
    assert spotchecks.spot_check_get_for(user=sw.local, pk=sc.pk) == sc  # the team reads it
    assert list(spotchecks.spot_checks_to_draw(user=sw.office)) == [sc]
    assert not spotchecks.spot_checks_to_draw(user=sw.filler).exists()
    assert not spotchecks.spot_checks_to_draw(user=sw.county_office).exists()
    assert SpotCheck.objects.get(pk=sc.pk).state == SpotCheckState.COMMITTED


def test_a_member_of_the_committed_team_draws_it_on_site(sw):
    sc = define(sw)
    assert list(spotchecks.spot_checks_to_draw(user=sw.local)) == [sc]
    drawn = spotchecks.spotcheck_draw(actor=sw.local, spot_check=sc)
    inspection = drawn.inspection
    # the office that committed it ordered the inspection; the member drew it
    assert (drawn.drawn_by, inspection.created_by) == (sw.local, sw.office)
    assert inspection.history.first().history_user == sw.local
    assert spotchecks.spotcheck_verify(drawn).consistent


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"title": " "}, SpotCheckErrorCode.TITLE_REQUIRED),
    ({"levels": ["州"]}, SpotCheckErrorCode.BAD_CHOICE),
    ({"min_share_percent": "120"}, SpotCheckErrorCode.BAD_SHARE),
    ({"team": []}, SpotCheckErrorCode.TEAM_REQUIRED),
    ({"lights": [Light.AMBER], "at_least_one_per_county": False, "size": None}, SpotCheckErrorCode.EMPTY_SAMPLE),
])
def test_bad_definitions_are_refused_by_name(sw, kwargs, code):
    with pytest.raises(SpotCheckError) as e:
        define(sw, **kwargs)
    assert e.value.code == code
    assert not SpotCheck.objects.exists()


def test_refusals_about_the_tree(sw):
    with pytest.raises(SpotCheckError) as e:
        define(sw, ordering_unit=sw.tree.city, root=sw.tree.city, key_units=[sw.tree.city])
    assert e.value.code == SpotCheckErrorCode.KEY_OUTSIDE
    with pytest.raises(SpotCheckError) as e:
        define(sw, team=[sw.outside, sw.county_office])
    assert e.value.code == SpotCheckErrorCode.MEMBER_CANNOT_READ and "sc_county" in e.value.message
    # The sampler's own refusals: only the local member, who must recuse from 涟源市's units
    with pytest.raises(SamplingError) as e:
        define(sw, team=[sw.local], root=sw.tree.lianyuan)
    assert "回避" in e.value.message


def test_the_root_and_the_campaign_belong_to_the_ordering_unit(sw):
    county = {"actor": sw.county_office, "ordering_unit": sw.tree.lianyuan, "campaign": None}
    with pytest.raises(SpotCheckError) as e:
        define(sw, **county, root=sw.tree.louxing)
    assert e.value.code == SpotCheckErrorCode.ROOT_OUTSIDE and "娄星区" in e.value.message
    other = campaign_services.campaign_create(actor=None, owner_unit=sw.tree.louxing, name="娄星区回头看",
                                              starts_on=dt.date(2014, 12, 31), ends_on=dt.date(2015, 6, 30))
    with pytest.raises(SpotCheckError) as e:
        define(sw, **{**county, "campaign": other}, root=sw.tree.lianyuan)
    assert e.value.code == SpotCheckErrorCode.CAMPAIGN_OUTSIDE and "娄星区回头看" in e.value.message
    # The city's campaign applies to 涟源市's own spot checks
    assert define(sw, **{**county, "campaign": sw.campaign}, root=sw.tree.lianyuan, team=[sw.outside]).pk


def test_a_population_changed_after_the_commitment_is_not_drawn(sw):
    sc = define(sw)
    population = json.loads(sc.population_json)
    population[0]["key"] = not population[0]["key"]
    SpotCheck.objects.filter(pk=sc.pk).update(population_json=json.dumps(population))
    with pytest.raises(SpotCheckError) as e:
        spotchecks.spotcheck_draw(actor=sw.office, spot_check=sc)
    assert e.value.code == SpotCheckErrorCode.TAMPERED
    assert SpotCheck.objects.get(pk=sc.pk).state == SpotCheckState.COMMITTED and sc.inspection is None


# --- bounded reads ------------------------------------------------------------------------------------


def test_the_population_reads_a_fixed_number_of_queries(sw, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        spotchecks.population(root=sw.tree.city, campaign=sw.campaign, today=TODAY)


def test_the_team_reads_two_queries_per_member_plus_one(sw, django_assert_max_num_queries):
    # A member's grants, and their groups' units (policy.assignments_of), and the logins' units once
    team = [type(u).objects.get(pk=u.pk) for u in (sw.outside, sw.local)]
    with django_assert_max_num_queries(5):
        spotchecks.team_inspectors(team, None)


# --- coverage ----------------------------------------------------------------------------------------


def test_the_coverage_map_counts_per_county(sw, django_assert_max_num_queries):
    first = spotchecks.spotcheck_draw(actor=sw.office, spot_check=define(sw))
    second = spotchecks.spotcheck_draw(actor=sw.office, spot_check=define(sw, title="第二轮"))
    with django_assert_max_num_queries(3):
        cov = spotchecks.coverage_map(user=sw.office, root=sw.tree.city, campaign=sw.campaign)
    assert cov.draws == 2
    rows = {r.name: r for r in cov.counties}
    assert set(rows) == {"涟源市", "娄星区", "县级以上单位"}
    lianyuan = rows["涟源市"]
    assert lianyuan.units == 6  # the county, 4 townships, 石狮村
    sampled = set(first.sample_units) | set(second.sample_units)
    under = {c.unit_id for c in spotchecks.population(root=sw.tree.lianyuan)} | {sw.tree.lianyuan.pk}
    assert lianyuan.units_sampled == len(sampled & under) >= 1
    assert lianyuan.times == sum(u in under for u in first.sample_units + second.sample_units) >= 2
    assert lianyuan.last == second.drawn_at
    assert cov.units_sampled == len(sampled)
    assert {u.unit_id for u in cov.units} == {c.unit_id for c in spotchecks.population(root=sw.tree.city)} - sampled
    # Drill-down: the county's units one by one
    drill = spotchecks.coverage_map(user=sw.office, root=sw.tree.city, campaign=sw.campaign,
                                    county=sw.tree.lianyuan.path)
    assert drill.county.name == "涟源市" and len(drill.units) == 6
    assert sum(u.times for u in drill.units) == lianyuan.times
    # The townships only: the same sampled units, fewer units in all
    towns = spotchecks.coverage_map(user=sw.office, root=sw.tree.city, levels=[UnitLevel.TOWNSHIP, "州"])
    assert towns.levels == (UnitLevel.TOWNSHIP,) and towns.units_total == 7 and towns.units_sampled == len(sampled)
    assert {r.name for r in towns.counties} == {"涟源市", "娄星区"}
    # 涟源市's office sees how the city's rounds covered its county (it reads their inspections), not above it
    own = spotchecks.coverage_map(user=sw.county_office, root=sw.tree.lianyuan, campaign=sw.campaign)
    assert own.draws == 2 and [(r.units, r.units_sampled, r.times) for r in own.counties] == [
        (5, lianyuan.units_sampled, lianyuan.times)]  # the county itself is its root: not counted
    with pytest.raises(Http404):
        spotchecks.coverage_map(user=sw.county_office, root=sw.tree.city)


def test_a_member_of_the_inspecting_level_is_recused_from_their_own_unit_only(sw):
    """A city official on the city's group (home 娄底市, the ordering unit) inspects the counties' townships; a
    member homed below the ordering unit is recused from everything under their unit."""
    city_member = user_create(Role.SUPERVISOR, sw.tree.city, group=sw.local.role_assignments.first().supervision_group,
                              username="sc_city_member")
    inspectors = {i.name: i for i in spotchecks.team_inspectors([city_member, sw.local], None, sw.tree.city)}
    township = next(c for c in spotchecks.population(root=sw.tree.city, levels=[UnitLevel.TOWNSHIP])
                    if c.unit_id == sw.tree.qiaotouhe.pk)
    assert not inspectors["sc_city_member"].recused_from(township)
    assert inspectors["sc_local"].recused_from(township)
    sc = define(sw, team=[city_member], size=2)
    drawn = spotchecks.spotcheck_draw(actor=city_member, spot_check=sc)
    assert set(drawn.assignment.values()) == {city_member.pk} and spotchecks.spotcheck_verify(drawn).consistent


def test_items_are_sampled_by_status_and_four_winds_and_their_units_inspected(sw):
    from huitoukan.ledgers import services as ledger_services
    from huitoukan.ledgers.models import FourWinds, Item, ItemStatus
    from huitoukan.supervision.models import PopulationKind

    ledger = Item.objects.get(problem="会议偏多").ledger
    formalism = ledger_services.item_create(actor=None, ledger=ledger, problem="材料报表过多", measures="精简报表",
                                            four_winds=FourWinds.FORMALISM)
    kwargs = {"population_kind": PopulationKind.ITEMS, "size": 1, "at_least_one_per_county": False,
              "levels": [], "team": [sw.outside]}
    sc = define(sw, item_statuses=[ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS], item_four_winds=[FourWinds.FORMALISM],
                **kwargs)
    assert [c["unit"] for c in json.loads(sc.population_json)] == [formalism.pk]
    drawn = spotchecks.spotcheck_draw(actor=sw.outside, spot_check=sc)
    assert drawn.sample_units == [formalism.pk] and drawn.inspected_units == [sw.townships["伏口镇"].pk]
    assert list(drawn.inspection.units.all()) == [sw.townships["伏口镇"]]
    assert spotchecks.spotcheck_verify(drawn).consistent
    from django.test import Client

    client = Client()
    client.force_login(sw.office)
    page = client.get(f"/supervision/spot-checks/{drawn.pk}/").content.decode()
    assert "抽中的事项（1 个）" in page and f"/ledgers/items/{formalism.pk}/" in page and "形式主义" in page
    coverage = spotchecks.coverage_map(user=sw.office, root=sw.tree.lianyuan, levels=[UnitLevel.TOWNSHIP])
    assert coverage.units_sampled == 1
    with pytest.raises(SamplingError, match="符合条件的共 0 个"):  # no 享乐主义 item: nothing to draw
        define(sw, item_four_winds=[FourWinds.HEDONISM], **kwargs)


def test_a_special_check_by_sector_samples_the_units_of_that_sector(sw):
    """专项检查 by 行业系统: the units' sector (orgs.Unit.sector) filters the population."""
    from huitoukan.orgs import services as org_services

    for name in ("六亩塘镇", "大埠桥街道"):
        org_services.unit_update(actor=None, unit=sw.townships[name], sector="教育")
    sc = define(sw, sectors=["教育"], size=2, at_least_one_per_county=False, team=[sw.outside])
    admitted = [c for c in spotchecks.candidates_from(sc.population_json)
                if spotchecks.definition_from(sc.definition_json).admits(c)]
    assert {c.unit_id for c in admitted} == {sw.townships["六亩塘镇"].pk, sw.townships["大埠桥街道"].pk}
    drawn = spotchecks.spotcheck_draw(actor=sw.office, spot_check=sc)
    assert set(drawn.sample_units) == {c.unit_id for c in admitted}


def test_a_member_working_at_two_units_stays_recused_from_both(sw):
    """Two homes whose common unit is the ordering unit: not of the inspecting level, recused from all of it."""
    from huitoukan.access import services as access_services

    member = user_create(Role.SUPERVISOR, sw.tree.education, group=sw.local.role_assignments.first().supervision_group,
                         username="sc_two_homes")
    access_services.role_grant(actor=None, user=member, role=Role.UNIT_FILLER, unit=sw.tree.lianyuan)
    inspector = spotchecks.team_inspectors([member], None, sw.tree.city)[0]
    township = next(c for c in spotchecks.population(root=sw.tree.city, levels=[UnitLevel.TOWNSHIP])
                    if c.unit_id == sw.tree.qiaotouhe.pk)
    assert inspector.recused_from(township)


def test_counts_beyond_any_sensible_size_are_refused_not_a_server_error(sw):
    client = Client()
    client.force_login(sw.office)
    response = client.post("/api/v1/supervision/spot-checks/", {
        "ordering_unit": sw.tree.city.pk, "root": sw.tree.city.pk, "title": "x", "starts_on": "2015-03-02",
        "team": ["sc_outside"], "per_inspector_max": 10**20, "min_share_percent": 100},
        content_type="application/json")
    assert response.status_code == 400
    with pytest.raises(SpotCheckError, match="不能超过"):
        define(sw, min_overdue=10**12)
