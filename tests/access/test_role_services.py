"""Granting roles: 三员分立, no self-grant, scope of the grantor, and the security log."""

import pytest
from django.http import Http404

from huitoukan.access import services
from huitoukan.access.errors import AccessErrorCode
from huitoukan.access.models import Role, RoleAssignment
from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from huitoukan.core.errors import DomainError
from huitoukan.orgs import services as org_services

pytestmark = pytest.mark.django_db


def test_security_admin_grants_a_role_and_the_grant_is_logged_and_in_history(tree, make_user):
    secadmin = make_user(Role.SECURITY_ADMIN, tree.city)
    clerk = make_user()
    assignment = services.role_grant(actor=secadmin, user=clerk, role=Role.UNIT_FILLER, unit=tree.lianyuan)
    assert assignment.granted_by == secadmin
    event = SecurityEvent.objects.filter(kind=SecurityEventKind.ROLE_GRANTED).latest("id")
    assert event.user == secadmin and event.detail["to"] == clerk.username
    assert assignment.history.first().history_user == secadmin


def test_security_admin_cannot_grant_outside_their_subtree(tree, make_user):
    secadmin = make_user(Role.SECURITY_ADMIN, tree.lianyuan)
    with pytest.raises(Http404):
        services.role_grant(actor=secadmin, user=make_user(), role=Role.UNIT_FILLER, unit=tree.louxing)


def test_nobody_grants_security_admin_from_the_application(tree, make_user):
    secadmin = make_user(Role.SECURITY_ADMIN, tree.city)
    with pytest.raises(DomainError) as err:
        services.role_grant(actor=secadmin, user=make_user(), role=Role.SECURITY_ADMIN, unit=tree.city)
    assert err.value.code == AccessErrorCode.ROLE_NOT_GRANTABLE


def test_an_administrator_cannot_also_hold_a_business_role(tree, make_user):
    sysadmin = make_user(Role.SYSTEM_ADMIN, tree.city)
    with pytest.raises(DomainError) as err:
        services.role_grant(actor=None, user=sysadmin, role=Role.CAMPAIGN_OFFICE, unit=tree.city)
    assert err.value.code == AccessErrorCode.ADMIN_ACCOUNT_BUSINESS_ROLE
    office = make_user(Role.CAMPAIGN_OFFICE, tree.city)
    with pytest.raises(DomainError) as err:
        services.role_grant(actor=None, user=office, role=Role.AUDIT_ADMIN, unit=tree.city)
    assert err.value.code == AccessErrorCode.BUSINESS_ACCOUNT_ADMIN_ROLE


def test_two_administrator_roles_cannot_be_combined(tree, make_user):
    sysadmin = make_user(Role.SYSTEM_ADMIN, tree.city)
    with pytest.raises(DomainError) as err:
        services.role_grant(actor=None, user=sysadmin, role=Role.SECURITY_ADMIN, unit=tree.city)
    assert err.value.code == AccessErrorCode.ADMIN_ACCOUNT_OTHER_ROLE


def test_a_user_cannot_grant_to_themselves(tree, make_user):
    secadmin = make_user(Role.SECURITY_ADMIN, tree.city)
    with pytest.raises(DomainError) as err:
        services.role_grant(actor=secadmin, user=secadmin, role=Role.UNIT_FILLER, unit=tree.city)
    assert err.value.code == AccessErrorCode.SELF_GRANT


def test_responsible_leader_needs_a_person_in_the_unit(tree, make_user):
    elsewhere = org_services.person_create(actor=None, unit=tree.louxing, name="贺军", position="区委书记")
    with pytest.raises(DomainError) as err:
        services.role_grant(actor=None, user=make_user(), role=Role.RESPONSIBLE_LEADER, unit=tree.lianyuan)
    assert err.value.code == AccessErrorCode.PERSON_REQUIRED
    with pytest.raises(DomainError) as err:
        services.role_grant(actor=None, user=make_user(), role=Role.RESPONSIBLE_LEADER, unit=tree.lianyuan,
                            person=elsewhere)
    assert err.value.code == AccessErrorCode.PERSON_OUTSIDE_UNIT


def test_supervisor_needs_a_group(tree, make_user):
    with pytest.raises(DomainError) as err:
        services.role_grant(actor=None, user=make_user(), role=Role.SUPERVISOR, unit=tree.city)
    assert err.value.code == AccessErrorCode.GROUP_REQUIRED


def test_the_same_grant_twice_is_refused(tree, make_user):
    user = make_user(Role.UNIT_FILLER, tree.lianyuan)
    with pytest.raises(DomainError) as err:
        services.role_grant(actor=None, user=user, role=Role.UNIT_FILLER, unit=tree.lianyuan)
    assert err.value.code == AccessErrorCode.ALREADY_GRANTED


def test_revoke_removes_the_scope_and_keeps_the_history(tree, make_user):
    secadmin = make_user(Role.SECURITY_ADMIN, tree.city)
    clerk = make_user(Role.UNIT_FILLER, tree.lianyuan)
    assignment = RoleAssignment.objects.get(user=clerk)
    assignment_id = assignment.pk
    services.role_revoke(actor=secadmin, assignment=assignment)
    assert not RoleAssignment.objects.filter(user=clerk).exists()
    deleted = RoleAssignment.history.get(id=assignment_id, history_type="-")
    assert deleted.history_user == secadmin
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.ROLE_REVOKED).exists()
