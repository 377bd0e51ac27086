"""The page header's 二次验证 link and the 安全管理员's menu entry to the reset page: the second
factor's own pages (huitoukan.twofactor) are reached from every page by those they concern."""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from huitoukan.access.models import Role
from huitoukan.security.selectors import policy_current

pytestmark = pytest.mark.django_db

DEVICES = "/accounts/otp/devices/"
RESET = "/accounts/otp/reset/"


def _header(page: str) -> str:
    return re.search(r"<header.*?</header>", page, re.S).group(0)


def _menu(page: str) -> str:
    return re.search(r'<ul class="navbar-nav.*?</ul>', page, re.S).group(0)


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_an_administrator_has_the_second_factor_link_beside_the_password_link(tree, make_user, client, role):
    header = _header(_home(client, make_user(role, tree.city)))
    assert f'href="{DEVICES}"' in header and "二次验证" in header
    assert header.index(DEVICES) < header.index("修改密码")
    # and the link opens the login's own devices
    assert client.get(DEVICES).status_code == 200


def test_a_business_login_without_a_policy_role_has_no_second_factor_link(tree, make_user, client):
    header = _header(_home(client, make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)))
    assert "修改密码" in header
    assert DEVICES not in header and "二次验证" not in header


def test_a_business_login_whose_role_the_policy_names_has_the_link(tree, make_user, client):
    policy = policy_current()
    policy.second_factor_roles = [*policy.second_factor_roles, Role.CAMPAIGN_OFFICE.value]
    policy.save()
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    assert DEVICES in _header(_home(client, office))
    # and a role it does not name still has none
    assert DEVICES not in _header(_home(client, make_user(Role.UNIT_FILLER, tree.lianyuan)))


def test_a_business_login_reads_no_device_for_the_header(tree, make_user, client):
    """A login the policy no longer asks for a second factor, with an old device, is not asked for a code and
    gets no link (its devices page stays open): the header looks up no device on any page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    TOTPDevice.objects.create(user=office, name="动态口令", confirmed=True)
    client.force_login(office)
    with CaptureQueriesContext(connection) as reads:
        header = _header(client.get("/").content.decode())
    assert DEVICES not in header
    assert not [q for q in reads.captured_queries if "otp_totp" in q["sql"]]
    assert client.get(DEVICES).status_code == 200


def test_only_the_security_admin_has_the_reset_entry_in_the_menu(tree, make_user, client):
    menu = _menu(_home(client, make_user(Role.SECURITY_ADMIN, tree.city)))
    assert f'href="{RESET}"' in menu and "重置二次验证" in menu
    assert client.get(RESET).status_code == 200
    for role in (Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.CAMPAIGN_OFFICE):
        assert RESET not in _menu(_home(client, make_user(role, tree.city)))
