"""重点抽查 sampling: the same definition and seed give the same sample, and every sample keeps
every coverage and recusal rule (hypothesis over random trees and teams)."""

import dataclasses
import itertools
import math
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from huitoukan.core.lights import Light
from huitoukan.supervision import sampling
from huitoukan.supervision.sampling import (
    Candidate,
    Inspector,
    Reason,
    SampleDefinition,
    SamplingError,
    SamplingErrorCode,
    coverage,
    definition_digest,
    draw,
    seed_commitment,
    verify,
)

FAST = settings(max_examples=100, deadline=None)
KINDS = ["党委", "政府", "部门", "学校"]
LIGHTS = [str(light) for light in Light]


def _step(n: int) -> str:
    return f"{n:04d}"


@st.composite
def trees(draw_):
    """A province with 1-5 counties of 0-6 townships, plus 0-3 departments directly under it."""
    units: list[Candidate] = []
    ids = itertools.count(1)

    def unit(path, county, level):
        return Candidate(
            unit_id=next(ids), path=path, county_key=county, level=level,
            kind=draw_(st.sampled_from(KINDS)), batch=draw_(st.sampled_from(["1", "2"])),
            sector=draw_(st.sampled_from(["", "教育", "卫生"])),
            light=draw_(st.sampled_from(LIGHTS)), overdue=draw_(st.integers(0, 3)),
            is_key=draw_(st.integers(0, 3)) == 0,
            sampled_last_time=draw_(st.integers(0, 3)) == 0, name=f"单位{path}",
            county_name=f"县{county}" if county else "")

    root = _step(1)
    units.append(unit(root, None, "province"))
    for d in range(1, draw_(st.integers(0, 3)) + 1):
        units.append(unit(root + _step(100 + d), None, "department"))
    for c in range(1, draw_(st.integers(1, 5)) + 1):
        county = root + _step(c)
        units.append(unit(county, county, "county"))
        for t in range(1, draw_(st.integers(0, 6)) + 1):
            units.append(unit(county + _step(t), county, "township"))
    return units


@st.composite
def teams(draw_, units):
    """1-5 inspectors homed at random units of the tree or outside it, with random last-time sets."""
    # "0002": an office outside the tree (its inspectors recuse only from units inspected last time)
    paths = [u.path for u in units] + ["0002", "00020001", "00020002"]
    ids = [u.unit_id for u in units]
    size = draw_(st.integers(1, 5))
    team = [
        Inspector(inspector_id=100 + n, home_path=draw_(st.sampled_from(paths)),
                  inspected_last_time=frozenset(draw_(st.lists(st.sampled_from(ids), max_size=4))))
        for n in range(size)]
    if draw_(st.integers(0, 3)):  # mostly someone from outside too, so that most draws assign
        team.append(Inspector(inspector_id=99, home_path="0003"))
    return tuple(team)


@st.composite
def definitions(draw_, team):
    def subset(values):  # mostly no filter, so that most draws have something to sample
        if draw_(st.integers(0, 4)):
            return frozenset()
        return frozenset(draw_(st.lists(st.sampled_from(values), min_size=1, max_size=3)))

    return SampleDefinition(
        levels=subset(["county", "township", "department", "province"]), kinds=subset(KINDS),
        batches=subset(["1", "2"]), sectors=subset(["", "教育", "卫生"]), lights=subset(LIGHTS),
        min_overdue=draw_(st.sampled_from([0, 0, 0, 1])),
        at_least_one_per_county=draw_(st.booleans()),
        min_share=draw_(st.sampled_from([0, 0.1, 0.25, "1/3", 0.5, 0.5])),
        size=draw_(st.none() | st.integers(0, 5)),
        keys_always_in=draw_(st.booleans()),
        exclude_sampled_last_time=draw_(st.booleans()),
        team=team,
        per_inspector_max=draw_(st.none() | st.integers(1, 6)),
    )


