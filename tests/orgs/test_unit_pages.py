"""The unit pages: what a county office sees, and a system administrator's changes through the forms."""

import datetime as dt

import pytest

from huitoukan.access.models import Role
from huitoukan.orgs import services
from huitoukan.orgs.models import Unit

pytestmark = pytest.mark.django_db


def test_county_office_sees_its_subtree_and_nothing_else(tree, make_user, client):
    client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))
    page = client.get("/units/?page_size=100").content.decode()
    for name in ["娄底市/涟源市", "娄底市/涟源市/桥头河镇", "娄底市/涟源市/桥头河镇/石狮村"]:
        assert name in page
    assert "娄星区" not in page and "市教育局" not in page
    assert client.get(f"/units/{tree.city.pk}/").status_code == 404
    assert client.get(f"/units/?under={tree.louxing.pk}").status_code == 404


@pytest.mark.parametrize("pk", ["9223372036854775808", "-9223372036854775809", "99999999999999999999999"])
def test_an_id_past_the_key_range_answers_404_like_an_absent_unit(tree, make_user, client, pk):
    client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.city))
    assert client.get(f"/units/{pk}/").status_code == 404
    assert client.get(f"/rollups/{pk}/").status_code == 404


def test_tree_column_opens_the_branch_of_the_current_unit(tree, make_user, client):
    client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.city))
    page = client.get(f"/units/{tree.shishi.pk}/").content.decode()
    assert 'class="current"' in page
    assert "石狮村" in page and "娄星区" in page
    assert "乐坪街道" not in page  # the 娄星区 branch stays closed


def test_home_and_unit_pages_count_the_units_in_force_from_the_kept_counts(tree, make_user, client):
    admin = make_user(Role.SYSTEM_ADMIN, tree.city)
    client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))

    def in_force(unit):
        return Unit.objects.filter(path__startswith=unit.path, abolished_on__isnull=True).count()

    before = in_force(tree.lianyuan)
    assert f"共{before}个在册单位" in client.get("/").content.decode()
    assert f"<dd class=\"col-8 col-md-4\">{before - 1}</dd>" in client.get(f"/units/{tree.lianyuan.pk}/").content.decode()
    services.unit_abolish(unit=tree.shishi, on=dt.date(2015, 3, 1), actor=admin)
    assert in_force(tree.lianyuan) == before - 1
    assert f"共{before - 1}个在册单位" in client.get("/").content.decode()
    assert f"<dd class=\"col-8 col-md-4\">{before - 2}</dd>" in client.get(f"/units/{tree.lianyuan.pk}/").content.decode()


def test_tree_column_escapes_unit_names(tree, make_user, client):
    Unit.objects.filter(pk=tree.qiaotouhe.pk).update(name="<i>桥头河镇</i>")
    client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.city))
    for url in (f"/units/{tree.lianyuan.pk}/", f"/units/tree/?node={tree.lianyuan.pk}",
                f"/ledgers/tree/?node={tree.lianyuan.pk}"):
        page = client.get(url).content.decode()
        assert "&lt;i&gt;桥头河镇" in page and "<i>桥头河镇" not in page, url


def test_tree_fragment_lists_children(tree, make_user, client):
    client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.city))
    fragment = client.get(f"/units/tree/?node={tree.lianyuan.pk}").content.decode()
    assert "桥头河镇" in fragment and "石狮村" not in fragment


def test_system_admin_adds_renames_moves_and_abolishes_through_the_pages(tree, make_user, client):
    admin = make_user(Role.SYSTEM_ADMIN, tree.city)
    client.force_login(admin)
    response = client.post(f"/units/new/?parent={tree.qiaotouhe.pk}",
                           {"name": "新建村", "level": "village", "kind": "grassroots", "batch": "second"})
    new = Unit.objects.get(name="新建村")
    assert response.status_code == 302 and new.full_name == "娄底市/涟源市/桥头河镇/新建村"
    client.post(f"/units/{new.pk}/edit/", {"name": "新村", "level": "village", "kind": "grassroots"})
    new.refresh_from_db()
    assert new.full_name == "娄底市/涟源市/桥头河镇/新村"
    client.post(f"/units/{new.pk}/move/", {"new_parent": tree.leping.pk})
    new.refresh_from_db()
    assert new.full_name == "娄底市/娄星区/乐坪街道/新村"
    client.post(f"/units/{new.pk}/abolish/", {"on": "2015-03-01", "merged_into": tree.shishi.pk})
    new.refresh_from_db()
    assert new.abolished_on is not None and new.merged_into == tree.shishi
    history = client.get(f"/units/{new.pk}/history/").content.decode()
    for text in ["成立", "修改", "移动到“娄底市/娄星区/乐坪街道”之下", "并入“娄底市/涟源市/桥头河镇/石狮村”",
                 admin.username, "新建村", "新村"]:
        assert text in history


