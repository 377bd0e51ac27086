"""No sequence of grants and revocations lets an administrator's login read a ledger (issue 11, item 4).

Random sequences of role_grant / role_revoke calls, by the 安全管理员, a campaign office or the server
operator (the command line), on random logins (the 三员's, a spare administrator's login, business
logins) and random roles and units. After every call no administrator's login may read business data
(the policy's read right over the ledger's unit, and any person acted as), and no login's kind has
changed; at the end of the sequence each administrator's login asks for the ledger's page and is refused.
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huitoukan.access import policy, services
from huitoukan.access.models import Account, AccountKind, Role, RoleAssignment
from huitoukan.access.policy import Perm
from huitoukan.campaigns import services as campaign_services
from huitoukan.core.errors import DomainError
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.orgs import services as org_services
from tests.conftest import Tree, built_once, rolled_back, user_create

ACTORS = ("secadmin", "office", "operator")
TARGETS = ("sysadmin", "secadmin", "auditor", "spare_admin", "clerk", "office", "leader")


@dataclass
class World:
    users: dict
    units: list
    person: object
    group: object
    ledger: object
    kinds: dict  # user pk -> kind at creation


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        tree = Tree()
        person = org_services.person_create(actor=None, unit=tree.lianyuan, name="吴海波", is_party_leader=True)
        group = org_services.supervision_group_create(actor=None, dispatched_by=tree.city, name="市委第二督导组",
                                                      assigned_units=[tree.lianyuan])
        users = {
            "sysadmin": user_create(Role.SYSTEM_ADMIN, tree.city, username="sysadmin"),
            "secadmin": user_create(Role.SECURITY_ADMIN, tree.city, username="secadmin"),
            "auditor": user_create(Role.AUDIT_ADMIN, tree.city, username="auditor"),
            "spare_admin": services.account_create(actor=None, username="spare_admin", kind=AccountKind.SYSTEM_ADMIN,
                                                   password=None),
            "office": user_create(Role.CAMPAIGN_OFFICE, tree.city, username="office"),
            "clerk": user_create(Role.UNIT_FILLER, tree.lianyuan, username="clerk"),
            "leader": user_create(Role.RESPONSIBLE_LEADER, tree.lianyuan, person=person, username="leader"),
            "operator": user_create(username="ops"),
        }
        # The 三员's logins belong to party leaders too: still no person to act as.
        org_services.person_update(actor=None, person=person, user=users["sysadmin"])
        campaign = campaign_services.campaign_create(actor=None, owner_unit=tree.city, name="回头看",
                                                     starts_on=dt.date(2014, 12, 31), ends_on=dt.date(2015, 2, 28))
        ledger = ledger_services.ledger_open(actor=None, campaign=campaign, unit=tree.lianyuan,
                                             kind=LedgerKind.LEADERSHIP)
        kinds = dict(Account.objects.values_list("user_id", "kind"))
        yield World(users=users, units=[tree.city, tree.lianyuan, tree.qiaotouhe, tree.louxing], person=person,
                    group=group, ledger=ledger, kinds=kinds)


grants = st.tuples(st.just("grant"), st.sampled_from(ACTORS), st.sampled_from(TARGETS), st.sampled_from(list(Role)),
                   st.integers(0, 3), st.booleans())
revokes = st.tuples(st.just("revoke"), st.sampled_from(ACTORS), st.integers(0, 30))


def _call(world: World, step) -> None:
    actor = world.users[step[1]]
    operating = policy.operating(actor) if step[1] == "operator" else nullcontext()
    with operating:
        actor = get_user_model().objects.get(pk=actor.pk)  # no grants cached from an earlier step
        if step[0] == "grant":
            _, _, target, role, unit_at, linked = step
            person = world.person if linked and role in services.PERSON_ROLES else None
            group = world.group if role == Role.SUPERVISOR else None
            services.role_grant(actor=actor, user=world.users[target], role=role, unit=world.units[unit_at],
                                person=person, supervision_group=group)
        else:
            held = list(RoleAssignment.objects.select_related("unit", "user").order_by("id"))
            services.role_revoke(actor=actor, assignment=held[step[2] % len(held)])


def _check(world: World) -> None:
    admins = [u for u in world.users.values() if world.kinds[u.pk] != AccountKind.BUSINESS]
    assert dict(Account.objects.values_list("user_id", "kind")) == world.kinds
    for admin in admins:
        fresh = get_user_model().objects.get(pk=admin.pk)
        assert not policy.has_perm_somewhere(fresh, Perm.WORK_VIEW), admin.username
        assert not policy.can(fresh, Perm.WORK_VIEW, world.ledger.unit), admin.username
        assert not policy.persons_of(fresh), admin.username


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.one_of(grants, revokes), min_size=1, max_size=8))
def test_no_sequence_of_grants_lets_an_administrator_read_a_ledger(world, db, steps):
    with rolled_back():
        for step in steps:
            try:
                _call(world, step)
            except (DomainError, Http404, PermissionDenied):
                pass
            _check(world)
        client = Client()
        for name in ("sysadmin", "secadmin", "auditor", "spare_admin"):
            client.force_login(world.users[name])
            assert client.get(f"/ledgers/{world.ledger.pk}/").status_code in (403, 404), name