@st.composite
def cases(draw_):
    units = draw_(trees())
    team = draw_(teams(units))
    return units, draw_(definitions(team)), draw_(st.text(min_size=1, max_size=12).filter(str.strip))


def _draw_or_error(definition, units, seed):
    try:
        return draw(definition, units, seed)
    except SamplingError as e:
        return e


# --- reproducibility ------------------------------------------------------------------------


@FAST
@given(case=cases(), data=st.data())
def test_same_definition_and_seed_give_the_same_sample_whatever_the_input_order(case, data):
    # Given a definition, a population and a seed; when drawn again from the inputs shuffled
    units, definition, seed = case
    shuffled_units = data.draw(st.permutations(units))
    shuffled_team = dataclasses.replace(definition, team=data.draw(st.permutations(definition.team)))
    first = _draw_or_error(definition, units, seed)
    second = _draw_or_error(shuffled_team, shuffled_units, seed)
    # Then the sample (or the refusal) is the same
    if isinstance(first, SamplingError):
        assert isinstance(second, SamplingError)
        assert (first.code, first.message) == (second.code, second.message)
    else:
        assert first == second
        assert first.explanation == second.explanation


def test_different_seeds_usually_give_different_samples():
    # Given 40 townships and a sample of 5
    units = [Candidate(unit_id=n, path="0001" + _step(1) + _step(n), county_key="00010001",
                       level="township", kind="党委") for n in range(1, 41)]
    team = (Inspector(inspector_id=1, home_path="0009"), Inspector(inspector_id=2, home_path="0008"))
    definition = SampleDefinition(size=5, team=team)
    # When drawn with 30 seeds
    samples = {draw(definition, units, f"seed-{n}").unit_ids for n in range(30)}
    # Then (almost) every draw differs (C(40,5) ≈ 658k: a repeat is a 1-in-1500 event)
    assert len(samples) >= 29


def test_the_draw_depends_on_the_population_through_the_digest():
    units = [Candidate(unit_id=n, path="0001" + _step(n), county_key=None, level="county",
                       kind="党委") for n in range(1, 30)]
    team = (Inspector(inspector_id=1, home_path="0009"),)
    definition = SampleDefinition(size=4, team=team)
    base = draw(definition, units, "s")
    changed = [dataclasses.replace(units[0], light=Light.RED), *units[1:]]
    other = draw(definition, changed, "s")
    assert base.digest != other.digest


def test_the_digest_ignores_input_order_and_names_but_not_the_definition():
    units = [Candidate(unit_id=n, path="0001" + _step(n), county_key=None, level="county",
                       kind="党委", name=f"县{n}") for n in range(1, 6)]
    definition = SampleDefinition(size=2, min_share=0.1)
    digest = definition_digest(definition, units)
    assert digest == definition_digest(definition, list(reversed(units)))
    assert digest == definition_digest(definition, [dataclasses.replace(u, name="改名") for u in units])
    assert digest == definition_digest(SampleDefinition(size=2, min_share="1/10"), units)
    assert digest != definition_digest(SampleDefinition(size=3, min_share=0.1), units)
    assert digest != definition_digest(dataclasses.replace(definition, keys_always_in=False), units)
    assert len(digest) == 64


def test_the_seed_commitment_is_a_hash_published_before_the_draw():
    assert seed_commitment("abc") == seed_commitment("abc")
    assert seed_commitment("abc") != seed_commitment("abd")
    assert "abc" not in seed_commitment("abc")
    units = [Candidate(unit_id=1, path="0001", county_key=None, level="county", kind="党委")]
    sample = draw(SampleDefinition(size=1, team=(Inspector(9, "0009"),)), units, "abc")
    assert sample.commitment == seed_commitment("abc")


# --- every rule holds ---------------------------------------------------------------------------


def _target(definition, filtered):
    share = Fraction(str(definition.min_share))
    return max(definition.size or 0, math.ceil(share * len(filtered)))


