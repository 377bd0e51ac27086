"""Pages of 督办通知单: the two tabs, issuing (from a unit or a supervision finding), the notice with its
timeline, answering with evidence, returning and closing, the .docx, an office's 发文设置.

Each write is refused (403 in the reader's scope, 404 outside it) before its input is read."""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core import sql
from huitoukan.core.errors import DomainError
from huitoukan.notices import rules, selectors, services
from huitoukan.notices.docx import notice_docx, notice_filename
from huitoukan.notices.forms import (
    COLOUR_FILTERS,
    STATE_FILTERS,
    TABS,
    AnswerForm,
    CloseForm,
    NoticeForm,
    OfficeForm,
    ReturnForm,
)
from huitoukan.notices.models import ESCALATING, NoticeEvidence, NoticeState
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.models import Unit
from huitoukan.supervision import rules as supervision_rules
from huitoukan.supervision import selectors as supervision_selectors
from huitoukan.supervision.evidence import evidence_response
from huitoukan.supervision.models import Finding, FindingState

MENU = "notices"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _office_units(user) -> list:
    """The units whose 发文设置 the reader keeps (its own office's units)."""
    units = {a.unit_id: a.unit for a in policy.assignments_of(user) if rules.office_refusal(user, a.unit) is None}
    return sorted(units.values(), key=lambda u: u.path)


@require_GET
def notice_list(request):
    """督办通知单: 我下发的 / 待我答复的 / 全部, filtered by state and colour."""
    policy.require_somewhere(request.user, Perm.WORK_VIEW)
    may_issue = policy.has_perm_somewhere(request.user, Perm.NOTICE_ISSUE)
    # Opens where the reader has work: notices waiting for its answer first.
    tab = request.GET.get("tab") or ("answer" if selectors.to_answer(user=request.user).exists() or not may_issue
                                     else "issued")
    if tab == "issued":
        notices = selectors.issued_by_me(user=request.user)
    elif tab == "answer":
        notices = selectors.to_answer(user=request.user)
    else:
        tab, notices = "all", selectors.notices_for(user=request.user)
    state, colour = request.GET.get("state", ""), request.GET.get("colour", "")
    notices = selectors.filtered(notices, state=state, colour=colour)
    return render(request, "notices/list.html", {
        "notices": notices[:200], "tab": tab, "tabs": TABS, "state": state, "colour": colour,
        "states": STATE_FILTERS, "colours": COLOUR_FILTERS, "may_issue": may_issue,
        "office_units": _office_units(request.user), "active_menu": MENU})


def _findings_of(user, unit: Unit | None):
    if unit is None:
        return Finding.objects.none()
    return supervision_selectors.findings_for(user=user).filter(
        unit__path__startswith=unit.path, state__in=(FindingState.AWAITING, FindingState.ANSWERED)).exclude(
        supervision_rules.sealed_q("inspection__")).order_by("-id")


def _named_unit(request):
    """The addressed unit the request names: by ?finding= (a finding the reader reads), ?unit=, or the form."""
    finding = None
    if request.GET.get("finding"):
        finding = supervision_selectors.finding_get_for(user=request.user, pk=request.GET["finding"])
        return finding.unit, finding
    pk = request.GET.get("unit") or (request.POST.get("addressed_unit") if request.method == "POST" else None)
    if pk:
        return org_selectors.unit_get_for(user=request.user, pk=pk, perm=Perm.WORK_VIEW), None
    return None, None


@require_http_methods(["GET", "POST"])
def notice_create(request):
    """下发督办通知单 to a unit (`?unit=`), about a supervision finding (`?finding=`), or to a unit chosen."""
    unit, finding = _named_unit(request)
    if unit is not None:
        rules.raise_if(rules.issue_refusal(request.user, unit))
    else:
        policy.require_somewhere(request.user, Perm.NOTICE_ISSUE)
    fixed = unit if (request.GET.get("unit") or finding) else None
    names = rules.issuing_as(request.user, unit) if unit is not None else []
    initial = {"findings": [finding.pk]} if finding else {}
    if finding is not None:
        initial["title"] = _("关于督促%(unit)s抓好整改落实的督办通知") % {"unit": unit.name}
    form = NoticeForm(request.POST or None, initial=initial, unit=fixed, names=names,
                      findings=_findings_of(request.user, unit))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        issuing = Unit.objects.filter(pk=data.get("issuing_unit")).first() if data.get("issuing_unit") else None
        try:
            notice = services.notice_issue(
                actor=request.user, addressed_unit=data["addressed_unit"], title=data["title"],
                problems=data["problems"], findings=list(data.get("findings") or []),
                requirements=data["requirements"], answer_due_on=data["answer_due_on"], issuing_unit=issuing)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("督办通知单 %(number)s 已下发。") % {"number": notice.number})
            return redirect("notice-detail", notice.pk)
    return render(request, "notices/form.html", {"form": form, "unit": fixed, "active_menu": MENU})


