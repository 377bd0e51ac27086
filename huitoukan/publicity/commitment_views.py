"""The office's 公开承诺 and 通报: written here, public only once published (publication_views)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.core.errors import DomainError
from huitoukan.core.pickers import unit_picker
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.models import Unit
from huitoukan.publicity import services
from huitoukan.publicity.models import Bulletin, Commitment, Publication, PublicationKind
from huitoukan.publicity.publication_forms import BulletinForm, CommitmentForm

MENU = "publicity"


def _campaign_choices(user) -> list:
    return [(c.pk, f"{c.name}（{c.owner_unit.name}）") for c in campaign_selectors.campaigns_visible(user=user)]


def _unit_and_campaign(request):
    """The unit (in the reader's scope) and campaign of the query string, or None for each not given."""
    unit = campaign = None
    if request.GET.get("unit"):
        unit = org_selectors.unit_get_for(user=request.user, pk=request.GET["unit"], perm=Perm.WORK_VIEW)
    if request.GET.get("campaign"):
        campaign = campaign_selectors.campaign_get_for(user=request.user, pk=request.GET["campaign"])
    return unit, campaign


class _PickForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.all(), required=False)
    campaign = forms.TypedChoiceField(label=_("活动"), coerce=int, required=False,
                                      widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = org_selectors.units_visible_to(user=user, perm=Perm.WORK_VIEW)
        self.fields["unit"].widget = unit_picker(units)
        self.fields["unit"].queryset = units
        self.fields["campaign"].choices = _campaign_choices(user)


@require_GET
def commitment_list(request):
    """A unit's 公开承诺 in a campaign, with what is public of them."""
    policy.require_somewhere(request.user, Perm.WORK_VIEW)
    unit, campaign = _unit_and_campaign(request)
    if unit is None:  # the reader's own unit to begin with (the first it keeps the public side of)
        own = sorted((a.unit for a in policy.assignments_of(request.user)
                      if policy.holds_at(request.user, Perm.PUBLICITY_MANAGE, a.unit)), key=lambda u: u.path)
        unit = own[0] if own else None
    if campaign is None:
        choices = campaign_selectors.campaigns_visible(user=request.user)
        campaign = choices[0] if choices else None
    pick = _PickForm(initial={"unit": unit.pk if unit else None, "campaign": campaign.pk if campaign else None},
                     user=request.user)
    context = {"pick": pick, "unit": unit, "campaign": campaign, "active_menu": MENU}
    if unit is not None and campaign is not None:
        context.update(
            commitments=Commitment.objects.filter(unit=unit, campaign=campaign).order_by("seq"),
            publication=Publication.objects.filter(unit=unit, campaign=campaign,
                                                   kind=PublicationKind.COMMITMENTS).first(),
            may_manage=policy.can(request.user, Perm.PUBLICITY_MANAGE, unit), form=CommitmentForm())
    return render(request, "publicity/commitments.html", context)


def _list_url(unit, campaign) -> str:
    return f"{reverse('commitment-list')}?unit={unit.pk}&campaign={campaign.pk}"


@require_POST
def commitment_create(request):
    unit, campaign = _unit_and_campaign(request)
    if unit is None or campaign is None:
        raise Http404
    policy.require(request.user, Perm.PUBLICITY_MANAGE, unit)
    form = CommitmentForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_save(actor=request.user, unit=unit, campaign=campaign, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已新增。公开网站在重新发布公开承诺后显示。"))
            return redirect(_list_url(unit, campaign))
    return render(request, "publicity/commitment_form.html", {"form": form, "unit": unit, "campaign": campaign,
                                                              "active_menu": MENU}, status=400)


def _commitment_get_for(user, pk) -> Commitment:
    commitment = Commitment.objects.select_related("unit", "campaign").filter(pk=pk).first()
    if commitment is None or not policy.can(user, Perm.WORK_VIEW, commitment.unit):
        raise Http404
    return commitment


@require_http_methods(["GET", "POST"])
def commitment_edit(request, pk: int):
    commitment = _commitment_get_for(request.user, pk)
    policy.require(request.user, Perm.PUBLICITY_MANAGE, commitment.unit)
    form = CommitmentForm(request.POST or None, initial={
        "content": commitment.content, "due_on": commitment.due_on, "status": commitment.status,
        "progress": commitment.progress})
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_save(actor=request.user, unit=commitment.unit, campaign=commitment.campaign,
                                     commitment=commitment, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已保存。公开网站在重新发布公开承诺后显示。"))
            return redirect(_list_url(commitment.unit, commitment.campaign))
    return render(request, "publicity/commitment_form.html", {
        "form": form, "unit": commitment.unit, "campaign": commitment.campaign, "commitment": commitment,
        "active_menu": MENU}, status=400 if request.method == "POST" else 200)


# --- 通报 ---------------------------------------------------------------------------------------------------

@require_GET
def bulletin_list(request):
    policy.require_somewhere(request.user, Perm.WORK_VIEW)
    bulletins = (Bulletin.objects.filter(policy.units_q(request.user, Perm.WORK_VIEW, "unit__path"))
                 .select_related("unit", "campaign", "publication").order_by("-issued_on", "-id"))
    return render(request, "publicity/bulletins.html", {
        "bulletins": bulletins[:200], "may_write": policy.has_perm_somewhere(request.user, Perm.PUBLICITY_MANAGE),
        "active_menu": MENU})


class _NewBulletinForm(BulletinForm):
    unit = forms.ModelChoiceField(label=_("发布单位"), queryset=Unit.objects.all(),
                                  error_messages={"required": _("请选择发布单位。"), "invalid_choice": _("单位无效。")})
    campaign = forms.TypedChoiceField(label=_("活动"), coerce=int, widget=forms.Select(attrs={"class": "form-select"}),
                                      error_messages={"required": _("请选择活动。"), "invalid_choice": _("活动无效。")})
    field_order = ["unit", "campaign"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = org_selectors.units_visible_to(user=user, perm=Perm.PUBLICITY_MANAGE)
        self.fields["unit"].widget = unit_picker(units)
        self.fields["unit"].queryset = units
        self.fields["campaign"].choices = _campaign_choices(user)


@require_http_methods(["GET", "POST"])
def bulletin_create(request):
    if request.method == "POST" and request.POST.get("unit"):
        # The unit the form names, refused before the form is read: 404 out of scope, 403 for its readers.
        unit = org_selectors.unit_get_for(user=request.user, pk=request.POST["unit"], perm=Perm.WORK_VIEW)
        policy.require(request.user, Perm.PUBLICITY_MANAGE, unit)
    policy.require_somewhere(request.user, Perm.PUBLICITY_MANAGE)
    form = _NewBulletinForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = data.pop("unit")
        campaign = campaign_selectors.campaign_get_for(user=request.user, pk=data.pop("campaign"))
        try:
            bulletin = services.bulletin_save(actor=request.user, unit=unit, campaign=campaign, **data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("通报已保存，尚未公开。"))
            return redirect("bulletin-edit", pk=bulletin.pk)
    return render(request, "publicity/bulletin_form.html", {"form": form, "active_menu": MENU},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def bulletin_edit(request, pk: int):
    bulletin = Bulletin.objects.select_related("unit", "campaign").filter(pk=pk).first()
    if bulletin is None or not policy.can(request.user, Perm.WORK_VIEW, bulletin.unit):
        raise Http404
    may_write = policy.can(request.user, Perm.PUBLICITY_MANAGE, bulletin.unit)
    if request.method == "POST":
        policy.require(request.user, Perm.PUBLICITY_MANAGE, bulletin.unit)
    form = BulletinForm(request.POST or None, initial={
        "title": bulletin.title, "doc_number": bulletin.doc_number, "issued_on": bulletin.issued_on,
        "body": bulletin.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.bulletin_save(actor=request.user, unit=bulletin.unit, campaign=bulletin.campaign,
                                   bulletin=bulletin, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已保存。已公开的通报在重新发布后更新。"))
            return redirect("bulletin-edit", pk=pk)
    publication = Publication.objects.filter(bulletin=bulletin).first()
    return render(request, "publicity/bulletin_form.html", {
        "form": form, "bulletin": bulletin, "publication": publication, "may_write": may_write,
        "active_menu": MENU}, status=400 if request.method == "POST" else 200)
