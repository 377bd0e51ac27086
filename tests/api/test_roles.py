"""Granting and revoking roles over the API: the 安全管理员's work, within their scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huitoukan.access.models import Role, RoleAssignment
from huitoukan.audit.models import SecurityEvent, SecurityEventKind


@pytest.fixture
def security_admin(tree, make_user, client_for):
    return client_for(make_user(Role.SECURITY_ADMIN, tree.lianyuan, username="secadmin"))


@pytest.mark.django_db
def test_security_admin_grants_a_role_in_scope(tree, make_user, security_admin):
    # given a user with no role
    target = make_user(username="newcomer")

    # when the 安全管理员 of 涟源市 makes them 桥头河镇's campaign office
    response = security_admin.post(
        reverse("api-role-assignment-list"),
        {
            "username": "newcomer",
            "role": "campaign_office",
            "unit": tree.qiaotouhe.pk,
        },
        format="json",
    )

    # then the role exists, names its grantor, and the grant is in the security log
    assert response.status_code == 201
    assert response.json()["unit_full_name"] == "娄底市/涟源市/桥头河镇"
    assert response.json()["granted_by"] == "secadmin"
    assert RoleAssignment.objects.filter(
        user=target, role=Role.CAMPAIGN_OFFICE, unit=tree.qiaotouhe
    ).exists()
    assert SecurityEvent.objects.filter(
        kind=SecurityEventKind.ROLE_GRANTED, detail__to="newcomer"
    ).exists()


@pytest.mark.django_db
def test_granting_security_admin_is_refused_with_the_reason(tree, make_user, security_admin):
    make_user(username="ambitious")

    response = security_admin.post(
        reverse("api-role-assignment-list"),
        {
            "username": "ambitious",
            "role": "security_admin",
            "unit": tree.lianyuan.pk,
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "ROLE_NOT_GRANTABLE"
    assert "安全管理员" in response.json()["detail"]
    assert not RoleAssignment.objects.filter(user__username="ambitious").exists()


@pytest.mark.django_db
def test_grant_outside_scope_looks_like_a_missing_unit(tree, make_user, security_admin):
    make_user(username="elsewhere")

    response = security_admin.post(
        reverse("api-role-assignment-list"),
        {
            "username": "elsewhere",
            "role": "unit_filler",
            "unit": tree.louxing.pk,
        },
        format="json",
    )

    assert response.status_code == 404


@pytest.mark.django_db
def test_grant_to_unknown_user_names_the_field(tree, security_admin):
    response = security_admin.post(
        reverse("api-role-assignment-list"),
        {
            "username": "ghost",
            "role": "unit_filler",
            "unit": tree.lianyuan.pk,
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "用户名（username）：找不到用户“ghost”。"


@pytest.mark.django_db
def test_campaign_office_may_read_but_not_grant(tree, make_user, client_for):
    office = client_for(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))
    make_user(username="someone")

    listed = office.get(reverse("api-role-assignment-list"))
    granted = office.post(
        reverse("api-role-assignment-list"),
        {
            "username": "someone",
            "role": "unit_filler",
            "unit": tree.lianyuan.pk,
        },
        format="json",
    )

    assert listed.status_code == 200
    assert [a["role"] for a in listed.json()["results"]] == ["campaign_office"]
    assert granted.status_code == 403  # it reads the grants of its scope, so it is told it may not grant


@pytest.mark.django_db
def test_security_admin_revokes_in_scope_but_not_outside(tree, make_user, security_admin):
    inside = make_user(Role.UNIT_FILLER, tree.shishi)
    outside = make_user(Role.UNIT_FILLER, tree.leping)
    inside_assignment = RoleAssignment.objects.get(user=inside)
    outside_assignment = RoleAssignment.objects.get(user=outside)

    revoked = security_admin.delete(
        reverse("api-role-assignment-detail", args=[inside_assignment.pk])
    )
    refused = security_admin.delete(
        reverse("api-role-assignment-detail", args=[outside_assignment.pk])
    )

    assert revoked.status_code == 204
    assert refused.status_code == 404
    assert not RoleAssignment.objects.filter(pk=inside_assignment.pk).exists()
    assert RoleAssignment.objects.filter(pk=outside_assignment.pk).exists()
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.ROLE_REVOKED).count() == 1
