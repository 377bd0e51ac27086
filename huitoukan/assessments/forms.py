"""Forms of the 分析研判 and 评估验收 pages: they parse; assessments.services holds the rules."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from huitoukan.assessments.models import AcceptanceResult, RemedialKind
from huitoukan.assessments.services import ItemSpec, ScoreSpec, number_text

TEXT = {"class": "form-control"}
DATE = {"class": "form-control", "type": "date"}
SELECT = {"class": "form-select"}
_LINE = re.compile(r"^\s*(\d+(?:\.\d)?)\s*[|｜]\s*(.+?)\s*$")


def items_text(version) -> str:
    """A version's items as the form shows them: one per line, “满分|内容”."""
    if version is None:
        return ""
    return "\n".join(f"{number_text(i.max_score)}|{i.text}" for i in version.items.order_by("order"))


class ItemsField(forms.CharField):
    """One item per line, “满分|内容” (a full-width ｜ too); empty lines are skipped."""

    def __init__(self, **kwargs):
        super().__init__(label=_("条目"), max_length=50000, help_text=_("每行一条，格式为“满分|内容”，例如：10|一看学习教育是否扎实。"),
                         widget=forms.Textarea(attrs={"class": "form-control", "rows": 10}),
                         error_messages={"required": _("检验标准至少要有一个条目。")}, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        specs = []
        for n, line in enumerate((value or "").splitlines(), start=1):
            if not line.strip():
                continue
            match = _LINE.match(line)
            if match is None:
                raise forms.ValidationError(_("第%(n)s行的格式应为“满分|内容”。") % {"n": n})
            specs.append(ItemSpec(match.group(2), match.group(1)))
        return specs


class ChecklistForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, widget=forms.TextInput(attrs=TEXT),
                           error_messages={"required": _("请填写检验标准名称。")})
    basis = forms.CharField(label=_("依据"), max_length=300, required=False, widget=forms.TextInput(attrs=TEXT))
    items = ItemsField()


class ChecklistItemsForm(forms.Form):
    items = ItemsField()


class ThresholdsForm(forms.Form):
    good = forms.DecimalField(label=_("“好”不低于（%）"), max_digits=5, decimal_places=2,
                              widget=forms.NumberInput(attrs={**TEXT, "step": "0.01"}),
                              error_messages={"required": _("请填写“好”的标准。"), "invalid": _("“好”的标准无效。")})
    fairly_good = forms.DecimalField(label=_("“较好”不低于（%）"), max_digits=5, decimal_places=2,
                                     widget=forms.NumberInput(attrs={**TEXT, "step": "0.01"}),
                                     error_messages={"required": _("请填写“较好”的标准。"),
                                                     "invalid": _("“较好”的标准无效。")})
    average = forms.DecimalField(label=_("“一般”不低于（%）"), max_digits=5, decimal_places=2,
                                 widget=forms.NumberInput(attrs={**TEXT, "step": "0.01"}),
                                 help_text=_("低于“一般”的标准为“差”。"),
                                 error_messages={"required": _("请填写“一般”的标准。"), "invalid": _("“一般”的标准无效。")})


class ScoreForm(forms.Form):
    """A score and a comment per item of the version (`score_<id>`, `comment_<id>`), then the whole."""

    assessed_on = forms.DateField(label=_("评分日期"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                  error_messages={"required": _("请填写评分日期。"), "invalid": _("评分日期无效。")})
    comment = forms.CharField(label=_("总体评价"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}))
    remedial_kind = forms.ChoiceField(label=_("评为“差”时安排"), choices=RemedialKind.choices,
                                      initial=RemedialKind.MAKE_UP, widget=forms.Select(attrs=SELECT))
    remedial_due_on = forms.DateField(label=_("回炉补课完成时限"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                      help_text=_("不填则为评分日期后15天"),
                                      error_messages={"invalid": _("完成时限无效。")})

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(version.items.order_by("order"))
        for item in self.items:
            self.fields[f"score_{item.pk}"] = forms.DecimalField(
                label=_("第%(n)s条得分（满分%(max)s）") % {"n": item.order, "max": number_text(item.max_score)},
                required=False, max_digits=6, decimal_places=1,
                widget=forms.NumberInput(attrs={**TEXT, "step": "0.5", "min": "0"}),
                error_messages={"invalid": _("第%(n)s条得分无效。") % {"n": item.order},
                                "max_decimal_places": _("第%(n)s条得分最多一位小数。") % {"n": item.order}})
            self.fields[f"comment_{item.pk}"] = forms.CharField(
                label=_("第%(n)s条评语") % {"n": item.order}, required=False, max_length=2000,
                widget=forms.TextInput(attrs=TEXT))

    def rows(self):
        """(item, its score field, its comment field) for the template."""
        return [(item, self[f"score_{item.pk}"], self[f"comment_{item.pk}"]) for item in self.items]

    def scores(self):
        data = self.cleaned_data
        return [ScoreSpec(item.pk, data.get(f"score_{item.pk}"), data.get(f"comment_{item.pk}") or "")
                for item in self.items]


class RemedialDoneForm(forms.Form):
    note = forms.CharField(label=_("完成情况"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}))


class AcceptanceForm(forms.Form):
    result = forms.ChoiceField(label=_("验收结果"), choices=AcceptanceResult.choices, widget=forms.Select(attrs=SELECT),
                               error_messages={"required": _("请选择验收结果。"), "invalid_choice": _("验收结果无效。")})
    accepted_on = forms.DateField(label=_("验收日期"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                  error_messages={"required": _("请填写验收日期。"), "invalid": _("验收日期无效。")})
    comments = forms.CharField(label=_("验收意见"), required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}))
