"""The ledger import page. Thin: parse the request, call the import service, render.

Two requests, as for the unit tree: the upload is checked (a dry run) and shown as a preview,
and 确认导入 writes it. Between the two the file waits where the unit import keeps its uploads
(orgs.transfer_views), and the session remembers what was chosen for it (campaign, unit, kind,
person), so the confirmation cannot be pointed at another ledger than the one previewed.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns.selectors import campaign_get_for, campaigns_visible_to
from huitoukan.core.uploads import PendingUploads
from huitoukan.ledgers import selectors
from huitoukan.ledgers.imports import LedgerImportError, max_bytes, person_resolve
from huitoukan.ledgers.imports import ledger_import as ledger_import_service
from huitoukan.ledgers.layouts import LAYOUTS, LedgerKind, kind_named
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.models import Person

PENDING = PendingUploads("ledger-import")

CHOICE_SESSION_KEY = "ledger_import_choice"
PREVIEW_MAX_ROWS = 1000
UNIT_CHOICES_MAX = 3000


class LedgerImportForm(forms.Form):
    campaign = forms.IntegerField(label=gettext_lazy("活动"), widget=forms.Select(attrs={"class": "form-select"}))
    unit = forms.IntegerField(label=gettext_lazy("单位"),
                              widget=forms.Select(attrs={"class": "form-select", "data-searchable": "1"}))
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

    def __init__(self, *args, campaigns=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].widget.choices = [(c.pk, f"{c.name}（{c.owner_unit.name}）") for c in campaigns]
        self.fields["unit"].widget.choices = [(u.pk, u.full_name) for u in units]


def _initial(request) -> tuple[dict, list]:
    """Choices the page was opened with (?ledger= from a ledger's 导入 button, or ?campaign=&unit=)."""
    initial, extra_units = {}, []
    user = request.user
    if request.GET.get("ledger"):
        ledger = selectors.ledger_get_for(user=user, pk=request.GET["ledger"], perm=Perm.LEDGER_EDIT)
        initial = {"campaign": ledger.campaign_id, "unit": ledger.unit_id, "kind": ledger.kind,
                   "person": ledger.person.name if ledger.person_id else ""}
        extra_units.append(ledger.unit)
    if request.GET.get("unit"):
        unit = org_selectors.unit_get_for(user=user, pk=request.GET["unit"], perm=Perm.LEDGER_EDIT)
        initial["unit"] = unit.pk
        extra_units.append(unit)
    if request.GET.get("campaign"):
        initial["campaign"] = campaign_get_for(user=user, pk=request.GET["campaign"]).pk
    if kind_named(request.GET.get("kind", "")):  # a code, 附件N or a Chinese name
        initial["kind"] = kind_named(request.GET["kind"])
    return initial, extra_units


def _render(request, form, result=None, token=None):
    rows = result.rows if result is not None else []
    context = {
        "form": form,
        "result": result,
        "token": token,
        "preview_rows": rows[:PREVIEW_MAX_ROWS],
        "preview_truncated": len(rows) > PREVIEW_MAX_ROWS,
        "max_mb": max_bytes() / (1024 * 1024),
        "ledger_url": reverse("ledger-detail", args=[result.ledger.pk]) if result and result.ledger else None,
        "active_menu": "ledgers",
    }
    return render(request, "ledgers/ledger_import.html", context)


def _confirm(request, form):
    token = request.POST["token"]
    pending = PENDING.load(request, token)
    choice = request.session.get(CHOICE_SESSION_KEY) or {}
    if pending is None or choice.get("token") != token:
        messages.error(request, _("待导入的文件已失效，请重新上传。"))
        return redirect("ledger-import")
    data, filename = pending
    user = request.user
    campaign = campaign_get_for(user=user, pk=choice["campaign"])
    unit = org_selectors.unit_get_for(user=user, pk=choice["unit"], perm=Perm.LEDGER_EDIT)
    person = Person.objects.filter(pk=choice["person"]).select_related("unit").first() if choice["person"] else None
    result = ledger_import_service(actor=user, data=data, filename=filename, campaign=campaign, unit=unit,
                                   kind=choice["kind"], person=person, dry_run=False, request=request)
    PENDING.forget(request)
    request.session.pop(CHOICE_SESSION_KEY, None)
    if not result.ok:
        return _render(request, form, result)
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
    policy.require_somewhere(user, Perm.LEDGER_EDIT)
    initial, extra_units = _initial(request)
    units = list(org_selectors.units_visible_to(user=user, perm=Perm.LEDGER_EDIT)
                 .filter(abolished_on__isnull=True)[:UNIT_CHOICES_MAX])
    units += [u for u in extra_units if u not in units]
    campaigns = campaigns_visible_to(user=user)
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, LedgerImportForm(initial=initial, campaigns=campaigns, units=units))
    form = LedgerImportForm(request.POST or None, request.FILES or None, initial=initial, campaigns=campaigns,
                            units=units)
    if request.method == "GET" or not form.is_valid():
        return _render(request, form)

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
            return _render(request, form)
    upload = data["file"]
    # One byte over the limit is enough for the service to refuse the file.
    content = upload.read(max_bytes() + 1)
    result = ledger_import_service(actor=user, data=content, filename=upload.name, campaign=campaign, unit=unit,
                                   kind=data["kind"] or None, person=person, dry_run=True)
    token = None
    if result.ok and result.changed_rows:
        token = PENDING.keep(request, data=content, filename=upload.name)
        request.session[CHOICE_SESSION_KEY] = {
            "token": token, "campaign": campaign.pk, "unit": unit.pk, "kind": result.kind,
            "person": result.person.pk if result.person else None,
        }
    return _render(request, form, result, token)
