"""Forms of the plan pages: they parse; the services hold the rules."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from huitoukan.core.pickers import person_picker

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _messages(label) -> dict:
    return {
        "required": format_lazy(_("请填写{}。"), label),
        "invalid": format_lazy(_("{}：格式不正确。"), label),
        "max_length": format_lazy(_("{}不能超过 %(limit_value)d 个字（现为 %(show_value)d 个）。"), label),
        "min_value": format_lazy(_("{}须大于等于 %(limit_value)s。"), label),
        "invalid_choice": format_lazy(_("{}：所选项不存在或不在您的权限范围内。"), label),
        "invalid_pk_value": format_lazy(_("{}：所选项不存在或不在您的权限范围内。"), label),
    }


def _text(label, max_length=None, required=True, rows=0, help_text=""):
    widget = (forms.Textarea(attrs={"class": "form-control", "rows": rows}) if rows
              else forms.TextInput(attrs={"class": "form-control"}))
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget,
                           error_messages=_messages(label), help_text=help_text)


class PlanForm(forms.Form):
    title = _text(_("标题"), 200)
    body = _text(_("正文"), required=False, rows=14,
                 help_text=_("可直接粘贴 Word 中的文字；空一行分段。保存时只保留段落、加粗、列表、表格等格式，脚本和样式会被去除。"))


class StepForm(forms.Form):
    order = forms.IntegerField(label=_("序号"), min_value=1, required=False, error_messages=_messages(_("序号")),
                               widget=forms.NumberInput(attrs={"class": "form-control"}),
                               help_text=_("不填则排在最后。"))
    title = _text(_("步骤"), 200)
    description = _text(_("说明"), required=False, rows=3)


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person.name}（{person.unit.name}）"


class TaskForm(forms.Form):
    order = forms.IntegerField(label=_("序号"), min_value=1, required=False, error_messages=_messages(_("序号")),
                               widget=forms.NumberInput(attrs={"class": "form-control"}),
                               help_text=_("不填则排在最后。"))
    task = _text(_("任务"), rows=3)
    lead = _text(_("牵头单位"), 200, required=False)
    owner = _PersonChoice(label=_("责任人（系统中的人员）"), queryset=None, required=False,
                          error_messages=_messages(_("责任人")))
    owner_text = _text(_("责任人（姓名或职务）"), 100, required=False,
                       help_text=_("不在系统中的责任人，或多人时填写，如“各乡镇党委书记”。"))
    due_on = forms.DateField(label=_("完成时限"), required=False, widget=DATE_WIDGET,
                             error_messages=_messages(_("完成时限")))
    done = forms.BooleanField(label=_("已完成"), required=False,
                              widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    notes = _text(_("备注"), required=False, rows=2)

    def __init__(self, *args, people, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["owner"].widget = person_picker(people, unit=unit.pk)


class _ItemChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, item):
        return f"{item.ledger.get_kind_display()} · {item.seq}. {item.problem[:60]}"


class LinkItemsForm(forms.Form):
    items = _ItemChoice(label=_("关联的整改事项"), queryset=None, required=False,
                        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 12}),
                        error_messages=_messages(_("关联的整改事项")))

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items


class FileForm(forms.Form):
    file = forms.FileField(label=_("附件（Word .docx 或 PDF）"), error_messages=_messages(_("附件")),
                           widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".docx,.pdf"}))


class TaskImportForm(forms.Form):
    file = forms.FileField(label=_("任务书文件（xlsx）"), error_messages=_messages(_("任务书文件")),
                           widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}))
