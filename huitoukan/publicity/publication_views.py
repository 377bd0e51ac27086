"""The office's publication pages: what is public and what is in draft, choosing a ledger's items, the
redacted preview, publishing and withdrawing, the campaign's 公开设置.

Each write is refused (403 in the reader's scope, 404 outside it) before its input is read."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.core import sql
from huitoukan.core.errors import DomainError
from huitoukan.ledgers import selectors as ledger_selectors
from huitoukan.ledgers.models import Item
from huitoukan.orgs import selectors as org_selectors
from huitoukan.publicity import selectors, services
from huitoukan.publicity.content import COMMITMENT_COLUMNS, LEDGER_COLUMNS
from huitoukan.publicity.models import Bulletin, PublicationKind, PublicationState, PublicityPolicy
from huitoukan.publicity.publication_forms import ChooseForm, PolicyForm, PublishForm, WithdrawForm

MENU = "publicity"
STATE_FILTERS = [("", _("全部"))] + list(PublicationState.choices)


@require_GET
def publicity_index(request):
    """开门整改: every publication in the reader's scope, live or not, and the ledgers the office may publish."""
    policy.require_somewhere(request.user, Perm.WORK_VIEW)
    state = request.GET.get("state", "")
    publications = selectors.publications_visible_to(user=request.user)
    if state in PublicationState.values:
        publications = publications.filter(state=state)
    may_manage = policy.has_perm_somewhere(request.user, Perm.PUBLICITY_MANAGE)
    return render(request, "publicity/index.html", {
        "publications": publications[:300], "state": state, "states": STATE_FILTERS, "may_manage": may_manage,
        "may_read_opinions": policy.has_perm_somewhere(request.user, Perm.OPINION_VIEW),
        "ledgers": selectors.publishable_ledgers(user=request.user)[:300] if may_manage else [],
        "active_menu": MENU})


def _creation_target(request) -> dict:
    """What the new publication is of, from the query string; 404 when out of the reader's scope."""
    params = request.GET if request.method == "GET" else request.POST
    if params.get("ledger"):
        ledger = ledger_selectors.ledger_get_for(user=request.user, pk=params["ledger"])
        return {"kind": PublicationKind.LEDGER, "ledger": ledger, "unit": ledger.unit}
    if params.get("bulletin"):
        bulletin = Bulletin.objects.select_related("unit", "campaign").filter(
            pk=sql.key_or_none(params["bulletin"])).first()
        if bulletin is None or not policy.can(request.user, Perm.WORK_VIEW, bulletin.unit):
            raise Http404
        return {"kind": PublicationKind.BULLETIN, "bulletin": bulletin, "unit": bulletin.unit}
    if params.get("kind") == PublicationKind.COMMITMENTS and params.get("unit") and params.get("campaign"):
        unit = org_selectors.unit_get_for(user=request.user, pk=params["unit"], perm=Perm.WORK_VIEW)
        campaign = campaign_selectors.campaign_get_for(user=request.user, pk=params["campaign"])
        return {"kind": PublicationKind.COMMITMENTS, "unit": unit, "campaign": campaign}
    raise Http404


@require_http_methods(["GET", "POST"])
def publication_create(request):
    target = _creation_target(request)
    policy.require(request.user, Perm.PUBLICITY_MANAGE, target["unit"])
    if request.method == "POST":
        try:
            publication = services.publication_create(actor=request.user, **target)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("publicity-index")
        return redirect("publication-detail", pk=publication.pk)
    return render(request, "publicity/create.html", {"target": target, "active_menu": MENU})


def _item_choices(publication) -> list:
    if publication.kind != PublicationKind.LEDGER:
        return []
    return [(item.pk, f"{item.seq}. {item.problem[:60]}（{item.get_status_display()}）")
            for item in Item.objects.filter(ledger=publication.ledger).order_by("seq")]


