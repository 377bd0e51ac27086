"""Pages of 分析研判 and 评估验收: a campaign's units with their class, checklists and thresholds, scoring,
回炉 / 补课, and the acceptance of a unit's special-rectification tasks.

Each write is refused (403 in the reader's scope, 404 outside it) before its input is read."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.assessments import rules, selectors, services
from huitoukan.assessments.forms import (
    AcceptanceForm,
    ChecklistForm,
    ChecklistItemsForm,
    RemedialDoneForm,
    ScoreForm,
    ThresholdsForm,
    items_text,
)
from huitoukan.assessments.models import AssessmentEvidence
from huitoukan.core import sql
from huitoukan.core.errors import DomainError
from huitoukan.supervision.evidence import evidence_response

MENU = "assessments"


@require_GET
def assessment_index(request):
    """分析研判: per campaign (`?campaign=`, else the newest), the units in the reader's scope with their class,
    latest score, open 回炉 / 补课 tasks and acceptance verdict."""
    policy.require_somewhere(request.user, Perm.WORK_VIEW)
    campaigns = selectors.campaigns_for(user=request.user)
    key = sql.key_or_none(request.GET.get("campaign"))
    campaign = next((c for c in campaigns if c.pk == key), None) if key else (campaigns[0] if campaigns else None)
    if key and campaign is None:
        raise Http404
    return render(request, "assessments/index.html", {
        "campaigns": campaigns, "campaign": campaign,
        "rows": selectors.campaign_units(user=request.user, campaign=campaign) if campaign else [],
        "active_menu": MENU})


# --- checklists and thresholds ----------------------------------------------------------------------------


@require_GET
def checklist_list(request, campaign):
    campaign = selectors.campaign_get_for(user=request.user, pk=campaign)
    return render(request, "assessments/checklist_list.html", {
        "campaign": campaign, "checklists": selectors.checklists_of(campaign),
        "thresholds": services.thresholds_of(campaign), "may_manage": rules.may_manage(request.user, campaign),
        "active_menu": MENU})


@require_http_methods(["GET", "POST"])
def checklist_create(request, campaign):
    campaign = selectors.campaign_get_for(user=request.user, pk=campaign, perm=Perm.CAMPAIGN_MANAGE)
    form = ChecklistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            checklist = services.checklist_create(actor=request.user, campaign=campaign, name=data["name"],
                                                  basis=data["basis"], items=data["items"])
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("检验标准已保存为草稿，发布后即可用于评分。"))
            return redirect("checklist-detail", checklist.pk)
    return render(request, "assessments/checklist_form.html", {
        "form": form, "campaign": campaign, "active_menu": MENU})


@require_GET
def checklist_detail(request, pk):
    checklist = selectors.checklist_get_for(user=request.user, pk=pk)
    versions = list(checklist.versions.order_by("-number").prefetch_related("items"))
    return render(request, "assessments/checklist_detail.html", {
        "checklist": checklist, "campaign": checklist.campaign, "versions": versions,
        "has_draft": any(not v.is_published for v in versions),
        "may_manage": rules.may_manage(request.user, checklist.campaign), "active_menu": MENU})


@require_http_methods(["GET", "POST"])
def checklist_edit(request, pk):
    """Edit the items: the draft is rewritten, or a new draft version made when the latest is published."""
    checklist = selectors.checklist_get_for(user=request.user, pk=pk, perm=Perm.CAMPAIGN_MANAGE)
    latest = checklist.versions.order_by("-number").first()
    form = ChecklistItemsForm(request.POST or None, initial={"items": items_text(latest)})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.checklist_draft_save(actor=request.user, checklist=checklist,
                                                    items=form.cleaned_data["items"])
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("已保存为第%(n)s版草稿。") % {"n": version.number})
            return redirect("checklist-detail", checklist.pk)
    return render(request, "assessments/checklist_form.html", {
        "form": form, "checklist": checklist, "campaign": checklist.campaign, "latest": latest,
        "active_menu": MENU})


@require_POST
def checklist_publish(request, pk):
    checklist = selectors.checklist_get_for(user=request.user, pk=pk, perm=Perm.CAMPAIGN_MANAGE)
    try:
        version = services.checklist_publish(actor=request.user, checklist=checklist)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("第%(n)s版已发布。") % {"n": version.number})
    return redirect("checklist-detail", checklist.pk)


@require_http_methods(["GET", "POST"])
def thresholds_edit(request, campaign):
    campaign = selectors.campaign_get_for(user=request.user, pk=campaign, perm=Perm.CAMPAIGN_MANAGE)
    current = services.thresholds_of(campaign)
    form = ThresholdsForm(request.POST or None, initial={
        "good": current.good, "fairly_good": current.fairly_good, "average": current.average})
    if request.method == "POST" and form.is_valid():
        try:
            services.thresholds_set(actor=request.user, campaign=campaign, **form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("分类标准已修改，各单位已重新分类。"))
            return redirect("checklist-list", campaign.pk)
    return render(request, "assessments/thresholds_form.html", {
        "form": form, "campaign": campaign, "history": current.history.select_related("history_user")[:20]
        if current.pk else [], "active_menu": MENU})


# --- a unit: its class, scores, 回炉 / 补课 ------------------------------------------------------------------


@require_GET
def assessment_unit(request, campaign, unit):
    campaign = selectors.campaign_get_for(user=request.user, pk=campaign)
    unit = selectors.unit_in_campaign_get_for(user=request.user, pk=unit, campaign=campaign)
    may_score = rules.may_score(request.user, unit)
    return render(request, "assessments/unit.html", {
        "campaign": campaign, "unit": unit, "standing": selectors.standing_of(unit, campaign),
        "checklists": [c for c in selectors.checklists_of(campaign) if c.published] if may_score else [],
        "assessments": selectors.assessments_of(unit, campaign), "tasks": selectors.remedial_tasks_of(unit, campaign),
        "verdict": selectors.acceptance_verdict(unit, campaign), "may_score": may_score, "active_menu": MENU})


@require_http_methods(["GET", "POST"])
def assessment_create(request, version, unit):
    """评分: the unit scored against a published checklist version."""
    version = selectors.version_get_for(user=request.user, pk=version)
    campaign = version.checklist.campaign
    unit = selectors.unit_in_campaign_get_for(user=request.user, pk=unit, campaign=campaign)
    rules.raise_if(rules.score_refusal(request.user, unit))
    form = ScoreForm(request.POST or None, version=version, initial={"assessed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.assessment_record(
                actor=request.user, unit=unit, version=version, scores=form.scores(), assessed_on=data["assessed_on"],
                comment=data["comment"], files=request.FILES.getlist("files"), remedial_kind=data["remedial_kind"],
                remedial_due_on=data["remedial_due_on"])
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("评分已保存。"))
            return redirect("assessment-detail", assessment.pk)
    return render(request, "assessments/score_form.html", {
        "form": form, "version": version, "campaign": campaign, "unit": unit, "active_menu": MENU})


@require_GET
def assessment_detail(request, pk):
    assessment = selectors.assessment_get_for(user=request.user, pk=pk)
    return render(request, "assessments/assessment_detail.html", {
        "assessment": assessment, "scores": assessment.scores.all(), "evidence": assessment.evidence.all(),
        "tasks": assessment.remedial_tasks.all(), "active_menu": MENU})


@require_GET
def evidence_download(request, pk):
    """A file as it was uploaded, to whoever reads its assessment's or acceptance's unit."""
    evidence = AssessmentEvidence.objects.select_related("acceptance__unit").filter(pk=sql.key_or_none(pk)).first()
    if evidence is None:
        raise Http404
    if evidence.assessment_id is not None:
        selectors.assessment_get_for(user=request.user, pk=evidence.assessment_id)
    else:
        policy.require(request.user, Perm.WORK_VIEW, evidence.acceptance.unit)
    return evidence_response(evidence)


@require_POST
def remedial_done(request, pk):
    task = selectors.remedial_get_for(user=request.user, pk=pk)
    rules.raise_if(rules.score_refusal(request.user, task.unit))
    form = RemedialDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("完成情况：%(e)s") % {"e": "".join(form.errors.get("note", []))})
        return redirect("assessment-unit", task.campaign_id, task.unit_id)
    try:
        services.remedial_done(actor=request.user, task=task, note=form.cleaned_data["note"])
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已确认完成。"))
    return redirect("assessment-unit", task.campaign_id, task.unit_id)


# --- 评估验收 -----------------------------------------------------------------------------------------------


@require_GET
def acceptance_unit(request, campaign, unit):
    """The unit's 专项整治方案 tasks with their acceptances, and its verdict."""
    campaign = selectors.campaign_get_for(user=request.user, pk=campaign)
    unit = selectors.unit_in_campaign_get_for(user=request.user, pk=unit, campaign=campaign)
    return render(request, "assessments/acceptance_unit.html", {
        "campaign": campaign, "unit": unit, "plan": selectors.special_plan_of(unit, campaign),
        "verdict": selectors.acceptance_verdict(unit, campaign), "may_accept": rules.may_accept(request.user, unit),
        "active_menu": MENU})


@require_http_methods(["GET", "POST"])
def acceptance_create(request, pk):
    """评估验收 of one task of a unit's 专项整治方案 (an office above the unit)."""
    task = selectors.plan_task_get_for(user=request.user, pk=pk)
    plan = task.plan
    rules.raise_if(rules.accept_refusal(request.user, plan.unit))
    form = AcceptanceForm(request.POST or None, initial={"accepted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.acceptance_record(actor=request.user, plan_task=task, result=data["result"],
                                       accepted_on=data["accepted_on"], comments=data["comments"],
                                       files=request.FILES.getlist("files"))
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("评估验收已记录。"))
            return redirect("acceptance-unit", plan.campaign_id, plan.unit_id)
    return render(request, "assessments/acceptance_form.html", {
        "form": form, "task": task, "plan": plan, "history": selectors.acceptances_of_task(task),
        "active_menu": MENU})
