from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("动态口令或恢复码"), max_length=32,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "one-time-code",
                                      "inputmode": "text", "autofocus": True}),
        error_messages={"required": _("请输入动态口令或恢复码。")},
    )


class TotpCodeForm(forms.Form):
    code = forms.CharField(
        label=_("动态口令"), max_length=16, help_text=_("验证器应用当前显示的 6 位数字。"),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "one-time-code",
                                      "inputmode": "numeric", "autofocus": True}),
        error_messages={"required": _("请输入验证器应用显示的 6 位动态口令。")},
    )


class ResetForm(forms.Form):
    username = forms.CharField(
        label=_("用户名"), max_length=150, help_text=_("该账号的动态口令和恢复码将被删除，下次登录时须重新绑定。"),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
        error_messages={"required": _("请输入要重置二次验证的用户名。")},
    )
