"""Rules added after review: stale parents, abolition dates, group placement, grant scope."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404

from huitoukan.access import services as access_services
from huitoukan.access.errors import AccessErrorCode
from huitoukan.access.models import Role, RoleAssignment
from huitoukan.core.errors import DomainError
from huitoukan.orgs import services
from huitoukan.orgs.errors import OrgsErrorCode
from huitoukan.orgs.models import Unit, UnitKind, UnitLevel

pytestmark = pytest.mark.django_db


def test_a_child_added_through_a_stale_parent_copy_gets_the_current_name_path(tree):
    stale = Unit.objects.get(pk=tree.qiaotouhe.pk)
    services.unit_update(actor=None, unit=tree.lianyuan, name="涟源县")
    child = services.unit_create(actor=None, parent=stale, name="新村", level=UnitLevel.VILLAGE,
                                 kind=UnitKind.GRASSROOTS)
    assert child.full_name == "娄底市/涟源县/桥头河镇/新村"


def test_a_unit_cannot_be_added_under_a_parent_abolished_meanwhile(tree):
    stale = Unit.objects.get(pk=tree.leping.pk)
    services.unit_abolish(actor=None, unit=tree.leping, on=dt.date(2015, 1, 1))
    with pytest.raises(DomainError) as err:
        services.unit_create(actor=None, parent=stale, name="新村", level=UnitLevel.VILLAGE,
                             kind=UnitKind.GRASSROOTS)
    assert err.value.code == OrgsErrorCode.PARENT_ABOLISHED


def test_two_active_units_cannot_share_a_name_path_even_bypassing_the_service(tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.add_child(tree.lianyuan, instance=Unit(name="桥头河镇", full_name="娄底市/涟源市/桥头河镇",
                                                            level=UnitLevel.TOWNSHIP, kind=UnitKind.GRASSROOTS))


def test_abolition_cannot_precede_establishment_or_the_childrens_abolition_or_be_in_the_future(tree):
    with pytest.raises(DomainError) as err:
        services.unit_abolish(actor=None, unit=tree.shishi, on=dt.date(2010, 1, 1))
    assert err.value.code == OrgsErrorCode.ABOLISH_BEFORE_ESTABLISHED
    with pytest.raises(DomainError) as err:
        services.unit_abolish(actor=None, unit=tree.shishi, on=dt.date(2999, 1, 1))
    assert err.value.code == OrgsErrorCode.ABOLISH_IN_FUTURE
    services.unit_abolish(actor=None, unit=tree.shishi, on=dt.date(2015, 6, 1))
    with pytest.raises(DomainError) as err:
        services.unit_abolish(actor=None, unit=tree.qiaotouhe, on=dt.date(2015, 1, 1))
    assert err.value.code == OrgsErrorCode.ABOLISH_BEFORE_CHILDREN


def test_an_abolished_unit_is_neither_edited_moved_nor_given_people(tree):
    services.unit_abolish(actor=None, unit=tree.leping, on=dt.date(2015, 1, 1))
    tree.refresh()
    with pytest.raises(DomainError):
        services.unit_update(actor=None, unit=tree.leping, name="新名")
    with pytest.raises(DomainError):
        services.unit_move(actor=None, unit=tree.leping, new_parent=tree.lianyuan)
    person = services.person_create(actor=None, unit=tree.qiaotouhe, name="胡春林")
    with pytest.raises(DomainError) as err:
        services.person_update(actor=None, person=person, unit=tree.leping)
    assert err.value.code == OrgsErrorCode.PERSON_UNIT_ABOLISHED


def test_a_supervision_group_supervises_only_units_below_its_dispatcher(tree):
    with pytest.raises(DomainError) as err:
        services.supervision_group_create(actor=None, dispatched_by=tree.lianyuan, name="涟源市督导组",
                                          assigned_units=[tree.leping])
    assert err.value.code == OrgsErrorCode.GROUP_UNIT_OUTSIDE


def test_audit_admin_is_granted_from_the_command_line_only(tree, make_user):
    secadmin = make_user(Role.SECURITY_ADMIN, tree.lianyuan)
    with pytest.raises(DomainError) as err:
        access_services.role_grant(actor=secadmin, user=make_user(), role=Role.AUDIT_ADMIN, unit=tree.lianyuan)
    assert err.value.code == AccessErrorCode.ROLE_NOT_GRANTABLE


def test_granting_a_group_membership_needs_scope_over_every_unit_of_the_group(tree, make_user):
    group = services.supervision_group_create(actor=None, dispatched_by=tree.city, name="市委第一督导组",
                                              assigned_units=[tree.lianyuan, tree.louxing])
    county_secadmin = make_user(Role.SECURITY_ADMIN, tree.lianyuan)
    with pytest.raises(Http404):
        access_services.role_grant(actor=county_secadmin, user=make_user(), role=Role.SUPERVISOR,
                                   unit=tree.city, supervision_group=group)


def test_the_database_refuses_a_duplicate_grant(tree, make_user):
    user = make_user(Role.UNIT_FILLER, tree.lianyuan)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.UNIT_FILLER, unit=tree.lianyuan)
