"""People and supervision groups over the API, scoped like the web pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huitoukan.access.models import Role
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import Person

NOT_FOUND = {"detail": "不存在或不在权限范围内"}


@pytest.fixture
def people(tree):
    make = org_services.person_create
    return {
        "zhang": make(
            actor=None, unit=tree.lianyuan, name="张卫国", position="市委书记", is_unit_head=True
        ),
        "peng": make(actor=None, unit=tree.qiaotouhe, name="彭光辉", position="镇党委书记"),
        "he": make(actor=None, unit=tree.louxing, name="贺军", position="区委书记"),
    }


@pytest.fixture
def group(tree, people):
    return org_services.supervision_group_create(
        actor=None,
        dispatched_by=tree.city,
        name="市委第一督导组",
        assigned_units=[tree.louxing],
    )


@pytest.mark.django_db
def test_county_office_lists_the_people_of_its_county(tree, people, make_user, client_for):
    client = client_for(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))

    response = client.get(reverse("api-person-list"))

    assert [p["name"] for p in response.json()["results"]] == ["张卫国", "彭光辉"]
    assert response.json()["results"][0]["unit_full_name"] == "娄底市/涟源市"


@pytest.mark.django_db
def test_people_filters_by_subtree_and_name(tree, people, make_user, client_for):
    client = client_for(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))

    by_unit = client.get(reverse("api-person-list"), {"unit": tree.qiaotouhe.pk}).json()["results"]
    by_name = client.get(reverse("api-person-list"), {"q": "卫国"}).json()["results"]
    outside = client.get(reverse("api-person-list"), {"unit": tree.louxing.pk})

    assert [p["name"] for p in by_unit] == ["彭光辉"]
    assert [p["name"] for p in by_name] == ["张卫国"]
    assert outside.status_code == 404


@pytest.mark.django_db
def test_person_of_another_county_looks_missing(tree, people, make_user, client_for):
    client = client_for(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))

    other = client.get(reverse("api-person-detail", args=[people["he"].pk]))
    missing = client.get(reverse("api-person-detail", args=[999_999]))

    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json() == NOT_FOUND


@pytest.mark.django_db
def test_system_admin_creates_and_updates_a_person_in_scope(tree, people, make_user, client_for):
    client = client_for(make_user(Role.SYSTEM_ADMIN, tree.lianyuan))

    created = client.post(
        reverse("api-person-list"),
        {"unit": tree.qiaotouhe.pk, "name": "胡春林", "position": "镇长"},
        format="json",
    )
    moved = client.patch(
        reverse("api-person-detail", args=[created.json()["id"]]),
        {"unit": tree.shishi.pk},
        format="json",
    )

    assert created.status_code == 201
    assert moved.status_code == 200
    person = Person.objects.get(pk=created.json()["id"])
    assert (person.unit_id, person.position, person.is_party_leader) == (
        tree.shishi.pk,
        "镇长",
        False,
    )


@pytest.mark.django_db
def test_system_admin_cannot_add_or_move_people_outside_scope(tree, people, make_user, client_for):
    client = client_for(make_user(Role.SYSTEM_ADMIN, tree.lianyuan))

    created = client.post(
        reverse("api-person-list"), {"unit": tree.louxing.pk, "name": "某人"}, format="json"
    )
    moved_out = client.patch(
        reverse("api-person-detail", args=[people["peng"].pk]),
        {"unit": tree.louxing.pk},
        format="json",
    )
    edited = client.patch(
        reverse("api-person-detail", args=[people["he"].pk]), {"name": "改名"}, format="json"
    )

    assert created.status_code == moved_out.status_code == edited.status_code == 404
    assert Person.objects.get(pk=people["peng"].pk).unit_id == tree.qiaotouhe.pk
    assert Person.objects.get(pk=people["he"].pk).name == "贺军"


@pytest.mark.django_db
def test_campaign_office_edits_the_people_of_its_own_subtree_only(tree, people, make_user, client_for):
    # A new lead leader must not wait for an administrator: the 活动办 keeps its own part's people.
    lianyuan = client_for(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))
    township = client_for(make_user(Role.CAMPAIGN_OFFICE, tree.qiaotouhe))
    url = reverse("api-person-detail", args=[people["zhang"].pk])

    assert lianyuan.patch(url, {"name": "改名"}, format="json").status_code == 200
    assert township.patch(url, {"name": "再改"}, format="json").status_code == 404  # above its subtree


@pytest.mark.django_db
def test_groups_are_visible_where_dispatched_or_assigned(tree, group, make_user, client_for):
    louxing = client_for(make_user(Role.CAMPAIGN_OFFICE, tree.louxing))
    lianyuan = client_for(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))

    listed = louxing.get(reverse("api-group-list")).json()["results"]
    detail = louxing.get(reverse("api-group-detail", args=[group.pk]))
    hidden = lianyuan.get(reverse("api-group-detail", args=[group.pk]))

    assert [g["name"] for g in listed] == ["市委第一督导组"]
    assert detail.json()["assigned_units"] == [
        {"id": tree.louxing.pk, "full_name": "娄底市/娄星区"}
    ]
    assert detail.json()["leader_name"] is None
    assert lianyuan.get(reverse("api-group-list")).json()["results"] == []
    assert hidden.status_code == 404
    assert hidden.json() == NOT_FOUND
