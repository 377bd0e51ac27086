"""Ids in request bodies are checked like ids in URLs: an out-of-scope id answers 404 and changes nothing."""

import pytest

from huitoukan.access.models import Role, RoleAssignment
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import Person, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_sysadmin(tree, make_user, client):
    client.force_login(make_user(Role.SYSTEM_ADMIN, tree.lianyuan))
    return client


def test_move_to_an_out_of_scope_parent(tree, county_sysadmin):
    response = county_sysadmin.post(f"/units/{tree.qiaotouhe.pk}/move/", {"new_parent": tree.louxing.pk})
    assert response.status_code == 404
    assert Unit.objects.get(pk=tree.qiaotouhe.pk).full_name == "娄底市/涟源市/桥头河镇"


def test_merge_into_an_out_of_scope_unit(tree, county_sysadmin):
    response = county_sysadmin.post(f"/units/{tree.shishi.pk}/abolish/",
                                    {"on": "2015-03-01", "merged_into": tree.leping.pk})
    assert response.status_code == 404
    assert Unit.objects.get(pk=tree.shishi.pk).abolished_on is None


def test_person_into_an_out_of_scope_unit(tree, county_sysadmin):
    assert county_sysadmin.post("/people/new/", {"name": "贺军", "unit": tree.louxing.pk}).status_code == 404
    assert not Person.objects.filter(name="贺军").exists()


def test_api_move_and_person_with_out_of_scope_ids(tree, county_sysadmin):
    response = county_sysadmin.post(f"/api/v1/units/{tree.qiaotouhe.pk}/move/", {"new_parent": tree.louxing.pk},
                                    content_type="application/json")
    assert response.status_code == 404
    response = county_sysadmin.post("/api/v1/people/", {"name": "贺军", "unit": tree.louxing.pk},
                                    content_type="application/json")
    assert response.status_code in (400, 404)
    assert not Person.objects.filter(name="贺军").exists()


def test_grant_over_an_out_of_scope_unit_person_or_group(tree, make_user, client):
    client.force_login(make_user(Role.SECURITY_ADMIN, tree.lianyuan))
    target = make_user(username="target")
    outsider = org_services.person_create(actor=None, unit=tree.louxing, name="贺军")
    group = org_services.supervision_group_create(actor=None, dispatched_by=tree.city, name="市委第一督导组",
                                                  assigned_units=[tree.louxing])
    attempts = [
        {"username": "target", "role": Role.UNIT_FILLER, "unit": tree.louxing.pk},
        {"username": "target", "role": Role.RESPONSIBLE_LEADER, "unit": tree.lianyuan.pk, "person": outsider.pk},
        {"username": "target", "role": Role.SUPERVISOR, "unit": tree.lianyuan.pk, "supervision_group": group.pk},
    ]
    for data in attempts:
        response = client.post("/roles/grant/", data)
        assert response.status_code in (200, 404), data  # 200 = form redisplayed with its error
        assert not RoleAssignment.objects.filter(user=target).exists(), data