def test_a_refused_change_shows_the_reason_in_chinese_and_changes_nothing(tree, make_user, client):
    client.force_login(make_user(Role.SYSTEM_ADMIN, tree.city))
    response = client.post(f"/units/new/?parent={tree.qiaotouhe.pk}",
                           {"name": "某县", "level": "county", "kind": "party_committee"})
    assert response.status_code == 200
    assert "不能高于上级单位的层级" in response.content.decode()
    assert not Unit.objects.filter(name="某县").exists()


def test_history_is_read_only(tree, make_user, client):
    client.force_login(make_user(Role.SYSTEM_ADMIN, tree.city))
    assert client.post(f"/units/{tree.lianyuan.pk}/history/").status_code == 405


def test_subtree_page_query_count_does_not_grow_with_the_rows(tree, make_user, client, django_assert_max_num_queries):
    from huitoukan.orgs import services
    from huitoukan.orgs.models import UnitKind, UnitLevel

    client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.city))
    # A session's first page also reads the password's state and saves the session: counted apart.
    assert client.get("/").status_code == 200
    for i in range(60):
        services.unit_create(actor=None, parent=tree.qiaotouhe, name=f"村{i}", level=UnitLevel.VILLAGE,
                             kind=UnitKind.GRASSROOTS)
    with django_assert_max_num_queries(16):
        assert client.get(f"/units/?under={tree.lianyuan.pk}&page_size=100").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(f"/units/{tree.qiaotouhe.pk}/").status_code == 200


def test_system_admin_adds_and_edits_a_person_with_history(tree, make_user, client):
    from huitoukan.orgs.models import Person

    admin = make_user(Role.SYSTEM_ADMIN, tree.lianyuan)
    client.force_login(admin)
    response = client.post("/people/new/", {"name": "胡春林", "position": "镇长", "unit": tree.qiaotouhe.pk,
                                            "is_party_leader": "on"})
    person = Person.objects.get(name="胡春林")
    assert response.status_code == 302 and person.is_party_leader and not person.is_unit_head
    client.post(f"/people/{person.pk}/edit/", {"name": "胡春林", "position": "镇党委副书记、镇长",
                                               "unit": tree.qiaotouhe.pk, "is_party_leader": "on"})
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "镇党委副书记、镇长" in page and "镇长" in page and admin.username in page
    # a unit outside the admin's subtree is refused like an absent one
    response = client.post(f"/people/{person.pk}/edit/", {"name": "胡春林", "unit": tree.louxing.pk})
    person.refresh_from_db()
    assert person.unit == tree.qiaotouhe


def test_history_shows_role_grants_only_to_those_who_may_read_grants(tree, make_user, client):
    make_user(Role.UNIT_FILLER, tree.lianyuan, username="grantee")
    client.force_login(make_user(Role.SYSTEM_ADMIN, tree.city))
    assert "grantee" not in client.get(f"/units/{tree.lianyuan.pk}/history/").content.decode()
    client.force_login(make_user(Role.SECURITY_ADMIN, tree.city))
    assert "grantee" in client.get(f"/units/{tree.lianyuan.pk}/history/").content.decode()


def test_history_page_query_count_does_not_grow_with_the_entries(tree, make_user, client, django_assert_max_num_queries):
    from huitoukan.orgs import services

    client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.city))
    for i in range(30):
        person = services.person_create(actor=None, unit=tree.lianyuan, name=f"干部{i}", position="科员")
        services.person_update(actor=None, person=person, position="副科长")
    with django_assert_max_num_queries(25):
        page = client.get(f"/units/{tree.lianyuan.pk}/history/").content.decode()
    assert "副科长" in page and "科员" in page
