"""An initial or reset password is changed before anything else (issue 11, item 6): the account's
must-change flag (access.models.Account, set by access.services) held by security.middleware."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from huitoukan.access import services as access_services
from huitoukan.access.models import Role
from huitoukan.security import services as security_services
from huitoukan.security.models import PasswordRecord
from tests.access.logins import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CHANGE = "/accounts/password/"
NEW = "Qiaotou#2026z"
INITIAL_DETAIL = "您的密码是初始密码或重置后的临时密码，请先修改密码。"


def test_a_new_login_changes_its_initial_password_at_its_first_sign_in(tree):
    # given a login created with an initial password to be changed
    access_services.account_create(actor=None, username="clerk", unit=tree.qiaotouhe, password=PASSWORD,
                                   must_change_password=True)
    client = Client()

    # when it signs in, it is sent to the change page, which says why; any other page leads back there
    response = sign_in(client, "clerk", PASSWORD)
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert follow.status_code == 302 and follow["Location"].startswith(CHANGE)
    page = client.get(CHANGE)
    assert INITIAL_DETAIL in page.content.decode()
    assert client.get("/units/").status_code == 302
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and api.json()["detail"] == INITIAL_DETAIL
    # and no API token is issued for the initial password
    token = APIClient().post("/api/v1/auth/token/", {"username": "clerk", "password": PASSWORD}, format="json")
    assert token.status_code == 403 and token.json()["code"] == "PASSWORD_CHANGE_REQUIRED"

    # when it changes the password, the flag is lifted and it works
    changed = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert changed.status_code == 302
    assert client.get("/api/v1/me/").status_code == 200
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(username="clerk").account.must_change_password is False


def test_a_reset_password_must_be_changed_and_may_not_be_kept(tree, make_user):
    # given a clerk whose password the 系统管理员 reset
    clerk = access_services.account_create(actor=None, username="clerk", unit=tree.qiaotouhe, password=PASSWORD)
    admin = make_user(Role.SYSTEM_ADMIN, tree.lianyuan, username="sysadmin")
    temporary = access_services.password_reset(actor=admin, user=clerk)
    client = Client()

    # when the clerk signs in with it, only the change page is open
    sign_in(client, "clerk", temporary)
    assert client.get("/").status_code == 302
    # and keeping the temporary password, or going back to the old one, is refused
    for refused in (temporary, PASSWORD):
        page = client.post(CHANGE, {"old_password": temporary, "new_password1": refused,
                                    "new_password2": refused})
        assert page.status_code == 200 and "不得与最近5次使用过的密码相同" in page.content.decode()
    assert client.post(CHANGE, {"old_password": temporary, "new_password1": NEW,
                                "new_password2": NEW}).status_code == 302
    assert client.get("/").status_code == 200



def test_the_password_state_is_read_once_per_password_and_the_expiry_applied_afresh(tree, make_user):
    """A session keeps the account's flag and the password's age under the password's hash: the next pages
    read neither, and a shorter expiry set by the 安全管理员 holds at once."""
    clerk = make_user(Role.UNIT_FILLER, tree.qiaotouhe, username="clerk")
    PasswordRecord.objects.filter(user=clerk).update(set_at=timezone.now() - dt.timedelta(days=10))
    client = Client()
    sign_in(client, "clerk", PASSWORD)
    assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as reads:
        assert client.get("/").status_code == 200
    read = " ".join(q["sql"] for q in reads.captured_queries)
    assert 'FROM "access_account"' not in read and "security_passwordrecord" not in read

    security_services.policy_update(actor=None, changes={"password_expiry_days": 7})
    expired = client.get("/")
    assert expired.status_code == 302 and expired["Location"].startswith(CHANGE)