@FAST
@given(case=cases())
def test_every_sample_keeps_every_coverage_and_recusal_rule(case):
    units, definition, seed = case
    result = _draw_or_error(definition, units, seed)
    if isinstance(result, SamplingError):
        assert _refusal_is_justified(definition, units, result)
        return
    sample = result
    by_id = {u.unit_id: u for u in units}
    picked = [by_id[i] for i in sample.unit_ids]
    filtered = [u for u in units if definition.admits(u)]
    assert len(set(sample.unit_ids)) == len(sample.unit_ids)
    # Filters, and the last-time exclusion (key units excepted)
    for unit in picked:
        assert definition.admits(unit)
        if definition.exclude_sampled_last_time and unit.sampled_last_time:
            assert definition.keys_always_in and unit.is_key
            assert sample.reasons[unit.unit_id] == Reason.KEY
    # 重点单位必抽
    if definition.keys_always_in:
        assert {u.unit_id for u in filtered if u.is_key} <= set(sample.unit_ids)
    # 每县至少一个
    if definition.at_least_one_per_county:
        assert {u.county_key for u in filtered if u.county_key} <= {u.county_key for u in picked}
    # At least the share and the size, and no more than the rules need
    target = _target(definition, filtered)
    assert len(picked) >= target
    forced = sum(1 for r in sample.reasons.values() if r != Reason.TOP_UP)
    assert len(picked) == max(target, forced)
    # Recusal: never their own unit or below it, never a unit inspected last time
    team = {i.inspector_id: i for i in definition.team}
    assert set(sample.assignment) == set(sample.unit_ids)
    for uid, who in sample.assignment.items():
        unit = by_id[uid]
        assert not unit.path.startswith(team[who].home_path)
        assert uid not in team[who].inspected_last_time
    # The cap, and the load spread: no unit could move to a member with two fewer
    loads = dict.fromkeys(team, 0)
    for who in sample.assignment.values():
        loads[who] += 1
    if definition.per_inspector_max is not None:
        assert max(loads.values(), default=0) <= definition.per_inspector_max
    for uid, who in sample.assignment.items():
        for other in team.values():
            if not other.recused_from(by_id[uid]):
                assert loads[other.inspector_id] >= loads[who] - 1
    if all(not i.recused_from(u) for i in team.values() for u in picked):
        assert max(loads.values()) - min(loads.values()) <= 1
    # And the sample verifies
    assert verify(definition, units, sample) == []


def _refusal_is_justified(definition, units, error):
    """A refusal names a rule that really cannot be met (checked independently of the sampler)."""
    assert error.message and any("\u4e00" <= ch <= "\u9fff" for ch in error.message)
    filtered = [u for u in units if definition.admits(u)]
    drawable = [u for u in filtered if not (definition.exclude_sampled_last_time and u.sampled_last_time)]
    code = error.code
    if code == SamplingErrorCode.COUNTY_EMPTY:
        assert definition.at_least_one_per_county and definition.exclude_sampled_last_time
        return any(
            not any(u.county_key == key for u in drawable)
            and not (definition.keys_always_in and any(u.is_key and u.county_key == key for u in filtered))
            for key in {u.county_key for u in filtered if u.county_key})
    if code == SamplingErrorCode.POPULATION_TOO_SMALL:
        return len(drawable) + (sum(1 for u in filtered if u.is_key and u.sampled_last_time)
                                if definition.keys_always_in and definition.exclude_sampled_last_time
                                else 0) < _target(definition, filtered)
    if code == SamplingErrorCode.UNIT_NO_INSPECTOR:
        return any(all(i.recused_from(u) for i in definition.team) for u in filtered)
    if code == SamplingErrorCode.PER_INSPECTOR_MAX:
        return definition.per_inspector_max is not None
    return False


# --- the assignment is optimal and refuses only what is impossible ------------------------------


