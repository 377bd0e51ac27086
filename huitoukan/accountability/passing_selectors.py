"""Reads of 过关: the kept verdicts of a campaign's units in the reader's scope, a unit's verdicts for its page,
the 述职评议考核 records, and the counts of units passed and not passed for the roll-ups (orgs.WorkTally)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import QuerySet, Sum
from django.http import Http404

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.accountability import passing
from huitoukan.accountability.models import ReportAppraisal, UnitVerdict
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.campaigns.models import Campaign
from huitoukan.core import sql
from huitoukan.orgs import totals as unit_totals
from huitoukan.orgs.models import Unit, UnitLevel, UnitTally

PASSING_TOPIC = "passing"  # the kept counts (orgs.WorkTally) of units by verdict, per campaign
PASSED_KEY, FAILED_KEY = "passed", "failed"
PER_PAGE = 50


def key_of(passed: bool | None) -> str | None:
    if passed is None:
        return None
    return PASSED_KEY if passed else FAILED_KEY


# --- roll-ups -----------------------------------------------------------------------------------------------


def count_topics(campaign: Campaign) -> list[tuple[str, int]]:
    """The kept counts `passing_counts` reads, for a caller reading several apps' counts at once."""
    return [(PASSING_TOPIC, campaign.pk)]


def passing_counts(units, campaign: Campaign, kept=None) -> dict[int, dict[str, int]]:
    """For each unit, how many units of its subtree (itself included) pass and do not pass in the campaign, from
    the kept counts: one query (none with `kept`: what orgs.totals.work_counts_many read with
    `count_topics(campaign)` among its topics)."""
    units = list(units)
    kept = kept or unit_totals.work_counts_many(units, count_topics(campaign))
    counts = kept[(PASSING_TOPIC, campaign.pk)]
    return {u.pk: {PASSED_KEY: counts.get(u.pk, Counter())[PASSED_KEY],
                   FAILED_KEY: counts.get(u.pk, Counter())[FAILED_KEY]} for u in units}


def counts_own(campaign: Campaign | None = None) -> Counter:
    """The kept verdicts counted at their own units, as WorkTally keys them (of one campaign, or of all:
    orgs.totals.work_own_register)."""
    rows = UnitVerdict.objects.all() if campaign is None else UnitVerdict.objects.filter(campaign=campaign)
    own: Counter = Counter()
    for unit_id, campaign_id, passed in rows.values_list("unit_id", "campaign_id", "passed"):
        own[(unit_id, campaign_id, PASSING_TOPIC, key_of(passed))] += 1
    return own


def counts_recount(campaign: Campaign) -> Counter:
    """What the kept counts of the campaign's verdicts should be, from the kept verdicts (tests)."""
    return unit_totals.work_recount(counts_own(campaign))


# --- the campaign's page ------------------------------------------------------------------------------------


def campaigns_for(*, user) -> list[Campaign]:
    return campaign_selectors.campaigns_visible(user=user)


@dataclass
class VerdictRow:
    unit: Unit
    verdict: UnitVerdict | None  # None: not worked out yet (a unit made since the last refresh)

    @property
    def reasons(self) -> list[passing.Reason]:
        return passing.reasons_of(self.verdict.reasons) if self.verdict else []


@dataclass
class CampaignVerdicts:
    page: object  # the page of VerdictRow
    passed: int  # units passing in the reader's scope
    failed: int
    pending: int  # units judged in the reader's scope without a kept verdict yet


def _scope_roots(user, campaign: Campaign) -> list[str]:
    """The paths of the topmost units of the reader's WORK_VIEW scope inside the campaign's owner subtree: the
    units whose kept counts, added up, are the reader's part of the campaign (the scope's prefixes never
    overlap)."""
    scope = policy.scope(user, Perm.WORK_VIEW)
    owner = campaign.owner_unit.path
    if scope.everywhere:
        return [owner]
    return sorted({prefix if prefix.startswith(owner) else owner for prefix in scope.prefixes
                   if prefix.startswith(owner) or owner.startswith(prefix)})


