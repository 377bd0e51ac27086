"""Reads of 群众评议 and 民意调查: the surveys a reader sees (404 outside the scope), their results per target unit
and evaluator group, the like-with-like rankings, and the units marked 群众满意度严重偏低 (for the campaign's pass
rule and the roll-ups). The arithmetic is survey_stats'."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.http import Http404

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core import sql
from huitoukan.core.paths import path_range_q
from huitoukan.orgs.models import LEVEL_RANK, Unit, UnitKind, UnitLevel
from huitoukan.publicity.models import (
    EvaluatorGroup,
    Survey,
    SurveyResponse,
    SurveyState,
    SurveyToken,
)
from huitoukan.publicity.survey_stats import RankingClass, Tally, ranking, seriously_low

# The kept count of the roll-ups (orgs.totals.WorkTally): a unit marked 严重偏低 by a closed survey.
SATISFACTION_TOPIC = "satisfaction"
LOW_KEY = "low"
POOLED = ""  # the key of all groups together
_KIND_RANK = {kind: rank for rank, kind in enumerate(UnitKind.values)}


def surveys_for(*, user) -> QuerySet[Survey]:
    """The surveys whose owner unit the reader's WORK_VIEW covers."""
    return (Survey.objects.filter(policy.units_q(user, Perm.WORK_VIEW, "owner_unit__path"))
            .select_related("owner_unit", "campaign"))


def survey_get_for(*, user, pk) -> Survey:
    key = sql.key_or_none(pk)
    survey = key is not None and surveys_for(user=user).filter(pk=key).first()
    if not survey:
        raise Http404
    return survey


def may_manage(user, survey: Survey) -> bool:
    return policy.can(user, Perm.SURVEY_MANAGE, survey.owner_unit)


def owner_units_for(user) -> list[Unit]:
    """The units a survey may be set up for by the reader: where its grant carries SURVEY_MANAGE."""
    return list(Unit.objects.filter(pk__in=policy.units_holding(user, Perm.SURVEY_MANAGE),
                                    abolished_on__isnull=True).order_by("path"))


def targets_chosen(*, owner: Unit, picked, children: bool = False, level: str = "", kind: str = "") -> list[Unit]:
    """The target units a form asks for: those picked one by one, the owner's next level when asked, and every unit
    in force of a level (and kind) within the owner's subtree when asked. The service checks they are the owner's."""
    chosen = {u.pk: u for u in picked}
    in_force = Unit.objects.filter(path_range_q(owner.path), abolished_on__isnull=True)
    if children:
        chosen.update((u.pk, u) for u in in_force.filter(depth=owner.depth + 1))
    if level or kind:
        chosen.update((u.pk, u) for u in in_force.filter(**{k: v for k, v in (("level", level), ("kind", kind)) if v}))
    return sorted(chosen.values(), key=lambda u: u.path)


def targets_of(survey: Survey) -> list[Unit]:
    return list(survey.target_units.order_by("path"))


def questions_of(survey: Survey) -> list:
    return list(survey.questions.order_by("order"))


# --- results ---------------------------------------------------------------------------------------------

@dataclass
class UnitResult:
    unit: Unit
    tally: Tally
    low: bool = False
    rank: int | None = None

    @property
    def rate_text(self) -> str:
        rate = self.tally.rate
        return "—" if rate is None else f"{rate * 100:.1f}%"

    @property
    def interval_text(self) -> str:
        interval = self.tally.interval
        return "—" if interval is None else f"{interval[0] * 100:.1f}% ~ {interval[1] * 100:.1f}%"

    @property
    def mean_text(self) -> str:
        mean = self.tally.mean_score
        return "—" if mean is None else f"{mean:.1f}"


@dataclass
class Slice:
    """The results of one evaluator group (or of all groups pooled): classes of like units, ranked."""

    group: str
    label: str
    classes: list[RankingClass] = field(default_factory=list)

    @property
    def rows(self) -> list[UnitResult]:
        return [entry.key for cls in self.classes for entry in (*cls.ranked, *cls.insufficient)]


@dataclass
class Results:
    survey: Survey
    pooled: Slice
    groups: list[Slice]
    low_units: list[Unit]


def _class_order(level: str, kind: str):
    return LEVEL_RANK.get(level, 99), _KIND_RANK.get(kind, 99)


def _tallies(survey: Survey) -> dict[tuple[int, str], Tally]:
    """{(unit id, group): Tally} from the survey's answers, each group and POOLED."""
    scale = survey.scale
    questions = {str(pk) for pk in survey.questions.values_list("pk", flat=True)}
    tallies: dict[tuple[int, str], Tally] = defaultdict(Tally)
    rows = SurveyResponse.objects.filter(survey=survey).values_list("unit_id", "group", "answers")
    for unit_id, group, answers in rows.iterator(chunk_size=2000):
        options = [scale[i] for q, i in answers.items() if q in questions and isinstance(i, int) and 0 <= i < len(scale)]
        one = Tally()
        one.add_response(options)
        tallies[(unit_id, group)].merge(one)
        tallies[(unit_id, POOLED)].merge(one)
    return tallies


