from django import forms
from django.utils.translation import gettext_lazy as _

from huitoukan.core.pickers import unit_picker
from huitoukan.orgs.models import Batch, UnitKind, UnitLevel

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class UnitForm(forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=100, widget=forms.TextInput(attrs={"class": "form-control"}))
    level = forms.ChoiceField(label=_("层级"), choices=UnitLevel.choices, widget=forms.Select(attrs={"class": "form-select"}))
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices, widget=forms.Select(attrs={"class": "form-select"}))
    batch = forms.ChoiceField(
        label=_("批次"), choices=[("", "—")] + list(Batch.choices), required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    established_on = forms.DateField(label=_("成立日期"), required=False, widget=DATE_WIDGET)


class UnitMoveForm(forms.Form):
    new_parent = forms.IntegerField(label=_("新的上级单位"))

    def __init__(self, *args, parent_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].widget = unit_picker(parent_choices)


class UnitAbolishForm(forms.Form):
    on = forms.DateField(label=_("撤销日期"), widget=DATE_WIDGET)
    merged_into = forms.IntegerField(label=_("并入单位（可选）"), required=False)

    def __init__(self, *args, merge_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merged_into"].widget = unit_picker(merge_choices)


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("单位名称"), required=False, widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("名称或路径")}))
    level = forms.ChoiceField(label=_("层级"), required=False, choices=[("", _("全部层级"))] + list(UnitLevel.choices), widget=forms.Select(attrs={"class": "form-select"}))
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型"))] + list(UnitKind.choices), widget=forms.Select(attrs={"class": "form-select"}))
    under = forms.IntegerField(required=False, widget=forms.HiddenInput)
    page_size = forms.TypedChoiceField(
        label=_("每页"), required=False, coerce=int, choices=[(20, "20"), (50, "50"), (100, "100")], empty_value=20, initial=20,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class PersonForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50, widget=forms.TextInput(attrs={"class": "form-control"}))
    position = forms.CharField(label=_("职务"), max_length=100, required=False,
                               widget=forms.TextInput(attrs={"class": "form-control"}))
    unit = forms.IntegerField(label=_("所在单位"))
    is_party_leader = forms.BooleanField(label=_("党员领导干部"), required=False,
                                         widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    is_unit_head = forms.BooleanField(label=_("主要负责同志"), required=False,
                                      widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))

    def __init__(self, *args, unit_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget = unit_picker(unit_choices)
