"""Command-line administration: accounts, the 安全管理员 grant, the log check."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from huitoukan.access import policy, services
from huitoukan.access.models import Account, AccountKind, Role, RoleAssignment
from huitoukan.access.policy import Perm
from huitoukan.audit.models import SecurityEvent, SecurityEventKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def operator(settings, make_user):
    """The login the structural commands run as when --as is not given (HUITOUKAN_OPERATOR)."""
    settings.OPERATOR = "ops"
    return make_user(username="ops")


def test_create_user_checks_the_password_profile(monkeypatch):
    monkeypatch.setenv("HUITOUKAN_NEW_PASSWORD", "weakpass")
    with pytest.raises(CommandError) as err:
        call_command("create-user", "zhang")
    assert "至少3类" in str(err.value)
    monkeypatch.setenv("HUITOUKAN_NEW_PASSWORD", "Strong#2015")
    call_command("create-user", "zhang")
    assert not get_user_model().objects.get(username="zhang").is_superuser


def test_create_user_types_the_login_for_good(tree, monkeypatch):
    monkeypatch.setenv("HUITOUKAN_NEW_PASSWORD", "Strong#2015")
    call_command("create-user", "wang", "--unit", "娄底市/涟源市", "--must-change-password")
    call_command("create-user", "sec1", "--kind", "安全管理员")
    wang, sec1 = Account.objects.get(user__username="wang"), Account.objects.get(user__username="sec1")
    assert (wang.kind, wang.unit, wang.must_change_password) == (AccountKind.BUSINESS, tree.lianyuan, True)
    assert (sec1.kind, sec1.unit) == (AccountKind.SECURITY_ADMIN, None)
    created = SecurityEvent.objects.filter(kind=SecurityEventKind.ACCOUNT_CREATED).exclude(
        detail__to="ops").order_by("id")
    assert [(e.username, e.detail["to"], e.detail["kind"]) for e in created] == [
        ("ops", "wang", "business"), ("ops", "sec1", "security_admin")]
    # an administrator's login belongs to no unit, and an unknown kind is named
    with pytest.raises(CommandError) as err:
        call_command("create-user", "sys1", "--kind", "系统管理员", "--unit", "娄底市")
    assert "不属于任何单位" in str(err.value)
    with pytest.raises(CommandError) as err:
        call_command("create-user", "x1", "--kind", "超级管理员")
    assert "未知账号类型" in str(err.value)


def test_create_user_makes_a_new_installation_s_first_login_without_a_named_one(monkeypatch, settings):
    get_user_model().objects.all().delete()
    settings.OPERATOR = ""
    monkeypatch.setenv("HUITOUKAN_NEW_PASSWORD", "Strong#2015")
    call_command("create-user", "ops")
    event = SecurityEvent.objects.filter(kind=SecurityEventKind.ACCOUNT_CREATED).latest("id")
    assert (event.username, event.detail["to"]) == ("命令行", "ops")
    # once a login exists, another is created in a named login's name
    with pytest.raises(CommandError) as err:
        call_command("create-user", "zhang")
    assert "--as" in str(err.value)


def test_grant_role_refuses_an_administrator_role_to_a_business_login(tree, make_user, operator):
    make_user(username="zhang")
    with pytest.raises(CommandError) as err:
        call_command("grant-role", "zhang", "安全管理员", "娄底市")
    assert "业务账号" in str(err.value)
    assert not RoleAssignment.objects.filter(user__username="zhang").exists()


def _security_admin_login(username="zhang"):
    return services.account_create(actor=None, username=username, kind=AccountKind.SECURITY_ADMIN, password=None)


def test_grant_role_by_chinese_label_and_unit_path(tree, make_user, operator):
    user = _security_admin_login()
    call_command("grant-role", "zhang", "安全管理员", "娄底市")
    assignment = RoleAssignment.objects.get(user=user)
    assert assignment.role == Role.SECURITY_ADMIN and assignment.granted_by == operator
    event = SecurityEvent.objects.get(kind=SecurityEventKind.ROLE_GRANTED)
    assert (event.user, event.username) == (operator, "ops")
    assert assignment.history.get().history_user == operator


def test_grant_role_needs_a_named_login(tree, make_user, settings):
    _security_admin_login()
    settings.OPERATOR = ""
    with pytest.raises(CommandError) as err:
        call_command("grant-role", "zhang", "安全管理员", "娄底市")
    assert "--as" in str(err.value)
    assert not RoleAssignment.objects.exists()


def test_the_operator_authority_ends_with_the_command(tree, make_user, operator):
    _security_admin_login()
    call_command("grant-role", "zhang", "安全管理员", "娄底市", "--as", "ops")
    # Outside the command the login holds what its own roles give it: here nothing.
    assert not policy.can(operator, Perm.ROLE_GRANT, tree.city)
    assert not policy.can(operator, Perm.UNIT_MANAGE, None)


def test_the_operator_holds_structure_and_grants_never_business_data(tree, operator):
    from huitoukan.orgs import services as org_services

    # A login that is also a leader's: as the operator it acts as no one.
    leader = org_services.person_create(actor=None, unit=tree.lianyuan, name="运维员")
    org_services.person_update(actor=None, person=leader, user=operator)
    assert policy.persons_of(operator) == {leader.pk}
    with policy.operating(operator):
        assert policy.can(operator, Perm.UNIT_MANAGE, None)  # a new top unit
        assert policy.can(operator, Perm.ROLE_GRANT, tree.qiaotouhe)
        assert not policy.can(operator, Perm.WORK_VIEW, tree.city)
        assert not policy.can(operator, Perm.LEDGER_EDIT, tree.lianyuan)
        assert policy.persons_of(operator) == set()
    assert not policy.can(operator, Perm.UNIT_VIEW, tree.city)
    assert policy.persons_of(operator) == {leader.pk}


def test_the_operator_still_grants_nothing_to_itself(tree, operator):
    with pytest.raises(CommandError) as err:
        call_command("grant-role", "ops", "安全管理员", "娄底市")
    assert "不能给自己" in str(err.value)


def test_grant_role_names_an_unknown_unit(tree, make_user):
    make_user(username="zhang")
    with pytest.raises(CommandError) as err:
        call_command("grant-role", "zhang", "活动办管理员", "不存在市")
    assert "找不到单位“不存在市”" in str(err.value)


def test_audit_verify_fails_on_a_tampered_log(tree, make_user):
    make_user(username="zhang")
    call_command("grant-role", "zhang", "活动办管理员", "娄底市/涟源市")
    call_command("audit-verify", "--anchor")  # a log with rows is verified against its anchors
    call_command("audit-verify")
    SecurityEvent.objects.update(username="x")
    with pytest.raises(CommandError):
        call_command("audit-verify")


def test_grant_role_finds_the_group_of_the_named_dispatching_unit(tree, make_user):
    from huitoukan.orgs import services as org_services

    org_services.supervision_group_create(actor=None, dispatched_by=tree.lianyuan, name="第一督导组",
                                          assigned_units=[tree.qiaotouhe])
    city_group = org_services.supervision_group_create(actor=None, dispatched_by=tree.city, name="第一督导组",
                                                       assigned_units=[tree.louxing])
    user = make_user(username="zhang")
    call_command("grant-role", "zhang", "督导组成员", "娄底市", "--group", "第一督导组")
    assert RoleAssignment.objects.get(user=user).supervision_group == city_group