def _slice(survey: Survey, targets: list[Unit], tallies, group: str, label: str) -> Slice:
    entries = []
    for unit in targets:
        tally = tallies.get((unit.pk, group)) or Tally()
        low = seriously_low(tally, min_sample=survey.min_sample, low_threshold=survey.low_threshold)
        entries.append((UnitResult(unit=unit, tally=tally, low=low), unit.level, unit.kind, tally))
    classes = ranking(entries, min_sample=survey.min_sample, class_order=_class_order)
    for cls in classes:
        cls.label = f"{UnitLevel(cls.level).label}·{UnitKind(cls.kind).label}"
        for entry in cls.ranked:
            entry.key.rank = entry.rank
    return Slice(group=group, label=label, classes=classes)


def survey_results(survey: Survey) -> Results:
    """Per target unit: each evaluator group apart (a group that took part), and all pooled; rankings within
    units of the same level and kind; the units marked 严重偏低 (by the pooled line or by any one group)."""
    targets = targets_of(survey)
    tallies = _tallies(survey)
    present = {group for (_unit, group) in tallies if group != POOLED}
    present |= set(SurveyToken.objects.filter(survey=survey).values_list("group", flat=True).distinct())
    groups = [_slice(survey, targets, tallies, g, str(label)) for g, label in EvaluatorGroup.choices if g in present]
    pooled = _slice(survey, targets, tallies, POOLED, "全部评议群体")
    low = {row.unit.pk for s in (pooled, *groups) for row in s.rows if row.low}
    return Results(survey=survey, pooled=pooled, groups=groups, low_units=[u for u in targets if u.pk in low])


def survey_low_units(survey: Survey) -> set[int]:
    """The target units the survey marks 群众满意度严重偏低, whatever its state."""
    return {u.pk for u in survey_results(survey).low_units}


def units_seriously_low(*, survey: Survey | None = None, campaign=None) -> set[int]:
    """Ids of the units marked 群众满意度严重偏低 by closed surveys: one survey's, a campaign's, or (neither given)
    every closed survey's. An open survey marks nothing yet: its answers are still coming in."""
    surveys = Survey.objects.filter(state=SurveyState.CLOSED)
    if survey is not None:
        surveys = surveys.filter(pk=survey.pk)
    if campaign is not None:
        surveys = surveys.filter(campaign=campaign)
    low: set[int] = set()
    for s in surveys.order_by("pk"):
        low |= survey_low_units(s)
    return low


def surveys_own() -> Counter:
    """The kept counts of the surveys at their own units, as WorkTally keys them (orgs.totals.work_own_register):
    each closed survey counts each unit it marks 严重偏低 once."""
    own: Counter = Counter()
    for s in Survey.objects.filter(state=SurveyState.CLOSED).order_by("pk"):
        for unit_id in survey_low_units(s):
            own[(unit_id, s.campaign_id or 0, SATISFACTION_TOPIC, LOW_KEY)] += 1
    return own


COMMENTS_SHOWN = 200


def comments_of(survey: Survey, *, limit: int | None = COMMENTS_SHOWN) -> tuple[list[SurveyResponse], int]:
    """The 意见建议 written with the answers, newest first (`limit` of them) and how many there are. Only the
    unit, the group and the day go with a comment: nothing that would tie it to the person who held the token."""
    qs = (SurveyResponse.objects.filter(survey=survey).exclude(comment="").select_related("unit")
          .order_by("-submitted_at", "-id"))
    return list(qs[:limit] if limit else qs), qs.count()


@dataclass
class TokenCount:
    unit: Unit
    group: str
    label: str
    issued: int
    used: int


def token_counts(survey: Survey) -> list[TokenCount]:
    """Tokens handed out and answered, per unit and group (never the tokens: only digests are kept)."""
    units = {u.pk: u for u in targets_of(survey)}
    labels = dict(EvaluatorGroup.choices)
    rows = (SurveyToken.objects.filter(survey=survey).values("unit_id", "group")
            .annotate(issued=Count("id"), used=Count("used_at")).order_by("unit_id", "group"))
    counts = [TokenCount(unit=units.get(r["unit_id"]) or Unit.objects.get(pk=r["unit_id"]), group=r["group"],
                         label=str(labels.get(r["group"], r["group"])), issued=r["issued"], used=r["used"])
              for r in rows]
    return sorted(counts, key=lambda c: (c.unit.path, list(labels).index(c.group) if c.group in labels else 99))
