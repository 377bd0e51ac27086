"""回头看复查 pages: the list (待复查, 逾期, 未到期, 已复查), a recheck with its confirm and fail forms.

Each write: fetch through the selector, authorize (403/404 before any input is read), bind the form, call one
service; a refusal of the service comes back at the top of its form."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core.errors import DomainError
from huitoukan.core.pages import form_write, saved
from huitoukan.rechecks import selectors, services, workflow
from huitoukan.rechecks.forms import ConfirmForm, FailForm
from huitoukan.rechecks.workflow import Action

MENU = "rechecks"


@require_GET
def recheck_list(request):
    policy.require_somewhere(request.user, Perm.WORK_VIEW)
    today = timezone.localdate()
    tabs = dict(selectors.TABS)
    tab = request.GET.get("tab", "due")
    if tab not in tabs:
        tab = "due"
    mine = selectors.rechecks_for(user=request.user)
    page = Paginator(selectors.in_tab(mine, tab, today), 50).get_page(request.GET.get("page"))
    return render(request, "rechecks/list.html", {
        "page": page, "tab": tab, "tabs": selectors.TABS, "counts": selectors.tab_counts(mine, today),
        "today": today, "overdue_days": services.OVERDUE_DAYS, "active_menu": MENU})


def _page(request, recheck, status=200, **bound):
    today = timezone.localdate()
    allowed = workflow.actions_for(request.user, recheck, today=today)
    unit = recheck.item.ledger.unit
    may_ask = (recheck.item.ledger.campaign.recheck_ask_public and recheck.state == "pending"
               and recheck.public_survey_id is None and policy.can(request.user, Perm.SURVEY_MANAGE, unit))
    return render(request, "rechecks/detail.html", {
        "public": services.public_answers(recheck), "may_ask": may_ask,
        "raisers": services.public_raisers(recheck.item).count() if may_ask else 0,
        "recheck": recheck, "item": recheck.item, "today": today,
        "evidence": list(recheck.evidence.all()),
        "others": [r for r in selectors.rechecks_of_item(recheck.item) if r.pk != recheck.pk],
        "confirm_form": bound.get("confirm_form") or (ConfirmForm() if Action.CONFIRM in allowed else None),
        "fail_form": bound.get("fail_form") or (FailForm() if Action.FAIL in allowed else None),
        "open_form": next(iter(bound), ""),
        "active_menu": MENU}, status=status)


@require_GET
def recheck_detail(request, pk):
    return _page(request, selectors.recheck_get_for(user=request.user, pk=pk))


def _decide(request, pk, action: Action, form_class, form_name: str, service, message: str):
    recheck = selectors.recheck_get_for(user=request.user, pk=pk)
    workflow.authorize(request.user, action, recheck)
    form = form_class(request.POST, request.FILES)

    def write(data):
        service(actor=request.user, recheck=recheck, files=data["files"], note=data["note"])
        return saved(request, message, "recheck-detail", recheck.pk)

    return form_write(request, form, write) or _page(request, selectors.recheck_get_for(user=request.user, pk=pk),
                                                     **{form_name: form})


@require_POST
def recheck_confirm(request, pk):
    return _decide(request, pk, Action.CONFIRM, ConfirmForm, "confirm_form", services.recheck_confirm,
                   _("已复查确认，整改成果巩固。"))


@require_POST
def recheck_fail(request, pk):
    return _decide(request, pk, Action.FAIL, FailForm, "fail_form", services.recheck_fail,
                   _("已记录复查未通过：事项已按“反弹”重新打开，并已通知本单位主要负责同志。"))


@never_cache
@require_POST
def recheck_ask_public(request, pk):
    """征询群众: the office issues one-time survey tokens for the people who raised the item; shown once."""
    recheck = selectors.recheck_get_for(user=request.user, pk=pk)
    policy.require(request.user, Perm.SURVEY_MANAGE, recheck.item.ledger.unit)
    try:
        tokens = services.recheck_ask_public(actor=request.user, recheck=recheck)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("recheck-detail", recheck.pk)
    links = [request.build_absolute_uri(reverse("public-survey-answer", args=[t])) for t in tokens]
    return render(request, "rechecks/public_tokens.html", {"recheck": recheck, "links": links,
                                                           "active_menu": MENU})
