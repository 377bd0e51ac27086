"""The arithmetic of survey results on crafted samples: the Wilson interval, the like-with-like ranking, the
minimum sample and the 严重偏低 rule at its edges."""

from __future__ import annotations

import pytest

from huitoukan.publicity.models import default_scale
from huitoukan.publicity.survey_stats import Tally, ranking, seriously_low, wilson

SATISFIED, BASIC, UNSATISFIED, UNKNOWN = default_scale()


def tally(satisfied: int, n: int) -> Tally:
    """n respondents answering one question, `satisfied` of them 满意, the others 不满意."""
    t = Tally()
    for i in range(n):
        t.add_response([SATISFIED if i < satisfied else UNSATISFIED])
    return t


@pytest.mark.parametrize(("k", "n", "low", "high"), [
    (8, 10, 0.490, 0.943),
    (0, 10, 0.000, 0.278),
    (10, 10, 0.722, 1.000),
    (255, 300, 0.805, 0.886),
    (1, 2, 0.095, 0.905),
])
def test_wilson_interval_matches_known_values(k, n, low, high):
    lo, hi = wilson(k / n, n)
    assert lo == pytest.approx(low, abs=0.0005) and hi == pytest.approx(high, abs=0.0005)


def test_no_respondents_has_no_interval():
    assert wilson(0.0, 0) is None and Tally().interval is None and Tally().rate is None


def test_unknown_counts_neither_way_and_a_respondent_who_only_says_unknown_is_no_sample():
    # given one respondent satisfied on one question and 不了解 on another, and one who only says 不了解
    t = Tally()
    t.add_response([BASIC, UNKNOWN])
    t.add_response([UNKNOWN, UNKNOWN])
    # then n counts only the first; the rate and the mean ignore 不了解
    assert t.n == 1 and t.rate == 1.0 and t.mean_score == 80


def test_the_interval_takes_respondents_not_answers_as_the_sample():
    # given 10 respondents answering 3 questions each, 8 of them satisfied throughout
    t = Tally()
    for i in range(10):
        t.add_response([SATISFIED if i < 8 else UNSATISFIED] * 3)
    # then the interval is that of 8/10, not the narrower one of 24/30
    assert t.rate == 0.8 and t.interval == pytest.approx(wilson(0.8, 10))
    assert t.interval != pytest.approx(wilson(0.8, 30))


def _entries(*rows):
    return [(name, level, kind, t) for name, level, kind, t in rows]


def test_five_all_satisfied_never_outrank_three_hundred_at_85_percent():
    # given the usual minimum of 30: 5 answers all 满意 against 300 at 85%
    few, many = tally(5, 5), tally(255, 300)
    classes = ranking(_entries(("few", "township", "party_committee", few),
                               ("many", "township", "party_committee", many)), min_sample=30)
    # then the big unit is ranked first and the small one only listed, unranked
    (cls,) = classes
    assert [(r.key, r.rank) for r in cls.ranked] == [("many", 1)]
    assert [(r.key, r.rank) for r in cls.insufficient] == [("few", None)]


def test_even_with_a_tiny_minimum_the_lower_bound_keeps_the_handful_below():
    # given a minimum of 5, so that both are ranked
    classes = ranking(_entries(("few", "township", "party_committee", tally(5, 5)),
                               ("many", "township", "party_committee", tally(255, 300))), min_sample=5)
    # then 300 at 85% (lower bound 0.805) still ranks above 5 of 5 (lower bound 0.566)
    assert [(r.key, r.rank) for r in classes[0].ranked] == [("many", 1), ("few", 2)]


def test_units_of_different_level_or_kind_are_ranked_apart():
    entries = _entries(("镇A", "township", "party_committee", tally(80, 100)),
                       ("镇B", "township", "party_committee", tally(90, 100)),
                       ("局", "township", "organ", tally(50, 100)),
                       ("县", "county", "party_committee", tally(99, 100)))
    classes = ranking(entries, min_sample=30)
    by_class = {(c.level, c.kind): [(r.key, r.rank) for r in c.ranked] for c in classes}
    # then each class has its own first place: the county's 99% does not push the townships down
    assert by_class == {("township", "party_committee"): [("镇B", 1), ("镇A", 2)],
                        ("township", "organ"): [("局", 1)], ("county", "party_committee"): [("县", 1)]}


def test_ties_go_by_sample_size_and_equal_results_share_a_rank():
    same_a, same_b, bigger = tally(40, 50), tally(40, 50), tally(40, 50)
    classes = ranking(_entries(("a", "village", "grassroots", same_a), ("b", "village", "grassroots", same_b),
                               ("c", "village", "grassroots", bigger)), min_sample=30)
    assert [r.rank for r in classes[0].ranked] == [1, 1, 1]
    # and the lower bound decides before n: 100 of 100 beats 400 of 500
    classes = ranking(_entries(("small", "village", "grassroots", tally(100, 100)),
                               ("large", "village", "grassroots", tally(400, 500))), min_sample=30)
    assert [r.key for r in classes[0].ranked] == ["small", "large"]


def test_the_minimum_sample_is_inclusive():
    classes = ranking(_entries(("at", "village", "grassroots", tally(20, 30)),
                               ("below", "village", "grassroots", tally(29, 29))), min_sample=30)
    assert [r.key for r in classes[0].ranked] == ["at"] and [r.key for r in classes[0].insufficient] == ["below"]


def test_seriously_low_needs_the_upper_bound_below_the_line():
    # 2/10: upper bound 0.510; 3/10: upper bound 0.603
    assert seriously_low(tally(2, 10), min_sample=10, low_threshold=60)
    assert not seriously_low(tally(3, 10), min_sample=10, low_threshold=60)
    # the same 3/10 falls under a line of 61%
    assert seriously_low(tally(3, 10), min_sample=10, low_threshold=61)
    # and a line of 51% leaves 2/10 (0.5098) under it, 50% not
    assert seriously_low(tally(2, 10), min_sample=10, low_threshold=51)
    assert not seriously_low(tally(2, 10), min_sample=10, low_threshold=50)


def test_seriously_low_needs_the_minimum_sample():
    # 0 of 9 is as bad as it gets, but below the minimum of 10 it is not marked; 0 of 10 is
    assert not seriously_low(tally(0, 9), min_sample=10, low_threshold=60)
    assert seriously_low(tally(0, 10), min_sample=10, low_threshold=60)
