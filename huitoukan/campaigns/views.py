from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns import selectors


@require_GET
def campaign_list(request):
    policy.require_somewhere(request.user, Perm.CAMPAIGN_VIEW)
    today = timezone.localdate()
    visible = selectors.campaigns_visible(user=request.user)
    campaigns = selectors.current_phases(visible, today)
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns, "active_menu": "campaigns"})


@require_GET
def campaign_detail(request, pk):
    campaign = selectors.campaign_get_for(user=request.user, pk=pk)
    today = timezone.localdate()
    deadlines = [
        (
            d,
            selectors.light_for(due_on=d.due_on, today=today),
            selectors.deadline_expected_units_for(user=request.user, deadline=d).count(),
        )
        for d in campaign.deadlines.select_related("phase", "campaign__owner_unit")
    ]
    context = {
        "campaign": campaign,
        "phases": campaign.phases.all(),
        "current_phase": selectors.current_phase(campaign, today),
        "deadlines": deadlines,
        "today": today,
        "active_menu": "campaigns",
    }
    return render(request, "campaigns/campaign_detail.html", context)
