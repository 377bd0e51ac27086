"""Forms of the spot-check pages (重点抽查): they parse; supervision.spotchecks holds the rules."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from huitoukan.core.lights import LIGHT_LABELS
from huitoukan.ledgers.models import FourWinds, ItemStatus
from huitoukan.orgs.models import Batch, Unit, UnitKind, UnitLevel
from huitoukan.supervision.models import PopulationKind

TEXT = {"class": "form-control"}
NUMBER = {"class": "form-control", "inputmode": "numeric"}
SELECT = {"class": "form-select"}


class SpotCheckForm(forms.Form):
    title = forms.CharField(label=_("抽查名称"), max_length=200, widget=forms.TextInput(attrs=TEXT),
                            error_messages={"required": _("请填写抽查名称。")})
    root = forms.ModelChoiceField(label=_("抽查范围（该单位以下）"), queryset=Unit.objects.none(),
                                  widget=forms.Select(attrs=SELECT),
                                  error_messages={"required": _("请选择抽查范围。"),
                                                  "invalid_choice": _("抽查范围无效。")})
    campaign = forms.ModelChoiceField(label=_("活动"), queryset=None, required=False,
                                      widget=forms.Select(attrs=SELECT),
                                      help_text=_("红黄绿灯和逾期事项按该活动计；“上次抽查”为同一活动的上一次"),
                                      error_messages={"invalid_choice": _("活动无效。")})
    starts_on = forms.DateField(label=_("检查开始日期"), widget=forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d"),
                                error_messages={"required": _("请填写检查开始日期。"),
                                                "invalid": _("检查开始日期无效。")})
    population_kind = forms.ChoiceField(label=_("抽查对象"), choices=PopulationKind.choices, required=False,
                                        initial=PopulationKind.UNITS, widget=forms.RadioSelect,
                                        help_text=_("抽单位，或抽这些单位台账中的事项（按状态和“四风”类别）"))
    item_statuses = forms.MultipleChoiceField(label=_("事项状态"), choices=ItemStatus.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple, help_text=_("抽事项时用；不选为不限"))
    item_four_winds = forms.MultipleChoiceField(label=_("“四风”类别"), choices=FourWinds.choices, required=False,
                                                widget=forms.CheckboxSelectMultiple, help_text=_("抽事项时用；不选为不限"))
    levels = forms.MultipleChoiceField(label=_("层级"), choices=UnitLevel.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple, help_text=_("不选为不限"))
    kinds = forms.MultipleChoiceField(label=_("类型"), choices=UnitKind.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple, help_text=_("不选为不限"))
    batches = forms.MultipleChoiceField(label=_("批次"), choices=Batch.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple, help_text=_("不选为不限"))
    sectors = forms.CharField(label=_("行业系统"), max_length=500, required=False, widget=forms.TextInput(attrs=TEXT),
                              help_text=_("按单位的行业系统抽查（专项检查），多个以逗号分隔；不填为不限"))
    lights = forms.MultipleChoiceField(label=_("红黄绿灯"), choices=[(str(k), v) for k, v in LIGHT_LABELS.items()],
                                       required=False, widget=forms.CheckboxSelectMultiple,
                                       help_text=_("不选为不限；没有未销号事项的单位为“已办结”"))
    min_overdue = forms.IntegerField(label=_("逾期事项不少于"), min_value=0, max_value=100_000, initial=0, required=False,
                                     widget=forms.NumberInput(attrs=NUMBER),
                                     error_messages={"invalid": _("逾期事项数无效。"),
                                                     "min_value": _("逾期事项数不能为负数。")})
    at_least_one_per_county = forms.BooleanField(label=_("每县至少抽一个单位"), required=False, initial=True)
    min_share_percent = forms.DecimalField(label=_("至少抽取比例（%）"), min_value=0, max_value=100, decimal_places=2,
                                           initial=0, required=False, widget=forms.NumberInput(attrs=NUMBER),
                                           error_messages={"invalid": _("抽取比例无效。"),
                                                           "min_value": _("抽取比例须在 0 到 100 之间。"),
                                                           "max_value": _("抽取比例须在 0 到 100 之间。")})
    size = forms.IntegerField(label=_("抽取数量"), min_value=0, max_value=100_000, required=False, widget=forms.NumberInput(attrs=NUMBER),
                              help_text=_("与比例取较大者"),
                              error_messages={"invalid": _("抽取数量无效。"), "min_value": _("抽取数量不能为负数。")})
    keys_always_in = forms.BooleanField(label=_("重点单位必抽"), required=False, initial=True)
    key_units = forms.ModelMultipleChoiceField(label=_("重点单位"), queryset=Unit.objects.none(), required=False,
                                               widget=forms.SelectMultiple(attrs={**SELECT, "size": 6}),
                                               error_messages={"invalid_choice": _("重点单位无效。"),
                                                               "invalid_pk_value": _("重点单位无效。")})
    exclude_sampled_last_time = forms.BooleanField(label=_("排除上次已抽查的单位"), required=False)
    team = forms.CharField(label=_("检查组成员"), widget=forms.TextInput(attrs=TEXT),
                           help_text=_("成员的登录名，以逗号或空格分隔；成员回避本人所在单位及其下级单位、上次检查过的单位"),
                           error_messages={"required": _("请填写检查组成员。")})
    per_inspector_max = forms.IntegerField(label=_("每人最多检查数"), min_value=1, max_value=100_000, required=False,
                                           widget=forms.NumberInput(attrs=NUMBER),
                                           error_messages={"invalid": _("每人最多检查数无效。"),
                                                           "min_value": _("每人最多检查数须为正整数。")})

    def __init__(self, *args, ordering_unit: Unit, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        under = Unit.objects.filter(path__startswith=ordering_unit.path, abolished_on__isnull=True).order_by("path")
        self.fields["root"].queryset = under.exclude(level=UnitLevel.VILLAGE)
        self.fields["key_units"].queryset = under.exclude(pk=ordering_unit.pk)
        self.fields["campaign"].queryset = campaigns

    def clean_sectors(self):
        return [s for s in re.split(r"[,，、\s]+", self.cleaned_data.get("sectors") or "") if s]

    def clean_team(self):
        names = [n for n in re.split(r"[\s,，、]+", self.cleaned_data.get("team") or "") if n]
        users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=names, is_active=True)}
        unknown = [n for n in names if n not in users]
        if unknown:
            raise forms.ValidationError(_("登录名不存在：%(names)s") % {"names": "、".join(unknown)})
        if not names:
            raise forms.ValidationError(_("请填写检查组成员。"))
        return [users[n] for n in dict.fromkeys(names)]
