"""年度考核: a unit's year of rectification, for the unit and each of its children, and for its party leaders.

Seed 000 三.4: 把整改落实情况作为领导班子、领导干部年度考核的重要内容，作为评先选优的重要依据. The year's figures come
from the kept counts where they exist and from a few grouped queries otherwise, never a query per row:

- ledgers (整改事项, 已销号, 销号率) sum the kept totals (ledgers.ItemTally) over the campaigns of the year that apply to
  the unit; 逾期 counts the open items whose deadline fell before the year's end (or before today in the current year),
  from ledgers.ItemDueTally; a leader's 逾期 is the ledgers' own rule (ledgers.selectors.overdue_q) at that cut-off;
- 回炉 / 反弹 (ledgers.ItemEvent) and packages returned (reviews.PackageEvent) are the events of the year, one
  conditional aggregate per child in one query;
- 督查发现的问题 (open), 督办通知单 by colour (open) are the kept counts (orgs.WorkTally) as they stand today, so they
  are read for the current year only (`YearSummary.current`); another year shows none;
  群众满意度严重偏低 the marks of the year's campaigns;
- 责任追究 counts the actions (CaseAction) decided in the year under each unit, by kind (`actions_under`: the same
  set the 评先选优 rule reads);
- 过关 is the kept verdict (UnitVerdict) of each of the year's campaigns; 表扬 the year's commendations.

Per leader (the unit's own 党员领导干部): the items they lead in the year's campaigns (closed, overdue), the actions on
them in the year, their 表扬 and, for a reader who holds evaluation.view over the unit (the 组织部, never a unit head),
the 纪实评价 sent to the 组织部.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from huitoukan.access import policy
from huitoukan.access.models import Role
from huitoukan.access.policy import Perm
from huitoukan.accountability.models import (
    ActionKind,
    CaseAction,
    Commendation,
    DocumentaryEvaluation,
    EvaluationState,
    UnitVerdict,
)
from huitoukan.campaigns.models import Campaign
from huitoukan.core import sql
from huitoukan.core.paths import ancestor_paths, path_range_q
from huitoukan.core.timeline import actor_label
from huitoukan.ledgers import selectors as ledger_selectors
from huitoukan.ledgers.models import (
    Item,
    ItemDueTally,
    ItemEvent,
    ItemEventKind,
    ItemStatus,
    ItemTally,
)
from huitoukan.notices import selectors as notice_selectors
from huitoukan.notices.escalation import NOTICES_TOPIC
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs import totals as unit_totals
from huitoukan.orgs.models import Person, Unit
from huitoukan.publicity.survey_selectors import LOW_KEY, SATISFACTION_TOPIC
from huitoukan.reviews.models import PackageAction, PackageEvent
from huitoukan.supervision import selectors as supervision_selectors

RETURN_ACTIONS = (PackageAction.HEAD_RETURN, PackageAction.GROUP_RETURN, PackageAction.RETURN)
REOPEN_EVENTS = (ItemEventKind.SENT_BACK, ItemEventKind.RELAPSED)
COLOURS = ("blue", "yellow", "red")
FIRST_YEAR, LAST_YEAR = 2000, 2100


def annual_unit_get_for(*, user, pk) -> Unit:
    """The unit whose year is read: 404 when absent or outside the reader's 责任追究和考核 scope."""
    return org_selectors.unit_get_for(user=user, pk=pk, perm=Perm.ACCOUNTABILITY_VIEW)


def default_unit(user) -> Unit | None:
    """The first unit the reader holds the right at (its own unit), to begin with."""
    held = sorted((a.unit for a in policy.assignments_of(user)
                   if policy.can(user, Perm.ACCOUNTABILITY_VIEW, a.unit)), key=lambda u: u.path)
    return held[0] if held else None


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def overdue_cutoff(year: int, today: dt.date) -> dt.date:
    """An open item due before this day counts as overdue for the year: its year's end, or today in the year."""
    return min(today, dt.date(year + 1, 1, 1))


def campaigns_of_year(unit: Unit, year: int) -> list[Campaign]:
    """The campaigns that apply to `unit` (run by it or above it, or inside it) and ran during `year`."""
    first, last = year_bounds(year)
    above = ancestor_paths(unit.path, include_self=True)
    return list(Campaign.objects.filter(Q(owner_unit__path__in=above) | path_range_q(unit.path, "owner_unit__path"))
                .filter(starts_on__lte=last, ends_on__gte=first).select_related("owner_unit")
                .order_by("starts_on", "id"))


