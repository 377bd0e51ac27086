"""Forms of the campaign pages: they parse; the services hold the rules (dates, phases, levels)."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from huitoukan.campaigns.models import (
    DEFAULT_RECHECK_MONTHS,
    PackagePart,
    ReminderRecipient,
    TargetRule,
    default_reminder_steps,
)
from huitoukan.campaigns.services import LEDGER_PARTS
from huitoukan.core.pickers import unit_picker
from huitoukan.orgs.models import Batch, UnitKind, UnitLevel

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


def _checks(label, choices, *, required=False, required_message=None):
    messages = _messages(label)
    if required_message:
        messages["required"] = required_message
    return forms.MultipleChoiceField(label=label, choices=choices, required=required,
                                     widget=forms.CheckboxSelectMultiple, error_messages=messages)


class _UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return unit.full_name


class _CampaignChoice(forms.ModelChoiceField):
    def label_from_instance(self, campaign):
        return f"{campaign.name}（{campaign.owner_unit.full_name}）"


STEP_ROWS = 5
PHASE_ROWS = 5


class _Rows:
    """Rows of a small table inside a form (reminder steps, phases): fields named `<prefix>_<row>_<name>`,
    a row left blank is skipped. `rows()` gives the bound fields row by row for the template."""

    row_prefix = ""
    row_count = 0
    row_names: tuple[str, ...] = ()

    def _row_field(self, row, name):
        return f"{self.row_prefix}_{row}_{name}"

    def rows(self):
        return [[self[self._row_field(row, name)] for name in self.row_names] for row in range(self.row_count)]

    def plain_fields(self):
        return [f for f in self.visible_fields() if not f.name.startswith(self.row_prefix + "_")]


class _StepRows(_Rows):
    """催办步骤 as rows of 天数 and recipients' checkboxes; prefilled with `steps`."""

    row_prefix = "step"
    row_count = STEP_ROWS
    row_names = ("days", "to")

    def _add_step_fields(self, steps):
        for row in range(STEP_ROWS):
            label = format_lazy(_("第{}步"), row + 1)
            days_label = format_lazy(_("{} 天数"), label)
            self.fields[self._row_field(row, "days")] = forms.IntegerField(
                label=days_label, required=False, widget=forms.NumberInput(attrs={"class": "form-control", "step": 1}),
                error_messages=_messages(days_label))
            self.fields[self._row_field(row, "to")] = _checks(format_lazy(_("{} 催办对象"), label),
                                                              ReminderRecipient.choices)
            if row < len(steps) and not self.is_bound:
                self.initial[self._row_field(row, "days")] = steps[row]["days"]
                self.initial[self._row_field(row, "to")] = list(steps[row]["to"])

    def clean_steps(self) -> list[dict]:
        steps = []
        for row in range(STEP_ROWS):
            days = self.cleaned_data.get(self._row_field(row, "days"))
            to = self.cleaned_data.get(self._row_field(row, "to")) or []
            if days is None and not to:
                continue
            if days is None:
                self.add_error(self._row_field(row, "days"), format_lazy(_("第{}步：请填写天数。"), row + 1))
                continue
            if not to:
                self.add_error(self._row_field(row, "to"), format_lazy(_("第{}步：须选择至少一类催办对象。"), row + 1))
                continue
            steps.append({"days": days, "to": list(to)})
        return steps


