"""Forms of the recheck page: they parse; the services hold the rules (evidence required, a reason to fail)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huitoukan.ledgers.forms import MultipleFileField


class ConfirmForm(forms.Form):
    note = forms.CharField(label=_("复查情况"), required=False,
                           widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
                           help_text=_("必填：整改成果是否巩固，如何核实。"))
    files = MultipleFileField(label=_("佐证材料"), required=False,
                              help_text=_("须上传至少一份新的佐证材料；可多选，接受图片、PDF、Word、Excel、WPS 文件。"))


class FailForm(forms.Form):
    note = forms.CharField(label=_("反弹情况"), required=False,
                           widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
                           help_text=_("问题如何反弹；事项将按“反弹”重新打开，并通知本单位主要负责同志。"))
    files = MultipleFileField(label=_("佐证材料"), required=False,
                              help_text=_("须上传至少一份反映反弹情况的佐证材料。"))
