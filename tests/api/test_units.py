"""Units over the API: the scope of the web pages, 404 for anything outside it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from huitoukan.access.models import Role
from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import Unit, UnitKind, UnitLevel

NOT_FOUND = {"detail": "不存在或不在权限范围内"}


def _names(response) -> list[str]:
    return [row["full_name"] for row in response.json()["results"]]


@pytest.fixture
def lianyuan_office(tree, make_user, client_for):
    return client_for(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))


@pytest.fixture
def sysadmin(tree, make_user, client_for):
    """A 系统管理员 of 涟源市 only, so that 娄星区 is outside their scope."""
    return client_for(make_user(Role.SYSTEM_ADMIN, tree.lianyuan))


@pytest.mark.django_db
def test_county_office_lists_exactly_its_county_and_below(tree, lianyuan_office):
    response = lianyuan_office.get(reverse("api-unit-list"))

    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert _names(response) == [
        "娄底市/涟源市",
        "娄底市/涟源市/桥头河镇",
        "娄底市/涟源市/桥头河镇/石狮村",
    ]


@pytest.mark.django_db
def test_unit_rows_carry_the_documented_fields(tree, lianyuan_office):
    row = lianyuan_office.get(reverse("api-unit-detail", args=[tree.qiaotouhe.pk])).json()

    assert row == {
        "id": tree.qiaotouhe.pk,
        "name": "桥头河镇",
        "full_name": "娄底市/涟源市/桥头河镇",
        "level": "township",
        "level_display": "乡镇街道",
        "kind": "party_committee",
        "kind_display": "党委",
        "batch": "",
        "sector": "",
        "parent_id": tree.lianyuan.pk,
        "depth": 3,
        "numchild": 1,
        "established_on": "2013-06-18",
        "abolished_on": None,
        "merged_into_id": None,
    }


@pytest.mark.django_db
def test_list_and_detail_give_the_same_parent(tree, lianyuan_office):
    rows = lianyuan_office.get(reverse("api-unit-list")).json()["results"]

    assert [r["parent_id"] for r in rows] == [tree.city.pk, tree.lianyuan.pk, tree.qiaotouhe.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"level": "village"}, ["娄底市/涟源市/桥头河镇/石狮村"]),
        ({"kind": "grassroots"}, ["娄底市/涟源市/桥头河镇/石狮村"]),
        ({"q": "桥头"}, ["娄底市/涟源市/桥头河镇", "娄底市/涟源市/桥头河镇/石狮村"]),
    ],
)
def test_filters_narrow_the_scoped_list(tree, lianyuan_office, query, expected):
    assert _names(lianyuan_office.get(reverse("api-unit-list"), query)) == expected


@pytest.mark.django_db
def test_under_filter_lists_a_subtree_in_scope(tree, lianyuan_office):
    response = lianyuan_office.get(reverse("api-unit-list"), {"under": tree.qiaotouhe.pk})

    assert _names(response) == ["娄底市/涟源市/桥头河镇", "娄底市/涟源市/桥头河镇/石狮村"]


@pytest.mark.django_db
def test_under_filter_outside_scope_is_404_and_logged(tree, lianyuan_office):
    response = lianyuan_office.get(reverse("api-unit-list"), {"under": tree.louxing.pk})

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert SecurityEvent.objects.filter(
        kind=SecurityEventKind.DENIED, detail__unit="娄底市/娄星区"
    ).exists()


@pytest.mark.django_db
def test_abolished_units_can_be_left_out(tree, make_user, client_for):
    org_services.unit_abolish(actor=None, unit=tree.shishi, on=dt.date(2015, 1, 1))
    client = client_for(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))

    everything = _names(client.get(reverse("api-unit-list")))
    current = _names(client.get(reverse("api-unit-list"), {"include_abolished": "false"}))

    assert "娄底市/涟源市/桥头河镇/石狮村" in everything
    assert "娄底市/涟源市/桥头河镇/石狮村" not in current


@pytest.mark.django_db
def test_bad_filter_value_names_the_field(tree, lianyuan_office):
    response = lianyuan_office.get(reverse("api-unit-list"), {"level": "galaxy"})

    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_INPUT"
    assert response.json()["detail"].startswith("层级（level）：")


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["api-unit-detail", "api-unit-children"])
def test_other_county_looks_exactly_like_a_missing_unit(tree, lianyuan_office, route):
    # given a unit of another county and an id that does not exist
    other = lianyuan_office.get(reverse(route, args=[tree.louxing.pk]))
    missing = lianyuan_office.get(reverse(route, args=[999_999]))

    # then both answers are the same 404
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json() == NOT_FOUND


@pytest.mark.django_db
def test_children_are_the_direct_children(tree, lianyuan_office):
    response = lianyuan_office.get(reverse("api-unit-children", args=[tree.lianyuan.pk]))

    assert _names(response) == ["娄底市/涟源市/桥头河镇"]


@pytest.mark.django_db
def test_huge_ids_are_simply_not_found(tree, lianyuan_office):
    assert lianyuan_office.get(reverse("api-unit-detail", args=[2**70])).status_code == 404
    assert lianyuan_office.get(reverse("api-unit-list"), {"under": 2**70}).status_code in (400, 404)


@pytest.mark.django_db
def test_units_list_queries_do_not_grow_with_rows(
    tree, make_user, client_for, django_assert_max_num_queries
):
    client = client_for(make_user(Role.CAMPAIGN_OFFICE, tree.city))
    for i in range(60):
        org_services.unit_create(
            actor=None,
            parent=tree.lianyuan,
            name=f"第{i}镇",
            level=UnitLevel.TOWNSHIP,
            kind=UnitKind.PARTY_COMMITTEE,
        )

    # token, role assignments, count, page (with the parent ids inside it)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("api-unit-list"), {"limit": 100})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 67


@pytest.mark.django_db
def test_audit_admin_sees_no_units_at_all(tree, make_user, client_for):
    # 审计管理员 holds no unit permission anywhere: the list answers 404 like the web page
    client = client_for(make_user(Role.AUDIT_ADMIN, tree.city))

    assert client.get(reverse("api-unit-list")).status_code == 404
    assert client.get(reverse("api-unit-detail", args=[tree.city.pk])).status_code == 404
    assert client.get(reverse("api-unit-children", args=[tree.city.pk])).status_code == 404


@pytest.mark.django_db
def test_user_without_roles_gets_404_on_lists(tree, make_user, client_for):
    client = client_for(make_user())

    for route in (
        "api-unit-list",
        "api-person-list",
        "api-group-list",
        "api-campaign-list",
        "api-role-assignment-list",
    ):
        assert client.get(reverse(route)).status_code == 404, route


# --- writes by a 系统管理员 of 涟源市 ----------------------------------------------------------


@pytest.mark.django_db
def test_system_admin_creates_a_unit_in_scope(tree, sysadmin):
    response = sysadmin.post(
        reverse("api-unit-list"),
        {
            "parent": tree.qiaotouhe.pk,
            "name": "新桥村",
            "level": "village",
            "kind": "grassroots",
            "established_on": "2015-01-01",
        },
        format="json",
    )

    assert response.status_code == 201
    created = Unit.objects.get(pk=response.json()["id"])
    assert created.full_name == "娄底市/涟源市/桥头河镇/新桥村"
    assert response.json()["parent_id"] == tree.qiaotouhe.pk
    assert created.history.first().history_user is not None


@pytest.mark.django_db
def test_system_admin_cannot_create_under_another_county(tree, sysadmin):
    response = sysadmin.post(
        reverse("api-unit-list"),
        {
            "parent": tree.louxing.pk,
            "name": "新街道",
            "level": "township",
            "kind": "party_committee",
        },
        format="json",
    )

    assert response.status_code == 404
    assert not Unit.objects.filter(name="新街道").exists()


@pytest.mark.django_db
def test_create_with_missing_fields_names_them_in_chinese(tree, sysadmin):
    response = sysadmin.post(reverse("api-unit-list"), {"parent": tree.lianyuan.pk}, format="json")

    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "单位名称（name）：" in detail and "层级（level）：" in detail
    assert set(response.json()["fields"]) == {"name", "level", "kind"}


@pytest.mark.django_db
def test_domain_rule_violation_answers_400_with_its_code(tree, sysadmin):
    response = sysadmin.post(
        reverse("api-unit-list"),
        {
            "parent": tree.qiaotouhe.pk,
            "name": "石狮村",
            "level": "village",
            "kind": "grassroots",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "DUPLICATE_SIBLING"
    assert "石狮村" in response.json()["detail"]


@pytest.mark.django_db
def test_system_admin_patches_only_the_given_fields(tree, sysadmin):
    response = sysadmin.patch(
        reverse("api-unit-detail", args=[tree.qiaotouhe.pk]), {"name": "桥头河镇新"}, format="json"
    )

    assert response.status_code == 200
    unit = Unit.objects.get(pk=tree.qiaotouhe.pk)
    assert (unit.name, unit.level, unit.established_on) == (
        "桥头河镇新",
        "township",
        dt.date(2013, 6, 18),
    )
    assert Unit.objects.get(pk=tree.shishi.pk).full_name == "娄底市/涟源市/桥头河镇新/石狮村"


@pytest.mark.django_db
def test_system_admin_cannot_patch_outside_scope(tree, sysadmin):
    response = sysadmin.patch(
        reverse("api-unit-detail", args=[tree.louxing.pk]), {"name": "改名"}, format="json"
    )

    assert response.status_code == 404
    assert Unit.objects.get(pk=tree.louxing.pk).name == "娄星区"


@pytest.mark.django_db
def test_viewer_without_manage_right_cannot_patch(tree, lianyuan_office):
    response = lianyuan_office.patch(
        reverse("api-unit-detail", args=[tree.qiaotouhe.pk]), {"name": "改名"}, format="json"
    )

    assert response.status_code == 403  # in the office's reading scope, without the right to manage


@pytest.mark.django_db
def test_system_admin_moves_a_unit_within_scope(tree, make_user, client_for):
    org_services.unit_create(
        actor=None,
        parent=tree.lianyuan,
        name="六亩塘镇",
        level=UnitLevel.TOWNSHIP,
        kind=UnitKind.PARTY_COMMITTEE,
    )
    target = Unit.objects.get(name="六亩塘镇")
    client = client_for(make_user(Role.SYSTEM_ADMIN, tree.lianyuan))

    response = client.post(
        reverse("api-unit-move", args=[tree.shishi.pk]), {"new_parent": target.pk}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["full_name"] == "娄底市/涟源市/六亩塘镇/石狮村"
    assert response.json()["parent_id"] == target.pk


@pytest.mark.django_db
def test_system_admin_cannot_move_into_another_county(tree, sysadmin):
    response = sysadmin.post(
        reverse("api-unit-move", args=[tree.shishi.pk]),
        {"new_parent": tree.leping.pk},
        format="json",
    )

    assert response.status_code == 404
    assert Unit.objects.get(pk=tree.shishi.pk).full_name == "娄底市/涟源市/桥头河镇/石狮村"


@pytest.mark.django_db
def test_system_admin_abolishes_a_unit_in_scope(tree, sysadmin):
    response = sysadmin.post(
        reverse("api-unit-abolish", args=[tree.shishi.pk]), {"on": "2015-02-01"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["abolished_on"] == "2015-02-01"


@pytest.mark.django_db
def test_abolish_with_children_is_refused_with_the_rule(tree, sysadmin):
    response = sysadmin.post(
        reverse("api-unit-abolish", args=[tree.qiaotouhe.pk]), {"on": "2015-02-01"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "HAS_ACTIVE_CHILDREN"


@pytest.mark.django_db
def test_system_admin_cannot_abolish_or_merge_outside_scope(tree, sysadmin):
    outside = sysadmin.post(
        reverse("api-unit-abolish", args=[tree.leping.pk]), {"on": "2015-02-01"}, format="json"
    )
    merge_out = sysadmin.post(
        reverse("api-unit-abolish", args=[tree.shishi.pk]),
        {"on": "2015-02-01", "merged_into": tree.leping.pk},
        format="json",
    )

    assert outside.status_code == merge_out.status_code == 404
    assert Unit.objects.filter(abolished_on__isnull=False).count() == 0
