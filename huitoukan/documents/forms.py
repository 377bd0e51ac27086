"""Forms of the 公文 pages: they parse; documents.services holds the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from huitoukan.campaigns.models import Campaign
from huitoukan.core.pickers import unit_picker
from huitoukan.documents.models import DocumentKind, DocumentState
from huitoukan.orgs.models import Unit

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
DATE = {"class": "form-control", "type": "date"}

KIND_FILTERS = [("", _("全部文种")), *DocumentKind.choices]
STATE_FILTERS = [("", _("全部状态")), *DocumentState.choices]


class DraftForm(forms.Form):
    kind = forms.ChoiceField(label=_("文种"), choices=DocumentKind.choices, widget=forms.Select(attrs=SELECT),
                             error_messages={"required": _("请选择文种。"), "invalid_choice": _("文种无效。")})
    unit = forms.ModelChoiceField(
        label=_("涉及单位"), queryset=Unit.objects.all(), help_text=_("公文写哪个单位的整改落实情况（本单位或下级单位）"),
        error_messages={"required": _("请选择单位。"), "invalid_choice": _("单位无效。")})
    campaign = forms.ModelChoiceField(label=_("活动"), queryset=Campaign.objects.none(),
                                      widget=forms.Select(attrs=SELECT),
                                      error_messages={"required": _("请选择活动。"), "invalid_choice": _("活动无效。")})

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["unit"].widget = unit_picker(Unit.objects.all())


class EditForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200, widget=forms.TextInput(attrs=TEXT),
                            error_messages={"required": _("请填写标题。")})
    addressee = forms.CharField(label=_("主送机关"), max_length=500, required=False, widget=forms.TextInput(attrs=TEXT))
    body = forms.CharField(label=_("正文"), max_length=50000,
                           widget=forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 18}),
                           help_text=_("每行一段。以“一、”开头的行为一级标题（黑体），“（一）”为二级标题（楷体），"
                                       "“1．”为三级标题；标题序号印发时自动重排。"),
                           error_messages={"required": _("正文不能为空。")})
    attachments = forms.CharField(label=_("附件"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
                                  help_text=_("每行一个附件名称"))
    issuer_name = forms.CharField(label=_("发文机关"), max_length=200, widget=forms.TextInput(attrs=TEXT),
                                  error_messages={"required": _("请填写发文机关。")})
    signer = forms.CharField(label=_("发文机关署名"), max_length=200, widget=forms.TextInput(attrs=TEXT),
                             error_messages={"required": _("请填写发文机关署名。")})
    copy_to = forms.CharField(label=_("抄送机关"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}), help_text=_("每行一个"))
    printed_by = forms.CharField(label=_("印发机关"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT))

    def __init__(self, *args, kind: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if kind == DocumentKind.BRIEF:
            # A 简报 has no 主送, 署名 or 印发 line: its masthead names the 编印单位, its foot the 报 and 送 lists.
            self.fields["addressee"].label = _("报送（报：）")
            self.fields["addressee"].help_text = _("上报的机关，多个用逗号或顿号分隔；印在简报末尾")
            self.fields["copy_to"].label = _("发送（送：）")
            self.fields["copy_to"].help_text = _("每行一个；印在简报末尾")
            self.fields["issuer_name"].label = _("编印单位")
            self.fields["signer"].help_text = _("简报不印署名")
            self.fields["printed_by"].help_text = _("简报不印印发机关")


class IssueForm(forms.Form):
    issued_on = forms.DateField(label=_("成文日期"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                error_messages={"required": _("请填写成文日期。"), "invalid": _("成文日期无效。")})


class PrefixForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in DocumentKind.choices:
            self.fields[kind] = forms.CharField(
                label=_("%(kind)s的机关代字") % {"kind": label}, max_length=30, widget=forms.TextInput(attrs=TEXT),
                error_messages={"required": _("请填写%(kind)s的机关代字。") % {"kind": label}})
