"""Pages of 公文: the list, drafting from figures, the document, editing the draft, issuing it, the .docx
and PDF downloads, a unit's 机关代字.

Each write is refused (403 in the reader's scope, 404 outside it) before its input is read."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.audit.models import SecurityEventKind
from huitoukan.audit.services import security_event_record
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.core.errors import DomainError
from huitoukan.core.http import content_disposition
from huitoukan.core.officialdoc import officialdoc_docx, officialdoc_pdf
from huitoukan.documents import drafting, rules, selectors, services
from huitoukan.documents.forms import (
    KIND_FILTERS,
    STATE_FILTERS,
    DraftForm,
    EditForm,
    IssueForm,
    PrefixForm,
)
from huitoukan.documents.models import BRIEF_NAME, DocumentKind, DocumentState
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.models import Unit

MENU = "documents"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def _office_units(user) -> list:
    units = {a.unit_id: a.unit for a in policy.assignments_of(user) if rules.prefix_refusal(user, a.unit) is None}
    return sorted(units.values(), key=lambda u: u.path)


@require_GET
def document_list(request):
    """公文: the drafts of the reader's office and the issued documents it reads, by kind and state."""
    policy.require_somewhere(request.user, Perm.WORK_VIEW)
    kind, state = request.GET.get("kind", ""), request.GET.get("state", "")
    documents = selectors.filtered(selectors.documents_for(user=request.user), kind=kind, state=state)
    return render(request, "documents/list.html", {
        "documents": documents[:200], "kind": kind, "state": state, "kinds": KIND_FILTERS, "states": STATE_FILTERS,
        "may_draft": policy.has_perm_somewhere(request.user, Perm.DOCUMENT_DRAFT),
        "office_units": _office_units(request.user), "active_menu": MENU})


@require_http_methods(["GET", "POST"])
def document_create(request):
    """起草: choose the kind, the unit and the campaign; the draft's text is generated from the figures."""
    unit = None
    pk = request.POST.get("unit") if request.method == "POST" else request.GET.get("unit")
    if pk:
        unit = org_selectors.unit_get_for(user=request.user, pk=pk, perm=Perm.WORK_VIEW)
        rules.raise_if(rules.draft_refusal(request.user, unit))
    else:
        policy.require_somewhere(request.user, Perm.DOCUMENT_DRAFT)
    initial = {"kind": request.GET.get("kind") or DocumentKind.BULLETIN}
    if unit is not None:
        initial["unit"] = unit.pk
    form = DraftForm(request.POST or None, initial=initial,
                     campaigns=campaign_selectors.campaigns_visible_to(user=request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_draft(actor=request.user, kind=data["kind"], unit=data["unit"],
                                               campaign=data["campaign"])
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("已根据%(day)s的数据生成草稿，请修改后印发。") % {
                "day": f"{document.figures_read_on:%Y-%m-%d}"})
            return redirect("document-edit", document.pk)
    return render(request, "documents/create.html", {"form": form, "active_menu": MENU})


def _page(request, document, *, status=200, issue_form=None):
    side = rules.drafting_side(request.user, document)
    return render(request, "documents/detail.html", {
        "document": document, "blocks": drafting.body_blocks(document.body),
        "may_write": side and document.state == DocumentState.DRAFT,
        "issue_form": issue_form or IssueForm(initial={"issued_on": timezone.localdate()}),
        "history": selectors.history_of(document) if side else [],
        "figures": document.figures, "brief_name": BRIEF_NAME, "active_menu": MENU}, status=status)


@require_GET
def document_detail(request, pk):
    return _page(request, selectors.document_get_for(user=request.user, pk=pk))


@require_http_methods(["GET", "POST"])
def document_edit(request, pk):
    document = selectors.document_get_for(user=request.user, pk=pk)
    rules.raise_if(rules.write_refusal(request.user, document))
    if document.state != DocumentState.DRAFT:
        messages.error(request, _("公文已印发，不能修改。"))
        return redirect("document-detail", document.pk)
    form = EditForm(request.POST or None, kind=document.kind, initial={
        "title": document.title, "addressee": document.addressee, "body": document.body,
        "attachments": document.attachments, "issuer_name": document.issuer_name, "signer": document.signer,
        "copy_to": document.copy_to, "printed_by": document.printed_by})
    if request.method == "POST" and form.is_valid():
        try:
            services.document_edit(actor=request.user, document=document, **form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("草稿已保存。"))
            return redirect("document-detail", document.pk)
    return render(request, "documents/edit.html", {"form": form, "document": document, "active_menu": MENU})


@require_POST
def document_issue(request, pk):
    document = selectors.document_get_for(user=request.user, pk=pk)
    rules.raise_if(rules.write_refusal(request.user, document))
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            document = services.document_issue(actor=request.user, document=document,
                                               issued_on=form.cleaned_data["issued_on"])
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("已印发，发文字号 %(number)s。") % {"number": document.number})
            return redirect("document-detail", document.pk)
    return _page(request, document, issue_form=form)


def _download(request, pk, *, what: str, render_bytes, extension: str, content_type: str, ascii_stem: str):
    document = selectors.document_get_for(user=request.user, pk=pk)
    if document.state != DocumentState.ISSUED:
        messages.error(request, _("草稿印发（编发文字号、定成文日期）后才能下载。"))
        return redirect("document-detail", document.pk)
    try:
        data = render_bytes(selectors.official_document(document))
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("document-detail", document.pk)
    security_event_record(kind=SecurityEventKind.EXPORT, user=request.user, request=request,
                          detail={"what": what, "document": document.number, "unit": document.unit.full_name})
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(selectors.filename(document, extension), ascii_stem)
    return response


@require_GET
def document_docx(request, pk):
    return _download(request, pk, what="document-docx", render_bytes=officialdoc_docx, extension="docx",
                     content_type=DOCX, ascii_stem="document")


@require_GET
def document_pdf(request, pk):
    return _download(request, pk, what="document-pdf", render_bytes=officialdoc_pdf, extension="pdf",
                     content_type=PDF, ascii_stem="document")


@require_http_methods(["GET", "POST"])
def document_prefixes(request, pk):
    """机关代字 of a unit, one per kind: its own office's."""
    unit: Unit = org_selectors.unit_get_for(user=request.user, pk=pk, perm=Perm.WORK_VIEW)
    rules.raise_if(rules.prefix_refusal(request.user, unit))
    form = PrefixForm(request.POST or None, initial=services.prefixes_of(unit))
    if request.method == "POST" and form.is_valid():
        try:
            services.prefixes_save(actor=request.user, unit=unit, prefixes=form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("机关代字已保存。"))
            return redirect("document-list")
    return render(request, "documents/prefixes.html", {"form": form, "unit": unit, "active_menu": MENU})
