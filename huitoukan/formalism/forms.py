"""Forms of the 形式主义预警 pages: they parse; formalism.services holds the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huitoukan.supervision.models import Severity


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("排除理由"), max_length=2000,
                             widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
                             error_messages={"required": _("请填写排除理由。")})


class ToFindingForm(forms.Form):
    description = forms.CharField(label=_("发现的问题"), max_length=5000,
                                  widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
                                  error_messages={"required": _("请填写发现的问题。")})
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices, initial=Severity.GENERAL,
                                 widget=forms.Select(attrs={"class": "form-select"}),
                                 error_messages={"invalid_choice": _("严重程度无效。")})
