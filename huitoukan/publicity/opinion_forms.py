"""Forms of 群众意见: the public's form (with its captcha), the query form, and the office's actions.
They parse; opinion_services holds the rules."""

from __future__ import annotations

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from huitoukan.core.pickers import unit_picker
from huitoukan.ledgers.models import Ledger
from huitoukan.orgs.models import Unit
from huitoukan.publicity.models import OpinionKind

TEXT = {"class": "form-control"}
AREA = {"class": "form-control", "rows": 4}

# A mainland mobile or fixed-line number (digits, dashes, spaces, a leading +86), or an email address.
_MEANS = RegexValidator(r"^(\+?86[- ]?)?[0-9][0-9\- ]{5,19}$|^[^@\s]+@[^@\s]+\.[^@\s]+$",
                        message=_("请填写正确的电话号码或电子邮箱。"))


class PublicOpinionForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=OpinionKind.choices, initial=OpinionKind.OPINION,
                             widget=forms.RadioSelect(attrs={"class": "form-check-input"}), error_messages={"required": _("请选择类别。"),
                                                                       "invalid_choice": _("类别无效。")})
    subject = forms.CharField(label=_("标题"), max_length=200, widget=forms.TextInput(attrs=TEXT),
                              error_messages={"required": _("请填写标题。"),
                                              "max_length": _("标题不能超过200字。")})
    content = forms.CharField(label=_("内容"), max_length=5000, widget=forms.Textarea(attrs={**AREA, "rows": 6}),
                              error_messages={"required": _("请填写内容。"),
                                              "max_length": _("内容不能超过5000字。")})
    anonymous = forms.BooleanField(label=_("匿名提交"), required=False, initial=True,
                                   widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                                   help_text=_("匿名提交不留姓名；如希望回访，可只留电话或邮箱。"))
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False,
                                   widget=forms.TextInput(attrs={**TEXT, "autocomplete": "name"}))
    contact_means = forms.CharField(label=_("联系电话或邮箱"), max_length=100, required=False, validators=[_MEANS],
                                    widget=forms.TextInput(attrs={**TEXT, "autocomplete": "tel"}),
                                    help_text=_("选填。联系方式加密保存，仅受理单位活动办和纪检监察人员可见。"))
    captcha = CaptchaField(label=_("验证码"),
                           widget=CaptchaTextInput(attrs={"class": "form-control", "autocomplete": "off"}),
                           error_messages={"required": _("请输入图中的验证码。"),
                                           "incomplete": _("请输入图中的验证码。"),
                                           "invalid": _("验证码不正确，请看清图中的字符重新输入。")})

    def clean(self):
        data = super().clean()
        if data.get("anonymous") and (data.get("contact_name") or "").strip():
            self.add_error("contact_name", _("选择匿名提交时不填写联系人；如需留下姓名，请取消“匿名提交”。"))
        return data


class LookupForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=40,
                           widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off", "autocapitalize": "characters",
                                                         "placeholder": "XXXX-XXXX-XXXX-XXXX"}),
                           error_messages={"required": _("请输入查询码。")})


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复内容"), max_length=10000, widget=forms.Textarea(attrs=AREA),
                             help_text=_("群众凭查询码可看到答复内容。"),
                             error_messages={"required": _("请填写答复内容。")})


class RerouteForm(forms.Form):
    to_unit = forms.ModelChoiceField(label=_("转至单位"), queryset=Unit.objects.none(),
                                     error_messages={"required": _("请选择转至单位。"),
                                                     "invalid_choice": _("只能转给本单位活动办管辖范围内的其他单位。")})
    reason = forms.CharField(label=_("转办理由"), max_length=2000, widget=forms.Textarea(attrs={**AREA, "rows": 2}),
                             error_messages={"required": _("请写明转办理由。")})

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["to_unit"]
        if targets is not None:
            field.queryset = targets
        field.label_from_instance = lambda u: u.full_name
        field.widget = unit_picker(field.queryset)


class LedgerForm(forms.Form):
    ledger = forms.ModelChoiceField(label=_("列入台账"), queryset=Ledger.objects.none(),
                                    widget=forms.Select(attrs={"class": "form-select"}),
                                    error_messages={"required": _("请选择台账。"),
                                                    "invalid_choice": _("只能列入办理单位自己的台账。")})
    problem = forms.CharField(label=_("问题"), max_length=5000, widget=forms.Textarea(attrs=AREA),
                              help_text=_("据群众意见概括问题，隐去群众姓名等个人信息。"),
                              error_messages={"required": _("请填写列入台账的问题。")})

    def __init__(self, *args, ledgers=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["ledger"]
        if ledgers is not None:
            field.queryset = ledgers
        field.label_from_instance = lambda ledger: f"{ledger.campaign.name} · {ledger.get_kind_display()}"


class ReferForm(forms.Form):
    note = forms.CharField(label=_("移交说明"), max_length=2000, widget=forms.Textarea(attrs={**AREA, "rows": 2}),
                           error_messages={"required": _("请写明移交说明。")})


FILTER_OVERDUE = "1"
