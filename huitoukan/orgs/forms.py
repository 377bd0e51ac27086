from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from huitoukan.core.pickers import person_picker, unit_picker
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
    sector = forms.CharField(label=_("行业系统"), max_length=50, required=False,
                             widget=forms.TextInput(attrs={"class": "form-control"}),
                             help_text=_("主管部门及其系统内单位所属的行业系统，如：教育、公安、卫生健康；用于按行业系统专项检查"))
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


class _UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return unit.full_name


class _UnitChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit):
        return unit.full_name


def _choice_messages(label) -> dict:
    """Choice errors that name their field: the message sits at the top of a short form too."""
    return {
        "required": format_lazy(_("请选择{}。"), label),
        "invalid_choice": format_lazy(_("{}：所选项不存在或不在您的权限范围内。"), label),
        "invalid_pk_value": format_lazy(_("{}：所选项不存在或不在您的权限范围内。"), label),
        "invalid_list": format_lazy(_("{}：请选择一个或多个单位。"), label),
    }


GROUP_NAME_MESSAGES = {
    "required": _("请填写督导组名称。"),
    "max_length": _("督导组名称不能超过 %(limit_value)d 个字（现为 %(show_value)d 个）。"),
}


class GroupForm(forms.Form):
    """A group's name and leader; a new one also its dispatching unit and the units it supervises.

    The choices are the reader's (units they may manage groups of, people they see), searched as one
    types (core.pickers); the service holds the rules (一级抓一级, the leader of the dispatching part)."""

    dispatched_by = _UnitChoice(label=_("派出单位"), queryset=None, error_messages=_choice_messages(_("派出单位")))
    name = forms.CharField(label=_("督导组名称"), max_length=100, error_messages=GROUP_NAME_MESSAGES,
                           widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("如：市委第一督导组")}))
    leader = forms.ModelChoiceField(label=_("组长"), queryset=None, required=False,
                                    error_messages=_choice_messages(_("组长")),
                                    help_text=_("派出单位或其下级单位的在职人员，可以暂不指定。"))
    assigned_units = _UnitChoices(label=_("督导单位"), queryset=None, required=False,
                                  error_messages=_choice_messages(_("督导单位")),
                                  help_text=_("派出单位的下级单位，可多选；组建后也可调整。"))

    def __init__(self, *args, units, people, new: bool, dispatcher=None, **kwargs):
        super().__init__(*args, **kwargs)
        if new:
            self.fields["dispatched_by"].queryset = units
            self.fields["dispatched_by"].widget = unit_picker(units)
            self.fields["assigned_units"].queryset = units
            self.fields["assigned_units"].widget = unit_picker(units, multiple=True)
        else:
            del self.fields["dispatched_by"], self.fields["assigned_units"]
        self.fields["leader"].queryset = people
        # Searched among the dispatching unit's people once it is known.
        query = {"unit": dispatcher.pk} if dispatcher is not None else {}
        self.fields["leader"].widget = person_picker(people, **query)


class GroupAssignForm(forms.Form):
    assigned_units = _UnitChoices(label=_("督导单位"), queryset=None, required=False,
                                  error_messages=_choice_messages(_("督导单位")),
                                  help_text=_("派出单位的下级单位，可多选；全部移除后该督导组不再督导任何单位。"))

    def __init__(self, *args, units, under, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_units"].queryset = units
        self.fields["assigned_units"].widget = unit_picker(units, multiple=True, under=under)
