"""Forms of the 过关 pages: they parse; accountability.passing_services holds the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from huitoukan.accountability.models import AppraisalResult
from huitoukan.core.pickers import unit_picker

SELECT = {"class": "form-select"}


class AppraisalForm(forms.Form):
    campaign = forms.TypedChoiceField(label=_("活动"), coerce=int, widget=forms.Select(attrs=SELECT),
                                      error_messages={"required": _("请选择活动。"), "invalid_choice": _("活动无效。")})
    unit = forms.IntegerField(label=_("单位"), error_messages={"required": _("请选择单位。"), "invalid": _("单位无效。")})
    result = forms.ChoiceField(label=_("考核结果"), choices=AppraisalResult.choices, widget=forms.Select(attrs=SELECT),
                               error_messages={"required": _("请选择考核结果。"), "invalid_choice": _("考核结果无效。")})
    appraised_on = forms.DateField(label=_("考核日期"),
                                   widget=forms.DateInput(attrs={"class": "form-control", "type": "date"},
                                                          format="%Y-%m-%d"),
                                   error_messages={"required": _("请填写考核日期。"), "invalid": _("考核日期无效。")})
    note = forms.CharField(label=_("说明"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
                           help_text=_("如考核组织单位、主要问题"),
                           error_messages={"max_length": _("说明不能超过%(limit_value)d个字。")})

    def __init__(self, *args, campaigns, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [(c.pk, f"{c.name}（{c.owner_unit.name}）") for c in campaigns]
        # The picker searches the reader's units as they type; the view fetches the chosen one through its scope.
        self.fields["unit"].widget = unit_picker(units)