@st.composite
def small_assignments(draw_):
    n = draw_(st.integers(1, 6))
    units = [Candidate(unit_id=u, path="0001" + _step(u), county_key=None, level="county",
                       kind="党委") for u in range(1, n + 1)]
    team = tuple(
        Inspector(inspector_id=10 + k,
                  home_path=draw_(st.sampled_from(["0009", "0001", *(u.path for u in units)])),
                  inspected_last_time=frozenset(draw_(st.lists(st.integers(1, n), max_size=3))))
        for k in range(draw_(st.integers(1, 3))))
    cap = draw_(st.none() | st.integers(1, 4))
    return units, SampleDefinition(team=team, per_inspector_max=cap, size=n)


@FAST
@given(case=small_assignments(), seed=st.text(min_size=1, max_size=6).filter(str.strip))
def test_the_assignment_is_as_even_as_recusal_allows_and_refused_only_when_impossible(case, seed):
    units, definition = case
    team = list(definition.team)
    cap = definition.per_inspector_max or len(units)
    # Brute force every assignment that keeps recusal and the cap
    best = None
    for choice in itertools.product(range(len(team)), repeat=len(units)):
        if any(team[k].recused_from(u) for k, u in zip(choice, units, strict=True)):
            continue
        loads = Counter(choice)
        if max(loads.values()) > cap:
            continue
        cost = (sum(v * v for v in loads.values()), max(loads.values()))
        best = cost if best is None else min(best, cost)
    result = _draw_or_error(definition, units, seed)
    if best is None:
        assert isinstance(result, SamplingError)
        assert result.code in {SamplingErrorCode.UNIT_NO_INSPECTOR, SamplingErrorCode.PER_INSPECTOR_MAX}
    else:
        assert not isinstance(result, SamplingError), result.message
        loads = Counter(result.assignment.values())
        assert sum(v * v for v in loads.values()) == best[0]
        assert max(loads.values()) == best[1]


# --- refusals in Chinese naming the rule and the unit or county ---------------------------------


def _county_tree():
    county = "00010001"
    return [
        Candidate(unit_id=1, path="0001", county_key=None, level="province", kind="党委", name="娄底市"),
        Candidate(unit_id=2, path=county, county_key=county, level="county", kind="党委",
                  name="涟源市", county_name="涟源市", sampled_last_time=True),
        Candidate(unit_id=3, path=county + "0001", county_key=county, level="township", kind="党委",
                  name="桥头河镇", county_name="涟源市", sampled_last_time=True),
        Candidate(unit_id=4, path="00010002", county_key="00010002", level="county", kind="党委",
                  name="娄星区", county_name="娄星区"),
    ]


OUTSIDE = (Inspector(inspector_id=1, home_path="0009", name="张三"),
           Inspector(inspector_id=2, home_path="0008", name="李四"))


def test_a_county_whose_units_were_all_sampled_last_time_cannot_be_covered():
    definition = SampleDefinition(at_least_one_per_county=True, exclude_sampled_last_time=True,
                                  levels={"county", "township"}, team=OUTSIDE)
    with pytest.raises(SamplingError) as e:
        draw(definition, _county_tree(), "seed")
    assert e.value.code == SamplingErrorCode.COUNTY_EMPTY
    assert "每县至少一个" in e.value.message and "涟源市" in e.value.message
    # Without the exclusion it is drawn
    sample = draw(dataclasses.replace(definition, exclude_sampled_last_time=False), _county_tree(), "seed")
    assert {2, 3} & set(sample.unit_ids) and 4 in sample.unit_ids


def test_a_key_unit_covers_its_county_even_when_sampled_last_time():
    units = [dataclasses.replace(u, is_key=True) if u.unit_id == 3 else u for u in _county_tree()]
    definition = SampleDefinition(at_least_one_per_county=True, exclude_sampled_last_time=True,
                                  levels={"county", "township"}, team=OUTSIDE)
    sample = draw(definition, units, "seed")
    assert sample.reasons == {3: Reason.KEY, 4: Reason.COUNTY}
    assert any("重点单位必抽" in line for line in sample.explanation)
    assert any("每县至少一个" in line and "娄星区" in line for line in sample.explanation)


