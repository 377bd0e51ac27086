"""Pages of 责任追究: the list (search by unit, cause, year, action kind), a new case (unit first, then the case
with its actions and what it cites, pre-filled from a suggestion), the case with its chain, documents and history,
editing, actions added and removed, documents uploaded, concluding, and the suggestions.

Reading: Perm.ACCOUNTABILITY_VIEW over the case's unit (unit heads and discipline staff); writing:
Perm.ACCOUNTABILITY_RECORD (discipline staff). Each write is refused (403 to a reader in scope, 404 to anyone else)
before its input is read."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.accountability import case_selectors as selectors
from huitoukan.accountability import case_services as services
from huitoukan.accountability import suggestions as suggestion_rules
from huitoukan.accountability.case_forms import (
    ActionForm,
    ActionFormSet,
    CaseFilterForm,
    CaseForm,
    UnitChoiceForm,
)
from huitoukan.accountability.models import ActionKind, CaseState, Responsibility
from huitoukan.core.errors import DomainError
from huitoukan.orgs import selectors as org_selectors
from huitoukan.supervision.evidence import evidence_response

MENU = "accountability"
FILE_ACCEPT = "image/*,.pdf,.doc,.docx,.xls,.xlsx"


@require_GET
def case_list(request):
    """责任追究: the cases of the reader's scope, searched by unit, cause, year, action kind, state or words."""
    policy.require_somewhere(request.user, Perm.ACCOUNTABILITY_VIEW)
    form = CaseFilterForm(request.GET or None, units=selectors.units_for(user=request.user))
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.CaseFilters(unit=data.get("unit"), cause=data.get("cause") or "", year=data.get("year"),
                                    kind=data.get("kind") or "", state=data.get("state") or "", q=data.get("q") or "")
    cases = selectors.cases_for(user=request.user, filters=filters)
    return render(request, "accountability/case_list.html", {
        "form": form, "cases": cases[:200], "may_record": policy.has_perm_somewhere(request.user,
                                                                                    Perm.ACCOUNTABILITY_RECORD),
        "active_menu": MENU})


def _prefill(request, unit) -> tuple[dict, list[dict]]:
    """A suggestion's pre-fill from the query string: the case's fields and its actions ("responsibility:kind:person")."""
    get = request.GET
    initial = {k: get[k] for k in ("title", "cause") if get.get(k)}
    if get.get("double_check"):
        initial["double_check"] = True
    for name in ("items", "findings", "notices", "opinions"):
        if get.getlist(name):
            initial[name] = [v for v in get.getlist(name) if v.isdigit()]
    today = timezone.localdate()
    initial.setdefault("decided_on", today)
    rows = []
    people = selectors.people_of(unit)
    for spec in get.getlist("action"):
        responsibility, _sep, rest = spec.partition(":")
        kind, _sep, person = rest.partition(":")
        if responsibility not in Responsibility.values or kind not in ActionKind.values:
            continue
        row = {"responsibility": responsibility, "kind": kind, "decided_on": today}
        if person.isdigit() and people.filter(pk=person).exists():
            row["person"] = int(person)
        rows.append(row)
    return initial, rows


def _case_unit(request):
    unit = org_selectors.unit_get_for(user=request.user, pk=request.GET["unit"], perm=Perm.ACCOUNTABILITY_VIEW)
    policy.require(request.user, Perm.ACCOUNTABILITY_RECORD, unit)
    return unit


@require_http_methods(["GET", "POST"])
def case_create(request):
    """登记责任追究: choose the unit (?unit=), then the case, its actions (一案双查: 当事人 and 相关领导), what it
    cites and its documents, recorded at once."""
    if not request.GET.get("unit"):
        policy.require_somewhere(request.user, Perm.ACCOUNTABILITY_RECORD)
        return render(request, "accountability/case_unit.html", {"form": UnitChoiceForm(), "active_menu": MENU})
    unit = _case_unit(request)
    candidates = selectors.candidates_for(user=request.user, unit=unit)
    people = selectors.people_of(unit)
    if request.method == "POST":
        form = CaseForm(request.POST, unit=unit, candidates=candidates)
        formset = ActionFormSet(request.POST, people=people, unit=unit, prefix="actions")
    else:
        initial, rows = _prefill(request, unit)
        form = CaseForm(initial=initial, unit=unit, candidates=candidates)
        formset = ActionFormSet(initial=rows or None, people=people, unit=unit, prefix="actions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        d = form.cleaned_data
        try:
            case = services.case_record(
                actor=request.user, unit=unit, campaign=d.get("campaign"), title=d["title"], cause=d["cause"],
                facts=d["facts"], double_check=d["double_check"], decided_on=d["decided_on"], decider=d["decider"],
                items=list(d["items"]), findings=list(d["findings"]), notices=list(d["notices"]),
                opinions=list(d["opinions"]), actions=formset.actions(), files=request.FILES.getlist("files"))
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("责任追究已登记。"))
            return redirect("case-detail", case.pk)
    return render(request, "accountability/case_form.html", {
        "form": form, "formset": formset, "unit": unit, "creating": True, "accept": FILE_ACCEPT,
        "active_menu": MENU})