@dataclass
class UnitYear:
    """One unit's year (its whole subtree)."""

    unit: Unit
    items: int = 0
    closed: int = 0
    overdue: int = 0
    reopened: int = 0  # 回炉 and 反弹 in the year
    returned: int = 0  # packages returned (退回) in the year
    findings_open: int | None = 0  # None for a year other than the current one: the kept counts are today's only
    notices: dict = field(default_factory=dict)  # open notices by colour (today's; empty for another year)
    satisfaction_low: int = 0
    actions: Counter = field(default_factory=Counter)  # CaseAction by kind
    action_list: list = field(default_factory=list)  # the same CaseActions, with their cases: what 评先选优 reads
    verdicts: list = field(default_factory=list)  # the UnitVerdicts of the year's campaigns
    commendations: list = field(default_factory=list)  # the unit's own 表扬 of the year

    @property
    def closed_percent(self) -> int | None:
        return round(100 * self.closed / self.items) if self.items else None

    @property
    def actions_total(self) -> int:
        return sum(self.actions.values())

    @property
    def actions_text(self) -> str:
        labels = dict(ActionKind.choices)
        return "、".join(f"{labels[k]}{n}" for k, n in sorted(self.actions.items()) if n)

    @property
    def passed(self) -> bool | None:
        """None without a verdict; False if any campaign of the year found the unit 不过关."""
        if not self.verdicts:
            return None
        return all(v.passed for v in self.verdicts)

    @property
    def red_open(self) -> int:
        return self.notices.get("red", 0)


@dataclass
class LeaderYear:
    person: Person
    items: int = 0
    closed: int = 0
    overdue: int = 0
    actions: list = field(default_factory=list)  # CaseAction with its case
    commendations: list = field(default_factory=list)
    evaluations: list = field(default_factory=list)  # 纪实评价 sent to the 组织部; empty unless the reader may see them

    @property
    def rating(self) -> str:
        return "、".join(e.get_rating_display() for e in self.evaluations if e.rating)


@dataclass
class YearSummary:
    unit: Unit
    year: int
    today: dt.date
    campaigns: list
    total: UnitYear
    children: list[UnitYear]
    leaders: list[LeaderYear]
    ratings: bool = False  # the reader holds evaluation.view over the unit: the leaders' 纪实评价 are read and shown

    @property
    def current(self) -> bool:
        """The year is this year: only then are the open findings and notices (kept as they stand today) read."""
        return self.year == self.today.year

    @property
    def units(self) -> list[UnitYear]:
        return [*self.children, self.total]


def _ledger_figures(rows: dict[int, UnitYear], campaign_ids: list[int], cutoff: dt.date) -> None:
    if not campaign_ids:
        return
    for unit_id, status, n in sql.fetch(
            f"SELECT unit_id, status, SUM(n) FROM {ItemTally._meta.db_table} WHERE unit_id IN ({sql.marks(rows)}) "
            f"AND campaign_id IN ({sql.marks(campaign_ids)}) AND n > 0 GROUP BY unit_id, status",
            [*rows, *campaign_ids]):
        rows[unit_id].items += n
        if status == ItemStatus.CLOSED:
            rows[unit_id].closed += n
    for unit_id, n in sql.fetch(
            f"SELECT unit_id, SUM(n) FROM {ItemDueTally._meta.db_table} WHERE unit_id IN ({sql.marks(rows)}) "
            f"AND campaign_id IN ({sql.marks(campaign_ids)}) AND due_on < %s AND n > 0 GROUP BY unit_id",
            [*rows, *campaign_ids, cutoff]):
        rows[unit_id].overdue = n


def _per_unit(queryset, units: list[Unit], path_field: str) -> dict[int, int]:
    """{unit id: how many rows of `queryset` lie under each unit}: one query, a conditional count per unit."""
    found = queryset.aggregate(**{f"u{u.pk}": Count("id", filter=path_range_q(u.path, path_field)) for u in units})
    return {u.pk: found[f"u{u.pk}"] or 0 for u in units}


def _events(rows: dict[int, UnitYear], units: list[Unit], year: int) -> None:
    first, last = year_bounds(year)
    outer = units[-1]  # the chosen unit: every row lies under it
    reopened = ItemEvent.objects.filter(path_range_q(outer.path, "item__ledger__unit__path"), kind__in=REOPEN_EVENTS,
                                        at__date__gte=first, at__date__lte=last)
    for pk, n in _per_unit(reopened, units, "item__ledger__unit__path").items():
        rows[pk].reopened = n
    returned = PackageEvent.objects.filter(path_range_q(outer.path, "version__submission__unit__path"),
                                           action__in=RETURN_ACTIONS, at__date__gte=first, at__date__lte=last)
    for pk, n in _per_unit(returned, units, "version__submission__unit__path").items():
        rows[pk].returned = n


