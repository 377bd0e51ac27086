"""Pages of 督查督办: the work list, inspections with their evidence, findings and what becomes of them.

Each write is refused (403 in the reader's scope, 404 outside it) before its input is read."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core import sql
from huitoukan.core.errors import DomainError
from huitoukan.ledgers.models import Item
from huitoukan.orgs import selectors as org_selectors
from huitoukan.supervision import panels, rules, selectors, services, spotchecks
from huitoukan.supervision.errors import SupervisionError, SupervisionErrorCode
from huitoukan.supervision.evidence import evidence_response
from huitoukan.supervision.forms import (
    AnswerForm,
    CloseForm,
    FindingForm,
    InspectionForm,
    ReleaseForm,
    SendBackForm,
    ToItemForm,
)
from huitoukan.supervision.models import (
    FindingState,
    InspectionEvidence,
    InspectionKind,
    InspectionState,
)

MENU = "supervision"


@require_GET
def supervision_index(request):
    """督查督办: the reader's groups' units with their lights, open inspections, open findings."""
    policy.require_somewhere(request.user, Perm.WORK_VIEW)
    return render(request, "supervision/index.html", {
        "work": selectors.work_list(user=request.user, request=request),
        "panels": panels.WORK_LIST.shown(request.user),
        "to_draw": list(spotchecks.spot_checks_to_draw(user=request.user)[:20]),
        "order_units": _order_units(request.user), "active_menu": MENU})


def _order_units(user) -> list:
    """The units whose office the reader is: where it orders inspections (安排督查 in their name)."""
    from huitoukan.orgs.models import Unit

    return list(Unit.objects.filter(pk__in=policy.units_holding(user, Perm.INSPECTION_ORDER)).order_by("path"))


@require_GET
def inspection_list(request):
    policy.require_somewhere(request.user, Perm.WORK_VIEW)
    inspections = list(selectors.inspections_for(user=request.user)[:200])
    selectors.covert_views_record(user=request.user, request=request, inspections=inspections, what="督查列表")
    return render(request, "supervision/inspection_list.html", {
        "inspections": inspections, "order_units": _order_units(request.user), "active_menu": MENU})


def _inspection_input(form) -> dict:
    data = form.cleaned_data
    return {"kind": data["kind"], "title": data["title"], "units": list(data["units"]), "group": data["group"],
            "team": data["team"], "starts_on": data["starts_on"], "ends_on": data["ends_on"],
            "methods": data["methods"], "record": data["record"], "sealed_until": data["sealed_until"]}


@require_http_methods(["GET", "POST"])
def inspection_create(request):
    """安排督查 by the office of `?unit=` (the ordering unit)."""
    ordering_unit = org_selectors.unit_get_for(user=request.user, pk=request.GET.get("unit"), perm=Perm.WORK_VIEW)
    policy.require(request.user, Perm.INSPECTION_ORDER, ordering_unit)
    form = InspectionForm(request.POST or None, ordering_unit=ordering_unit)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(actor=request.user, ordering_unit=ordering_unit,
                                                    **_inspection_input(form))
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("督查已安排。"))
            return redirect("inspection-detail", inspection.pk)
    return render(request, "supervision/inspection_form.html", {
        "form": form, "ordering_unit": ordering_unit, "active_menu": MENU})


@require_GET
def inspection_detail(request, pk):
    inspection = selectors.inspection_get_for(user=request.user, pk=pk, request=request)
    return render(request, "supervision/inspection_detail.html", {
        "inspection": inspection, "findings": selectors.findings_of_inspection(inspection),
        "evidence": inspection.evidence.select_related("uploaded_by"),
        "may_edit": rules.order_refusal(request.user, inspection) is None
        and inspection.state != InspectionState.DONE,
        "may_record": rules.records(request.user, inspection), "done": inspection.state == InspectionState.DONE,
        "sealed": rules.sealed(inspection), "covert": rules.is_covert(inspection),
        "spot_check": getattr(inspection, "spot_check", None) if inspection.kind == InspectionKind.SPOT_CHECK else None,
        "may_release": rules.sealed(inspection) and rules.order_refusal(request.user, inspection) is None,
        "release_form": ReleaseForm(), "active_menu": MENU})


@require_http_methods(["GET", "POST"])
def inspection_edit(request, pk):
    inspection = selectors.inspection_get_for(user=request.user, pk=pk, request=request)
    rules.raise_if(rules.order_refusal(request.user, inspection))
    initial = {"kind": inspection.kind, "title": inspection.title, "units": list(inspection.units.all()),
               "group": inspection.group, "team": " ".join(u.get_username() for u in inspection.team.all()),
               "starts_on": inspection.starts_on, "ends_on": inspection.ends_on, "methods": inspection.methods,
               "record": inspection.record, "state": inspection.state, "sealed_until": inspection.sealed_until}
    form = InspectionForm(request.POST or None, initial=initial, ordering_unit=inspection.ordering_unit,
                          editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_update(actor=request.user, inspection=inspection, state=form.cleaned_data["state"],
                                       **_inspection_input(form))
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("督查已修改。"))
            return redirect("inspection-detail", inspection.pk)
    return render(request, "supervision/inspection_form.html", {
        "form": form, "inspection": inspection, "ordering_unit": inspection.ordering_unit, "active_menu": MENU})


@require_POST
def inspection_complete(request, pk):
    inspection = selectors.inspection_get_for(user=request.user, pk=pk, request=request)
    rules.raise_if(rules.record_refusal(request.user, inspection))
    try:
        services.inspection_complete(actor=request.user, inspection=inspection, record=request.POST.get("record"))
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("督查已完成。"))
    return redirect("inspection-detail", inspection.pk)


@require_POST
def inspection_release(request, pk):
    """发布暗访发现的问题, now or from a 解密日期 (the ordering office itself)."""
    inspection = selectors.inspection_get_for(user=request.user, pk=pk, request=request, what="发布暗访")
    rules.raise_if(rules.order_refusal(request.user, inspection))
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("inspection-detail", inspection.pk)
    try:
        services.inspection_release(actor=request.user, inspection=inspection, on=form.cleaned_data["on"])
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("暗访发现的问题已发布，被检查单位可以看到并答复。") if form.cleaned_data["on"] is None
                         else _("已设定解密日期，到期自动发布。"))
    return redirect("inspection-detail", inspection.pk)


@require_POST
def inspection_evidence(request, pk):
    inspection = selectors.inspection_get_for(user=request.user, pk=pk, request=request)
    rules.raise_if(rules.record_refusal(request.user, inspection))
    try:
        stored = services.evidence_attach(actor=request.user, inspection=inspection,
                                          files=request.FILES.getlist("files"))
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已上传 %(n)d 个文件。") % {"n": len(stored)})
    return redirect("inspection-detail", inspection.pk)


@require_GET
def evidence_download(request, pk):
    """A file as it was uploaded, to whoever may read its inspection or finding."""
    evidence = InspectionEvidence.objects.filter(pk=sql.key_or_none(pk)).first()
    if evidence is None:
        raise Http404
    if evidence.inspection_id is not None:
        selectors.inspection_get_for(user=request.user, pk=evidence.inspection_id, request=request)
    else:
        selectors.finding_get_for(user=request.user, pk=evidence.finding_id, request=request)
    return evidence_response(evidence)


def _item_of(unit, key):
    if key is None:
        return None
    item = Item.objects.select_related("ledger").filter(pk=key, ledger__unit=unit).first()
    if item is None:
        raise SupervisionError(SupervisionErrorCode.ITEM_OTHER_UNIT, unit=unit.full_name)
    return item


@require_http_methods(["GET", "POST"])
def finding_create(request):
    """记录发现的问题: of an inspection (`?inspection=`) or of one unit (`?unit=`)."""
    inspection = None
    if request.GET.get("inspection"):
        inspection = selectors.inspection_get_for(user=request.user, pk=request.GET["inspection"], request=request)
        rules.raise_if(rules.record_refusal(request.user, inspection))
        units = inspection.units.order_by("path")
    else:
        unit = org_selectors.unit_get_for(user=request.user, pk=request.GET.get("unit"), perm=Perm.WORK_VIEW)
        rules.raise_if(rules.unit_record_refusal(request.user, unit))
        units = type(unit).objects.filter(pk=unit.pk)
    form = FindingForm(request.POST or None, units=units, initial={"unit": units.first()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            finding = services.finding_record(
                actor=request.user, unit=data["unit"], inspection=inspection, description=data["description"],
                severity=data["severity"], answer_due_on=data["answer_due_on"],
                item=_item_of(data["unit"], data["item"]), files=request.FILES.getlist("files"))
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("问题已记录，待单位答复。"))
            return redirect("finding-detail", finding.pk)
    return render(request, "supervision/finding_form.html", {
        "form": form, "inspection": inspection, "active_menu": MENU})


def _finding_page(request, finding, *, status=200, **forms):
    side = rules.side_refusal(request.user, finding) is None
    open_ = finding.state != FindingState.CLOSED
    return render(request, "supervision/finding_detail.html", {
        "finding": finding, "item": finding.linked_item,
        "inspection_shown": finding.inspection is not None
        and rules.may_read_inspection(request.user, finding.inspection),
        "may_answer": open_ and rules.answer_refusal(request.user, finding) is None,
        "may_close": open_ and side, "may_link": open_ and side and finding.linked_item_id is None,
        "answer_form": forms.get("answer_form") or AnswerForm(initial={"answer": finding.answer}),
        "close_form": forms.get("close_form") or CloseForm(),
        "to_item_form": forms.get("to_item_form") or ToItemForm(ledgers=selectors.ledgers_of_unit(finding.unit)),
        "send_back_form": forms.get("send_back_form") or SendBackForm(),
        "evidence": finding.evidence.all(), "panels": panels.FINDING_PAGE.shown(finding, request.user),
        "sealed": rules.sealed(finding.inspection),
        "active_menu": MENU}, status=status)


@require_GET
def finding_detail(request, pk):
    return _finding_page(request, selectors.finding_get_for(user=request.user, pk=pk, request=request))


def _finding_write(request, pk, refusal, form_name, form, act, done):
    finding = selectors.finding_get_for(user=request.user, pk=pk, request=request)
    rules.raise_if(refusal(request.user, finding))
    form = form(finding)
    if form.is_valid():
        try:
            act(finding, form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, done)
            return redirect("finding-detail", finding.pk)
    return _finding_page(request, finding, **{form_name: form})


@require_POST
def finding_answer(request, pk):
    return _finding_write(
        request, pk, rules.answer_refusal, "answer_form", lambda f: AnswerForm(request.POST),
        lambda f, d: services.finding_answer(actor=request.user, finding=f, answer=d["answer"]), _("已答复。"))


@require_POST
def finding_close(request, pk):
    return _finding_write(
        request, pk, rules.side_refusal, "close_form", lambda f: CloseForm(request.POST),
        lambda f, d: services.finding_close(actor=request.user, finding=f, note=d["note"]), _("问题已办结。"))


@require_POST
def finding_to_item(request, pk):
    return _finding_write(
        request, pk, rules.side_refusal, "to_item_form",
        lambda f: ToItemForm(request.POST, ledgers=selectors.ledgers_of_unit(f.unit)),
        lambda f, d: services.finding_to_item(actor=request.user, finding=f, ledger=d["ledger"],
                                              measures=d["measures"], due_on=d["due_on"]),
        _("已转为台账问题。"))


@require_POST
def finding_send_back(request, pk):
    return _finding_write(
        request, pk, rules.side_refusal, "send_back_form", lambda f: SendBackForm(request.POST),
        lambda f, d: services.finding_send_back(actor=request.user, finding=f, reason=d["reason"],
                                                item=_item_of(f.unit, d["item"]), due_on=d["due_on"]),
        _("台账事项已回炉。"))


@require_GET
def unit_findings(request, pk):
    unit = org_selectors.unit_get_for(user=request.user, pk=pk, perm=Perm.WORK_VIEW)
    findings = list(selectors.findings_of_unit(user=request.user, unit=unit).select_related("inspection")[:500])
    selectors.covert_views_record(user=request.user, request=request, findings=findings, what="单位的督查发现的问题")
    return render(request, "supervision/unit_findings.html", {
        "unit": unit, "findings": findings,
        "may_record": rules.unit_record_refusal(request.user, unit) is None, "active_menu": MENU})