def scope_counts(*, user, campaign: Campaign) -> tuple[int, int, int]:
    """(passed, failed, judged) among the units of the campaign in the reader's scope, from the kept counts (what
    the 汇总 reads: orgs.WorkTally's `passing` topic, orgs.UnitTally's units in force above village level), in
    three small queries whatever the number of units."""
    roots = list(Unit.objects.filter(path__in=_scope_roots(user, campaign)).only("pk", "path"))
    if not roots:
        return 0, 0, 0
    counts = passing_counts(roots, campaign)
    judged = (UnitTally.objects.filter(unit__in=roots).exclude(level=UnitLevel.VILLAGE)
              .aggregate(n=Sum("n"))["n"] or 0)
    return (sum(c[PASSED_KEY] for c in counts.values()), sum(c[FAILED_KEY] for c in counts.values()), judged)


def campaign_verdicts(*, user, campaign: Campaign, failed_only: bool = False, page=1) -> CampaignVerdicts:
    """The units of the campaign in the reader's scope (WORK_VIEW), in path order, with their kept verdicts,
    PER_PAGE a page; `failed_only`: those 不过关. The figures, and the number of rows the pages divide, are the
    kept counts: nothing is counted per request. A fixed number of queries per page."""
    passed, failed, judged = scope_counts(user=user, campaign=campaign)
    units = passing.units_judged(campaign).filter(policy.units_q(user, Perm.WORK_VIEW))
    if failed_only:
        units = units.filter(pk__in=UnitVerdict.objects.filter(campaign=campaign, passed=False).values("unit_id"))
    paginator = Paginator(units, PER_PAGE)
    paginator.count = failed if failed_only else judged  # the kept counts: no COUNT over the units
    paged = paginator.get_page(page)
    ids = [u.pk for u in paged.object_list]
    verdicts = {v.unit_id: v for v in UnitVerdict.objects.filter(campaign=campaign, unit_id__in=ids)}
    paged.object_list = [VerdictRow(u, verdicts.get(u.pk)) for u in paged.object_list]
    return CampaignVerdicts(page=paged, passed=passed, failed=failed, pending=max(judged - passed - failed, 0))


# --- the unit page ------------------------------------------------------------------------------------------


@dataclass
class UnitCampaignVerdict:
    campaign: Campaign
    verdict: passing.Verdict  # worked out now
    kept: UnitVerdict | None  # as the roll-ups count it

    @property
    def kept_differs(self) -> bool:
        return self.kept is not None and self.kept.passed != self.verdict.passed


def unit_verdicts(*, user, unit: Unit) -> list[UnitCampaignVerdict]:
    """The unit's verdict in each campaign the reader sees that judges it (run by the unit or above it), worked
    out now, beside the kept one."""
    if not policy.can(user, Perm.WORK_VIEW, unit):
        return []
    campaigns = [c for c in campaign_selectors.campaigns_visible(user=user) if passing.judged(unit, c)]
    if not campaigns:
        return []
    kept = {v.campaign_id: v for v in UnitVerdict.objects.filter(unit=unit, campaign__in=[c.pk for c in campaigns])}
    return [UnitCampaignVerdict(c, passing.unit_verdict(unit, c), kept.get(c.pk)) for c in campaigns]


# --- 述职评议考核 -------------------------------------------------------------------------------------------


def appraisals_for(*, user, campaign: Campaign | None = None, unit: Unit | None = None) -> QuerySet[ReportAppraisal]:
    """The 述职评议考核 records of the units in the reader's scope (ACCOUNTABILITY_VIEW), newest first."""
    qs = (ReportAppraisal.objects.filter(policy.units_q(user, Perm.ACCOUNTABILITY_VIEW, "unit__path"))
          .select_related("unit", "campaign", "recorded_by").order_by("-appraised_on", "-id"))
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs


def appraisal_units(*, user) -> QuerySet[Unit]:
    """The units whose 述职评议考核 the reader may record (the form's picker validates against them)."""
    return Unit.objects.filter(policy.units_q(user, Perm.ACCOUNTABILITY_RECORD), abolished_on__isnull=True).order_by(
        "path")


def campaign_get_for(*, user, pk) -> Campaign:
    return campaign_selectors.campaign_get_for(user=user, pk=pk)


def campaign_chosen(*, user, key) -> Campaign | None:
    """The campaign of `?campaign=` among those the reader sees (404 for another), else the newest."""
    campaigns = campaigns_for(user=user)
    pk = sql.key_or_none(key) if key else None
    if key and pk is None:
        raise Http404
    if pk is None:
        return campaigns[0] if campaigns else None
    found = next((c for c in campaigns if c.pk == pk), None)
    if found is None:
        raise Http404
    return found
