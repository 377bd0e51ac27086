"""The office's pages of 群众评议 and 民意调查: the list, setting a survey up, opening and closing it, handing
out tokens (a printable sheet of QR codes and a CSV of the links, in the one response that shows them), the
results with their rankings, and the xlsx.

Each write is refused (403 in the reader's scope, 404 outside it) before its input is read."""

from __future__ import annotations

import base64
import csv
import io

import segno
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.core.errors import DomainError
from huitoukan.core.http import content_disposition
from huitoukan.orgs import selectors as org_selectors
from huitoukan.publicity import survey_exports, survey_selectors, survey_services, survey_workflow
from huitoukan.publicity.models import EvaluatorGroup, SurveyState
from huitoukan.publicity.survey_forms import FROZEN_WHEN_OPEN, SurveyForm, TokensForm, scale_text

MENU = "surveys"


@require_GET
def survey_list(request):
    """评议调查: the surveys of the units the reader's scope covers, newest first."""
    policy.require_somewhere(request.user, Perm.WORK_VIEW)
    surveys = survey_selectors.surveys_for(user=request.user)
    state = request.GET.get("state", "")
    if state in SurveyState.values:
        surveys = surveys.filter(state=state)
    return render(request, "publicity/surveys/list.html", {
        "surveys": surveys[:200], "state": state, "states": SurveyState.choices,
        "may_create": bool(survey_selectors.owner_units_for(request.user)), "active_menu": MENU})


def _campaigns(user):
    return campaign_selectors.campaigns_visible_to(user=user).order_by("-starts_on", "-id")


def _targets_of(form: SurveyForm, owner):
    data = form.cleaned_data
    return survey_selectors.targets_chosen(owner=owner, picked=data.get("target_units") or [],
                                           children=data.get("target_children", False),
                                           level=data.get("target_level", ""), kind=data.get("target_kind", ""))


@require_http_methods(["GET", "POST"])
def survey_create(request):
    """新建评议调查 for a unit where the reader's office holds SURVEY_MANAGE."""
    if request.method == "POST":
        org_selectors.require_on_named_unit(user=request.user, perm=Perm.SURVEY_MANAGE,
                                            pk=request.POST.get("owner_unit"))
    else:
        policy.require_somewhere(request.user, Perm.SURVEY_MANAGE)
    owners = survey_selectors.owner_units_for(request.user)
    form = SurveyForm(request.POST or None, owners=owners, campaigns=_campaigns(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = data["owner_unit"]
        try:
            survey = survey_services.survey_create(
                actor=request.user, owner_unit=owner, kind=data["kind"], campaign=data["campaign"],
                title=data["title"], instructions=data["instructions"], questions=data["questions"],
                scale=data["scale"], target_units=_targets_of(form, owner), starts_on=data["starts_on"],
                ends_on=data["ends_on"], min_sample=data["min_sample"], low_threshold=data["low_threshold"])
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("评议调查已创建，开始前可生成凭证。"))
            return redirect("survey-detail", survey.pk)
    return render(request, "publicity/surveys/form.html", {"form": form, "survey": None, "active_menu": MENU})


@require_http_methods(["GET", "POST"])
def survey_edit(request, pk):
    """修改评议调查: everything before it opens; only the wording and the end date while it is open."""
    survey = survey_selectors.survey_get_for(user=request.user, pk=pk)
    policy.require(request.user, Perm.SURVEY_MANAGE, survey.owner_unit)
    if survey.state == SurveyState.CLOSED:
        messages.error(request, str(survey_workflow.SurveyErrorCode.CLOSED.value))
        return redirect("survey-detail", survey.pk)
    frozen = FROZEN_WHEN_OPEN if survey.state == SurveyState.OPEN else ()
    initial = {"owner_unit": survey.owner_unit_id, "kind": survey.kind, "campaign": survey.campaign_id,
               "title": survey.title, "instructions": survey.instructions,
               "questions": "\n".join(q.text for q in survey_selectors.questions_of(survey)),
               "scale": scale_text(survey.scale), "target_units": [u.pk for u in survey_selectors.targets_of(survey)],
               "starts_on": survey.starts_on, "ends_on": survey.ends_on, "min_sample": survey.min_sample,
               "low_threshold": survey.low_threshold}
    form = SurveyForm(request.POST or None, initial=initial, owners=[survey.owner_unit],
                      campaigns=_campaigns(request.user), frozen=frozen, fixed_owner=survey.owner_unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {key: data[key] for key in ("title", "instructions", "ends_on")}
        if survey.state == SurveyState.DRAFT:
            changes.update({key: data[key] for key in ("kind", "campaign", "questions", "scale", "starts_on",
                                                       "min_sample", "low_threshold")})
            changes["target_units"] = _targets_of(form, survey.owner_unit)
        try:
            survey_services.survey_update(actor=request.user, survey=survey, **changes)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("评议调查已保存。"))
            return redirect("survey-detail", survey.pk)
    return render(request, "publicity/surveys/form.html", {"form": form, "survey": survey, "active_menu": MENU})


@require_GET
def survey_detail(request, pk):
    """The survey with its results: each evaluator group apart and all pooled, ranked like with like."""
    survey = survey_selectors.survey_get_for(user=request.user, pk=pk)
    may_manage = survey_selectors.may_manage(request.user, survey)
    comments, comment_count = survey_selectors.comments_of(survey)
    return render(request, "publicity/surveys/detail.html", {
        "comments": comments, "comment_count": comment_count,
        "survey": survey, "questions": survey_selectors.questions_of(survey),
        "results": survey_selectors.survey_results(survey), "tokens": survey_selectors.token_counts(survey),
        "rule": survey_exports.rule_text(survey), "may_manage": may_manage,
        "actions": survey_workflow.actions(survey) if may_manage else [],
        "may_issue": may_manage and survey.state in survey_workflow.TOKENS_STATES,
        "may_edit": may_manage and survey.state != SurveyState.CLOSED, "active_menu": MENU})


def _move(request, pk, act, done):
    survey = survey_selectors.survey_get_for(user=request.user, pk=pk)
    policy.require(request.user, Perm.SURVEY_MANAGE, survey.owner_unit)
    try:
        act(survey)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, done)
    return redirect("survey-detail", survey.pk)


