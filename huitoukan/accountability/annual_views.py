"""Pages of 年度考核 (the year's summary, its xlsx, 评先选优), 表扬 and 纪实评价."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.accountability import annual, annual_exports, annual_rules, annual_services
from huitoukan.accountability.annual_forms import (
    CommendationForm,
    EvaluationCreateForm,
    EvaluationEditForm,
    YearPickForm,
    this_year,
)
from huitoukan.accountability.models import EvaluationState
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.core import sql, timeline
from huitoukan.core.errors import DomainError
from huitoukan.core.http import content_disposition
from huitoukan.core.pages import saved
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.models import Person

MENU = "accountability"


def _pick(request):
    """(the pick form, the unit, the year) of the query string; the unit None when none is in reach."""
    policy.require_somewhere(request.user, Perm.ACCOUNTABILITY_VIEW)
    units = org_selectors.units_visible_to(user=request.user, perm=Perm.ACCOUNTABILITY_VIEW)
    pick = YearPickForm(request.GET or None, units=units)
    unit, year = None, this_year()
    if request.GET.get("unit"):
        unit = annual.annual_unit_get_for(user=request.user, pk=request.GET["unit"])
    else:
        unit = annual.default_unit(request.user)
    if request.GET and pick.is_valid() and pick.cleaned_data["year"]:
        year = pick.cleaned_data["year"]
    elif request.GET.get("year"):
        unit = None  # the form says what is wrong with the year
    if not request.GET:
        pick = YearPickForm(initial={"unit": unit.pk if unit else None, "year": year}, units=units)
    return pick, unit, year


def _context(request, tab: str) -> dict:
    pick, unit, year = _pick(request)
    context = {"pick": pick, "unit": unit, "year": year, "tab": tab, "active_menu": MENU,
               "may_record": unit is not None and policy.can(request.user, Perm.ACCOUNTABILITY_RECORD, unit),
               "may_read_evaluations": policy.has_perm_somewhere(request.user, Perm.EVALUATION_VIEW)}
    if unit is not None:
        context["summary"] = annual.year_summary(unit=unit, year=year, reader=request.user)
    return context


@require_GET
def annual_index(request):
    """The year of a unit and its children, and of its party leaders (年度考核)."""
    return render(request, "accountability/annual_index.html", _context(request, "summary"))


@require_GET
def annual_candidates(request):
    """评先选优: each child unit and party leader, 可列入 or 不能列入 with the reasons."""
    context = _context(request, "candidates")
    if "summary" in context:
        context["candidates"] = annual_rules.candidates(context["summary"])
        context["rules"] = annual_rules.RULES
    return render(request, "accountability/annual_candidates.html", context)


@require_GET
def annual_export(request):
    _pick_form, unit, year = _pick(request)
    if unit is None:
        raise Http404
    summary = annual.year_summary(unit=unit, year=year, reader=request.user)
    data = annual_exports.summary_xlsx(summary, annual_rules.candidates(summary), user=request.user, request=request)
    response = HttpResponse(data, content_type=annual_exports.XLSX)
    response["Content-Disposition"] = content_disposition(annual_exports.filename(summary), ascii_stem="annual")
    return response


# --- 表扬

@require_GET
def commendation_list(request):
    context = _context(request, "commendations")
    unit = context["unit"]
    if unit is not None:
        context["commendations"] = annual.commendations_under(unit=unit, year=context["year"])
    return render(request, "accountability/annual_commendations.html", context)


def _ids_in_scope(request, perm: Perm) -> None:
    """Ids of the body are checked like ids in URLs: a person or campaign out of scope answers 404 before the form
    says anything."""
    person = request.POST.get("person")
    if person and not Person.objects.filter(policy.units_q(request.user, perm, "unit__path"),
                                            pk=sql.key_or_none(person) or 0).exists():
        raise policy.Denied(perm)
    if request.POST.get("campaign"):
        campaign_selectors.campaign_get_for(user=request.user, pk=request.POST["campaign"])


@require_http_methods(["GET", "POST"])
def commendation_create(request):
    user = request.user
    policy.require_somewhere(user, Perm.ACCOUNTABILITY_VIEW)
    unit = None
    given = request.POST.get("unit") or request.GET.get("unit")
    if given:
        unit = annual.annual_unit_get_for(user=user, pk=given)
        policy.require(user, Perm.ACCOUNTABILITY_RECORD, unit)
    else:
        policy.require_somewhere(user, Perm.ACCOUNTABILITY_RECORD)
    _ids_in_scope(request, Perm.ACCOUNTABILITY_RECORD)
    units = org_selectors.units_visible_to(user=user, perm=Perm.ACCOUNTABILITY_RECORD)
    people = Person.objects.filter(policy.units_q(user, Perm.ACCOUNTABILITY_RECORD, "unit__path"))
    form = CommendationForm(request.POST or None, units=units, people=people,
                            initial={"unit": unit.pk if unit else None, "year": this_year()})
    excluded = bool(request.POST.get("confirmed"))  # the 仍然登记 box shows once the 不能列入 warning has been given
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = annual_services.commendation_record(actor=user, year=data["year"], unit=data["unit"],
                                                       person=data["person"], reason=data["reason"],
                                                       decided_on=data["decided_on"], decider=data["decider"],
                                                       confirmed=data["confirmed"])
        except DomainError as error:
            form.add_error(None, error.message)
            excluded = error.code == annual_services.E.EXCLUDED
        else:
            return saved(request, _("已登记表扬。"),
                         f"{reverse('commendation-list')}?unit={done.unit_id}&year={done.year}")
    if not excluded:
        form.fields["confirmed"].widget = forms.HiddenInput()
    return render(request, "accountability/annual_commendation_form.html",
                  {"form": form, "unit": unit, "excluded": excluded, "active_menu": MENU},
                  status=400 if form.errors else 200)


# --- 纪实评价

@require_GET
def evaluation_list(request):
    user = request.user
    policy.require_somewhere(user, Perm.EVALUATION_VIEW)
    campaigns = campaign_selectors.campaigns_visible(user=user)
    campaign = None
    if request.GET.get("campaign"):
        campaign = campaign_selectors.campaign_get_for(user=user, pk=request.GET["campaign"])
    elif "campaign" not in request.GET:  # "campaign=" (全部活动) is a choice; nothing asked opens on one campaign
        campaign = annual.evaluation_default_campaign(user=user, campaigns=campaigns)
    evaluations = list(annual.evaluations_for(user=user, campaign=campaign))
    may_keep = policy.has_perm_somewhere(user, Perm.EVALUATION_KEEP)
    mine = annual.member_group_ids(user)
    drafts = [e for e in evaluations if e.state == EvaluationState.DRAFT and e.group_id in mine]
    return render(request, "accountability/evaluation_list.html", {
        "evaluations": evaluations, "campaigns": campaigns, "campaign": campaign, "may_keep": may_keep,
        "drafts": drafts, "active_menu": MENU})


def _keep_forms_data(user):
    units = org_selectors.units_visible_to(user=user, perm=Perm.EVALUATION_KEEP)
    people = Person.objects.filter(policy.units_q(user, Perm.EVALUATION_KEEP, "unit__path"), is_party_leader=True)
    return campaign_selectors.campaigns_visible(user=user), units, people


@require_http_methods(["GET", "POST"])
def evaluation_create(request):
    user = request.user
    given = request.POST.get("unit") or request.GET.get("unit")
    unit = None
    if given:
        unit = org_selectors.unit_get_for(user=user, pk=given, perm=Perm.EVALUATION_VIEW)
        policy.require(user, Perm.EVALUATION_KEEP, unit)
    else:
        policy.require_somewhere(user, Perm.EVALUATION_KEEP)
    _ids_in_scope(request, Perm.EVALUATION_KEEP)
    campaigns, units, people = _keep_forms_data(user)
    form = EvaluationCreateForm(request.POST or None, campaigns=campaigns, units=units, people=people,
                                initial={"unit": unit.pk if unit else None, "campaign": request.GET.get("campaign")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        campaign = campaign_selectors.campaign_get_for(user=user, pk=data["campaign"])
        try:
            done = annual_services.evaluation_save(actor=user, campaign=campaign, unit=data["unit"],
                                                   person=data["person"], record=data["record"],
                                                   rating=data["rating"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return saved(request, _("已记录纪实评价。"), "evaluation-detail", done.pk)
    return render(request, "accountability/evaluation_form.html", {"form": form, "active_menu": MENU},
                  status=400 if form.errors else 200)


@require_GET
def evaluation_detail(request, pk: int):
    evaluation = annual.evaluation_get_for(user=request.user, pk=pk)
    title = annual.evaluation_title(evaluation)
    # written_at is the time of the entry itself (auto_now): the entry's own 时间 says it
    entries = timeline.entries(evaluation.history.all(), hidden=frozenset({"written_at"}))
    for entry in entries:
        entry.subject = title
    return render(request, "accountability/evaluation_detail.html", {
        "evaluation": evaluation, "title": title, "may_edit": annual.evaluation_may_edit(request.user, evaluation),
        "sent_by": timeline.actor_label(evaluation.sent_by) if evaluation.sent_by_id else "",
        "entries": entries, "active_menu": MENU})


@require_http_methods(["GET", "POST"])
def evaluation_edit(request, pk: int):
    user = request.user
    evaluation = annual.evaluation_get_for(user=user, pk=pk)
    if not annual.evaluation_may_edit(user, evaluation):
        code = annual_services.E.FROZEN if evaluation.state == EvaluationState.SENT else None
        raise policy.Forbidden(Perm.EVALUATION_KEEP, evaluation.unit, code)
    form = EvaluationEditForm(request.POST or None, initial={"record": evaluation.record, "rating": evaluation.rating})
    if request.method == "POST" and form.is_valid():
        try:
            annual_services.evaluation_save(actor=user, evaluation=evaluation, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return saved(request, _("已保存纪实评价。"), "evaluation-detail", evaluation.pk)
    return render(request, "accountability/evaluation_form.html",
                  {"form": form, "evaluation": evaluation, "active_menu": MENU}, status=400 if form.errors else 200)


@require_POST
def evaluation_send(request):
    """Send the group's drafts of a campaign (all, or those ticked) to the 组织部."""
    user = request.user
    campaign = campaign_selectors.campaign_get_for(user=user, pk=request.POST.get("campaign"))
    policy.require_somewhere(user, Perm.EVALUATION_KEEP)
    chosen = None
    ids = request.POST.getlist("evaluation")
    if ids:
        chosen = annual.evaluations_chosen(user=user, ids=ids)
    back = f"{reverse('evaluation-list')}?campaign={campaign.pk}"
    try:
        sent = annual_services.evaluations_send(actor=user, campaign=campaign, evaluations=chosen)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    return saved(request, _("已报送组织部 %(n)s 份纪实评价。") % {"n": len(sent)}, back)