class CampaignForm(_StepRows, forms.Form):
    """A campaign's fields; a new one also its owner unit, among the units the reader may manage campaigns of,
    and its phases (rows). Its item reminder steps are rows too."""

    owner_unit = _UnitChoice(label=_("组织单位"), queryset=None, error_messages=_messages(_("组织单位")))
    name = _text(_("活动名称"), 200)
    batch = forms.ChoiceField(label=_("批次"), choices=[("", "—"), *Batch.choices], required=False,
                              widget=forms.Select(attrs={"class": "form-select"}), error_messages=_messages(_("批次")))
    starts_on = _date(_("开始日期"))
    ends_on = _date(_("结束日期"))
    basis = _text(_("依据文件"), 300, required=False)
    description = _text(_("说明"), required=False, area=True)
    parent = _CampaignChoice(label=_("上级活动"), queryset=None, required=False,
                             widget=forms.Select(attrs={"class": "form-select"}), error_messages=_messages(_("上级活动")),
                             help_text=_("本活动承接的上级单位活动（可不选）"))
    review_levels = _checks(_("逐级审阅层级"), UnitLevel.choices)
    group_audit = forms.BooleanField(label=_("报送前须经督导组审核把关"), required=False)
    recheck_months = _text(_("复查时间（销号后月数）"), 50, required=False)
    recheck_ask_public = forms.BooleanField(label=_("复查时征询反映问题的群众"), required=False)

    def __init__(self, *args, units=None, campaigns=None, steps=None, phase_rows=False, **kwargs):
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["owner_unit"]
        else:
            self.fields["owner_unit"].queryset = units
            self.fields["owner_unit"].widget = unit_picker(units)
        self.fields["parent"].queryset = campaigns
        self.fields["review_levels"].help_text = _("材料上报途中须经这些层级的单位审阅，组织单位最后审阅；不选则直接报组织单位。")
        self.fields["recheck_months"].initial = DEFAULT_RECHECK_MONTHS
        self.fields["recheck_months"].help_text = _("事项销号后第几个月回头看复查，用逗号分隔，如“3,6,12”；不填则不复查。")
        self.fields["recheck_ask_public"].help_text = _("复查时向反映该问题的群众发放评议码，询问问题是否已整改到位、有无反弹。")
        self.phase_rows = phase_rows
        if phase_rows:
            for row in range(PHASE_ROWS):
                label = format_lazy(_("阶段{}"), row + 1)
                for name, field in (
                    ("name", _text(format_lazy(_("{} 名称"), label), 100, required=False)),
                    ("starts_on", _date(format_lazy(_("{} 开始日期"), label))),
                    ("ends_on", _date(format_lazy(_("{} 结束日期"), label))),
                    ("tasks", _text(format_lazy(_("{} 主要任务"), label), required=False)),
                ):
                    field.required = False
                    self.fields[f"phase_{row}_{name}"] = field
        self._add_step_fields(default_reminder_steps() if steps is None else steps)

    def phase_table(self):
        return [[self[f"phase_{row}_{name}"] for name in ("name", "starts_on", "ends_on", "tasks")]
                for row in range(PHASE_ROWS)] if self.phase_rows else []

    def plain_fields(self):
        return [f for f in super().plain_fields() if not f.name.startswith("phase_")]

    def clean(self):
        data = super().clean()
        data["item_reminder_steps"] = self.clean_steps()
        phases = []
        for row in range(PHASE_ROWS if self.phase_rows else 0):
            values = {name: data.get(f"phase_{row}_{name}") for name in ("name", "starts_on", "ends_on", "tasks")}
            if not any(values.values()):
                continue
            missing = [name for name in ("name", "starts_on", "ends_on") if not values[name]]
            for name in missing:
                if f"phase_{row}_{name}" not in self.errors:
                    self.add_error(f"phase_{row}_{name}", format_lazy(_("阶段{}：请填写{}。"), row + 1, {
                        "name": _("名称"), "starts_on": _("开始日期"), "ends_on": _("结束日期")}[name]))
            if not missing:
                phases.append(values)
        data["phases"] = phases
        return data


class PhaseForm(forms.Form):
    name = _text(_("阶段名称"), 100)
    starts_on = _date(_("开始日期"))
    ends_on = _date(_("结束日期"))
    tasks = _text(_("主要任务"), required=False, area=True)


class DeadlineForm(_StepRows, forms.Form):
    name = _text(_("报送事项"), 200)
    due_on = _date(_("截止日期"))
    target_rule = forms.ChoiceField(
        label=_("报送单位范围"), choices=TargetRule.choices, required=False,
        widget=forms.RadioSelect, error_messages=_messages(_("报送单位范围")),
        help_text=_("直属下级单位：组织单位在截止日期时的直属下级；下辖各级单位：组织单位以下所选层级的单位。"))
    levels = _checks(_("适用层级"), UnitLevel.choices)
    kinds = _checks(_("适用单位类型"), UnitKind.choices)
    contents = _checks(_("报送内容"), PackagePart.choices, required=True,
                       required_message=_("请选择至少一项报送内容。"))
    phase = forms.ChoiceField(label=_("所属阶段"), required=False, widget=forms.Select(attrs={"class": "form-select"}),
                              error_messages=_messages(_("所属阶段")))
    basis = _text(_("依据"), 300, required=False)

    def __init__(self, *args, phases, steps=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [("", "—"), *((p.name, p.name) for p in phases)]
        self.fields["levels"].help_text = _("“下辖各级单位”时必选。")
        self.fields["kinds"].help_text = _("不选则为各类单位。")
        self.initial.setdefault("target_rule", TargetRule.LEVELS)
        self.initial.setdefault("contents", list(LEDGER_PARTS))
        self._add_step_fields(default_reminder_steps() if steps is None else steps)

    def clean(self):
        data = super().clean()
        data["target_rule"] = data.get("target_rule") or TargetRule.LEVELS
        if data["target_rule"] == TargetRule.LEVELS and "levels" in data and not data["levels"]:
            self.add_error("levels", _("请选择至少一个适用层级。"))
        data["reminder_steps"] = self.clean_steps()
        return data


class CampaignCopyForm(forms.Form):
    """据此建立本单位活动: the unit, the name, when it starts (every date moves with it), and whether the
    deadlines come too."""

    owner_unit = _UnitChoice(label=_("组织单位"), queryset=None, error_messages=_messages(_("组织单位")))
    name = _text(_("活动名称"), 200)
    starts_on = _date(_("开始日期"))
    with_deadlines = forms.BooleanField(label=_("同时复制报送时限"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units
        self.fields["owner_unit"].widget = unit_picker(units)
        self.fields["starts_on"].help_text = _("各阶段和报送时限的日期随之平移，天数和顺序不变。")
