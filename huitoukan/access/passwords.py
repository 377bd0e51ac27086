"""Password rules of the 等保 profile, read from the security policy in force (huitoukan.security).

Length and character classes, and no reuse of the last N passwords; each password set is kept (its
hash) by `PasswordHistoryValidator.password_changed`, which Django calls whenever a user's
password is saved (`set_password` then `save`).
"""

import string

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from huitoukan.security import services as security_services
from huitoukan.security.selectors import password_hashes_recent, policy_current


def _classes_message(n: int) -> str:
    return _("密码须包含小写字母、大写字母、数字、其他字符中至少%(n)d类。") % {"n": n}


class CharacterClassValidator:
    """At least the policy's number of: lower case, upper case, digits, other characters."""

    def validate(self, password, user=None):
        classes = [
            any(c in string.ascii_lowercase for c in password),
            any(c in string.ascii_uppercase for c in password),
            any(c in string.digits for c in password),
            any(not c.isalnum() for c in password),
        ]
        needed = policy_current().password_min_classes
        if sum(classes) < needed:
            raise ValidationError(_classes_message(needed), code="password_too_simple")

    def get_help_text(self):
        return _classes_message(policy_current().password_min_classes)


class MinimumLengthValidator:
    """The policy's minimum length (Django's own message for this is untranslated in zh_Hans)."""

    def validate(self, password, user=None):
        needed = policy_current().password_min_length
        if len(password) < needed:
            raise ValidationError(_("密码至少需要%(n)d个字符。") % {"n": needed}, code="password_too_short")

    def get_help_text(self):
        return _("密码至少需要%(n)d个字符。") % {"n": policy_current().password_min_length}


class PasswordHistoryValidator:
    """Not one of the user's last N passwords (the current one included)."""

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        depth = policy_current().password_history
        if any(check_password(password, stored) for stored in password_hashes_recent(user, depth)):
            raise ValidationError(_("新密码不得与最近%(n)d次使用过的密码相同。") % {"n": depth},
                                  code="password_reused")

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            security_services.password_record(user)

    def get_help_text(self):
        return _("不得与最近%(n)d次使用过的密码相同。") % {"n": policy_current().password_history}
