"""Forms of the notification pages: they parse; the services hold the rules."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from huitoukan.core.pickers import unit_picker
from huitoukan.notifications.models import RobotKind


def _messages(label) -> dict:
    return {
        "required": format_lazy(_("请填写{}。"), label),
        "invalid": format_lazy(_("{}：格式不正确。"), label),
        "max_length": format_lazy(_("{}不能超过 %(limit_value)d 个字（现为 %(show_value)d 个）。"), label),
        "invalid_choice": format_lazy(_("{}：所选项不存在或不在您的权限范围内。"), label),
    }


class ChannelForm(forms.Form):
    email = forms.BooleanField(label=_("邮件提醒"), required=False,
                               widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))


class _UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return unit.full_name


class RobotForm(forms.Form):
    unit = _UnitChoice(label=_("单位"), queryset=None, error_messages=_messages(_("单位")))
    name = forms.CharField(label=_("名称"), max_length=100, error_messages=_messages(_("名称")),
                           widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("如：涟源市活动办工作群")}))
    kind = forms.ChoiceField(label=_("类型"), choices=RobotKind.choices, error_messages=_messages(_("类型")),
                             widget=forms.Select(attrs={"class": "form-select"}))
    url = forms.URLField(label=_("Webhook 地址"), max_length=500, error_messages=_messages(_("Webhook 地址")),
                         assume_scheme="https",
                         widget=forms.URLInput(attrs={"class": "form-control",
                                                      "placeholder": "https://oapi.dingtalk.com/robot/send?access_token=…"}))
    secret = forms.CharField(
        label=_("加签密钥"), max_length=200, required=False, error_messages=_messages(_("加签密钥")),
        help_text=_("钉钉机器人“加签”安全设置的密钥（SEC 开头）；企业微信机器人留空。"),
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}))
    clear_secret = forms.BooleanField(label=_("清除已保存的加签密钥"), required=False,
                                      widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True,
                                   widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))

    def __init__(self, *args, units=None, robot=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units
            self.fields["unit"].widget = unit_picker(units)
        if robot is None or not robot.secret:
            del self.fields["clear_secret"]
        else:
            self.fields["secret"].help_text = _("已设置密钥；留空则保持不变。")
