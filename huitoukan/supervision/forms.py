"""Forms of the 督查督办 pages: they parse; supervision.services holds the rules."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from huitoukan.core.paths import ancestor_paths
from huitoukan.orgs.models import SupervisionGroup, Unit
from huitoukan.supervision.models import InspectionKind, InspectionState, Method, Severity

TEXT = {"class": "form-control"}
DATE = {"class": "form-control", "type": "date"}
REQUIRED = {"required": _("此项必填。")}


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("督查方式"), choices=InspectionKind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    title = forms.CharField(label=_("名称"), max_length=200, widget=forms.TextInput(attrs=TEXT),
                            error_messages={"required": _("请填写督查名称。")})
    units = forms.ModelMultipleChoiceField(label=_("被检查单位"), queryset=Unit.objects.none(),
                                           widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}),
                                           error_messages={"required": _("请选择被检查单位。"),
                                                           "invalid_choice": _("被检查单位无效。"),
                                                           "invalid_pk_value": _("被检查单位无效。")})
    group = forms.ModelChoiceField(label=_("督导组"), queryset=SupervisionGroup.objects.none(), required=False,
                                   widget=forms.Select(attrs={"class": "form-select"}))
    team = forms.CharField(label=_("检查组成员"), required=False, widget=forms.TextInput(attrs=TEXT),
                           help_text=_("成员的登录名，以逗号或空格分隔"))
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                error_messages={"required": _("请填写开始日期。"), "invalid": _("开始日期无效。")})
    ends_on = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                              error_messages={"invalid": _("结束日期无效。")})
    methods = forms.MultipleChoiceField(label=_("督查方法"), choices=Method.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple)
    record = forms.CharField(label=_("督查记录"), required=False, max_length=20000,
                             widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}))
    sealed_until = forms.DateField(label=_("解密日期"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                   error_messages={"invalid": _("解密日期无效。")},
                                   help_text=_("仅用于暗访：到这一天自动发布发现的问题；不填则由本单位决定何时发布。"
                                               "检查组成员和督查记录始终不公开。"))

    def __init__(self, *args, ordering_unit: Unit, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(path__startswith=ordering_unit.path).order_by("path")
        self.fields["group"].queryset = SupervisionGroup.objects.filter(
            dispatched_by__path__in=ancestor_paths(ordering_unit.path, include_self=True), is_active=True)
        if editing:
            self.fields["state"] = forms.ChoiceField(
                label=_("状态"), choices=[(InspectionState.PLANNED, InspectionState.PLANNED.label),
                                        (InspectionState.ONGOING, InspectionState.ONGOING.label)],
                widget=forms.Select(attrs={"class": "form-select"}))

    def clean_team(self):
        names = [n for n in re.split(r"[\s,，、]+", self.cleaned_data.get("team") or "") if n]
        users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=names, is_active=True)}
        unknown = [n for n in names if n not in users]
        if unknown:
            raise forms.ValidationError(_("登录名不存在：%(names)s") % {"names": "、".join(unknown)})
        return [users[n] for n in dict.fromkeys(names)]


class ReleaseForm(forms.Form):
    on = forms.DateField(label=_("解密日期"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                         error_messages={"invalid": _("解密日期无效。")},
                         help_text=_("不填则立即发布。"))


class FindingForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(),
                                  widget=forms.Select(attrs={"class": "form-select"}),
                                  error_messages={"required": _("请选择单位。"),
                                                  "invalid_choice": _("单位无效。")})
    description = forms.CharField(label=_("发现的问题"), max_length=5000,
                                  widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
                                  error_messages={"required": _("请填写发现的问题。")})
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices, initial=Severity.GENERAL,
                                 widget=forms.Select(attrs={"class": "form-select"}))
    answer_due_on = forms.DateField(label=_("答复期限"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                    error_messages={"invalid": _("答复期限无效。")})
    item = forms.IntegerField(label=_("台账事项编号"), required=False, min_value=1,
                              widget=forms.NumberInput(attrs=TEXT), help_text=_("问题涉及已有台账事项时填写"),
                              error_messages={"invalid": _("台账事项编号无效。")})

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), max_length=5000,
                             widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
                             error_messages={"required": _("请填写答复内容。")})


class CloseForm(forms.Form):
    note = forms.CharField(label=_("办结说明"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}))


class ToItemForm(forms.Form):
    ledger = forms.ModelChoiceField(label=_("台账"), queryset=None, widget=forms.Select(attrs={"class": "form-select"}),
                                    error_messages={"required": _("请选择台账。"), "invalid_choice": _("台账无效。")})
    measures = forms.CharField(label=_("整改措施"), required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}))
    due_on = forms.DateField(label=_("整改时限"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                             error_messages={"invalid": _("整改时限无效。")})

    def __init__(self, *args, ledgers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ledger"].queryset = ledgers


class SendBackForm(forms.Form):
    item = forms.IntegerField(label=_("台账事项编号"), required=False, min_value=1,
                              widget=forms.NumberInput(attrs=TEXT), help_text=_("不填则为问题涉及的台账事项"),
                              error_messages={"invalid": _("台账事项编号无效。")})
    reason = forms.CharField(label=_("回炉理由"), max_length=2000,
                             widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
                             error_messages={"required": _("请写明回炉理由。")})
    due_on = forms.DateField(label=_("新的整改时限"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                             error_messages={"invalid": _("整改时限无效。")})
