"""The office's pages of 群众意见: the list (状态, 类别, 逾期), an opinion with its timeline, the sender's contact
revealed on request (logged), and the four actions 答复, 转办, 列入台账, 移交纪检.

Each action is refused (403 to a reader in scope, 404 to anybody else) before its input is read."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core.errors import DomainError
from huitoukan.publicity import opinion_selectors as selectors
from huitoukan.publicity import opinion_services as services
from huitoukan.publicity.contact import ContactUnreadable
from huitoukan.publicity.opinion_forms import (
    FILTER_OVERDUE,
    AnswerForm,
    LedgerForm,
    ReferForm,
    RerouteForm,
)
from huitoukan.publicity.opinion_workflow import Action, allowed

MENU = "opinions"
LIST_ROWS = 200


@require_GET
def opinion_list(request):
    """群众意见 of the reader's scope, filtered by 状态, 类别 and 逾期未答复."""
    policy.require_somewhere(request.user, Perm.OPINION_VIEW)
    today = timezone.localdate()
    state, kind = request.GET.get("state", ""), request.GET.get("kind", "")
    overdue = request.GET.get("overdue") == FILTER_OVERDUE
    opinions = selectors.filtered(selectors.opinions_for(user=request.user), state=state, kind=kind,
                                  overdue=overdue, today=today)
    rows = [(o, *selectors.light_of(o, today)) for o in opinions[:LIST_ROWS + 1]]
    return render(request, "publicity/opinions/list.html", {
        "rows": rows[:LIST_ROWS], "more": len(rows) > LIST_ROWS, "state": state, "kind": kind, "overdue": overdue,
        "states": selectors.STATE_FILTERS, "kinds": selectors.KIND_FILTERS, "active_menu": MENU})


def _forms(request, opinion, bound: dict) -> dict:
    """The action forms the reader may use on the opinion as it stands."""
    if not selectors.may_handle(request.user, opinion):
        return {}
    forms = {}
    if allowed(opinion, Action.ANSWER):
        forms["answer_form"] = bound.get("answer_form") or AnswerForm()
    if allowed(opinion, Action.REROUTE):
        forms["reroute_form"] = bound.get("reroute_form") or RerouteForm(
            targets=selectors.reroute_targets(user=request.user, opinion=opinion))
    if allowed(opinion, Action.LEDGER):
        forms["ledger_form"] = bound.get("ledger_form") or LedgerForm(
            ledgers=selectors.ledgers_for(opinion), initial={"problem": f"{opinion.subject}：{opinion.content}"})
    if allowed(opinion, Action.REFER):
        forms["refer_form"] = bound.get("refer_form") or ReferForm()
    return forms


def _page(request, opinion, *, contact=None, contact_error="", status=200, **bound):
    light, light_label = selectors.light_of(opinion)
    return render(request, "publicity/opinions/detail.html", {
        "opinion": opinion, "light": light, "light_label": light_label, "routings": selectors.routings_of(opinion),
        "events": selectors.timeline(opinion), "contact": contact, "contact_error": contact_error,
        "may_reveal": selectors.may_reveal_contact(request.user, opinion),
        "open_form": next(iter(bound), ""), **_forms(request, opinion, bound), "active_menu": MENU}, status=status)


@require_GET
def opinion_detail(request, pk):
    return _page(request, selectors.opinion_get_for(user=request.user, pk=pk))


@never_cache
@require_POST
def opinion_contact(request, pk):
    """查看联系方式: decrypted for this page only; the reveal goes to the security log."""
    opinion = selectors.opinion_get_for(user=request.user, pk=pk)
    try:
        contact = services.opinion_contact_reveal(actor=request.user, opinion=opinion, request=request)
    except ContactUnreadable:
        return _page(request, opinion, contact_error=_("联系方式无法解密：密钥可能已更换，请联系系统管理员。"))
    return _page(request, opinion, contact=contact)


def _write(request, pk, form_name: str, make_form, act, done: str):
    opinion = selectors.opinion_get_for(user=request.user, pk=pk)
    selectors.raise_if(selectors.handle_refusal(request.user, opinion))
    form = make_form(opinion)
    if form.is_valid():
        try:
            act(opinion, form.cleaned_data)
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, done)
            return redirect("opinion-detail", opinion.pk)
    return _page(request, selectors.opinion_get_for(user=request.user, pk=pk), **{form_name: form})


@require_POST
def opinion_answer(request, pk):
    return _write(request, pk, "answer_form", lambda o: AnswerForm(request.POST),
                  lambda o, d: services.opinion_answer(actor=request.user, opinion=o, answer=d["answer"]),
                  _("已答复，群众可凭查询码查看。"))


@require_POST
def opinion_reroute(request, pk):
    return _write(request, pk, "reroute_form",
                  lambda o: RerouteForm(request.POST, targets=selectors.reroute_targets(user=request.user, opinion=o)),
                  lambda o, d: services.opinion_reroute(actor=request.user, opinion=o, to_unit=d["to_unit"],
                                                        reason=d["reason"]),
                  _("已转办。"))


@require_POST
def opinion_ledger(request, pk):
    return _write(request, pk, "ledger_form", lambda o: LedgerForm(request.POST, ledgers=selectors.ledgers_for(o)),
                  lambda o, d: services.opinion_to_ledger(actor=request.user, opinion=o, ledger=d["ledger"],
                                                          problem=d["problem"]),
                  _("已列入台账。"))


@require_POST
def opinion_refer(request, pk):
    return _write(request, pk, "refer_form", lambda o: ReferForm(request.POST),
                  lambda o, d: services.opinion_refer(actor=request.user, opinion=o, note=d["note"]),
                  _("已移交纪检监察机关。"))
