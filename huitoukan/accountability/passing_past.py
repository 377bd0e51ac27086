"""过关 verdicts as they stood at the end of a past day, from the history already kept (no second copy of the data).

The rules are passing.RULES, in their one place: each takes `as_of` and reads its inputs as they stood when the
day ended — the acceptances recorded by then (an acceptance is never changed), the surveys closed by then (their
history), the 述职评议考核 records as they stood (their history), the items as they stood, open and past their
整改时限 that day (the ledgers' reading rule, core.asof). The units judged are those the campaign judged that day:
in its owner's subtree above village level, existing that day (`passing.units_judged` with `as_of`, by
`orgs.selectors.existing_on`). The tree is today's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.accountability import passing
from huitoukan.campaigns.models import Campaign
from huitoukan.orgs.models import Unit

PER_PAGE = 50


def units_judged_as_of(campaign: Campaign, day: dt.date):
    """The units the campaign judged that day, in path order (passing.units_judged, its one place)."""
    return passing.units_judged(campaign, as_of=day)


def verdicts_as_of(unit_ids, campaign: Campaign, day: dt.date) -> dict[int, passing.Verdict]:
    """Every rule over the units as the day saw them: passing.verdicts_check with `as_of`, the same number of
    queries as today's."""
    return passing.verdicts_check(unit_ids, campaign, as_of=day, memo={})


@dataclass
class PastRow:
    unit: Unit
    verdict: passing.Verdict


def campaign_verdicts_as_of(*, user, campaign: Campaign, day: dt.date, page=1):
    """The units the campaign judged that day in the reader's scope (WORK_VIEW), PER_PAGE a page in path order,
    each with its verdict of that day worked out for the page (a fixed number of queries per page)."""
    units = units_judged_as_of(campaign, day).filter(policy.units_q(user, Perm.WORK_VIEW))
    paged = Paginator(units, PER_PAGE).get_page(page)
    verdicts = verdicts_as_of([u.pk for u in paged.object_list], campaign, day)
    paged.object_list = [PastRow(u, verdicts[u.pk]) for u in paged.object_list]
    return paged
