"""Forms of the survey pages: they parse; survey_services holds the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from huitoukan.core.pickers import unit_picker
from huitoukan.orgs.models import Unit, UnitKind, UnitLevel
from huitoukan.publicity.models import EvaluatorGroup, SurveyKind, default_scale

TEXT = {"class": "form-control"}
DATE = {"class": "form-control", "type": "date"}
SELECT = {"class": "form-select"}
COUNTS = {"满意": True, "不满意": False, "不计": None}


def scale_text(scale: list[dict]) -> str:
    """The scale as the form shows it: 名称|分值|计为, one option a line."""
    counted = {True: "满意", False: "不满意", None: "不计"}
    return "\n".join(f"{o['label']}|{'' if o.get('score') is None else o['score']}|{counted[o.get('satisfied')]}"
                     for o in scale)


def scale_parse(text: str) -> list[dict]:
    options = []
    for n, line in enumerate((line.strip() for line in (text or "").splitlines()), start=1):
        if not line:
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) != 3 or parts[2] not in COUNTS:
            raise forms.ValidationError(_("评价等次第%(n)d行应为“名称|分值|满意、不满意或不计”，如“基本满意|80|满意”。"),
                                        params={"n": n})
        try:
            score = float(parts[1]) if parts[1] else None
        except ValueError:
            raise forms.ValidationError(_("评价等次第%(n)d行的分值应为数字或留空。"), params={"n": n}) from None
        if score is not None and score.is_integer():
            score = int(score)
        options.append({"label": parts[0], "score": score, "satisfied": COUNTS[parts[2]]})
    return options


class SurveyForm(forms.Form):
    owner_unit = forms.ModelChoiceField(label=_("组织单位"), queryset=Unit.objects.none(),
                                        widget=forms.Select(attrs=SELECT),
                                        error_messages={"required": _("请选择组织单位。"),
                                                        "invalid_choice": _("组织单位无效。")})
    kind = forms.ChoiceField(label=_("类型"), choices=SurveyKind.choices, widget=forms.Select(attrs=SELECT),
                             error_messages={"required": _("请选择类型。")})
    campaign = forms.ModelChoiceField(label=_("所属活动"), queryset=None, required=False,
                                      widget=forms.Select(attrs=SELECT),
                                      help_text=_("评议结果用于该活动的验收（群众满意度严重偏低的单位不能过关）"),
                                      error_messages={"invalid_choice": _("活动无效。")})
    title = forms.CharField(label=_("标题"), max_length=200, widget=forms.TextInput(attrs=TEXT),
                            error_messages={"required": _("请填写标题。")})
    instructions = forms.CharField(label=_("说明"), required=False, max_length=5000,
                                   widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
                                   help_text=_("显示在答卷页的题目上方"))
    questions = forms.CharField(label=_("题目"), max_length=20000, widget=forms.Textarea(attrs={**TEXT, "rows": 5}),
                                help_text=_("每行一题，如“对本单位整改落实情况的评价”"),
                                error_messages={"required": _("请至少填写一道题目。")})
    scale = forms.CharField(label=_("评价等次"), max_length=2000, widget=forms.Textarea(attrs={**TEXT, "rows": 4}),
                            help_text=_("每行一项：名称|分值|计为（满意、不满意或不计）；“不了解”不计入满意率"),
                            error_messages={"required": _("请填写评价等次。")})
    target_units = forms.ModelMultipleChoiceField(
        label=_("被评单位（逐个选择）"), queryset=Unit.objects.all(), required=False,
        error_messages={"invalid_choice": _("被评单位无效。"), "invalid_pk_value": _("被评单位无效。")})
    target_children = forms.BooleanField(label=_("组织单位的下一级全部单位"), required=False)
    target_level = forms.ChoiceField(label=_("按层级选择"), required=False,
                                     choices=(("", _("不按层级")), *UnitLevel.choices), widget=forms.Select(attrs=SELECT),
                                     help_text=_("组织单位范围内该层级的全部单位（可再限定类型）"))
    target_kind = forms.ChoiceField(label=_("按类型选择"), required=False,
                                    choices=(("", _("不按类型")), *UnitKind.choices), widget=forms.Select(attrs=SELECT))
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                error_messages={"required": _("请填写开始日期。"), "invalid": _("开始日期无效。")})
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                              error_messages={"required": _("请填写结束日期。"), "invalid": _("结束日期无效。")})
    min_sample = forms.IntegerField(label=_("最少有效样本"), min_value=1, max_value=100000, initial=30,
                                    widget=forms.NumberInput(attrs=TEXT),
                                    help_text=_("有效样本（作出评价的人数）少于此数的单位只列出、不排名，也不判定严重偏低"),
                                    error_messages={"required": _("请填写最少有效样本。"),
                                                    "invalid": _("最少有效样本须为整数。"),
                                                    "min_value": _("最少有效样本至少为1。"),
                                                    "max_value": _("最少有效样本不能超过100000。")})
    low_threshold = forms.IntegerField(label=_("严重偏低线（满意率%）"), min_value=1, max_value=100, initial=60,
                                       widget=forms.NumberInput(attrs=TEXT),
                                       help_text=_("样本足够且满意率95%置信区间上限低于此线的单位，标为群众满意度严重偏低"),
                                       error_messages={"required": _("请填写严重偏低线。"),
                                                       "invalid": _("严重偏低线须为整数。"),
                                                       "min_value": _("严重偏低线至少为1。"),
                                                       "max_value": _("严重偏低线不能超过100。")})

    def __init__(self, *args, owners, campaigns, frozen=frozenset(), fixed_owner=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("scale", scale_text(default_scale()))
        super().__init__(*args, **kwargs)
        owner = self.fields["owner_unit"]
        if fixed_owner is not None:
            owner.queryset = Unit.objects.filter(pk=fixed_owner.pk)
            owner.initial = fixed_owner.pk
            owner.disabled = True
        else:
            owner.queryset = Unit.objects.filter(pk__in=[u.pk for u in owners]).order_by("path")
            if len(owners) == 1:
                owner.initial = owners[0].pk
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].label_from_instance = lambda c: c.name
        self.fields["target_units"].widget = unit_picker(Unit.objects.all(), multiple=True,
                                                         under=fixed_owner)
        for name in frozen:
            self.fields[name].disabled = True

    def clean_questions(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["questions"].splitlines() if line.strip()]

    def clean_scale(self) -> list[dict]:
        return scale_parse(self.cleaned_data["scale"])

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data


FROZEN_WHEN_OPEN = ("kind", "campaign", "questions", "scale", "target_units", "target_children", "target_level",
                    "target_kind", "starts_on", "min_sample", "low_threshold")


class TokensForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("被评单位"), queryset=Unit.objects.none(), widget=forms.Select(attrs=SELECT),
                                  error_messages={"required": _("请选择被评单位。"),
                                                  "invalid_choice": _("被评单位无效。")})
    group = forms.ChoiceField(label=_("评议群体"), choices=EvaluatorGroup.choices, widget=forms.Select(attrs=SELECT),
                              error_messages={"required": _("请选择评议群体。"),
                                              "invalid_choice": _("评议群体无效。")})
    count = forms.IntegerField(label=_("凭证张数"), min_value=1, max_value=500, initial=30,
                               widget=forms.NumberInput(attrs=TEXT), help_text=_("每人一张，每张只能提交一次"),
                               error_messages={"required": _("请填写凭证张数。"), "invalid": _("凭证张数须为整数。"),
                                               "min_value": _("凭证张数至少为1。"),
                                               "max_value": _("每次最多生成500张。")})

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in targets]).order_by("path")
        self.fields["unit"].label_from_instance = lambda u: u.full_name
