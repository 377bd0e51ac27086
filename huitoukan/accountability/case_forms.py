"""Forms of the 责任追究 pages: they parse; accountability.case_services holds the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from huitoukan.accountability.models import ActionKind, CaseCause, CaseState, Responsibility
from huitoukan.campaigns.models import Campaign
from huitoukan.core.paths import ancestor_paths
from huitoukan.core.pickers import person_picker, unit_picker
from huitoukan.orgs.models import Unit

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
AREA = {"class": "form-control", "rows": 4}
DATE = forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d")
# How many candidates of a unit's subtree a picker lists (the newest; what is chosen is always listed).
PICKER_LIMIT = 300


class UnitChoiceForm(forms.Form):
    """The first step of a new case: the unit concerned (its people and objects then fill the form)."""

    unit = forms.ModelChoiceField(label=_("涉及单位"), queryset=Unit.objects.all(),
                                  error_messages={"required": _("请选择涉及单位。"), "invalid_choice": _("涉及单位无效。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget = unit_picker(Unit.objects.all())


def _limited(field, qs, label, selected) -> None:
    """Validate against the whole candidate queryset; render the newest PICKER_LIMIT and those chosen."""
    field.queryset = qs
    shown = list(qs.order_by("-pk")[:PICKER_LIMIT])
    chosen = [o for o in qs.filter(pk__in=[s for s in selected if str(s).isdigit()]) if o not in shown]
    field.widget = forms.SelectMultiple(attrs={**SELECT, "size": 6, "data-searchable": "1"})
    field.widget.choices = [(o.pk, label(o)) for o in [*chosen, *shown]]
    field.label_from_instance = label


class CaseForm(forms.Form):
    title = forms.CharField(label=_("案由"), max_length=200, widget=forms.TextInput(attrs=TEXT),
                            error_messages={"required": _("请填写案由。")})
    cause = forms.ChoiceField(label=_("问题性质"), choices=CaseCause.choices, widget=forms.Select(attrs=SELECT),
                              error_messages={"required": _("请选择问题性质。"), "invalid_choice": _("问题性质无效。")})
    double_check = forms.BooleanField(label=_("一案双查"), required=False,
                                      help_text=_("“四风”问题反弹回潮、顶风违纪的，一律一案双查：既追究当事人责任，又追究相关领导责任"))
    facts = forms.CharField(label=_("基本情况"), max_length=20000, widget=forms.Textarea(attrs=AREA),
                            error_messages={"required": _("请填写基本情况。")})
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE,
                                 error_messages={"required": _("请填写决定日期。"), "invalid": _("决定日期无效。")})
    decider = forms.CharField(label=_("决定机关"), max_length=200, widget=forms.TextInput(attrs=TEXT),
                              help_text=_("如“中共娄底市纪委”"), error_messages={"required": _("请填写决定机关。")})
    campaign = forms.ModelChoiceField(label=_("活动"), queryset=Campaign.objects.none(), required=False,
                                      widget=forms.Select(attrs=SELECT),
                                      error_messages={"invalid_choice": _("活动无效。")})
    items = forms.ModelMultipleChoiceField(label=_("相关台账事项"), queryset=None, required=False,
                                           error_messages={"invalid_choice": _("相关台账事项无效。"),
                                                           "invalid_pk_value": _("相关台账事项无效。")})
    findings = forms.ModelMultipleChoiceField(label=_("相关督查问题"), queryset=None, required=False,
                                              error_messages={"invalid_choice": _("相关督查问题无效。"),
                                                              "invalid_pk_value": _("相关督查问题无效。")})
    notices = forms.ModelMultipleChoiceField(label=_("相关督办通知单"), queryset=None, required=False,
                                             error_messages={"invalid_choice": _("相关督办通知单无效。"),
                                                             "invalid_pk_value": _("相关督办通知单无效。")})
    opinions = forms.ModelMultipleChoiceField(label=_("相关群众意见和举报"), queryset=None, required=False,
                                              error_messages={"invalid_choice": _("相关群众意见和举报无效。"),
                                                              "invalid_pk_value": _("相关群众意见和举报无效。")})

    def __init__(self, *args, unit: Unit, candidates, with_campaign: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        selected = self.data if self.is_bound else self.initial

        def chosen(name):
            value = selected.getlist(name) if hasattr(selected, "getlist") else selected.get(name) or []
            return [getattr(v, "pk", v) for v in value]

        _limited(self.fields["items"], candidates.items,
                 lambda i: f"{i.ledger.unit.name} · {i.seq}. {i.problem[:40]}（{i.get_status_display()}）",
                 chosen("items"))
        _limited(self.fields["findings"], candidates.findings, lambda f: f"{f.unit.name} · {f.description[:40]}",
                 chosen("findings"))
        _limited(self.fields["notices"], candidates.notices, lambda n: f"{n.number} {n.title[:30]}（{n.get_colour_display()}）",
                 chosen("notices"))
        _limited(self.fields["opinions"], candidates.opinions, lambda o: f"{o.number} {o.subject[:30]}",
                 chosen("opinions"))
        if with_campaign:
            self.fields["campaign"].queryset = Campaign.objects.filter(
                owner_unit__path__in=ancestor_paths(unit.path, include_self=True)).order_by("-starts_on")
        else:
            del self.fields["campaign"]


class ActionForm(forms.Form):
    person = forms.ModelChoiceField(label=_("责任人"), queryset=None, required=False,
                                    error_messages={"invalid_choice": _("责任人不是本单位或下级单位的人员。")})
    # A blank first choice: an extra row left alone is empty, not a row of 当事人责任 / 约谈提醒 to validate.
    responsibility = forms.ChoiceField(label=_("责任类型"), choices=[("", "---------"), *Responsibility.choices],
                                       widget=forms.Select(attrs=SELECT),
                                       error_messages={"required": _("请选择责任类型。"),
                                                       "invalid_choice": _("责任类型无效。")})
    kind = forms.ChoiceField(label=_("处理方式"), choices=[("", "---------"), *ActionKind.choices],
                             widget=forms.Select(attrs=SELECT),
                             error_messages={"required": _("请选择处理方式。"), "invalid_choice": _("处理方式无效。")})
    decided_on = forms.DateField(label=_("处理日期"), widget=DATE, required=False, help_text=_("留空则同决定日期"),
                                 error_messages={"invalid": _("处理日期无效。")})
    note = forms.CharField(label=_("处理情况"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}))

    def __init__(self, *args, people, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = people
        field.widget = person_picker(people, unit=unit.pk)

    def action(self) -> tuple:
        d = self.cleaned_data
        return (d.get("person"), d["responsibility"], d["kind"], d["decided_on"], d.get("note") or "")


class BaseActionFormSet(forms.BaseFormSet):
    def __init__(self, *args, people, unit, **kwargs):
        self.people, self.unit = people, unit
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"people": self.people, "unit": self.unit}

    @property
    def empty_form(self):
        form = self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), empty_permitted=True,
                         use_required_attribute=False, people=self.people, unit=self.unit,
                         renderer=self.renderer)
        self.add_fields(form, None)
        return form

    def actions(self) -> list[tuple]:
        """The rows filled and not ticked 删除 (an empty extra row is skipped)."""
        return [f.action() for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


ActionFormSet = forms.formset_factory(ActionForm, formset=BaseActionFormSet, extra=2, max_num=30,
                                      validate_max=True, can_delete=True)


YEAR_ANY = ("", _("全部年度"))


class CaseFilterForm(forms.Form):
    """The list's search; `units` are those the reader may filter by (their ACCOUNTABILITY_VIEW scope): another
    unit's id is an invalid choice, so its name is never rendered."""

    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False,
                                  error_messages={"invalid_choice": _("单位无效。")})
    cause = forms.ChoiceField(label=_("问题性质"), required=False, choices=[("", _("全部性质")), *CaseCause.choices],
                              widget=forms.Select(attrs=SELECT))
    kind = forms.ChoiceField(label=_("处理方式"), required=False, choices=[("", _("全部处理方式")), *ActionKind.choices],
                             widget=forms.Select(attrs=SELECT))
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *CaseState.choices],
                              widget=forms.Select(attrs=SELECT))
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={**TEXT, "placeholder": _("年度")}))
    q = forms.CharField(label=_("案由或责任人"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={**TEXT, "placeholder": _("案由或责任人姓名")}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].widget = unit_picker(units)
        self.fields["unit"].widget.attrs["data-placeholder"] = _("全部单位")