def test_a_population_smaller_than_the_size_is_refused():
    with pytest.raises(SamplingError) as e:
        draw(SampleDefinition(size=5, team=OUTSIDE), _county_tree(), "seed")
    assert e.value.code == SamplingErrorCode.POPULATION_TOO_SMALL
    assert "抽取 5 个单位" in e.value.message and "4 个" in e.value.message


def test_a_unit_no_inspector_may_take_is_refused_by_name():
    # Both inspectors belong to 娄底市, the root: every unit is theirs or below theirs
    team = (Inspector(inspector_id=1, home_path="0001"), Inspector(inspector_id=2, home_path="0001"))
    with pytest.raises(SamplingError) as e:
        draw(SampleDefinition(size=1, team=team), _county_tree(), "seed")
    assert e.value.code == SamplingErrorCode.UNIT_NO_INSPECTOR
    assert "回避" in e.value.message and "编号" in e.value.message


def test_an_inspector_never_gets_a_unit_inspected_last_time():
    units = _county_tree()
    team = (Inspector(inspector_id=1, home_path="0009", inspected_last_time={1, 2, 3}),
            Inspector(inspector_id=2, home_path="0008", inspected_last_time={4}))
    for seed in map(str, range(20)):
        sample = draw(SampleDefinition(size=4, team=team), units, seed)
        assert sample.assignment == {1: 2, 2: 2, 3: 2, 4: 1}


def test_an_inspector_never_gets_their_own_unit_or_below_it():
    units = _county_tree()
    team = (Inspector(inspector_id=1, home_path="00010001"), Inspector(inspector_id=2, home_path="00010002"))
    for seed in map(str, range(20)):
        sample = draw(SampleDefinition(size=4, team=team), units, seed)
        assert sample.assignment[2] == 2 and sample.assignment[3] == 2 and sample.assignment[4] == 1


def test_a_cap_too_small_for_the_sample_is_refused():
    with pytest.raises(SamplingError) as e:
        draw(SampleDefinition(size=4, team=OUTSIDE, per_inspector_max=1), _county_tree(), "seed")
    assert e.value.code == SamplingErrorCode.PER_INSPECTOR_MAX
    assert "每人最多检查 1 个单位" in e.value.message


def test_a_cap_recusal_makes_too_small_is_refused_naming_the_inspector():
    team = (Inspector(inspector_id=1, home_path="0009", name="张三"),
            Inspector(inspector_id=2, home_path="0001", name="李四"))  # 李四 may take nothing
    with pytest.raises(SamplingError) as e:
        draw(SampleDefinition(size=3, team=team, per_inspector_max=2), _county_tree(), "seed")
    assert e.value.code == SamplingErrorCode.PER_INSPECTOR_MAX and "张三" in e.value.message


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"min_share": 1.5}, SamplingErrorCode.BAD_SHARE),
    ({"min_share": "一成"}, SamplingErrorCode.BAD_SHARE),
    ({"size": -1}, SamplingErrorCode.BAD_SIZE),
    ({"per_inspector_max": 0}, SamplingErrorCode.BAD_MAX),
])
def test_a_malformed_definition_is_refused(kwargs, code):
    with pytest.raises(SamplingError) as e:
        SampleDefinition(**kwargs)
    assert e.value.code == code


