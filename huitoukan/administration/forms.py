from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from huitoukan.access.models import Role
from huitoukan.access.policy import GRANTABLE_ROLES
from huitoukan.core.pickers import person_picker, unit_picker


class GrantForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, widget=forms.TextInput(attrs={"class": "form-control"}))
    role = forms.ChoiceField(
        label=_("角色"), choices=[(r.value, r.label) for r in Role if r in GRANTABLE_ROLES],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    unit = forms.IntegerField(label=_("单位"))
    person = forms.IntegerField(label=_("对应人员（责任领导必填）"), required=False)
    supervision_group = forms.IntegerField(label=_("督导组（督导组成员必填）"), required=False,
                                           widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, units, people, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Units and people are searched as the officer types: a province has tens of thousands.
        self.fields["unit"].widget = unit_picker(units)
        self.fields["person"].widget = person_picker(people)
        self.fields["supervision_group"].widget.choices = [("", "—")] + [(g.pk, g.name) for g in groups]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("找不到用户“%(name)s”。") % {"name": username})
        return user


class AccountSearchForm(forms.Form):
    q = forms.CharField(label=_("用户名或姓名"), required=False, max_length=150,
                        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("用户名或姓名")}))
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部状态")), ("active", _("启用")), ("disabled", _("停用"))],
                               widget=forms.Select(attrs={"class": "form-select"}))
    page_size = forms.TypedChoiceField(
        label=_("每页"), required=False, coerce=int, choices=[(20, "20"), (50, "50"), (100, "100")], empty_value=20,
        widget=forms.Select(attrs={"class": "form-select"}))


class AccountCreateForm(forms.Form):
    """A business login of a unit, with its initial password (to be changed at the first sign-in).
    The username and the password's strength are the service's to judge (access.services.account_create)."""

    username = forms.CharField(label=_("用户名"), max_length=150,
                               widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}))
    unit = forms.IntegerField(label=_("所属单位"))
    password1 = forms.CharField(label=_("初始密码"), strip=False,
                                widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("确认初始密码"), strip=False,
                                widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget = unit_picker(units)

    def clean_password2(self):
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError(_("两次输入的初始密码不一致。"))
        return second
