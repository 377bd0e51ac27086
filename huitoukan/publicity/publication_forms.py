"""Forms of the office's publication pages: they parse; publicity.services holds the rules."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from huitoukan.core.pickers import RemoteSelect
from huitoukan.orgs.models import Unit
from huitoukan.publicity.models import CommitmentStatus

TEXT = {"class": "form-control"}
AREA = {"class": "form-control", "rows": 3}
DATE = {"class": "form-control", "type": "date"}


class ChooseForm(forms.Form):
    title = forms.CharField(label=_("公开标题"), max_length=200, widget=forms.TextInput(attrs=TEXT),
                            error_messages={"required": _("请填写公开标题。")})
    extra_redactions = forms.CharField(label=_("另需隐去的文字"), required=False, max_length=5000,
                                       widget=forms.Textarea(attrs=AREA),
                                       help_text=_("每行一项，如预览中出现的群众姓名、门牌号"))
    items = forms.TypedMultipleChoiceField(label=_("公开事项"), required=False, coerce=int,
                                           widget=forms.CheckboxSelectMultiple,
                                           error_messages={"invalid_choice": _("所选事项不在本台账中。")})

    def __init__(self, *args, item_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = item_choices


class PublishForm(forms.Form):
    digest = forms.CharField(max_length=64, widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回理由"), max_length=2000, widget=forms.Textarea(attrs=AREA),
                             error_messages={"required": _("请写明撤回理由。")})


class PolicyForm(forms.Form):
    leaders_public = forms.BooleanField(
        label=_("公开牵头领导姓名和职务"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text=_("只影响领导班子整改清单的“牵头领导”一栏；党员领导干部个人整改措施只在本单位内公开，不在公开网站发布。"))


def _unit_field(label):
    return forms.ModelChoiceField(label=label, queryset=Unit.objects.all(),
                                  widget=RemoteSelect(remote_url=reverse_lazy("api-unit-list"),
                                                      queryset=Unit.objects.all()),
                                  error_messages={"required": _("请选择单位。"), "invalid_choice": _("单位无效。")})


class CommitmentForm(forms.Form):
    content = forms.CharField(label=_("承诺事项"), max_length=5000, widget=forms.Textarea(attrs=AREA),
                              error_messages={"required": _("请填写承诺事项。")})
    due_on = forms.DateField(label=_("兑现时限"), required=False,
                             widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                             error_messages={"invalid": _("兑现时限无效。")})
    status = forms.ChoiceField(label=_("兑现情况"), choices=CommitmentStatus.choices,
                               widget=forms.Select(attrs={"class": "form-select"}))
    progress = forms.CharField(label=_("进展情况"), required=False, max_length=5000,
                               widget=forms.Textarea(attrs=AREA))


class BulletinForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200, widget=forms.TextInput(attrs=TEXT),
                            error_messages={"required": _("请填写标题。")})
    doc_number = forms.CharField(label=_("文号"), max_length=60, required=False, widget=forms.TextInput(attrs=TEXT))
    issued_on = forms.DateField(label=_("成文日期"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                error_messages={"required": _("请填写成文日期。"), "invalid": _("成文日期无效。")})
    body = forms.CharField(label=_("正文"), max_length=50000, widget=forms.Textarea(attrs={**AREA, "rows": 12}),
                           error_messages={"required": _("请填写正文。")})