def test_bad_inputs_are_refused():
    units = _county_tree()
    with pytest.raises(SamplingError) as e:
        draw(SampleDefinition(), units, "  ")
    assert e.value.code == SamplingErrorCode.SEED_REQUIRED
    with pytest.raises(SamplingError) as e:
        draw(SampleDefinition(), [*units, units[0]], "s")
    assert e.value.code == SamplingErrorCode.DUPLICATE_UNIT and "娄底市" in e.value.message
    with pytest.raises(SamplingError) as e:
        draw(SampleDefinition(team=(OUTSIDE[0], OUTSIDE[0])), units, "s")
    assert e.value.code == SamplingErrorCode.DUPLICATE_INSPECTOR
    with pytest.raises(SamplingError) as e:
        draw(SampleDefinition(), [dataclasses.replace(units[0], light="blue")], "s")
    assert e.value.code == SamplingErrorCode.BAD_LIGHT
    with pytest.raises(SamplingError) as e:
        draw(SampleDefinition(), [dataclasses.replace(units[2], county_key="00010002")], "s")
    assert e.value.code == SamplingErrorCode.BAD_COUNTY
    with pytest.raises(SamplingError) as e:
        draw(SampleDefinition(team=(Inspector(1, ""),)), units, "s")
    assert e.value.code == SamplingErrorCode.BAD_HOME


def test_the_share_rounds_up_exactly():
    # 10% of 30 is 3 (a float would make it 3.0000000000000004 and round up to 4)
    units = [Candidate(unit_id=n, path="0001" + _step(n), county_key=None, level="county", kind="党委")
             for n in range(1, 31)]
    assert len(draw(SampleDefinition(min_share=0.1, team=OUTSIDE), units, "s").unit_ids) == 3
    assert len(draw(SampleDefinition(min_share=0.1, team=OUTSIDE), units[:29], "s").unit_ids) == 3
    assert len(draw(SampleDefinition(min_share=0.1, size=5, team=OUTSIDE), units, "s").unit_ids) == 5


def test_the_explanation_says_why_each_unit_is_in():
    units = [dataclasses.replace(u, is_key=u.unit_id == 1, sampled_last_time=False) for u in _county_tree()]
    definition = SampleDefinition(at_least_one_per_county=True, size=4, team=OUTSIDE)
    sample = draw(definition, units, "s")
    assert sample.reasons[1] == Reason.KEY
    assert Counter(sample.reasons.values()) == {Reason.KEY: 1, Reason.COUNTY: 2, Reason.TOP_UP: 1}
    text = "\n".join(sample.explanation)
    for phrase in ("重点单位必抽", "每县至少一个", "随机补足", "回避", "“娄底市”（编号 1）", "张三"):
        assert phrase in text


# --- verification catches tampering -------------------------------------------------------------


