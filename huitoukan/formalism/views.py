"""Pages of 形式主义预警: the list with its filters, a flag with what it names, 排除 and 转为督查发现.

Only the campaign office and the supervision group over the flag's unit reach them (formalism.rules); a flag
out of their scope answers 404 like an absent one, before any input is read."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from huitoukan.campaigns.models import Campaign
from huitoukan.core.errors import DomainError
from huitoukan.formalism import rules, selectors, services
from huitoukan.formalism.forms import DismissForm, ToFindingForm
from huitoukan.formalism.models import FlagKind, FlagState
from huitoukan.orgs.models import Unit

MENU = "formalism"
# The basis mark of each check.
BASIS = {
    FlagKind.EVIDENCE_REUSED: "formalism.fraud", FlagKind.EVIDENCE_LATE: "formalism.fraud",
    FlagKind.EVIDENCE_TINY: "formalism.real", FlagKind.DEADLINE_DAY: "formalism.checks",
    FlagKind.TEXT_ALIKE: "formalism.fraud", FlagKind.PROGRESS_RUSH: "formalism.checks",
}


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_GET
def flag_list(request):
    rules.require_somewhere(request.user)
    get = request.GET
    kind = get.get("kind", "") if get.get("kind", "") in FlagKind.values else ""
    state = get.get("state", FlagState.OPEN)
    state = state if state in FlagState.values else ""
    campaign = Campaign.objects.filter(pk=_int(get.get("campaign"))).first() if get.get("campaign") else None
    unit = Unit.objects.filter(pk=_int(get.get("unit"))).first() if get.get("unit") else None
    if unit is not None and not rules.may_see(request.user, unit):
        unit = None
    flags = selectors.flags_for(user=request.user, campaign=campaign, kind=kind, state=state, unit=unit)
    page = Paginator(flags.order_by("-last_seen", "-id"), 50).get_page(get.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "formalism/list.html", {
        "page": page, "kinds": FlagKind.choices, "states": FlagState.choices, "kind": kind, "state": state,
        "campaign": campaign, "unit": unit, "query": query.urlencode(), "basis": sorted(set(BASIS.values())),
        "active_menu": MENU})


def _page(request, flag, **forms):
    items = selectors.flag_items(flag)
    return render(request, "formalism/detail.html", {
        "flag": flag, "items": items, "basis_key": BASIS[flag.kind], "evidence_rows": selectors.evidence_rows(flag, request.user),
        "dismiss_form": forms.get("dismiss_form") or DismissForm(),
        "finding_form": forms.get("finding_form") or ToFindingForm(
            initial={"description": services.finding_text(flag)}),
        "open": flag.state == FlagState.OPEN, "active_menu": MENU})


@require_GET
def flag_detail(request, pk):
    return _page(request, selectors.flag_get_for(user=request.user, pk=pk))


@require_POST
def flag_dismiss(request, pk):
    flag = selectors.flag_get_for(user=request.user, pk=pk)
    form = DismissForm(request.POST)
    if form.is_valid():
        try:
            services.flag_dismiss(actor=request.user, flag=flag, reason=form.cleaned_data["reason"])
        except DomainError as e:
            # handled meanwhile (by someone else): the form is no longer drawn, so say why on the page
            messages.error(request, e.message)
            return redirect("flag-detail", flag.pk)
        else:
            messages.success(request, _("已排除。"))
            return redirect("flag-detail", flag.pk)
    return _page(request, flag, dismiss_form=form)


@require_POST
def flag_to_finding(request, pk):
    flag = selectors.flag_get_for(user=request.user, pk=pk)
    form = ToFindingForm(request.POST)
    if form.is_valid():
        try:
            finding = services.flag_to_finding(actor=request.user, flag=flag, **form.cleaned_data)
        except DomainError as e:
            # handled meanwhile (by someone else): the form is no longer drawn, so say why on the page
            messages.error(request, e.message)
            return redirect("flag-detail", flag.pk)
        else:
            messages.success(request, _("已转为督查发现的问题。"))
            return redirect("finding-detail", finding.pk)
    return _page(request, flag, finding_form=form)
