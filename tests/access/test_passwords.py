"""The 等保 password profile."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from huitoukan.security.models import SecurityPolicy
from huitoukan.security.selectors import policy_current


def test_production_hasher_is_argon2():
    from huitoukan import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["short1A#x", "alllowercaseletters", "abcdefgh1", "ABCDEFGH1"])
def test_weak_passwords_are_refused_in_chinese(weak):
    with pytest.raises(ValidationError) as err:
        validate_password(weak)
    assert any("密码" in m or "字符" in m for m in err.value.messages)


@pytest.mark.django_db
def test_three_classes_of_ten_characters_pass():
    validate_password("Qiaotou#2015")


@pytest.mark.django_db
def test_the_length_and_classes_are_the_security_policys():
    # given the 安全管理员 asking for 12 characters of all four classes
    SecurityPolicy.objects.filter(pk=policy_current().pk).update(password_min_length=12, password_min_classes=4)

    # then a ten-character password of three classes is refused, naming both rules
    with pytest.raises(ValidationError) as err:
        validate_password("Qiaotou2015")
    assert "密码至少需要12个字符。" in err.value.messages
    assert "密码须包含小写字母、大写字母、数字、其他字符中至少4类。" in err.value.messages
    validate_password("Qiaotou#20151")


@pytest.mark.django_db
def test_session_times_and_lockout_follow_the_profile():
    # the initial policy, from the settings
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_ABSOLUTE_SECONDS == 8 * 3600
    policy = policy_current()
    assert policy.session_idle_minutes == 30 and policy.session_absolute_minutes == 8 * 60
    assert policy.lockout_failures == 5 and policy.lockout_minutes == 15
