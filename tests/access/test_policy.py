"""The policy module: scopes are subtrees, 三员 read no business data, refusals look like absence."""

import pytest
from django.http import Http404

from huitoukan.access import policy
from huitoukan.access.models import Role
from huitoukan.access.policy import Perm, Scope
from huitoukan.core.paths import next_prefix, path_range_q
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import Unit


def test_next_prefix_carries_over_the_alphabet():
    assert next_prefix("0001") == "0002"
    assert next_prefix("000Z") == "001"
    assert next_prefix("ZZZZ") is None


@pytest.mark.django_db
def test_path_range_covers_exactly_the_subtree(tree):
    under_lianyuan = set(Unit.objects.filter(path_range_q(tree.lianyuan.path)).values_list("name", flat=True))
    assert under_lianyuan == {"涟源市", "桥头河镇", "石狮村"}


@pytest.mark.django_db
def test_county_office_scope_is_its_subtree_only(tree, make_user):
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    assert policy.can(office, Perm.UNIT_VIEW, tree.shishi)
    assert policy.can(office, Perm.WORK_VIEW, tree.lianyuan)
    assert not policy.can(office, Perm.UNIT_VIEW, tree.city)
    assert not policy.can(office, Perm.UNIT_VIEW, tree.louxing)
    assert not policy.can(office, Perm.UNIT_MANAGE, tree.lianyuan)


@pytest.mark.django_db
def test_refusal_is_a_404(tree, make_user):
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    with pytest.raises(Http404):
        policy.require(office, Perm.UNIT_VIEW, tree.louxing)


@pytest.mark.django_db
def test_user_without_roles_can_do_nothing(tree, make_user):
    nobody = make_user()
    for perm in Perm:
        assert not policy.has_perm_somewhere(nobody, perm)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_administrators_never_read_business_data(tree, make_user, role):
    admin = make_user(role, tree.city)
    assert not policy.can(admin, Perm.WORK_VIEW, tree.lianyuan)
    assert not policy.can(admin, Perm.CAMPAIGN_VIEW, tree.lianyuan)


@pytest.mark.django_db
def test_audit_admin_reads_the_log_and_nothing_else(tree, make_user):
    auditor = make_user(Role.AUDIT_ADMIN, tree.city)
    assert policy.can(auditor, Perm.AUDIT_VIEW, None)
    assert not policy.can(auditor, Perm.UNIT_VIEW, tree.city)


@pytest.mark.django_db
def test_supervisor_covers_the_groups_assigned_units(tree, make_user):
    group = org_services.supervision_group_create(
        actor=None, dispatched_by=tree.city, name="市委第二督导组", assigned_units=[tree.lianyuan, tree.education]
    )
    member = make_user(Role.SUPERVISOR, tree.city, group=group)
    assert policy.can(member, Perm.WORK_VIEW, tree.shishi)
    assert policy.can(member, Perm.WORK_VIEW, tree.education)
    assert not policy.can(member, Perm.WORK_VIEW, tree.city)
    assert not policy.can(member, Perm.WORK_VIEW, tree.louxing)


@pytest.mark.django_db
def test_scope_follows_a_moved_subtree(tree, make_user):
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    org_services.unit_move(actor=None, unit=tree.qiaotouhe, new_parent=tree.louxing)
    tree.refresh()
    policy.forget(office)
    assert not policy.can(office, Perm.UNIT_VIEW, tree.qiaotouhe)
    assert not policy.can(office, Perm.UNIT_VIEW, tree.shishi)


def test_scope_collapses_nested_prefixes():
    scope = Scope(prefixes=policy._collapse({"0001", "00010002", "0002"}))
    assert scope.prefixes == ("0001", "0002")
    assert scope.covers_path("000100020003")
    assert not scope.covers_path("0003")


@pytest.mark.django_db
def test_users_who_can_act_on_a_unit_include_ancestor_offices_and_its_supervisors(tree, make_user):
    city_office = make_user(Role.CAMPAIGN_OFFICE, tree.city)
    county_office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    other_county = make_user(Role.CAMPAIGN_OFFICE, tree.louxing)
    group = org_services.supervision_group_create(
        actor=None, dispatched_by=tree.city, name="督导组", assigned_units=[tree.lianyuan]
    )
    member = make_user(Role.SUPERVISOR, tree.city, group=group)
    who = set(policy.users_who_can(Perm.WORK_VIEW, tree.qiaotouhe))
    assert {city_office, county_office, member} <= who
    assert other_county not in who
