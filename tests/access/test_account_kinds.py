"""Typed logins: an administrator's login and a business login are different kinds from their creation,
and no grant or revocation turns one into the other (issue 11, item 4)."""

import datetime as dt
import importlib
from contextlib import nullcontext

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client

from huitoukan.access import policy, services
from huitoukan.access.errors import AccessError, AccessErrorCode
from huitoukan.access.models import Account, AccountKind, Role, RoleAssignment
from huitoukan.access.policy import Perm
from huitoukan.campaigns import services as campaign_services
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.orgs import services as org_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(make_user):
    """The server operator's login (the command line's authority comes with `policy.operating`)."""
    return make_user(username="ops")


@pytest.fixture
def ledger(tree):
    campaign = campaign_services.campaign_create(actor=None, owner_unit=tree.city, name="回头看",
                                                 starts_on=dt.date(2014, 12, 31), ends_on=dt.date(2015, 2, 28))
    return ledger_services.ledger_open(actor=None, campaign=campaign, unit=tree.lianyuan, kind=LedgerKind.LEADERSHIP)


def _fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def _reads_ledger(user, ledger) -> bool:
    user = _fresh(user)
    return policy.has_perm_somewhere(user, Perm.WORK_VIEW) or policy.can(user, Perm.WORK_VIEW, ledger.unit)


def test_the_former_system_admin_cannot_be_made_a_ledger_reader(tree, make_user, operator, ledger):
    # given the 系统管理员 and the 安全管理员 of the city
    sysadmin = make_user(Role.SYSTEM_ADMIN, tree.city)
    secadmin = make_user(Role.SECURITY_ADMIN, tree.city)
    grant = RoleAssignment.objects.get(user=sysadmin)

    # when the 安全管理员 revokes the 系统管理员's role: refused, it is the command line's
    with pytest.raises(AccessError) as err:
        services.role_revoke(actor=secadmin, assignment=grant)
    assert err.value.code == AccessErrorCode.ROLE_NOT_GRANTABLE

    # and even once the operator has revoked it, granting that login a business role is refused
    with policy.operating(operator):
        services.role_revoke(actor=operator, assignment=grant)
    for actor in (secadmin, operator):
        with policy.operating(operator) if actor is operator else nullcontext():
            with pytest.raises(AccessError) as err:
                services.role_grant(actor=actor, user=sysadmin, role=Role.CAMPAIGN_OFFICE, unit=tree.lianyuan)
        assert err.value.code == AccessErrorCode.ADMIN_ACCOUNT_BUSINESS_ROLE
        assert "系统管理员账号" in err.value.message and "不能授予业务角色" in err.value.message

    # then the former administrator reads no ledger, on the policy and on the page
    assert not RoleAssignment.objects.filter(user=sysadmin).exists()
    assert not _reads_ledger(sysadmin, ledger)
    client = Client()
    client.force_login(sysadmin)
    assert client.get(f"/ledgers/{ledger.pk}/").status_code == 404
    assert Account.objects.get(user=sysadmin).kind == AccountKind.SYSTEM_ADMIN


def test_the_grant_page_says_why_an_administrator_gets_no_business_role(tree, make_user):
    sysadmin = make_user(Role.SYSTEM_ADMIN, tree.city)
    secadmin = make_user(Role.SECURITY_ADMIN, tree.city)
    client = Client()
    client.force_login(secadmin)
    response = client.post("/roles/grant/", {"username": sysadmin.username, "role": Role.DISCIPLINE,
                                             "unit": tree.lianyuan.pk})
    assert response.status_code == 200
    assert "不能授予业务角色" in response.content.decode()
    assert list(RoleAssignment.objects.filter(user=sysadmin).values_list("role", flat=True)) == [Role.SYSTEM_ADMIN]


def test_a_business_login_receives_no_administrator_role_even_from_the_command_line(tree, make_user, operator):
    clerk = make_user(Role.UNIT_FILLER, tree.lianyuan)
    with policy.operating(operator):
        for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
            with pytest.raises(AccessError) as err:
                services.role_grant(actor=operator, user=clerk, role=role, unit=tree.city)
            assert err.value.code == AccessErrorCode.BUSINESS_ACCOUNT_ADMIN_ROLE
    assert Account.objects.get(user=clerk).kind == AccountKind.BUSINESS


def test_an_administrator_login_receives_only_its_own_role_and_only_from_the_command_line(tree, make_user,
                                                                                          operator):
    secadmin = make_user(Role.SECURITY_ADMIN, tree.city)
    auditor = services.account_create(actor=None, username="auditor2", kind=AccountKind.AUDIT_ADMIN, password=None)
    # the 安全管理员 grants no administrator role, not even the right one to the right login
    with pytest.raises(AccessError) as err:
        services.role_grant(actor=secadmin, user=auditor, role=Role.AUDIT_ADMIN, unit=tree.city)
    assert err.value.code == AccessErrorCode.ROLE_NOT_GRANTABLE
    with policy.operating(operator):
        # the command line gives no other administrator's role
        with pytest.raises(AccessError) as err:
            services.role_grant(actor=operator, user=auditor, role=Role.SYSTEM_ADMIN, unit=tree.city)
        assert err.value.code == AccessErrorCode.ADMIN_ACCOUNT_OTHER_ROLE
        # and gives its own
        services.role_grant(actor=operator, user=auditor, role=Role.AUDIT_ADMIN, unit=tree.city)
    assert policy.roles_of(_fresh(auditor)) == {Role.AUDIT_ADMIN}


