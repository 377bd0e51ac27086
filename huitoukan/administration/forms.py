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
