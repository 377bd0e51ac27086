"""The 等保 password profile."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


def test_production_hasher_is_argon2():
    from huitoukan import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.parametrize("weak", ["short1A", "alllowercaseletters", "abcdefgh1", "ABCDEFGH1"])
def test_weak_passwords_are_refused_in_chinese(weak):
    with pytest.raises(ValidationError) as err:
        validate_password(weak)
    assert any("密码" in m or "字符" in m for m in err.value.messages)


def test_three_classes_of_eight_characters_pass():
    validate_password("Qiaotou#2015")


def test_session_times_follow_the_profile():
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_ABSOLUTE_SECONDS == 8 * 3600
    assert settings.AXES_FAILURE_LIMIT == 5
