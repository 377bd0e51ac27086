"""The web shell: login, static files shipped with the package, CSP, the home page per role."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from huitoukan.access.models import Role
from huitoukan.portal.demo import demo_load
from tests.conftest import built_once

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_chinese_login_page(client):
    response = client.get("/units/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    page = client.get("/accounts/login/").content.decode()
    assert "登录" in page and 'lang="zh-Hans"' in page


def test_every_static_file_a_page_links_is_served_from_the_package(tree, make_user, client):
    client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))
    page = client.get("/").content.decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert any("tabler.min.css" in a for a in assets) and any("htmx.min.js" in a for a in assets)
    for asset in assets:
        assert Client().get(asset).status_code == 200, asset


def test_scripts_carry_the_csp_nonce(tree, make_user, client):
    client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))
    response = client.get("/")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts and all(f'nonce="{nonce}"' in s for s in scripts)


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for the home page of each role, rolled back after them."""
    with built_once(django_db_blocker, tmp_path_factory):
        demo_load()
        yield


@pytest.mark.usefixtures("demo")
class TestHomePage:
    @pytest.mark.parametrize(
        "username, expected, absent",
        [
            ("lianyuan_office", ["报送时限", "娄底市/涟源市", "“回头看”情况报告（信息备案）"], ["安全日志"]),
            ("supervisor2", ["市委第二督导组", "报送时限"], ["角色授权"]),
            ("secadmin", ["最近的角色授权", "角色授权"], ["报送时限"]),
            ("sysadmin", ["最近的组织变更"], ["报送时限", "角色授权"]),
            ("auditor", ["最新安全日志"], ["组织树", "报送时限"]),
        ],
    )
    def test_home_page_shows_what_waits_for_each_role(self, client, username, expected, absent):
        client.force_login(get_user_model().objects.get(username=username))
        page = client.get("/").content.decode()
        for text in expected:
            assert text in page, text
        for text in absent:
            assert text not in page, text
