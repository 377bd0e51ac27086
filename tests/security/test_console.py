"""The 安全管理员's security console and the stale-account job (issue 11, items 2 and 6).

Who may reach each page is the route table's (tests/administration/routes_security.py); these
tests hold what each page shows and does."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from huitoukan.access.models import Role
from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from huitoukan.security import events
from huitoukan.security.models import SecurityPolicy, StaleDisabling
from huitoukan.security.selectors import policy_current
from huitoukan.security.services import stale_accounts_disable
from huitoukan.security.tasks import disable_stale_accounts
from tests.access.logins import sign_in, signed_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "wrong-Password1"
FORM = {
    "password_min_length": 12, "password_min_classes": 3, "password_expiry_days": 60, "password_history": 5,
    "lockout_failures": 5, "lockout_account_failures": 20, "lockout_minutes": 15, "session_idle_minutes": 30,
    "session_absolute_minutes": 480, "stale_account_days": 90, "second_factor": ["campaign_office"],
}


@pytest.fixture
def secadmin(tree, make_user, client):
    user = make_user(Role.SECURITY_ADMIN, tree.lianyuan, username="secadmin")
    client.force_login(user)
    return user


def test_the_policy_page_shows_each_value_beside_its_dengbao_reference(secadmin, client):
    page = client.get("/security/policy/").content.decode()
    assert "密码最小长度" in page and "不少于8位" in page
    assert "密码有效期（天）" in page and "不超过90天" in page
    assert "系统管理员、安全管理员、审计管理员" in page


def test_an_edit_takes_effect_and_is_logged_with_before_and_after(secadmin, client):
    # when the 安全管理员 raises the length to 12 and shortens the expiry to 60 days
    response = client.post("/security/policy/edit/", FORM)

    # then it is in force, the 三员 still need the second factor, and the log says who changed what
    assert response.status_code == 302
    policy = policy_current()
    assert policy.password_min_length == 12 and policy.password_expiry_days == 60
    assert set(policy.second_factor_roles) == {"campaign_office", "system_admin", "security_admin",
                                               "audit_admin"}
    event = SecurityEvent.objects.get(kind=events.POLICY_CHANGED)
    assert event.username == "secadmin"
    assert event.detail["before"] == {"password_min_length": 10, "password_expiry_days": 90,
                                      "second_factor_roles": ["audit_admin", "security_admin", "system_admin"]}
    assert event.detail["after"]["password_min_length"] == 12
    # and the history names the actor and the change
    history = client.get("/security/policy/history/").content.decode()
    assert "secadmin" in history and "密码最小长度" in history and "12" in history


def test_a_policy_weaker_than_dengbao_is_refused_naming_the_field_and_nothing_changes(secadmin, client):
    page = client.post("/security/policy/edit/", FORM | {"password_min_length": 6, "session_idle_minutes": 60})
    text = page.content.decode()
    assert page.status_code == 200
    assert "密码最小长度为6，低于等保2.0三级要求（不少于8位），不予保存。" in text
    assert "无操作超时（分钟）为60，低于等保2.0三级要求（无操作不超过30分钟自动退出），不予保存。" in text
    assert policy_current().password_min_length == 10
    assert not SecurityEvent.objects.filter(kind=events.POLICY_CHANGED).exists()
    assert SecurityPolicy.history.count() == 1


def test_an_edit_that_changes_nothing_logs_nothing(secadmin, client):
    unchanged = FORM | {"password_min_length": 10, "password_expiry_days": 90, "second_factor": []}
    assert client.post("/security/policy/edit/", unchanged).status_code == 302
    assert not SecurityEvent.objects.filter(kind=events.POLICY_CHANGED).exists()


def test_locked_accounts_in_reach_are_listed_and_unlocked(tree, make_user, secadmin, client):
    # given a clerk of 涟源市 and one of 娄星区, both locked
    make_user(Role.UNIT_FILLER, tree.qiaotouhe, username="clerk")
    make_user(Role.UNIT_FILLER, tree.leping, username="other")
    for name in ("clerk", "other"):
        for _ in range(5):
            sign_in(Client(), name, WRONG, address="10.1.1.1")

    # then the 涟源市 安全管理员 sees only their own clerk, with the address
    page = client.get("/security/locked/").content.decode()
    assert "clerk" in page and "10.1.1.1" in page and "other" not in page

    # when they unlock the clerk, the clerk signs in at once and the log says so
    assert client.post("/security/locked/unlock/", {"username": "clerk"}).status_code == 302
    assert signed_in(sign_in(Client(), "clerk", PASSWORD, address="10.1.1.1"))
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.UNLOCKED, detail__to="clerk").exists()

    # and the 娄星区 clerk is not theirs to unlock: 404, the lock stays
    assert client.post("/security/locked/unlock/", {"username": "other"}).status_code == 404
    assert sign_in(Client(), "other", PASSWORD, address="10.1.1.1").status_code == 429


def test_open_sessions_in_reach_are_listed_and_ended(tree, make_user, secadmin, client):
    # given a clerk of 涟源市 signed in from an address, and one of 娄星区
    make_user(Role.UNIT_FILLER, tree.qiaotouhe, username="clerk")
    make_user(Role.UNIT_FILLER, tree.leping, username="other")
    clerk, other = Client(), Client()
    assert signed_in(sign_in(clerk, "clerk", PASSWORD, address="10.2.2.2"))
    assert signed_in(sign_in(other, "other", PASSWORD, address="10.3.3.3"))
    clerk.get("/")

    # then the 安全管理员 sees the clerk's session with its address and start, not the other one
    response = client.get("/security/sessions/")
    rows = {s.user.username: s for s in response.context["page"]}
    assert set(rows) == {"clerk", "secadmin"}
    assert rows["clerk"].address == "10.2.2.2" and rows["clerk"].started is not None

    # when they end it, the clerk must sign in again, and the log says so
    key = rows["clerk"].key
    assert client.post("/security/sessions/end/", {"session": key}).status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert clerk.get("/").status_code == 302
    assert SecurityEvent.objects.filter(kind=events.SESSION_ENDED, detail__to="clerk").exists()

    # and the other county's session is out of reach: 404, it stays open
    other_key = other.cookies["sessionid"].value
    assert client.post("/security/sessions/end/", {"session": other_key}).status_code == 404
    assert other.get("/").status_code == 200


def _unused_for(user, days):
    type(user).objects.filter(pk=user.pk).update(last_login=timezone.now() - timedelta(days=days),
                                                 date_joined=timezone.now() - timedelta(days=400))


def test_accounts_unused_for_the_policys_days_are_disabled_logged_and_listed(tree, make_user, client, settings):
    # given a login unused for 91 days, one used 89 days ago, one never used since its creation
    # 100 days ago, and the server operator's login, unused too
    settings.OPERATOR = "operator"
    stale, recent, never, operator = (make_user(Role.UNIT_FILLER, tree.qiaotouhe, username=n)
                                      for n in ("stale", "recent", "never", "operator"))
    _unused_for(stale, 91)
    _unused_for(recent, 89)
    _unused_for(operator, 200)
    faraway = make_user(Role.UNIT_FILLER, tree.leping, username="faraway")
    _unused_for(faraway, 91)
    type(never).objects.filter(pk=never.pk).update(date_joined=timezone.now() - timedelta(days=100))

    # when the daily job runs
    disable_stale_accounts.call_local()

    # then the unused logins are disabled, each logged, and the others left
    active = dict(type(stale).objects.values_list("username", "is_active"))
    assert not active["stale"] and not active["never"] and not active["faraway"]
    assert active["recent"] and active["operator"]
    assert set(StaleDisabling.objects.values_list("user__username", flat=True)) == {"stale", "never", "faraway"}
    assert set(SecurityEvent.objects.filter(kind=events.ACCOUNT_STALE_DISABLED)
               .values_list("detail__to", flat=True)) == {"stale", "never", "faraway"}
    # and a disabled login cannot sign in
    assert not signed_in(sign_in(Client(), "stale", PASSWORD))

    # and the 系统管理员 of 涟源市 lists those of their part of the tree
    client.force_login(make_user(Role.SYSTEM_ADMIN, tree.lianyuan, username="sysadmin"))
    listed = {d.user.username for d in client.get("/security/stale-accounts/").context["page"]}
    assert listed == {"stale", "never"}


def test_the_stale_days_are_the_security_policys(tree, make_user):
    user = make_user(Role.UNIT_FILLER, tree.qiaotouhe, username="clerk")
    _unused_for(user, 40)
    assert stale_accounts_disable() == []
    SecurityPolicy.objects.filter(pk=policy_current().pk).update(stale_account_days=30)
    assert [d.user.username for d in stale_accounts_disable()] == ["clerk"]
    # a second run disables nobody twice
    assert stale_accounts_disable() == []


@pytest.mark.parametrize("role, shown, hidden", [
    (Role.SECURITY_ADMIN, "/security/policy/", "/security/stale-accounts/"),
    (Role.SYSTEM_ADMIN, "/security/stale-accounts/", "/security/policy/"),
    (Role.AUDIT_ADMIN, None, "/security/"),
    (Role.CAMPAIGN_OFFICE, None, "/security/"),
])
def test_the_menu_opens_the_console_to_its_role_only(tree, make_user, client, role, shown, hidden):
    client.force_login(make_user(role, tree.lianyuan))
    page = client.get("/").content.decode()
    assert shown is None or f'href="{shown}"' in page
    assert f'href="{hidden}' not in page
    assert 'href="/accounts/password/"' in page


def test_a_value_weaker_than_dengbao_from_the_settings_is_flagged_on_the_policy_page(secadmin, client):
    # the initial policy is read from the environment, which nothing validates
    SecurityPolicy.objects.filter(pk=policy_current().pk).update(lockout_failures=10)
    page = client.get("/security/policy/").content.decode()
    assert page.count("低于等保要求，请修改") == 1
