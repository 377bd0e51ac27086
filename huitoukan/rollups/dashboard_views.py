"""驾驶舱: a leader's one screen of the unit's subtree (rollups.dashboard), drilling down child by child."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.accountability import case_tally
from huitoukan.orgs import selectors as org_selectors
from huitoukan.rollups import selectors
from huitoukan.rollups.dashboard import dashboard_for
from huitoukan.rollups.markup import dashboard_child_rows


def _unit(request):
    """?unit= (404 unless the reader sees its work), or the top of what the reader sees: their own unit."""
    chosen = request.GET.get("unit")
    if chosen:
        return org_selectors.unit_get_for(user=request.user, pk=chosen, perm=Perm.WORK_VIEW)
    policy.require_somewhere(request.user, Perm.WORK_VIEW)
    top = next(iter(org_selectors.top_units(request.user, Perm.WORK_VIEW)), None)
    if top is None:
        raise Http404
    return top


@require_GET
def dashboard(request):
    unit = _unit(request)
    campaigns = selectors.campaigns_for(user=request.user, unit=unit)
    chosen = request.GET.get("campaign")
    campaign = next((c for c in campaigns if str(c.pk) == chosen), None) if chosen else next(iter(campaigns), None)
    if chosen and campaign is None:
        raise Http404
    context = {"unit": unit, "campaigns": campaigns, "campaign": campaign, "active_menu": "dashboard",
               "trend_days": selectors.TREND_DAYS}
    if campaign is not None:
        board = dashboard_for(unit=unit, campaign=campaign, kinds=case_tally.kinds_shown_to(request.user, unit))
        context["board"] = board
        context["child_rows"] = dashboard_child_rows(board.children, campaign)
        # The units above, as far up as the reader may see: the way back up from a drill-down.
        context["ancestors"] = [a for a in board.above if policy.can(request.user, Perm.WORK_VIEW, a)]
    return render(request, "rollups/dashboard.html", context)