def test_revoking_never_changes_the_kind(tree, make_user, operator):
    clerk = make_user(Role.UNIT_FILLER, tree.lianyuan)
    auditor = make_user(Role.AUDIT_ADMIN, tree.city)
    with policy.operating(operator):
        for user in (clerk, auditor):
            services.role_revoke(actor=operator, assignment=RoleAssignment.objects.get(user=user))
    assert Account.objects.get(user=clerk).kind == AccountKind.BUSINESS
    assert Account.objects.get(user=auditor).kind == AccountKind.AUDIT_ADMIN
    # the revoked clerk may be a clerk again, the revoked auditor an auditor again, neither the other
    with policy.operating(operator):
        services.role_grant(actor=operator, user=clerk, role=Role.UNIT_FILLER, unit=tree.lianyuan)
        with pytest.raises(AccessError):
            services.role_grant(actor=operator, user=auditor, role=Role.UNIT_FILLER, unit=tree.lianyuan)


def test_the_policy_ignores_a_business_grant_written_on_an_administrator_login(tree, make_user, ledger):
    # given a bad row, written past the services, and the administrator's login linked to a lead leader
    sysadmin = make_user(Role.SYSTEM_ADMIN, tree.city)
    RoleAssignment.objects.create(user=sysadmin, role=Role.CAMPAIGN_OFFICE, unit=tree.city)
    leader = org_services.person_create(actor=None, unit=tree.lianyuan, name="李卫东", is_party_leader=True)
    org_services.person_update(actor=None, person=leader, user=sysadmin)
    fresh = _fresh(sysadmin)
    # then it gives nothing: no business read, no person acted as, only its own administrator role
    assert not _reads_ledger(sysadmin, ledger)
    assert policy.roles_of(fresh) == {Role.SYSTEM_ADMIN}
    assert policy.persons_of(fresh) == set()
    client = Client()
    client.force_login(sysadmin)
    assert client.get(f"/ledgers/{ledger.pk}/").status_code == 404
    # nor once its administrator role is gone
    RoleAssignment.objects.filter(user=sysadmin, role=Role.SYSTEM_ADMIN).delete()
    assert policy.persons_of(_fresh(sysadmin)) == set()
    assert not _reads_ledger(sysadmin, ledger)


def test_the_policy_ignores_an_administrator_grant_written_on_a_business_login(tree, make_user):
    clerk = make_user(Role.UNIT_FILLER, tree.lianyuan)
    RoleAssignment.objects.create(user=clerk, role=Role.AUDIT_ADMIN, unit=tree.city)
    assert policy.roles_of(_fresh(clerk)) == {Role.UNIT_FILLER}
    assert not policy.has_perm_somewhere(_fresh(clerk), Perm.AUDIT_VIEW)


def test_a_login_without_an_account_row_is_a_business_one(tree):
    user = get_user_model().objects.create_user(username="legacy")
    RoleAssignment.objects.create(user=user, role=Role.SYSTEM_ADMIN, unit=tree.city)
    assert policy.account_kind(_fresh(user)) == AccountKind.BUSINESS
    assert not policy.has_perm_somewhere(_fresh(user), Perm.UNIT_MANAGE)


def test_the_migration_types_every_existing_login_by_its_roles(tree):
    migration = importlib.import_module("huitoukan.access.migrations.0003_account_kinds")
    User = get_user_model()
    admin, clerk, spread, leader, nobody = (User.objects.create_user(username=n)
                                            for n in ("a", "clerk", "spread", "leader", "nobody"))
    RoleAssignment.objects.create(user=admin, role=Role.SECURITY_ADMIN, unit=tree.city)
    RoleAssignment.objects.create(user=clerk, role=Role.UNIT_FILLER, unit=tree.qiaotouhe)
    RoleAssignment.objects.create(user=spread, role=Role.UNIT_FILLER, unit=tree.shishi)
    RoleAssignment.objects.create(user=spread, role=Role.DISCIPLINE, unit=tree.leping)
    person = org_services.person_create(actor=None, unit=tree.louxing, name="周平")
    org_services.person_update(actor=None, person=person, user=leader)

    migration.kinds_given(apps, None)

    kinds = {a.user.username: (a.kind, a.unit) for a in Account.objects.select_related("user", "unit")}
    assert kinds == {
        "a": (AccountKind.SECURITY_ADMIN, None),
        "clerk": (AccountKind.BUSINESS, tree.qiaotouhe),
        "spread": (AccountKind.BUSINESS, tree.city),  # the nearest unit above both grants
        "leader": (AccountKind.BUSINESS, tree.louxing),
        "nobody": (AccountKind.BUSINESS, None),
    }
