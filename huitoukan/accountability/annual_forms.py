"""Forms of 年度考核, 表扬 and 纪实评价: they parse types; the services check the rest."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huitoukan.accountability.annual import FIRST_YEAR, LAST_YEAR
from huitoukan.accountability.models import EvaluationRating
from huitoukan.core.pickers import person_picker, unit_picker
from huitoukan.orgs.models import Person, Unit

TEXT = {"class": "form-control"}
AREA = {"class": "form-control", "rows": 5}
DATE = {"class": "form-control", "type": "date"}
SELECT = {"class": "form-select"}


def _year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=_("年度"), min_value=FIRST_YEAR, max_value=LAST_YEAR,
                              widget=forms.NumberInput(attrs=TEXT), error_messages={
                                  "required": _("年度：请填写。"), "invalid": _("年度：请填写年份，如 2015。"),
                                  "min_value": _("年度：请填写%(limit_value)s年以后的年份。"),
                                  "max_value": _("年度：请填写%(limit_value)s年以前的年份。")}, **kwargs)


class YearPickForm(forms.Form):
    """Which unit and year to read (GET)."""

    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False)
    year = _year_field(required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].widget = unit_picker(units)


def this_year() -> int:
    return timezone.localdate().year


class CommendationForm(forms.Form):
    year = _year_field()
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(),
                                  error_messages={"required": _("单位：请选择。"), "invalid_choice": _("单位：请重新选择。")})
    person = forms.ModelChoiceField(label=_("个人（表扬单位时不填）"), queryset=Person.objects.none(), required=False,
                                    error_messages={"invalid_choice": _("个人：请重新选择。")})
    reason = forms.CharField(label=_("表扬事由"), max_length=5000, widget=forms.Textarea(attrs=AREA),
                             error_messages={"required": _("表扬事由：请填写。")})
    decided_on = forms.DateField(label=_("表扬日期"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                 error_messages={"required": _("表扬日期：请填写。"), "invalid": _("表扬日期：日期无效。")})
    decider = forms.CharField(label=_("决定机关"), max_length=200, widget=forms.TextInput(attrs=TEXT),
                              error_messages={"required": _("决定机关：请填写。")})
    confirmed = forms.BooleanField(label=_("仍然登记（已知该单位或个人本年度不能列入评先选优对象）"), required=False,
                                   widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))

    def __init__(self, *args, units, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].widget = unit_picker(units)
        self.fields["person"].queryset = people
        self.fields["person"].widget = person_picker(people)


class EvaluationCreateForm(forms.Form):
    campaign = forms.TypedChoiceField(label=_("活动"), coerce=int, widget=forms.Select(attrs=SELECT),
                                      error_messages={"required": _("活动：请选择。"),
                                                      "invalid_choice": _("活动：请重新选择。")})
    unit = forms.ModelChoiceField(label=_("单位（领导班子）"), queryset=Unit.objects.none(),
                                  error_messages={"required": _("单位：请选择。"), "invalid_choice": _("单位：请重新选择。")})
    person = forms.ModelChoiceField(label=_("领导干部（评价领导班子时不填）"), queryset=Person.objects.none(),
                                    required=False, error_messages={"invalid_choice": _("领导干部：请重新选择。")})
    record = forms.CharField(label=_("纪实情况"), max_length=20000, widget=forms.Textarea(attrs={**AREA, "rows": 8}),
                             error_messages={"required": _("纪实情况：请填写。")})
    rating = forms.ChoiceField(label=_("评价等次"), required=False, widget=forms.Select(attrs=SELECT),
                               choices=[("", _("（暂不评定）")), *EvaluationRating.choices],
                               error_messages={"invalid_choice": _("评价等次：请从列表中选择。")})

    def __init__(self, *args, campaigns, units, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [(c.pk, f"{c.name}（{c.owner_unit.name}）") for c in campaigns]
        self.fields["unit"].queryset = units
        self.fields["unit"].widget = unit_picker(units)
        self.fields["person"].queryset = people
        self.fields["person"].widget = person_picker(people)


class EvaluationEditForm(forms.Form):
    record = EvaluationCreateForm.base_fields["record"]
    rating = EvaluationCreateForm.base_fields["rating"]