@require_POST
def survey_open(request, pk):
    return _move(request, pk, lambda s: survey_services.survey_open(actor=request.user, survey=s),
                 _("评议调查已开始，凭证可以提交答卷。"))


@require_POST
def survey_close(request, pk):
    return _move(request, pk, lambda s: survey_services.survey_close(actor=request.user, survey=s),
                 _("评议调查已结束，结果已锁定。"))


def _sheet(request, survey, unit, group: str, tokens: list[str]) -> dict:
    """The cards of the printable sheet and the CSV of the links, both made from the tokens in hand: nothing
    of them is kept (only digests are), so this response is the only place they appear."""
    label = EvaluatorGroup(group).label
    cards, rows = [], io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["序号", "评议调查", "被评单位", "评议群体", "链接"])
    for n, token in enumerate(tokens, start=1):
        link = request.build_absolute_uri(reverse("public-survey-answer", args=[token]))
        # segno writes only its own path data and the fixed title: nothing of the user's is interpolated.
        svg = mark_safe(segno.make(link, error="m").svg_inline(scale=3, title="评议二维码"))  # noqa: S308
        cards.append({"n": n, "link": link, "svg": svg})
        writer.writerow([n, survey.title, unit.full_name, label, link])
    csv_bytes = ("\ufeff" + rows.getvalue()).encode()
    return {"cards": cards, "group_label": label, "unit": unit,
            "csv_href": "data:text/csv;charset=utf-8;base64," + base64.b64encode(csv_bytes).decode(),
            "csv_name": f"评议凭证-{survey.title}-{unit.name}-{label}.csv".replace("“", "").replace("”", "")}


@never_cache
@require_http_methods(["GET", "POST"])
def survey_tokens(request, pk):
    """生成评议凭证: the POST answers with the sheet of QR codes and the CSV of the links, once."""
    survey = survey_selectors.survey_get_for(user=request.user, pk=pk)
    policy.require(request.user, Perm.SURVEY_MANAGE, survey.owner_unit)
    form = TokensForm(request.POST or None, targets=survey_selectors.targets_of(survey),
                      initial={"unit": request.GET.get("unit")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tokens = survey_services.survey_tokens_issue(actor=request.user, survey=survey, unit=data["unit"],
                                                         group=data["group"], count=data["count"])
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            return render(request, "publicity/surveys/sheet.html", {
                "survey": survey, **_sheet(request, survey, data["unit"], data["group"], tokens),
                "active_menu": MENU})
    return render(request, "publicity/surveys/tokens.html", {"survey": survey, "form": form, "active_menu": MENU})


@require_GET
def survey_export(request, pk):
    survey = survey_selectors.survey_get_for(user=request.user, pk=pk)
    results = survey_selectors.survey_results(survey)
    comments, _count = survey_selectors.comments_of(survey, limit=None)
    response = HttpResponse(survey_exports.results_xlsx(results, comments=comments, user=request.user,
                                                        request=request),
                            content_type=survey_exports.XLSX)
    response["Content-Disposition"] = content_disposition(survey_exports.results_filename(results),
                                                          ascii_stem="survey")
    return response
