"""Passwords under the security policy: no reuse of the last N, expiry, the change page (issue 11, item 6)."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from huitoukan.audit.models import SecurityEvent
from huitoukan.security import events
from huitoukan.security.models import PasswordRecord, SecurityPolicy
from huitoukan.security.selectors import policy_current
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CHANGE = "/accounts/password/"


def _set(user, password):
    user.set_password(password)
    user.save()


def _age(user, days):
    """Make the user's password `days` old."""
    then = timezone.now() - timedelta(days=days)
    PasswordRecord.objects.filter(user=user).update(set_at=then)
    type(user).objects.filter(pk=user.pk).update(date_joined=then)
    user.refresh_from_db()


def test_none_of_the_last_five_passwords_may_come_back(make_user):
    # given a user who has had five passwords, the current one included
    user = make_user(username="clerk")
    used = [PASSWORD] + [f"Qiaotou#20{n}5x" for n in range(1, 5)]
    for password in used[1:]:
        _set(user, password)

    # then each of them is refused, in Chinese, naming the depth
    for password in used:
        with pytest.raises(ValidationError) as err:
            validate_password(password, user)
        assert "新密码不得与最近5次使用过的密码相同。" in err.value.messages

    # and once a sixth password has been set, the oldest may come back
    _set(user, "Qiaotou#2099y")
    validate_password(PASSWORD, user)


def test_the_history_depth_is_the_security_policys(make_user):
    user = make_user(username="clerk")
    for n in range(1, 7):
        _set(user, f"Qiaotou#20{n}5x")
    SecurityPolicy.objects.filter(pk=policy_current().pk).update(password_history=7)
    with pytest.raises(ValidationError):
        validate_password(PASSWORD, user)


def test_a_new_login_without_history_may_not_set_its_current_password_again(make_user):
    user = make_user(username="clerk")
    with pytest.raises(ValidationError):
        validate_password(PASSWORD, user)


def test_a_fresh_password_lets_the_user_work(make_user, client):
    client.force_login(make_user(username="clerk"))
    assert client.get("/").status_code == 200


def test_an_expired_password_holds_the_user_on_the_change_page_until_changed(make_user, client):
    # given a user whose password was set 91 days ago (the policy: 90)
    user = make_user(username="clerk")
    _age(user, 91)
    client.force_login(user)

    # then every page leads to the change page, which says why, and the API answers 403 in JSON
    response = client.get("/units/")
    assert response.status_code == 302 and response["Location"] == f"{CHANGE}?next=%2Funits%2F"
    page = client.get(CHANGE)
    assert page.status_code == 200 and "您的密码已过期，请先修改密码。" in page.content.decode()
    api = client.get("/api/v1/me/")
    assert api.status_code == 403
    assert api.json() == {"code": "PASSWORD_CHANGE_REQUIRED", "detail": "您的密码已过期，请先修改密码。"}

    # when the user changes it (its old one again is refused)
    again = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD})
    assert again.status_code == 200 and "新密码不得与最近5次使用过的密码相同。" in again.content.decode()
    changed = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": "Qiaotou#2026z",
                                   "new_password2": "Qiaotou#2026z", "next": "/units/"})

    # then they go on where they were going, still signed in, and the log records the change
    assert changed.status_code == 302 and changed["Location"] == "/units/"
    assert client.get("/api/v1/me/").status_code == 200
    assert SecurityEvent.objects.filter(kind=events.PASSWORD_CHANGED, username="clerk").count() == 1


def test_a_password_one_day_short_of_expiry_is_not_held(make_user, client):
    user = make_user(username="clerk")
    _age(user, 89)
    client.force_login(user)
    assert client.get("/api/v1/me/").status_code == 200


def test_the_expiry_is_the_security_policys(make_user, client):
    user = make_user(username="clerk")
    _age(user, 31)
    SecurityPolicy.objects.filter(pk=policy_current().pk).update(password_expiry_days=30)
    client.force_login(user)
    assert client.get("/api/v1/me/").status_code == 403


def test_the_change_page_refuses_a_weak_password_naming_the_rule(make_user, client):
    client.force_login(make_user(username="clerk"))
    page = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": "qiaotou2026",
                                "new_password2": "qiaotou2026"})
    assert page.status_code == 200
    assert "密码须包含小写字母、大写字母、数字、其他字符中至少3类。" in page.content.decode()


def test_the_change_page_does_not_send_elsewhere_than_this_site(make_user, client):
    client.force_login(make_user(username="clerk"))
    changed = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": "Qiaotou#2026z",
                                   "new_password2": "Qiaotou#2026z", "next": "https://evil.example/"})
    assert changed.status_code == 302 and changed["Location"] == "/"


def test_an_expired_password_buys_no_api_token(make_user):
    from rest_framework.test import APIClient

    user = make_user(username="clerk")
    _age(user, 91)
    response = APIClient().post("/api/v1/auth/token/", {"username": "clerk", "password": PASSWORD}, format="json")
    assert response.status_code == 403
    assert response.json() == {"code": "PASSWORD_CHANGE_REQUIRED", "detail": "您的密码已过期，请先修改密码。"}