def _kept(rows: dict[int, UnitYear], units: list[Unit], campaign_ids: list[int], current: bool) -> None:
    """The kept counts. Open findings and notices stand as they are today: they are read for the current year only
    (another year's row would otherwise show today's figures as that year's)."""
    if not current:
        topics = [(SATISFACTION_TOPIC, pk) for pk in campaign_ids]
        kept = unit_totals.work_counts_many(units, topics) if topics else {}
        for u in units:
            rows[u.pk].findings_open = None
            rows[u.pk].satisfaction_low = sum(kept[(SATISFACTION_TOPIC, pk)][u.pk][LOW_KEY] for pk in campaign_ids)
        return
    topics = [(supervision_selectors.FINDINGS_TOPIC, 0), (NOTICES_TOPIC, 0),
              *((SATISFACTION_TOPIC, pk) for pk in campaign_ids)]
    kept = unit_totals.work_counts_many(units, topics)
    findings = supervision_selectors.open_findings_by_unit(units, kept)
    notices = notice_selectors.colour_counts(units, kept)
    for u in units:
        row = rows[u.pk]
        row.findings_open = findings[u.pk]["open"]
        row.notices = {c: notices.get(u.pk, {}).get(c, 0) for c in COLOURS}
        row.satisfaction_low = sum(kept[(SATISFACTION_TOPIC, pk)][u.pk][LOW_KEY] for pk in campaign_ids)


def _actions(rows: dict[int, UnitYear], units: list[Unit], year: int) -> None:
    """The actions decided in the year under each unit (`actions_under`): one query. The row keeps them (with their
    cases) and counts them by kind, so the 评先选优 rule reads exactly what the 责任追究 column counts."""
    for action in actions_under(units[-1], year):
        for u in units:
            if action.unit.path.startswith(u.path):
                rows[u.pk].action_list.append(action)
                rows[u.pk].actions[action.kind] += 1


def actions_under(unit: Unit, year: int):
    """The one definition of a unit's actions of the year: every CaseAction decided in `year` whose unit lies in
    `unit`'s subtree, whoever it was taken on (the unit itself, its head or leaders, any of its staff, a unit or
    person under it). The summary's 责任追究 column counts them and the 评先选优 `accountability` rule excludes the
    unit for any of them."""
    return (CaseAction.objects.filter(path_range_q(unit.path, "unit__path"), decided_on__year=year)
            .select_related("case", "person", "unit").order_by("decided_on", "id"))


def year_summary(*, unit: Unit, year: int, reader=None, today: dt.date | None = None) -> YearSummary:
    """The year of `unit` (fetched through `annual_unit_get_for`): a row per child and the unit's whole subtree,
    and a row per party leader of the unit. The leaders' 纪实评价 ratings are read only when `reader` holds
    evaluation.view over the unit (the 组织部): accountability.view, which unit heads hold, does not reach them."""
    ratings = reader is not None and policy.can(reader, Perm.EVALUATION_VIEW, unit)
    today = today or timezone.localdate()
    campaigns = campaigns_of_year(unit, year)
    campaign_ids = [c.pk for c in campaigns]
    children = list(org_selectors.children(unit).order_by("path"))
    units = [*children, unit]
    rows = {u.pk: UnitYear(unit=u) for u in units}
    _ledger_figures(rows, campaign_ids, overdue_cutoff(year, today))
    _events(rows, units, year)
    _kept(rows, units, campaign_ids, current=year == today.year)
    _actions(rows, units, year)
    for verdict in UnitVerdict.objects.filter(unit_id__in=rows, campaign_id__in=campaign_ids).select_related(
            "campaign"):
        rows[verdict.unit_id].verdicts.append(verdict)
    for commendation in Commendation.objects.filter(year=year, unit_id__in=rows, person__isnull=True):
        rows[commendation.unit_id].commendations.append(commendation)
    return YearSummary(unit=unit, year=year, today=today, campaigns=campaigns, total=rows[unit.pk],
                       children=[rows[c.pk] for c in children], ratings=ratings,
                       leaders=leaders_of_year(unit=unit, year=year, campaign_ids=campaign_ids, today=today,
                                               ratings=ratings))


def party_leaders(unit: Unit) -> list[Person]:
    return list(Person.objects.filter(unit=unit, is_party_leader=True, is_active=True)
                .order_by("-is_unit_head", "id"))