def _page(request, case, *, action_form=None, status=200):
    may_record = policy.can(request.user, Perm.ACCOUNTABILITY_RECORD, case.unit)
    people = selectors.people_of(case.unit)
    return render(request, "accountability/case_detail.html", {
        "case": case, "actions": selectors.actions_of(case), "documents": selectors.documents_of(case),
        "chain": selectors.case_chain(case, request.user), "events": selectors.timeline(case),
        "may_record": may_record, "is_open": case.state == CaseState.OPEN,
        "action_form": action_form or ActionForm(people=people, unit=case.unit,
                                                 initial={"decided_on": timezone.localdate()}),
        "accept": FILE_ACCEPT, "active_menu": MENU}, status=status)


@require_GET
def case_detail(request, pk):
    return _page(request, selectors.case_get_for(user=request.user, pk=pk))


def _writable(request, pk):
    case = selectors.case_get_for(user=request.user, pk=pk)
    policy.require(request.user, Perm.ACCOUNTABILITY_RECORD, case.unit)
    return case


@require_http_methods(["GET", "POST"])
def case_edit(request, pk):
    case = _writable(request, pk)
    candidates = selectors.candidates_for(user=request.user, unit=case.unit)
    initial = {"title": case.title, "cause": case.cause, "facts": case.facts, "double_check": case.double_check,
               "decided_on": case.decided_on, "decider": case.decider,
               "items": list(case.items.values_list("pk", flat=True)),
               "findings": list(case.findings.values_list("pk", flat=True)),
               "notices": list(case.notices.values_list("pk", flat=True)),
               "opinions": list(case.opinions.values_list("pk", flat=True))}
    form = CaseForm(request.POST or None, initial=initial, unit=case.unit, candidates=candidates, with_campaign=False)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.case_update(actor=request.user, case=case, title=d["title"], cause=d["cause"], facts=d["facts"],
                                 double_check=d["double_check"], decided_on=d["decided_on"], decider=d["decider"],
                                 items=list(d["items"]), findings=list(d["findings"]), notices=list(d["notices"]),
                                 opinions=list(d["opinions"]))
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("责任追究已修改。"))
            return redirect("case-detail", case.pk)
    return render(request, "accountability/case_form.html", {
        "form": form, "unit": case.unit, "case": case, "creating": False, "active_menu": MENU})


@require_POST
def case_action_add(request, pk):
    case = _writable(request, pk)
    form = ActionForm(request.POST, people=selectors.people_of(case.unit), unit=case.unit)
    if form.is_valid():
        person, responsibility, kind, decided_on, note = form.action()
        try:
            services.case_action_add(actor=request.user, case=case, person=person, responsibility=responsibility,
                                     kind=kind, decided_on=decided_on, note=note)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("处理措施已添加。"))
            return redirect("case-detail", case.pk)
    return _page(request, selectors.case_get_for(user=request.user, pk=pk), action_form=form)


@require_POST
def case_action_remove(request, pk):
    action = selectors.action_get_for(user=request.user, pk=pk)
    policy.require(request.user, Perm.ACCOUNTABILITY_RECORD, action.case.unit)
    try:
        services.case_action_remove(actor=request.user, action=action)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("处理措施已删除。"))
    return redirect("case-detail", action.case_id)


@require_POST
def case_documents(request, pk):
    case = _writable(request, pk)
    try:
        services.case_documents_add(actor=request.user, case=case, files=request.FILES.getlist("files"))
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("材料已上传。"))
    return redirect("case-detail", case.pk)


@require_POST
def case_conclude(request, pk):
    case = _writable(request, pk)
    try:
        services.case_conclude(actor=request.user, case=case)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("责任追究已办结。"))
    return redirect("case-detail", case.pk)


@require_GET
def case_document_download(request, pk):
    """A document of a case as it was uploaded, to whoever may read the case."""
    return evidence_response(selectors.document_get_for(user=request.user, pk=pk))


@require_GET
def case_suggestions(request):
    """问责建议: what the data of the reader's units suggests, each with its clause; never a verdict."""
    policy.require_somewhere(request.user, Perm.ACCOUNTABILITY_VIEW)
    found = suggestion_rules.suggestions_for(user=request.user)
    return render(request, "accountability/suggestions.html", {
        "suggestions": found, "limits": suggestion_rules.thresholds(), "active_menu": MENU})
