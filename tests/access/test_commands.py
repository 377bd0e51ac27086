"""Command-line administration: accounts, the 安全管理员 grant, the log check."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from huitoukan.access.models import Role, RoleAssignment
from huitoukan.audit.models import SecurityEvent

pytestmark = pytest.mark.django_db


def test_create_user_checks_the_password_profile(monkeypatch):
    monkeypatch.setenv("HUITOUKAN_NEW_PASSWORD", "weakpass")
    with pytest.raises(CommandError) as err:
        call_command("create-user", "zhang")
    assert "至少3类" in str(err.value)
    monkeypatch.setenv("HUITOUKAN_NEW_PASSWORD", "Strong#2015")
    call_command("create-user", "zhang")
    assert not get_user_model().objects.get(username="zhang").is_superuser


def test_grant_role_by_chinese_label_and_unit_path(tree, make_user):
    user = make_user(username="zhang")
    call_command("grant-role", "zhang", "安全管理员", "娄底市")
    assert RoleAssignment.objects.get(user=user).role == Role.SECURITY_ADMIN


def test_grant_role_names_an_unknown_unit(tree, make_user):
    make_user(username="zhang")
    with pytest.raises(CommandError) as err:
        call_command("grant-role", "zhang", "活动办管理员", "不存在市")
    assert "找不到单位“不存在市”" in str(err.value)


def test_audit_verify_fails_on_a_tampered_log(tree, make_user):
    make_user(username="zhang")
    call_command("grant-role", "zhang", "活动办管理员", "娄底市/涟源市")
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