def _detail(request, publication, *, choose_form=None, withdraw_form=None, status=200):
    may_manage = policy.can(request.user, Perm.PUBLICITY_MANAGE, publication.unit)
    preview, preview_error = None, ""
    if may_manage:
        try:
            preview = services.publication_preview(actor=request.user, publication=publication)
        except DomainError as error:
            preview_error = error.message
    live = publication.live_version
    if choose_form is None:
        choose_form = ChooseForm(item_choices=_item_choices(publication), initial={
            "title": publication.title, "extra_redactions": publication.extra_redactions,
            "items": list(publication.items.values_list("pk", flat=True))})
    setting = PublicityPolicy.objects.filter(campaign=publication.campaign).first()
    return render(request, "publicity/detail.html", {
        "publication": publication, "may_manage": may_manage, "preview": preview, "preview_error": preview_error,
        "live": live, "live_content": json.loads(live.content) if live else None,
        "unchanged": bool(preview and live and publication.state == PublicationState.PUBLISHED
                          and preview.digest == live.digest),
        "versions": publication.versions.select_related("published_by", "withdrawn_by").order_by("-number"),
        "choose_form": choose_form, "publish_form": PublishForm(initial={"digest": preview.digest if preview else ""}),
        "withdraw_form": withdraw_form or WithdrawForm(), "leaders_public": bool(setting and setting.leaders_public),
        "may_set_policy": campaign_selectors.campaign_may_manage(user=request.user, campaign=publication.campaign),
        "ledger_columns": LEDGER_COLUMNS, "commitment_columns": COMMITMENT_COLUMNS, "active_menu": MENU,
    }, status=status)


@require_GET
def publication_detail(request, pk: int):
    return _detail(request, selectors.publication_get_for(user=request.user, pk=pk))


@require_POST
def publication_choose(request, pk: int):
    publication = selectors.publication_get_for(user=request.user, pk=pk)
    policy.require(request.user, Perm.PUBLICITY_MANAGE, publication.unit)
    choices = _item_choices(publication)
    data = request.POST.copy()
    if "select_all" in data:
        data.setlist("items", [str(pk) for pk, _label in choices])
    form = ChooseForm(data, item_choices=choices)
    if form.is_valid():
        try:
            services.publication_choose(actor=request.user, publication=publication,
                                        item_ids=form.cleaned_data["items"], title=form.cleaned_data["title"],
                                        extra_redactions=form.cleaned_data["extra_redactions"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已保存。请看下方的预览，确认无误后发布。"))
            return redirect(f"{publication.get_absolute_url()}#preview")
    return _detail(request, publication, choose_form=form, status=400)


@require_POST
def publication_publish(request, pk: int):
    publication = selectors.publication_get_for(user=request.user, pk=pk)
    policy.require(request.user, Perm.PUBLICITY_MANAGE, publication.unit)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请先预览再发布。"))
        return redirect("publication-detail", pk=pk)
    try:
        version = services.publication_publish(actor=request.user, publication=publication,
                                               digest=form.cleaned_data["digest"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(f"{publication.get_absolute_url()}#preview")
    messages.success(request, _("已发布第%(n)s版，公众现在可以在公开网站看到。") % {"n": version.number})
    return redirect("publication-detail", pk=pk)


@require_POST
def publication_withdraw(request, pk: int):
    publication = selectors.publication_get_for(user=request.user, pk=pk)
    policy.require(request.user, Perm.PUBLICITY_MANAGE, publication.unit)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.publication_withdraw(actor=request.user, publication=publication,
                                          reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已撤回，公开网站不再显示。"))
            return redirect("publication-detail", pk=pk)
    return _detail(request, publication, withdraw_form=form, status=400)


@require_GET
def version_detail(request, pk: int):
    """A version as it went out (withdrawn ones included), for the record."""
    version = selectors.version_get_for(user=request.user, pk=pk)
    return render(request, "publicity/version.html", {
        "version": version, "publication": version.publication, "content": json.loads(version.content),
        "active_menu": MENU})


@require_http_methods(["GET", "POST"])
def publicity_policy(request, pk: int):
    """The campaign's 公开设置, kept by whoever manages the campaign."""
    campaign = campaign_selectors.campaign_get_for(user=request.user, pk=pk)
    policy.require(request.user, Perm.CAMPAIGN_MANAGE, campaign.owner_unit)
    setting = PublicityPolicy.objects.filter(campaign=campaign).first()
    form = PolicyForm(request.POST or None, initial={"leaders_public": bool(setting and setting.leaders_public)})
    if request.method == "POST" and form.is_valid():
        services.publicity_policy_set(actor=request.user, campaign=campaign,
                                      leaders_public=form.cleaned_data["leaders_public"])
        messages.success(request, _("公开设置已保存。已发布的清单在重新发布后按新设置显示。"))
        return redirect(request.GET.get("next") if (request.GET.get("next") or "").startswith("/publicity/")
                        else "publicity-index")
    return render(request, "publicity/policy.html", {"campaign": campaign, "form": form, "active_menu": MENU})
