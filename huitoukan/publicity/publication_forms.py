from django import forms
from django.utils.translation import gettext_lazy as _


class ChooseForm(forms.Form):
    title = forms.CharField(label=_("公开标题"), max_length=200)
    extra_redactions = forms.CharField(label=_("另需隐去的文字"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}),
                                       help_text=_("每行一项，如预览中出现的群众姓名、门牌号"))
    items = forms.TypedMultipleChoiceField(label=_("公开事项"), required=False, coerce=int,
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, item_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = item_choices


class PublishForm(forms.Form):
    digest = forms.CharField(max_length=64, widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回理由"), widget=forms.Textarea(attrs={"rows": 2}))


class PolicyForm(forms.Form):
    leaders_public = forms.BooleanField(
        label=_("公开牵头领导姓名和职务"), required=False,
        help_text=_("只影响领导班子整改清单的“牵头领导”一栏；党员领导干部个人整改措施只在本单位内公开，不在公开网站发布。"))
