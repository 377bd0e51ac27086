"""The ledger import page. Thin: parse the request, call the import service, render.

Two requests, as for the unit tree (core.import_pages): the upload is checked (a dry run) and
shown as a preview, and 确认导入 writes it. The preview keeps what was chosen for the upload
(campaign, unit, kind, person), so the confirmation cannot be pointed at another ledger than the
one previewed.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from huitoukan.access.policy import Perm
from huitoukan.campaigns.selectors import campaign_get_for, campaigns_visible_to
from huitoukan.core.import_pages import ImportPage
from huitoukan.core.pickers import unit_picker
from huitoukan.ledgers import selectors
from huitoukan.ledgers.imports import LedgerImportError, max_bytes, person_resolve
from huitoukan.ledgers.imports import ledger_import as ledger_import_service
from huitoukan.ledgers.layouts import LAYOUTS, LedgerKind, kind_named
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.models import Person

PAGE = ImportPage("ledger-import", template="ledgers/ledger_import.html", active_menu="ledgers", max_bytes=max_bytes)


class LedgerImportForm(forms.Form):
    campaign = forms.IntegerField(label=gettext_lazy("活动"), widget=forms.Select(attrs={"class": "form-select"}))
    unit = forms.IntegerField(label=gettext_lazy("单位"))
    kind = forms.ChoiceField(
        label=gettext_lazy("台账类型"), required=False,
        choices=[("", gettext_lazy("按标题和表头自动识别"))] + [(k.value, LAYOUTS[k].title) for k in LedgerKind],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    person = forms.CharField(
        label=gettext_lazy("本人姓名（党员领导干部整改落实工作台帐）"), required=False, max_length=50,
        help_text=gettext_lazy("不填则读表头“姓名：”后的姓名。"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    file = forms.FileField(label=gettext_lazy("台账文件（xlsx）"),
                           widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}))

    def __init__(self, *args, campaigns=(), units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].widget.choices = [(c.pk, f"{c.name}（{c.owner_unit.name}）") for c in campaigns]
        self.fields["unit"].widget = unit_picker(units)  # searched as one types: a province has 20,000


def _initial(request) -> dict:
    """Choices the page was opened with (?ledger= from a ledger's 导入 button, or ?campaign=&unit=)."""
    initial = {}
    user = request.user
    if request.GET.get("ledger"):
        ledger = selectors.ledger_get_for(user=user, pk=request.GET["ledger"], perm=Perm.LEDGER_EDIT)
        initial = {"campaign": ledger.campaign_id, "unit": ledger.unit_id, "kind": ledger.kind,
                   "person": ledger.person.name if ledger.person_id else ""}
    if request.GET.get("unit"):
        unit = org_selectors.unit_get_for(user=user, pk=request.GET["unit"], perm=Perm.LEDGER_EDIT)
        initial["unit"] = unit.pk
    if request.GET.get("campaign"):
        initial["campaign"] = campaign_get_for(user=user, pk=request.GET["campaign"]).pk
    if kind_named(request.GET.get("kind", "")):  # a code, 附件N or a Chinese name
        initial["kind"] = kind_named(request.GET["kind"])
    return initial


def _commit(request, data: bytes, filename: str, choice: dict):
    """确认导入 into the ledger chosen at the preview; its ids are checked again (out of scope answers 404)."""
    user = request.user
    campaign = campaign_get_for(user=user, pk=choice["campaign"])
    unit = org_selectors.unit_get_for(user=user, pk=choice["unit"], perm=Perm.LEDGER_EDIT)
    person = Person.objects.filter(pk=choice["person"]).select_related("unit").first() if choice["person"] else None
    return ledger_import_service(actor=user, data=data, filename=filename, campaign=campaign, unit=unit,
                                 kind=choice["kind"], person=person, dry_run=False, request=request)


def _imported(request, result, filename: str):
    messages.success(
        request,
        _("已导入“%(file)s”：新增 %(created)d 项，修改 %(updated)d 项，%(unchanged)d 项不变，新增进展 %(progress)d 条。")
        % {"file": filename, "created": result.created, "updated": result.updated, "unchanged": result.unchanged,
           "progress": result.progress_added},
    )
    return redirect("ledger-detail", pk=result.ledger.pk)


@require_http_methods(["GET", "POST"])
def ledger_import(request):
    user = request.user
    initial = _initial(request)  # a ledger or unit named in the link: 404 out of scope, 403 without the right
    org_selectors.require_on_named_unit(user=user, perm=Perm.LEDGER_EDIT, pk=request.POST.get("unit"))
    units = org_selectors.units_visible_to(user=user, perm=Perm.LEDGER_EDIT).filter(abolished_on__isnull=True)
    campaigns = campaigns_visible_to(user=user)
    if request.method == "POST" and "token" in request.POST:
        form = LedgerImportForm(initial=initial, campaigns=campaigns, units=units)
        return PAGE.confirm(request, _commit, _imported, form=form)
    form = LedgerImportForm(request.POST or None, request.FILES or None, initial=initial, campaigns=campaigns,
                            units=units)
    if request.method == "GET" or not form.is_valid():
        return PAGE.render(request, form=form)

    data = form.cleaned_data
    # Ids from the form are checked like ids in URLs: out of scope answers 404.
    campaign = campaign_get_for(user=user, pk=data["campaign"])
    unit = org_selectors.unit_get_for(user=user, pk=data["unit"], perm=Perm.LEDGER_EDIT)
    person = None
    if data["person"].strip():
        try:
            person = person_resolve(name=data["person"], within=unit)
        except LedgerImportError as e:
            form.add_error("person", e.message)
            return PAGE.render(request, form=form)
    upload = data["file"]
    content = PAGE.read(upload)
    result = ledger_import_service(actor=user, data=content, filename=upload.name, campaign=campaign, unit=unit,
                                   kind=data["kind"] or None, person=person, dry_run=True)
    token = PAGE.keep(request, result, data=content, filename=upload.name, campaign=campaign.pk, unit=unit.pk,
                      kind=result.kind, person=result.person.pk if result.person else None)
    return PAGE.render(request, result, token, form=form)