def leaders_of_year(*, unit: Unit, year: int, campaign_ids: list[int], today: dt.date,
                    ratings: bool = False, people: list[Person] | None = None) -> list[LeaderYear]:
    """A row per party leader of the unit itself (or per one of `people`): four queries whatever their number (five
    with `ratings`, the sent 纪实评价, which only a reader holding evaluation.view over the unit may see)."""
    rows = {p.pk: LeaderYear(person=p) for p in (party_leaders(unit) if people is None else people)}
    if not rows:
        return []
    cutoff = overdue_cutoff(year, today)
    led = (Item.lead_leaders.through.objects.filter(person_id__in=rows, item__ledger__campaign_id__in=campaign_ids)
           .values("person_id").annotate(
               items=Count("item_id"),
               closed=Count("item_id", filter=Q(item__status=ItemStatus.CLOSED)),
               overdue=Count("item_id", filter=ledger_selectors.overdue_q(cutoff, prefix="item__"))))
    for found in led:
        row = rows[found["person_id"]]
        row.items, row.closed, row.overdue = found["items"], found["closed"], found["overdue"]
    for action in (CaseAction.objects.filter(person_id__in=rows, decided_on__year=year)
                   .select_related("case").order_by("decided_on", "id")):
        rows[action.person_id].actions.append(action)
    for commendation in Commendation.objects.filter(year=year, person_id__in=rows):
        rows[commendation.person_id].commendations.append(commendation)
    if not ratings:
        return list(rows.values())
    for evaluation in DocumentaryEvaluation.objects.filter(person_id__in=rows, campaign_id__in=campaign_ids,
                                                           state=EvaluationState.SENT).order_by("campaign_id"):
        rows[evaluation.person_id].evaluations.append(evaluation)
    return list(rows.values())


# --- 纪实评价: the group keeps its drafts to itself; the sent ones are read by the 组织部 (discipline) in scope.

def member_group_ids(user) -> set[int]:
    """The ids of the active supervision groups the login is a member of (its 督导组 grants)."""
    return {a.supervision_group_id for a in policy.assignments_of(user)
            if a.role == Role.SUPERVISOR and a.supervision_group is not None and a.supervision_group.is_active}


def evaluations_for(*, user, campaign=None):
    """The 纪实评价 the login reads: of its own groups (any state) within its scope, and those sent to the 组织部
    within its scope."""
    scope_q = policy.units_q(user, Perm.EVALUATION_VIEW, "unit__path")
    visible = Q(state=EvaluationState.SENT) | Q(group_id__in=member_group_ids(user))
    found = DocumentaryEvaluation.objects.filter(scope_q).filter(visible)
    if campaign is not None:
        found = found.filter(campaign=campaign)
    return found.select_related("campaign", "group", "unit", "person", "written_by", "sent_by").order_by(
        "campaign_id", "unit__path", "person_id", "id")


def evaluation_default_campaign(*, user, campaigns: list):
    """The campaign the 纪实评价 list opens on when none is asked for: the newest of `campaigns` (newest first) that
    has a record the login reads, else the newest of them; None without any. With one campaign, that one: the send
    button needs a campaign."""
    if not campaigns:
        return None
    having = set(evaluations_for(user=user).values_list("campaign_id", flat=True).distinct())
    return next((c for c in campaigns if c.pk in having), campaigns[0])


def evaluation_get_for(*, user, pk) -> DocumentaryEvaluation:
    """The 纪实评价, or 404 when absent, out of scope, or a draft of another group (the same answer)."""
    key = sql.key_or_none(pk)
    found = evaluations_for(user=user).filter(pk=key).first() if key is not None else None
    if found is None:
        raise policy.Denied(Perm.EVALUATION_VIEW)
    return found


def evaluation_may_edit(user, evaluation: DocumentaryEvaluation) -> bool:
    return (evaluation.state == EvaluationState.DRAFT and evaluation.group_id in member_group_ids(user)
            and policy.can(user, Perm.EVALUATION_KEEP, evaluation.unit))


def evaluations_chosen(*, user, ids) -> list[DocumentaryEvaluation]:
    """The 纪实评价 ticked on the list: 404 if any is absent or out of the reader's sight (one query)."""
    keys = {sql.key_or_none(pk) for pk in ids}
    found = list(evaluations_for(user=user).filter(pk__in=keys - {None}))
    if None in keys or len(found) != len(keys):
        raise policy.Denied(Perm.EVALUATION_VIEW)
    return found


def commendations_under(*, unit: Unit, year: int) -> list[Commendation]:
    """The year's 表扬 of the unit and of the units and people under it, each with `recorder`: who recorded it, as
    history names an actor (the person's name with the login)."""
    found = list(Commendation.objects.filter(path_range_q(unit.path, "unit__path"), year=year)
                 .select_related("unit", "person", "recorded_by__person").order_by("-decided_on", "-id"))
    for commendation in found:
        commendation.recorder = actor_label(commendation.recorded_by) if commendation.recorded_by_id else ""
    return found


def evaluation_title(evaluation: DocumentaryEvaluation) -> str:
    """What a 纪实评价 is called on its page and in its history: whose it is, and in which campaign."""
    subject = (f"{evaluation.unit.name}·{evaluation.person.name}" if evaluation.person_id
               else f"{evaluation.unit.name}领导班子")
    return f"{subject}的纪实评价（{evaluation.campaign.name}）"
