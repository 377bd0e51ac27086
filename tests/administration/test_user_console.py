"""The 系统管理员's console of logins (issue 11, item 1): create, disable, enable, reset a password."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.authtoken.models import Token

from huitoukan.access import policy, services
from huitoukan.access.models import Account, AccountKind, Role
from huitoukan.access.policy import Perm
from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import Person
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin(tree, make_user):
    return make_user(Role.SYSTEM_ADMIN, tree.lianyuan)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _signs_in(client, username, password) -> bool:
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302 and response.url == "/"


def _event(kind, to):
    return SecurityEvent.objects.filter(kind=kind, detail__to=to).latest("id")


def test_the_system_admin_creates_a_business_login_with_an_initial_password(tree, sysadmin):
    response = _client(sysadmin).post("/admin-console/users/new/", {
        "username": "wangli", "unit": tree.qiaotouhe.pk, "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    account = Account.objects.get(user__username="wangli")
    assert (account.kind, account.unit, account.must_change_password) == (AccountKind.BUSINESS, tree.qiaotouhe, True)
    assert account.created_by == sysadmin and account.history.get().history_user == sysadmin
    assert _event(SecurityEventKind.ACCOUNT_CREATED, "wangli").user == sysadmin
    # the new login signs in with it and is held on the change page
    client = Client()
    assert _signs_in(client, "wangli", PASSWORD)
    assert client.get("/").url.startswith("/accounts/password/")


@pytest.mark.parametrize("fields, message", [
    ({"password1": "short", "password2": "short"}, "密码："),
    ({"password2": "Other@2015pass"}, "两次输入的初始密码不一致"),
    ({"username": "bad name!"}, "用户名只能包含"),
])
def test_a_bad_login_form_says_which_field(tree, sysadmin, fields, message):
    data = {"username": "wangli", "unit": tree.qiaotouhe.pk, "password1": PASSWORD, "password2": PASSWORD, **fields}
    response = _client(sysadmin).post("/admin-console/users/new/", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Account.objects.filter(user__username="wangli").exists()


def test_a_username_is_taken_once(tree, sysadmin, make_user):
    make_user(Role.UNIT_FILLER, tree.qiaotouhe, username="wangli")
    response = _client(sysadmin).post("/admin-console/users/new/", {
        "username": "wangli", "unit": tree.qiaotouhe.pk, "password1": PASSWORD, "password2": PASSWORD})
    assert "已被使用" in response.content.decode()


def test_disabling_ends_sessions_and_the_api_token_and_enabling_restores_the_login(tree, sysadmin, make_user):
    clerk = make_user(Role.UNIT_FILLER, tree.qiaotouhe)
    clerk_client = _client(clerk)
    Token.objects.create(user=clerk)
    admin = _client(sysadmin)

    assert admin.post(f"/admin-console/users/{clerk.pk}/disable/").status_code == 302

    clerk.refresh_from_db()
    assert not clerk.is_active and not Token.objects.filter(user=clerk).exists()
    assert clerk_client.get("/").status_code == 302  # back to the login page
    event = _event(SecurityEventKind.ACCOUNT_DISABLED, clerk.username)
    assert event.user == sysadmin and event.detail["sessions"] == 1 and event.detail["api_token"]
    assert admin.post(f"/admin-console/users/{clerk.pk}/enable/").status_code == 302
    clerk.refresh_from_db()
    assert clerk.is_active and _event(SecurityEventKind.ACCOUNT_ENABLED, clerk.username).user == sysadmin


def test_a_password_reset_shows_a_temporary_password_once_and_it_must_be_changed(tree, sysadmin, make_user):
    clerk = make_user(Role.UNIT_FILLER, tree.qiaotouhe)
    response = _client(sysadmin).post(f"/admin-console/users/{clerk.pk}/password-reset/")
    temporary = response.context["password"]
    assert response.status_code == 200 and temporary in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert Account.objects.get(user=clerk).must_change_password
    event = _event(SecurityEventKind.PASSWORD_RESET, clerk.username)
    assert event.user == sysadmin and temporary not in str(event.detail)
    client = Client()
    assert not _signs_in(client, clerk.username, PASSWORD)
    assert _signs_in(client, clerk.username, temporary)
    assert client.get("/").url.startswith("/accounts/password/")


def test_the_system_admin_manages_no_administrator_and_no_login_beyond_its_part(tree, sysadmin, make_user):
    other_admin = make_user(Role.SECURITY_ADMIN, tree.lianyuan)
    city_clerk = make_user(Role.UNIT_FILLER, tree.qiaotouhe)
    # a clerk of 桥头河镇 who also works at the city: a county's administrator may not take it over
    services.role_grant(actor=None, user=city_clerk, role=Role.DISCIPLINE, unit=tree.city)
    outside = make_user(Role.UNIT_FILLER, tree.leping)
    admin = _client(sysadmin)
    for user in (other_admin, city_clerk, outside, sysadmin):
        for action in ("disable", "password-reset"):
            assert admin.post(f"/admin-console/users/{user.pk}/{action}/").status_code == 404, (user, action)
    inside = make_user(Role.UNIT_FILLER, tree.shishi)
    listed = admin.get("/admin-console/users/").context["page"].object_list
    assert [a.user for a in listed] == [inside]
    assert get_user_model().objects.filter(is_active=False).count() == 0


def test_the_system_admin_neither_grants_nor_reads_the_log(tree, sysadmin):
    fresh = get_user_model().objects.get(pk=sysadmin.pk)
    assert not policy.has_perm_somewhere(fresh, Perm.ROLE_GRANT)
    assert not policy.has_perm_somewhere(fresh, Perm.AUDIT_VIEW)
    assert not policy.has_perm_somewhere(fresh, Perm.WORK_VIEW)
    client = _client(sysadmin)
    assert client.get("/roles/grant/").status_code == 404
    assert client.get("/audit/").status_code == 404


def test_the_list_searches_and_pages(tree, sysadmin, make_user):
    for n in range(25):
        make_user(Role.UNIT_FILLER, tree.qiaotouhe, username=f"clerk{n:02d}")
    person = org_services.person_create(actor=None, unit=tree.qiaotouhe, name="彭光辉")
    org_services.person_update(actor=None, person=person, user=get_user_model().objects.get(username="clerk07"))
    client = _client(sysadmin)
    first = client.get("/admin-console/users/?q=clerk")
    assert first.context["page"].paginator.count == 25 and len(first.context["page"].object_list) == 20
    assert len(client.get("/admin-console/users/?q=clerk&page=2").context["page"].object_list) == 5
    by_name = client.get("/admin-console/users/?q=光辉").context["page"].object_list
    assert [a.user.username for a in by_name] == ["clerk07"]
    client.post(f"/admin-console/users/{get_user_model().objects.get(username='clerk03').pk}/disable/")
    disabled = client.get("/admin-console/users/?status=disabled").context["page"].object_list
    assert [a.user.username for a in disabled] == ["clerk03"]


def test_the_campaign_office_keeps_the_people_of_its_own_subtree(tree, make_user):
    office = _client(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))
    response = office.post("/people/new/", {"name": "李明", "position": "副镇长", "unit": tree.qiaotouhe.pk})
    assert response.status_code == 302
    person = Person.objects.get(name="李明")
    assert office.post(f"/people/{person.pk}/edit/", {"name": "李明", "position": "镇长",
                                                      "unit": tree.qiaotouhe.pk}).status_code == 302
    assert Person.objects.get(pk=person.pk).position == "镇长"
    # above or beside its subtree: as if absent
    assert office.post("/people/new/", {"name": "贺军", "unit": tree.louxing.pk}).status_code == 404
    township = _client(make_user(Role.CAMPAIGN_OFFICE, tree.qiaotouhe))
    assert township.post("/people/new/", {"name": "张三", "unit": tree.lianyuan.pk}).status_code == 404


def test_an_administrators_change_to_the_tree_is_in_the_security_log(tree, make_user):
    """The 系统管理员's edits of units, people and groups reach the log the 审计管理员 reads; a business
    login's do not (they are in the objects' history only)."""
    sysadmin = make_user(Role.SYSTEM_ADMIN, tree.city, username="sysadmin2")
    office = make_user(Role.CAMPAIGN_OFFICE, tree.city, username="office2")
    org_services.person_create(actor=sysadmin, unit=tree.lianyuan, name="新任领导", is_party_leader=True)
    org_services.person_create(actor=office, unit=tree.lianyuan, name="另一领导", is_party_leader=True)
    changes = list(SecurityEvent.objects.filter(kind=SecurityEventKind.ADMIN_CHANGE))
    assert [(e.username, e.detail["object"], e.detail["change"]) for e in changes] == [
        ("sysadmin2", changes[0].detail["object"], "新增")]
    assert "新任领导" in changes[0].detail["object"]