def _real_sample():
    units = [Candidate(unit_id=n, path="0001" + _step(n // 10 + 1) + _step(n),
                       county_key="0001" + _step(n // 10 + 1), level="township", kind="党委")
             for n in range(1, 40)]
    team = tuple(Inspector(inspector_id=k, home_path=_step(9000 + k)) for k in range(1, 4))
    definition = SampleDefinition(at_least_one_per_county=True, min_share=0.2, team=team)
    return definition, units, draw(definition, units, "公开种子-2015-01-07")


def test_verify_accepts_a_real_sample():
    definition, units, sample = _real_sample()
    assert verify(definition, list(reversed(units)), sample) == []


def test_verify_catches_a_swapped_unit():
    definition, units, sample = _real_sample()
    out = next(u.unit_id for u in units if u.unit_id not in sample.unit_ids)
    gone = sample.unit_ids[-1]
    ids = (*sample.unit_ids[:-1], out)
    assignment = {(out if k == gone else k): v for k, v in sample.assignment.items()}
    problems = verify(definition, units, dataclasses.replace(sample, unit_ids=ids, assignment=assignment))
    assert "被抽单位与按种子重新抽取的结果不同。" in problems


def test_verify_catches_a_wrong_inspector():
    definition, units, sample = _real_sample()
    uid = sample.unit_ids[0]
    other = next(i.inspector_id for i in definition.team if i.inspector_id != sample.assignment[uid])
    problems = verify(definition, units,
                      dataclasses.replace(sample, assignment={**sample.assignment, uid: other}))
    assert problems == ["人员分配与按种子重新抽取的结果不同。"]


def test_verify_catches_a_recused_inspector_and_a_missing_county():
    definition, units, sample = _real_sample()
    by_id = {u.unit_id: u for u in units}
    county = by_id[sample.unit_ids[0]].county_key
    kept = tuple(i for i in sample.unit_ids if by_id[i].county_key != county)
    # An inspector of the province (above every unit) added to the team, and given a unit
    team = (*definition.team, Inspector(inspector_id=99, home_path="0001"))
    definition = dataclasses.replace(definition, team=team)
    assignment = {i: sample.assignment[i] for i in kept} | {kept[0]: 99}
    problems = "\n".join(verify(definition, units,
                                 dataclasses.replace(sample, unit_ids=kept, assignment=assignment)))
    assert f"回避规则：单位（编号 {kept[0]}）分配给了应回避的人员（编号 99）" in problems
    assert f"每县至少一个：县（{county}）没有被抽中的单位" in problems
    assert "指纹不符" in problems and "至少抽取 20%" in problems


def test_verify_catches_a_seed_changed_after_its_commitment():
    definition, units, sample = _real_sample()
    problems = verify(definition, units, dataclasses.replace(sample, seed="另一个种子"))
    assert "抽签种子与事先公布的承诺值不符。" in problems


def test_verify_catches_a_changed_population():
    definition, units, sample = _real_sample()
    changed = [dataclasses.replace(u, is_key=True) if u.unit_id == 5 else u for u in units]
    problems = verify(definition, changed, sample)
    assert any("指纹不符" in p for p in problems)
    if 5 not in sample.unit_ids:
        assert any("重点单位必抽" in p for p in problems)


# --- coverage over a campaign -------------------------------------------------------------------


def test_coverage_counts_units_and_counties_over_the_draws():
    definition, units, first = _real_sample()
    second = draw(definition, units, "第二轮")
    summary = coverage([first, second], units)
    assert summary["draws"] == 2
    times = Counter(first.unit_ids) + Counter(second.unit_ids)
    assert summary["units"] == {u.unit_id: times[u.unit_id] for u in units}
    assert summary["units_sampled"] == len(set(first.unit_ids) | set(second.unit_ids))
    assert set(summary["never_sampled"]) == {u.unit_id for u in units} - set(times)
    assert summary["counties_never_sampled"] == []  # every county is covered by every draw
    for key, entry in summary["counties"].items():
        assert entry["units"] == sum(1 for u in units if u.county_key == key)
        assert entry["times"] == sum(times[u.unit_id] for u in units if u.county_key == key) >= 2
    assert coverage([], units)["counties_never_sampled"] == list(summary["counties"])


def test_the_module_imports_no_models():
    source = open(sampling.__file__, encoding="utf-8").read()
    assert "django.db" not in source and ".models" not in source


def test_who_inspects_a_unit_rotates_with_the_seed():
    # Given one unit and two members who may both take it; when drawn with 20 seeds
    units = [Candidate(unit_id=1, path="0001", county_key=None, level="county", kind="党委")]
    who = {draw(SampleDefinition(size=1, team=OUTSIDE), units, str(n)).assignment[1] for n in range(20)}
    # Then each of them gets it sometimes, not always the first of the team
    assert who == {1, 2}


def test_the_explanation_names_the_filters_in_chinese():
    from huitoukan.supervision import spotchecks  # noqa: F401 (gives the sampler the tree's labels)

    definition = SampleDefinition(levels=frozenset({"township"}), lights=frozenset({"red"}), size=1,
                                  team=(Inspector(inspector_id=9, home_path="0002"),))
    units = [Candidate(unit_id=1, path="00010001", county_key="0001", level="township", kind="party_committee",
                       light="red")]
    text = "\n".join(draw(definition, units, "seed").explanation)
    assert "层级：乡镇街道" in text and "township" not in text and "红黄绿灯：" in text