def _page(request, notice, *, status=200, **forms):
    side = rules.issuing_side(request.user, notice)
    return render(request, "notices/detail.html", {
        "notice": notice, "findings": notice.findings.select_related("unit").order_by("pk"),
        "answers": selectors.answers_of(notice), "events": selectors.timeline(notice),
        "may_answer": notice.state in ESCALATING and rules.answers(request.user, notice),
        "may_decide": notice.state == NoticeState.ANSWERED and side,
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
        "close_form": forms.get("close_form") or CloseForm(), "active_menu": MENU}, status=status)


@require_GET
def notice_detail(request, pk):
    return _page(request, selectors.notice_get_for(user=request.user, pk=pk))


def _write(request, pk, refusal, form_name, form_class, act, done):
    notice = selectors.notice_get_for(user=request.user, pk=pk)
    rules.raise_if(refusal(request.user, notice))
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(notice, form.cleaned_data)
        except DomainError as e:  # shown above the page: the form of a step not open now is not drawn
            messages.error(request, e.message)
        else:
            messages.success(request, done)
            return redirect("notice-detail", notice.pk)
    return _page(request, selectors.notice_get_for(user=request.user, pk=pk), **{form_name: form})


@require_POST
def notice_answer(request, pk):
    return _write(request, pk, rules.answer_refusal, "answer_form", AnswerForm,
                  lambda n, d: services.notice_answer(actor=request.user, notice=n, report=d["report"],
                                                      files=request.FILES.getlist("files")),
                  _("已答复。"))


@require_POST
def notice_return(request, pk):
    return _write(request, pk, rules.side_refusal, "return_form", ReturnForm,
                  lambda n, d: services.notice_return(actor=request.user, notice=n, reason=d["reason"],
                                                      answer_due_on=d["answer_due_on"]),
                  _("已退回，待单位重新答复。"))


@require_POST
def notice_close(request, pk):
    return _write(request, pk, rules.side_refusal, "close_form", CloseForm,
                  lambda n, d: services.notice_close(actor=request.user, notice=n, note=d["note"]),
                  _("督办通知单已办结。"))


@require_GET
def notice_docx_download(request, pk):
    notice = selectors.notice_get_for(user=request.user, pk=pk)
    return FileResponse(BytesIO(notice_docx(notice)), as_attachment=True, filename=notice_filename(notice),
                        content_type=DOCX)


@require_GET
def evidence_download(request, pk):
    """An answer's file as it was uploaded, to whoever may read the notice."""
    evidence = NoticeEvidence.objects.select_related("answer").filter(pk=sql.key_or_none(pk)).first()
    if evidence is None:
        raise Http404
    selectors.notice_get_for(user=request.user, pk=evidence.answer.notice_id)
    return evidence_response(evidence)


@require_http_methods(["GET", "POST"])
def office_settings(request, pk):
    """发文设置 of a unit (机关代字, 发文机关, 转黄转红天数): its own office's."""
    unit = org_selectors.unit_get_for(user=request.user, pk=pk, perm=Perm.WORK_VIEW)
    rules.raise_if(rules.office_refusal(request.user, unit))
    office = services.office_of(unit)
    form = OfficeForm(request.POST or None, initial={
        "prefix": office.prefix, "issuer_name": office.issuer_name, "yellow_after_days": office.yellow_after_days,
        "red_after_days": office.red_after_days})
    if request.method == "POST" and form.is_valid():
        try:
            services.office_save(actor=request.user, unit=unit, **form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("发文设置已保存。"))
            return redirect("notice-office", unit.pk)
    return render(request, "notices/office_form.html", {
        "form": form, "unit": unit, "saved": office.pk is not None, "active_menu": MENU})
