"""Pages of 过关: a campaign's units with their kept verdicts and reasons, and the 述职评议考核 records.

A write is refused (403 in the reader's scope, 404 outside it) before its input is read."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.accountability import passing, passing_past, passing_selectors, passing_services
from huitoukan.accountability.passing_forms import AppraisalForm
from huitoukan.core import asof
from huitoukan.core.errors import DomainError
from huitoukan.orgs import selectors as org_selectors

MENU = "passing"  # the menu item of portal.context_processors


@require_GET
def passing_index(request):
    """过关: per campaign (`?campaign=`, else the newest), the units it judges in the reader's scope with their
    kept verdict and its reasons; `?failed=1` only those 不过关."""
    policy.require_somewhere(request.user, Perm.WORK_VIEW)
    campaign = passing_selectors.campaign_chosen(user=request.user, key=request.GET.get("campaign"))
    failed_only = request.GET.get("failed") == "1"
    result = passing_selectors.campaign_verdicts(user=request.user, campaign=campaign, failed_only=failed_only,
                                                 page=request.GET.get("page")) if campaign else None
    return render(request, "accountability/passing_index.html", {
        "campaigns": passing_selectors.campaigns_for(user=request.user), "campaign": campaign,
        "failed_only": failed_only, "result": result, "page": result.page if result else None,
        "rules": passing.RULES,
        "may_appraise": policy.has_perm_somewhere(request.user, Perm.ACCOUNTABILITY_RECORD),
        "may_list_appraisals": policy.has_perm_somewhere(request.user, Perm.ACCOUNTABILITY_VIEW),
        "active_menu": MENU})


@require_GET
def passing_as_of(request):
    """过关 as it stood when a past day ended (accountability.passing_past): the units the campaign judged that
    day in the reader's scope, each with its verdict of that day and the reasons; read-only."""
    policy.require_somewhere(request.user, Perm.WORK_VIEW)
    campaign = passing_selectors.campaign_chosen(user=request.user, key=request.GET.get("campaign"))
    today = timezone.localdate()
    context = {"campaigns": passing_selectors.campaigns_for(user=request.user), "campaign": campaign,
               "today": today, "day_text": request.GET.get("day", ""), "rules": passing.RULES, "error": None,
               "active_menu": MENU}
    if campaign is not None and "day" in request.GET:
        try:
            day = asof.day_parse(request.GET["day"], today=today)
        except asof.DayError as refused:
            context["error"] = str(refused)
        else:
            context |= {"day": day, "page": passing_past.campaign_verdicts_as_of(
                user=request.user, campaign=campaign, day=day, page=request.GET.get("page"))}
    return render(request, "accountability/passing_as_of.html", context, status=400 if context["error"] else 200)


@require_GET
def appraisal_list(request):
    """述职评议考核: the results recorded for the units in the reader's scope, per campaign."""
    policy.require_somewhere(request.user, Perm.ACCOUNTABILITY_VIEW)
    campaign = passing_selectors.campaign_chosen(user=request.user, key=request.GET.get("campaign"))
    appraisals = passing_selectors.appraisals_for(user=request.user, campaign=campaign) if campaign else None
    page = Paginator(appraisals, passing_selectors.PER_PAGE).get_page(request.GET.get("page")) if campaign else None
    return render(request, "accountability/passing_appraisals.html", {
        "campaigns": passing_selectors.campaigns_for(user=request.user), "campaign": campaign, "page": page,
        "may_appraise": policy.has_perm_somewhere(request.user, Perm.ACCOUNTABILITY_RECORD), "active_menu": MENU})


@require_http_methods(["GET", "POST"])
def appraisal_create(request):
    """登记述职评议考核结果 for a unit where the reader holds ACCOUNTABILITY_RECORD."""
    if request.method == "POST":
        org_selectors.require_on_named_unit(user=request.user, perm=Perm.ACCOUNTABILITY_RECORD,
                                            pk=request.POST.get("unit"))
    else:
        policy.require_somewhere(request.user, Perm.ACCOUNTABILITY_RECORD)
    campaigns = passing_selectors.campaigns_for(user=request.user)
    initial = {"campaign": request.GET.get("campaign"), "unit": request.GET.get("unit")}
    form = AppraisalForm(request.POST or None, initial=initial, campaigns=campaigns,
                         units=passing_selectors.appraisal_units(user=request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = org_selectors.unit_get_for(user=request.user, pk=data["unit"], perm=Perm.ACCOUNTABILITY_RECORD)
        campaign = passing_selectors.campaign_get_for(user=request.user, pk=data["campaign"])
        try:
            appraisal = passing_services.appraisal_record(
                actor=request.user, campaign=campaign, unit=unit, result=data["result"],
                appraised_on=data["appraised_on"], note=data["note"])
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("已登记%(unit)s的述职评议考核结果：%(result)s。") % {
                "unit": unit.full_name, "result": appraisal.get_result_display()})
            return redirect(f"{reverse('appraisal-list')}?campaign={campaign.pk}")
    return render(request, "accountability/passing_appraisal_form.html", {"form": form, "active_menu": MENU})
