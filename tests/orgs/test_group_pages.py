"""Supervision groups: a group names to its reader only the units and the leader the reader's scope covers;
its page; its management by the 系统管理员 (create, edit, assign units, deactivate), each act in its history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.urls import reverse
from rest_framework.test import APIClient

from huitoukan.access.models import Role
from huitoukan.orgs import services as org_services
from huitoukan.orgs.errors import OrgsError
from huitoukan.orgs.models import SupervisionGroup, UnitKind, UnitLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(tree):
    # 市委第二督导组: sent by the city, led by a city official, to two counties
    leader = org_services.person_create(actor=None, unit=tree.city, name="罗副书记", position="市委副书记")
    return org_services.supervision_group_create(actor=None, dispatched_by=tree.city, name="市委第二督导组",
                                                 assigned_units=[tree.lianyuan, tree.louxing], leader=leader)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_county_office_sees_its_county_in_the_group_and_nothing_beyond(tree, group, make_user, client):
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    client.force_login(office)

    page = client.get(reverse("group-list")).content.decode()
    listed = api(office).get(reverse("api-group-list")).json()["results"]
    detail = api(office).get(reverse("api-group-detail", args=[group.pk])).json()

    assert "市委第二督导组" in page and "涟源市" in page
    assert "娄星区" not in page and "罗副书记" not in page
    for shown in (listed[0], detail):
        assert [u["full_name"] for u in shown["assigned_units"]] == ["娄底市/涟源市"]
        assert shown["leader_id"] is None and shown["leader_name"] is None
        assert "娄星区" not in str(shown) and "罗副书记" not in str(shown)


def test_a_member_of_the_group_sees_its_units_but_not_a_leader_out_of_their_scope(tree, group, make_user):
    member = make_user(Role.SUPERVISOR, tree.city, group=group)

    shown = api(member).get(reverse("api-group-detail", args=[group.pk])).json()

    assert [u["full_name"] for u in shown["assigned_units"]] == ["娄底市/涟源市", "娄底市/娄星区"]
    assert shown["leader_name"] is None


def test_the_city_office_that_sent_the_group_sees_all_of_it(tree, group, make_user, client):
    office = make_user(Role.CAMPAIGN_OFFICE, tree.city)
    client.force_login(office)

    page = client.get(reverse("group-list")).content.decode()
    shown = api(office).get(reverse("api-group-detail", args=[group.pk])).json()

    assert "涟源市" in page and "娄星区" in page and "罗副书记" in page
    assert [u["full_name"] for u in shown["assigned_units"]] == ["娄底市/涟源市", "娄底市/娄星区"]
    assert shown["leader_id"] == group.leader_id and shown["leader_name"] == "罗副书记"


# --- the group's own page, and its management by the 系统管理员 -------------------------------------------


@pytest.fixture
def county_group(tree):
    # 涟源市第一督导组: sent by 涟源市 to 桥头河镇, led by a county official
    leader = org_services.person_create(actor=None, unit=tree.lianyuan, name="吴海波", position="市委常委")
    return org_services.supervision_group_create(actor=None, dispatched_by=tree.lianyuan, name="涟源市第一督导组",
                                                 assigned_units=[tree.qiaotouhe], leader=leader)


def logged_in(client, user):
    client.force_login(user)
    return client


def errors_of(response) -> str:
    form = response.context["form"]
    return " ".join([*form.non_field_errors(), *(e for errors in form.errors.values() for e in errors)])


def test_the_group_page_names_only_what_a_county_office_may_see(tree, group, make_user, client):
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    make_user(Role.SUPERVISOR, tree.city, group=group)

    page = logged_in(client, office).get(reverse("group-detail", args=[group.pk])).content.decode()

    assert "市委第二督导组" in page and "娄底市/涟源市" in page
    assert "娄星区" not in page and "罗副书记" not in page
    # no 修改 for a reader without the right
    assert reverse("group-edit", args=[group.pk]) not in page


def test_the_members_are_shown_to_readers_of_grants_only(tree, county_group, make_user, client):
    member = make_user(Role.SUPERVISOR, tree.lianyuan, group=county_group, username="dudao_wang")
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)  # reads grants (ROLE_VIEW)
    admin = make_user(Role.SYSTEM_ADMIN, tree.lianyuan)  # manages groups, reads no grants

    seen_by_office = logged_in(client, office).get(reverse("group-detail", args=[county_group.pk]))
    seen_by_admin = logged_in(client, admin).get(reverse("group-detail", args=[county_group.pk]))

    assert member.username in seen_by_office.content.decode()
    assert [a.user_id for a in seen_by_office.context["members"]] == [member.pk]
    assert member.username not in seen_by_admin.content.decode() and seen_by_admin.context["members"] is None


def test_a_member_granted_beyond_the_readers_part_of_the_tree_is_not_listed(tree, group, make_user, client):
    # the member's grant sits at the city; a county office reads the county's grants only
    make_user(Role.SUPERVISOR, tree.city, group=group, username="city_member")
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)

    page = logged_in(client, office).get(reverse("group-detail", args=[group.pk])).content.decode()

    assert "city_member" not in page


def test_a_group_out_of_scope_answers_404_like_an_absent_one(tree, county_group, make_user, client):
    louxing_office = make_user(Role.CAMPAIGN_OFFICE, tree.louxing)
    louxing_admin = make_user(Role.SYSTEM_ADMIN, tree.louxing)
    absent = county_group.pk + 1000

    assert logged_in(client, louxing_office).get(reverse("group-detail", args=[county_group.pk])).status_code == 404
    assert client.get(reverse("group-detail", args=[absent])).status_code == 404
    client.force_login(louxing_admin)
    for name in ("group-edit", "group-assign"):
        assert client.get(reverse(name, args=[county_group.pk])).status_code == 404
        assert client.get(reverse(name, args=[absent])).status_code == 404
    for name in ("group-deactivate", "group-reactivate"):
        assert client.post(reverse(name, args=[county_group.pk])).status_code == 404
    county_group.refresh_from_db()
    assert county_group.is_active and county_group.name == "涟源市第一督导组"


def test_a_reader_who_sees_the_group_but_may_not_manage_it_is_refused_with_403(tree, group, county_group,
                                                                              make_user, client):
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    county_admin = make_user(Role.SYSTEM_ADMIN, tree.lianyuan)

    # the office manages no group; the county's administrator does not manage the city's group
    for user, target in ((office, county_group), (county_admin, group)):
        client.force_login(user)
        assert client.get(reverse("group-edit", args=[target.pk])).status_code == 403
        assert client.post(reverse("group-assign", args=[target.pk]), {"assigned_units": []}).status_code == 403
        assert client.post(reverse("group-deactivate", args=[target.pk])).status_code == 403
    assert logged_in(client, office).get(reverse("group-create")).status_code == 403
    assert client.post(reverse("group-create"), {"dispatched_by": tree.lianyuan.pk, "name": "新组"}).status_code == 403
    assert [g.assigned_units.count() for g in (group, county_group)] == [2, 1]


def test_the_system_admin_forms_a_group_and_the_history_names_them(tree, make_user, client):
    admin = make_user(Role.SYSTEM_ADMIN, tree.lianyuan, username="sysadmin_li")
    leader = org_services.person_create(actor=None, unit=tree.qiaotouhe, name="彭光辉", position="镇党委书记")

    response = logged_in(client, admin).post(reverse("group-create"), {
        "dispatched_by": tree.lianyuan.pk, "name": " 涟源市第二督导组 ", "leader": leader.pk,
        "assigned_units": [tree.qiaotouhe.pk]})

    group = SupervisionGroup.objects.get(name="涟源市第二督导组")
    assert response.status_code == 302 and response["Location"] == reverse("group-detail", args=[group.pk])
    assert group.dispatched_by == tree.lianyuan and group.leader == leader
    assert list(group.assigned_units.all()) == [tree.qiaotouhe]
    assert {h.history_user for h in group.history.all()} == {admin}
    page = client.get(response["Location"]).content.decode()
    assert "sysadmin_li" in page and "组建" in page


def test_a_group_cannot_be_sent_from_a_unit_out_of_scope(tree, make_user, client):
    admin = make_user(Role.SYSTEM_ADMIN, tree.lianyuan)

    response = logged_in(client, admin).post(reverse("group-create"), {
        "dispatched_by": tree.louxing.pk, "name": "娄星区督导组", "assigned_units": [tree.leping.pk]})

    assert response.status_code == 404
    assert not SupervisionGroup.objects.exists()


def test_edit_assign_deactivate_and_reactivate_are_each_in_the_history_with_their_actor(tree, county_group,
                                                                                      make_user, client):
    admin = make_user(Role.SYSTEM_ADMIN, tree.lianyuan)
    new_leader = org_services.person_create(actor=None, unit=tree.qiaotouhe, name="彭光辉")
    liumutang = org_services.unit_create(actor=None, parent=tree.lianyuan, name="六亩塘镇", level=UnitLevel.TOWNSHIP,
                                         kind=UnitKind.PARTY_COMMITTEE)
    client.force_login(admin)
    before = county_group.history.count()

    client.post(reverse("group-edit", args=[county_group.pk]), {"name": "涟源市巡回督导组", "leader": new_leader.pk})
    client.post(reverse("group-assign", args=[county_group.pk]), {"assigned_units": [tree.qiaotouhe.pk, liumutang.pk]})
    client.post(reverse("group-deactivate", args=[county_group.pk]))
    stopped = SupervisionGroup.objects.get(pk=county_group.pk).is_active
    client.post(reverse("group-reactivate", args=[county_group.pk]))

    county_group.refresh_from_db()
    assert county_group.name == "涟源市巡回督导组" and county_group.leader == new_leader and county_group.is_active
    assert stopped is False
    assert set(county_group.assigned_units.all()) == {tree.qiaotouhe, liumutang}
    rows = list(county_group.history.order_by("history_id")[before:])
    assert [(r.history_change_reason, r.history_user) for r in rows] == [
        ("修改", admin), ("调整督导单位", admin), ("停用", admin), ("启用", admin)]


def test_a_deactivated_group_gives_its_members_no_scope_until_reactivated(tree, county_group, make_user, client):
    from huitoukan.access import policy
    from huitoukan.access.policy import Perm

    member = make_user(Role.SUPERVISOR, tree.lianyuan, group=county_group)
    admin = make_user(Role.SYSTEM_ADMIN, tree.lianyuan)

    logged_in(client, admin).post(reverse("group-deactivate", args=[county_group.pk]))
    policy.forget(member)
    stopped = policy.can(member, Perm.WORK_VIEW, tree.shishi)
    client.post(reverse("group-reactivate", args=[county_group.pk]))
    policy.forget(member)

    assert stopped is False
    assert policy.can(member, Perm.WORK_VIEW, tree.shishi)


def test_deactivating_a_stopped_group_says_so(tree, county_group, make_user, client):
    admin = make_user(Role.SYSTEM_ADMIN, tree.lianyuan)
    logged_in(client, admin).post(reverse("group-deactivate", args=[county_group.pk]))

    response = client.post(reverse("group-deactivate", args=[county_group.pk]), follow=True)

    assert "督导组“涟源市第一督导组”已停用。" in response.content.decode()
    assert county_group.history.filter(history_change_reason="停用").count() == 1


# --- what the forms refuse, in Chinese, naming the field --------------------------------------------------


def _create(client, tree, **fields):
    return client.post(reverse("group-create"), {"dispatched_by": tree.lianyuan.pk, "name": "涟源市第二督导组",
                                                 "assigned_units": [tree.qiaotouhe.pk], **fields})


def test_a_name_is_required_and_unique_for_its_dispatching_unit(tree, county_group, make_user, client):
    logged_in(client, make_user(Role.SYSTEM_ADMIN, tree.lianyuan))

    blank = _create(client, tree, name="  ")
    taken = _create(client, tree, name="涟源市第一督导组")
    renamed = client.post(reverse("group-edit", args=[county_group.pk]), {"name": "涟源市第二督导组"})
    clash = _create(client, tree, name="涟源市第二督导组")

    assert "请填写督导组名称。" in errors_of(blank)
    assert "派出单位“娄底市/涟源市”已有名为“涟源市第一督导组”的督导组，请换一个督导组名称。" in errors_of(taken)
    assert renamed.status_code == 302
    assert "已有名为“涟源市第二督导组”的督导组" in errors_of(clash)
    assert SupervisionGroup.objects.filter(dispatched_by=tree.lianyuan).count() == 1


def test_a_group_supervises_only_units_below_its_dispatching_unit(tree, county_group, make_user, client):
    logged_in(client, make_user(Role.SYSTEM_ADMIN, tree.city))

    itself = client.post(reverse("group-assign", args=[county_group.pk]), {"assigned_units": [tree.lianyuan.pk]})
    elsewhere = client.post(reverse("group-assign", args=[county_group.pk]), {"assigned_units": [tree.leping.pk]})

    assert "督导单位“娄底市/涟源市”不在派出单位“娄底市/涟源市”的下级范围内" in errors_of(itself)
    assert "督导单位“娄底市/娄星区/乐坪街道”不在派出单位" in errors_of(elsewhere)
    assert list(county_group.assigned_units.all()) == [tree.qiaotouhe]


def test_a_unit_out_of_the_admins_scope_is_not_a_choice(tree, county_group, make_user, client):
    logged_in(client, make_user(Role.SYSTEM_ADMIN, tree.lianyuan))

    response = client.post(reverse("group-assign", args=[county_group.pk]),
                           {"assigned_units": [tree.qiaotouhe.pk, tree.leping.pk]})

    assert "督导单位：所选项不存在或不在您的权限范围内。" in errors_of(response)
    assert list(county_group.assigned_units.all()) == [tree.qiaotouhe]


def test_an_abolished_unit_cannot_be_newly_assigned_but_may_stay(tree, county_group, make_user, client):
    village = org_services.unit_create(actor=None, parent=tree.qiaotouhe, name="新村", level=UnitLevel.VILLAGE,
                                       kind=UnitKind.GRASSROOTS)
    org_services.supervision_group_assign(actor=None, group=county_group, assigned_units=[tree.qiaotouhe, village])
    org_services.unit_abolish(actor=None, unit=village, on=dt.date.today())
    org_services.unit_abolish(actor=None, unit=tree.shishi, on=dt.date.today())
    logged_in(client, make_user(Role.SYSTEM_ADMIN, tree.lianyuan))

    kept = client.post(reverse("group-assign", args=[county_group.pk]), {"assigned_units": [village.pk]})
    added = client.post(reverse("group-assign", args=[county_group.pk]),
                        {"assigned_units": [village.pk, tree.shishi.pk]})

    assert kept.status_code == 302
    assert "督导单位“娄底市/涟源市/桥头河镇/石狮村”已撤销，不能再安排督导。" in errors_of(added)
    assert list(county_group.assigned_units.all()) == [village]


def test_the_leader_is_a_serving_person_of_the_dispatching_part_of_the_tree(tree, county_group, make_user, client):
    outsider = org_services.person_create(actor=None, unit=tree.education, name="刘局长")
    retired = org_services.person_create(actor=None, unit=tree.qiaotouhe, name="老书记")
    org_services.person_update(actor=None, person=retired, is_active=False)
    logged_in(client, make_user(Role.SYSTEM_ADMIN, tree.city))

    beyond = client.post(reverse("group-edit", args=[county_group.pk]), {"name": county_group.name,
                                                                          "leader": outsider.pk})
    gone = client.post(reverse("group-edit", args=[county_group.pk]), {"name": county_group.name,
                                                                        "leader": retired.pk})

    assert "组长“刘局长”不是派出单位“娄底市/涟源市”或其下级单位的人员。" in errors_of(beyond)
    assert "组长：所选项不存在或不在您的权限范围内。" in errors_of(gone)  # not among the serving people offered
    county_group.refresh_from_db()
    assert county_group.leader.name == "吴海波"


def test_a_leader_out_of_the_admins_sight_is_not_a_choice(tree, county_group, make_user, client):
    stranger = org_services.person_create(actor=None, unit=tree.leping, name="贺军")
    logged_in(client, make_user(Role.SYSTEM_ADMIN, tree.lianyuan))

    response = client.post(reverse("group-edit", args=[county_group.pk]), {"name": "改名", "leader": stranger.pk})

    assert "组长：所选项不存在或不在您的权限范围内。" in errors_of(response)


def test_the_services_hold_the_same_rules_for_the_api_and_the_command_line(tree, county_group):
    with pytest.raises(OrgsError) as blank:
        org_services.supervision_group_update(actor=None, group=county_group, name="  ", leader=None)
    with pytest.raises(OrgsError) as stopped:
        org_services.supervision_group_reactivate(actor=None, group=county_group)
    org_services.unit_abolish(actor=None, unit=tree.education, on=dt.date.today())
    with pytest.raises(OrgsError) as abolished:
        org_services.supervision_group_create(actor=None, dispatched_by=tree.education, name="教育局督导组",
                                              assigned_units=[])

    retired = org_services.person_create(actor=None, unit=tree.lianyuan, name="老书记")
    org_services.person_update(actor=None, person=retired, is_active=False)
    with pytest.raises(OrgsError) as gone:
        org_services.supervision_group_update(actor=None, group=county_group, name=county_group.name, leader=retired)

    assert gone.value.message == "组长“老书记”已不在职。"
    assert blank.value.message == "督导组名称不能为空。"
    assert stopped.value.message == "督导组“涟源市第一督导组”在用，无需启用。"
    assert abolished.value.message == "派出单位“娄底市/市教育局”已撤销，不能再组建督导组。"


def test_the_history_does_not_name_a_leader_to_a_reader_who_may_not_see_them(tree, group, make_user, client):
    # the county office reads history where the city's group supervises, not the city's people
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)

    response = logged_in(client, office).get(reverse("group-detail", args=[group.pk]))

    assert response.context["entries"]  # the history is there
    assert "罗副书记" not in response.content.decode()


def test_the_unit_page_links_its_groups(tree, group, make_user, client):
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)

    page = logged_in(client, office).get(reverse("unit-detail", args=[tree.lianyuan.pk])).content.decode()

    assert reverse("group-detail", args=[group.pk]) in page


def test_the_service_refuses_a_leader_the_actor_may_not_see(tree, make_user):
    # 涟源市's administrator may not see a person of 娄星区, whoever offers that id (the API, the command line)
    county_admin = make_user(Role.SYSTEM_ADMIN, tree.lianyuan)
    county_group = org_services.supervision_group_create(actor=county_admin, dispatched_by=tree.lianyuan,
                                                         name="涟源市第一督导组", assigned_units=[tree.qiaotouhe])
    stranger = org_services.person_create(actor=None, unit=tree.leping, name="贺军")

    with pytest.raises(Http404):
        org_services.supervision_group_update(actor=county_admin, group=county_group, name="改名", leader=stranger)

    county_group.refresh_from_db()
    assert county_group.name == "涟源市第一督导组" and county_group.leader is None


# --- the same services over the API -----------------------------------------------------------------------


def test_the_api_forms_edits_and_stops_a_group_through_the_same_services(tree, make_user):
    admin = make_user(Role.SYSTEM_ADMIN, tree.lianyuan)
    leader = org_services.person_create(actor=None, unit=tree.qiaotouhe, name="彭光辉")

    made = api(admin).post(reverse("api-group-list"), {
        "dispatched_by": tree.lianyuan.pk, "name": "涟源市第一督导组", "leader": leader.pk,
        "assigned_units": [tree.qiaotouhe.pk]}, format="json")
    pk = made.json()["id"]
    changed = api(admin).patch(reverse("api-group-detail", args=[pk]), {
        "name": "涟源市巡回督导组", "leader": None, "assigned_units": [tree.qiaotouhe.pk, tree.shishi.pk],
        "is_active": False}, format="json")

    assert made.status_code == 201 and made.json()["leader_name"] == "彭光辉"
    assert changed.status_code == 200
    assert changed.json()["name"] == "涟源市巡回督导组" and changed.json()["leader_id"] is None
    assert [u["full_name"] for u in changed.json()["assigned_units"]] == [
        "娄底市/涟源市/桥头河镇", "娄底市/涟源市/桥头河镇/石狮村"]
    assert changed.json()["is_active"] is False
    group = SupervisionGroup.objects.get(pk=pk)
    assert [(h.history_change_reason, h.history_user) for h in group.history.order_by("history_id")][-3:] == [
        ("修改", admin), ("调整督导单位", admin), ("停用", admin)]


def test_the_api_refuses_as_the_pages_do(tree, county_group, make_user):
    admin = make_user(Role.SYSTEM_ADMIN, tree.lianyuan)
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    stranger = org_services.person_create(actor=None, unit=tree.leping, name="贺军")
    detail = reverse("api-group-detail", args=[county_group.pk])

    taken = api(admin).patch(detail, {"name": "涟源市第一督导组 "}, format="json")
    no_name = api(admin).post(reverse("api-group-list"), {"dispatched_by": tree.lianyuan.pk}, format="json")
    other = api(admin).post(reverse("api-group-list"), {
        "dispatched_by": tree.lianyuan.pk, "name": "第二组", "assigned_units": [tree.qiaotouhe.pk, tree.leping.pk]},
        format="json")
    unseen_leader = api(admin).patch(detail, {"leader": stranger.pk}, format="json")
    not_manager = api(office).patch(detail, {"is_active": False}, format="json")

    assert taken.status_code == 200  # its own name, trimmed, is no clash
    assert no_name.status_code == 400 and "督导组名称" in no_name.json()["detail"]
    assert other.status_code == 404 and unseen_leader.status_code == 404
    assert not_manager.status_code == 403
    county_group.refresh_from_db()
    assert county_group.is_active and county_group.leader.name == "吴海波"
    assert SupervisionGroup.objects.filter(dispatched_by=tree.lianyuan).count() == 1


def test_the_api_says_a_domain_refusal_in_chinese(tree, county_group, make_user):
    admin = make_user(Role.SYSTEM_ADMIN, tree.lianyuan)

    outside = api(admin).patch(reverse("api-group-detail", args=[county_group.pk]),
                               {"assigned_units": [tree.lianyuan.pk]}, format="json")

    assert outside.status_code == 400
    assert outside.json()["detail"] == "督导单位“娄底市/涟源市”不在派出单位“娄底市/涟源市”的下级范围内，不能由该督导组督导。"


def test_the_history_lists_unit_changes_only_among_the_units_the_reader_sees(tree, group, make_user, client):
    city_admin = make_user(Role.SYSTEM_ADMIN, tree.city)
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    org_services.supervision_group_assign(actor=city_admin, group=group, assigned_units=[tree.lianyuan])

    for_admin = logged_in(client, city_admin).get(reverse("group-detail", args=[group.pk]))
    for_office = logged_in(client, office).get(reverse("group-detail", args=[group.pk]))

    admin_changes = [(c.old, c.new) for e in for_admin.context["entries"] for c in e.changes if c.field == "督导单位"]
    assert admin_changes[0] == ("娄底市/涟源市、娄底市/娄星区", "娄底市/涟源市")
    office_changes = [(c.old, c.new) for e in for_office.context["entries"] for c in e.changes if c.field == "督导单位"]
    assert office_changes == [("", "娄底市/涟源市")]  # when it was formed; the later change was beyond its sight
    assert "娄星区" not in for_office.content.decode()


def test_the_group_page_query_count_does_not_grow_with_its_units_members_or_history(
        tree, county_group, make_user, client, django_assert_max_num_queries):
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    villages = [org_services.unit_create(actor=None, parent=tree.qiaotouhe, name=f"村{i}", level=UnitLevel.VILLAGE,
                                         kind=UnitKind.GRASSROOTS) for i in range(20)]
    for i in range(1, 21):
        org_services.supervision_group_assign(actor=None, group=county_group, assigned_units=villages[:i])
    for _ in range(10):
        make_user(Role.SUPERVISOR, tree.lianyuan, group=county_group)
    client.force_login(office)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("group-detail", args=[county_group.pk]))

    assert len(response.context["group"].shown_units) == 20 and len(response.context["members"]) == 10
