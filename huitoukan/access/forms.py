from captcha.fields import CaptchaField, CaptchaTextInput
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from huitoukan.access import lockout


class LoginForm(AuthenticationForm):
    """Django's login form, with a captcha once the account has failed `LOGIN_CAPTCHA_AFTER` times.

    A missing or wrong captcha refuses before the password is tried: the attempt is not counted,
    so a script that cannot read the image cannot push any account towards its lock.
    """

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if self.is_bound and lockout.captcha_needed(self._username()):
            self._add_captcha()

    @property
    def captcha_required(self) -> bool:
        return "captcha" in self.fields

    def _username(self) -> str:
        return str(self.data.get(self.username_field.name) or "")

    def _add_captcha(self) -> None:
        self.fields["captcha"] = CaptchaField(
            label=_("验证码"),
            widget=CaptchaTextInput(attrs={"class": "form-control", "autocomplete": "off"}),
            error_messages={
                "required": _("请输入图中的验证码。"),
                "incomplete": _("请输入图中的验证码。"),
                "invalid": _("验证码不正确，请看清图中的字符重新输入。"),
            },
        )

    def clean(self):
        if self.captcha_required and "captcha" not in self.cleaned_data:
            return self.cleaned_data
        try:
            return super().clean()
        except ValidationError:
            # The failure just recorded may be the one that calls for the captcha: show it now.
            if not self.captcha_required and lockout.captcha_needed(self._username()):
                self._add_captcha()
            raise
