"""The arithmetic of survey results, free of the database: tallies, the Wilson interval, the like-with-like
ranking and the 群众满意度严重偏低 rule (docs/surveys.md says why each is so).

A tally counts one unit's respondents (of one evaluator group, or all groups pooled). The satisfaction rate is
over the rated answers (an option that counts as satisfied or not; 不了解 counts neither way); its interval
takes the respondents as the sample size, since one person's answers to several questions are not independent
draws: counting answers would narrow the interval by the number of questions.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

Z95 = 1.959963984540054  # the two-sided 95% quantile of the normal distribution


def wilson(p: float, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion `p` observed over `n` trials; None without trials."""
    if n <= 0:
        return None
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    margin = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - margin), min(1.0, centre + margin)


@dataclass
class Tally:
    """One unit's respondents (of a group, or pooled) and their rated answers."""

    respondents: int = 0  # n: respondents who gave at least one rated answer
    satisfied: int = 0  # answers whose option counts as satisfied
    rated: int = 0  # answers whose option counts either way
    score_sum: float = 0.0
    scored: int = 0  # answers whose option has a score

    def add_response(self, options: Iterable[dict]) -> None:
        """Count one respondent's chosen options (scale entries)."""
        rated_any = False
        for option in options:
            if option.get("satisfied") is not None:
                rated_any = True
                self.rated += 1
                self.satisfied += 1 if option["satisfied"] else 0
            if option.get("score") is not None:
                self.score_sum += option["score"]
                self.scored += 1
        self.respondents += 1 if rated_any else 0

    def merge(self, other: Tally) -> None:
        self.respondents += other.respondents
        self.satisfied += other.satisfied
        self.rated += other.rated
        self.score_sum += other.score_sum
        self.scored += other.scored

    @property
    def n(self) -> int:
        return self.respondents

    @property
    def rate(self) -> float | None:
        return self.satisfied / self.rated if self.rated else None

    @property
    def mean_score(self) -> float | None:
        return self.score_sum / self.scored if self.scored else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson(self.rate, self.n) if self.rate is not None else None


def seriously_low(tally: Tally, *, min_sample: int, low_threshold: int) -> bool:
    """群众满意度严重偏低: enough respondents, and even the interval's upper bound is below the line (in %).

    The upper bound, not the rate: a unit is marked only when the answers leave no reasonable doubt that its
    satisfaction is below the line, never for a few unlucky answers."""
    interval = tally.interval
    return tally.n >= max(min_sample, 1) and interval is not None and interval[1] * 100 < low_threshold


@dataclass
class Ranked:
    """One entry of a ranking class: `rank` None for a unit below the minimum sample (listed, never ranked)."""

    key: object
    tally: Tally
    rank: int | None = None


@dataclass
class RankingClass:
    """The units of one level and kind: ranked ones first (by the interval's lower bound), then the others."""

    level: str
    kind: str
    label: str = ""
    ranked: list[Ranked] = field(default_factory=list)
    insufficient: list[Ranked] = field(default_factory=list)


def ranking(entries: Sequence[tuple[object, str, str, Tally]], *, min_sample: int,
            class_order: Callable[[str, str], object] = lambda level, kind: (level, kind)) -> list[RankingClass]:
    """Rank like with like: entries (key, level, kind, tally) are split by (level, kind); within a class the units
    with n ≥ min_sample are ordered by the Wilson lower bound (descending), ties by n (descending), and share a
    rank when both are equal; the others follow unranked. A unit with a handful of answers never outranks one
    with hundreds: its interval is wide, so its lower bound is low, and below the minimum it is not ranked."""
    classes: dict[tuple[str, str], RankingClass] = {}
    for key, level, kind, tally in entries:
        cls = classes.setdefault((level, kind), RankingClass(level=level, kind=kind))
        if tally.n >= max(min_sample, 1) and tally.interval is not None:
            cls.ranked.append(Ranked(key, tally))
        else:
            cls.insufficient.append(Ranked(key, tally))
    for cls in classes.values():
        cls.ranked.sort(key=lambda r: (-round(r.tally.interval[0], 12), -r.tally.n))
        previous, rank = None, 0
        for position, entry in enumerate(cls.ranked, start=1):
            current = (round(entry.tally.interval[0], 12), entry.tally.n)
            if current != previous:
                rank, previous = position, current
            entry.rank = rank
        cls.insufficient.sort(key=lambda r: -r.tally.n)
    return [classes[k] for k in sorted(classes, key=lambda k: class_order(*k))]
