"""Forms of the campaign pages: they parse; the services hold the rules (dates, phases, levels)."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from huitoukan.core.pickers import unit_picker
from huitoukan.orgs.models import Batch, UnitLevel

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _messages(label) -> dict:
    """Errors that name their field: the message also sits at the top of the form."""
    return {
        "required": format_lazy(_("请填写{}。"), label),
        "invalid": format_lazy(_("{}：格式不正确。"), label),
        "max_length": format_lazy(_("{}不能超过 %(limit_value)d 个字（现为 %(show_value)d 个）。"), label),
        "invalid_choice": format_lazy(_("{}：所选项不存在或不在您的权限范围内。"), label),
        "invalid_pk_value": format_lazy(_("{}：所选项不存在或不在您的权限范围内。"), label),
    }


def _text(label, max_length=None, required=True, area=False):
    widget = forms.Textarea(attrs={"class": "form-control", "rows": 3}) if area else forms.TextInput(
        attrs={"class": "form-control"})
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget,
                           error_messages=_messages(label))


def _date(label):
    return forms.DateField(label=label, widget=DATE_WIDGET, error_messages=_messages(label))


class _UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return unit.full_name


class CampaignForm(forms.Form):
    """A campaign's fields; a new one also its owner unit, among the units the reader may manage campaigns of."""

    owner_unit = _UnitChoice(label=_("组织单位"), queryset=None, error_messages=_messages(_("组织单位")))
    name = _text(_("活动名称"), 200)
    batch = forms.ChoiceField(label=_("批次"), choices=[("", "—"), *Batch.choices], required=False,
                              widget=forms.Select(attrs={"class": "form-select"}), error_messages=_messages(_("批次")))
    starts_on = _date(_("开始日期"))
    ends_on = _date(_("结束日期"))
    basis = _text(_("依据文件"), 300, required=False)
    description = _text(_("说明"), required=False, area=True)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["owner_unit"]
        else:
            self.fields["owner_unit"].queryset = units
            self.fields["owner_unit"].widget = unit_picker(units)


class PhaseForm(forms.Form):
    name = _text(_("阶段名称"), 100)
    starts_on = _date(_("开始日期"))
    ends_on = _date(_("结束日期"))
    tasks = _text(_("主要任务"), required=False, area=True)


class DeadlineForm(forms.Form):
    name = _text(_("报送事项"), 200)
    due_on = _date(_("截止日期"))
    levels = forms.MultipleChoiceField(
        label=_("适用层级"), choices=UnitLevel.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={**_messages(_("适用层级")), "required": _("请选择至少一个适用层级。")})
    phase = forms.ChoiceField(label=_("所属阶段"), required=False, widget=forms.Select(attrs={"class": "form-select"}),
                              error_messages=_messages(_("所属阶段")))
    basis = _text(_("依据"), 300, required=False)

    def __init__(self, *args, phases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [("", "—"), *((p.name, p.name) for p in phases)]
