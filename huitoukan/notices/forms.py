"""Forms of the 督办通知单 pages: they parse; notices.services holds the rules."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from huitoukan.core.pickers import RemoteSelect
from huitoukan.notices.models import Colour, NoticeState
from huitoukan.orgs.models import Unit

TEXT = {"class": "form-control"}
DATE = {"class": "form-control", "type": "date"}
AREA = {"class": "form-control", "rows": 3}


class NoticeForm(forms.Form):
    addressed_unit = forms.ModelChoiceField(
        label=_("主送单位"), queryset=Unit.objects.all(),
        error_messages={"required": _("请选择主送单位。"), "invalid_choice": _("主送单位无效。")})
    issuing_unit = forms.TypedChoiceField(label=_("发文单位"), coerce=int, required=False, choices=(),
                                          widget=forms.Select(attrs={"class": "form-select"}),
                                          error_messages={"invalid_choice": _("发文单位无效。")})
    title = forms.CharField(label=_("标题"), max_length=200, widget=forms.TextInput(attrs=TEXT),
                            error_messages={"required": _("请填写标题。")})
    findings = forms.ModelMultipleChoiceField(label=_("督查发现的问题"), queryset=None, required=False,
                                              widget=forms.CheckboxSelectMultiple,
                                              error_messages={"invalid_choice": _("督查发现的问题无效。"),
                                                              "invalid_pk_value": _("督查发现的问题无效。")})
    problems = forms.CharField(label=_("存在的问题"), required=False, max_length=10000,
                               widget=forms.Textarea(attrs=AREA), help_text=_("每行一个问题"))
    requirements = forms.CharField(label=_("整改要求"), max_length=10000, widget=forms.Textarea(attrs=AREA),
                                   error_messages={"required": _("请填写整改要求。")})
    answer_due_on = forms.DateField(label=_("答复期限"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                    error_messages={"required": _("请填写答复期限。"), "invalid": _("答复期限无效。")})

    def __init__(self, *args, unit: Unit | None, names, findings, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["addressed_unit"]
        if unit is not None:
            field.queryset = Unit.objects.filter(pk=unit.pk)
            field.initial = unit.pk
            field.widget = forms.Select(attrs={"class": "form-select"})
            field.widget.choices = field.choices
        else:
            field.widget = RemoteSelect(remote_url=reverse_lazy("api-unit-list"), queryset=Unit.objects.all())
        issuing = self.fields["issuing_unit"]
        issuing.choices = [(n.unit.pk, n.unit.name + (f"（{n.group.name}）" if n.group else "")) for n in names]
        if len(names) < 2:
            issuing.widget = forms.HiddenInput()
        self.fields["findings"].queryset = findings
        self.fields["findings"].label_from_instance = lambda f: f.description[:60]
        if not findings.exists():
            del self.fields["findings"]


class AnswerForm(forms.Form):
    report = forms.CharField(label=_("整改情况报告"), max_length=20000,
                             widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
                             error_messages={"required": _("请填写整改情况报告。")})


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), max_length=5000, widget=forms.Textarea(attrs=AREA),
                             error_messages={"required": _("请写明退回理由。")})
    answer_due_on = forms.DateField(label=_("新的答复期限"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                    help_text=_("不填则沿用原期限"), error_messages={"invalid": _("答复期限无效。")})


class CloseForm(forms.Form):
    note = forms.CharField(label=_("办结说明"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}))


class OfficeForm(forms.Form):
    prefix = forms.CharField(label=_("机关代字"), max_length=30, widget=forms.TextInput(attrs=TEXT),
                             help_text=_("如“娄群办督”，发文字号为“娄群办督〔2015〕3号”"),
                             error_messages={"required": _("请填写机关代字。")})
    issuer_name = forms.CharField(label=_("发文机关"), max_length=200, widget=forms.TextInput(attrs=TEXT),
                                  error_messages={"required": _("请填写发文机关。")})
    yellow_after_days = forms.IntegerField(label=_("逾期几天转黄"), min_value=1, max_value=365,
                                           widget=forms.NumberInput(attrs=TEXT),
                                           error_messages={"required": _("请填写转黄天数。"),
                                                           "invalid": _("转黄天数须为整数。"),
                                                           "min_value": _("转黄天数至少为1。"),
                                                           "max_value": _("转黄天数不能超过365。")})
    red_after_days = forms.IntegerField(label=_("逾期几天转红"), min_value=2, max_value=366,
                                        widget=forms.NumberInput(attrs=TEXT),
                                        error_messages={"required": _("请填写转红天数。"),
                                                        "invalid": _("转红天数须为整数。"),
                                                        "min_value": _("转红天数至少为2。"),
                                                        "max_value": _("转红天数不能超过366。")})


TABS = (("issued", _("我下发的")), ("answer", _("待我答复的")), ("all", _("全部")))
STATE_FILTERS = (("", _("全部状态")), ("open", _("未办结")), *NoticeState.choices)
COLOUR_FILTERS = (("", _("全部等级")), *Colour.choices)
