"""Forms of the review pages: they parse; the workflow and services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huitoukan.reviews.models import PackageAction
from huitoukan.reviews.workflow import MOVES


class ActForm(forms.Form):
    action = forms.ChoiceField(label=_("操作"), choices=[(a, PackageAction(a).label) for a in sorted(MOVES)],
                               error_messages={"required": _("请选择操作。"), "invalid_choice": _("操作无效。")})
    reason = forms.CharField(label=_("理由"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
                             error_messages={"max_length": _("理由不能超过 %(limit_value)d 个字。")})


class CommentForm(forms.Form):
    text = forms.CharField(label=_("意见"), max_length=2000,
                           widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
                           error_messages={"required": _("请填写意见。"),
                                           "max_length": _("意见不能超过 %(limit_value)d 个字。")})
    anchor = forms.CharField(label=_("位置"), required=False, max_length=120)
