"""The unit tree: subtree queries, moves, renames, abolition, name resolution, history."""

import datetime as dt

import pytest
from django.http import Http404

from huitoukan.access.models import Role
from huitoukan.core.errors import DomainError
from huitoukan.orgs import selectors, services
from huitoukan.orgs.errors import OrgsErrorCode
from huitoukan.orgs.models import Unit, UnitKind, UnitLevel

pytestmark = pytest.mark.django_db


def names(qs):
    return [u.name for u in qs]


def test_subtree_is_the_unit_and_everything_under_it(tree):
    assert names(selectors.subtree(tree.lianyuan)) == ["涟源市", "桥头河镇", "石狮村"]
    assert names(selectors.subtree(tree.lianyuan, include_self=False)) == ["桥头河镇", "石狮村"]


def test_subtree_is_one_range_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(selectors.subtree(tree.city))


def test_move_takes_the_whole_subtree_and_rewrites_paths_and_names(tree):
    # given 桥头河镇 (with 石狮村) under 涟源市
    # when it moves under 娄星区
    services.unit_move(actor=None, unit=tree.qiaotouhe, new_parent=tree.louxing)
    tree.refresh()
    # then the subtree queries follow it, and the name paths are current
    assert names(selectors.subtree(tree.lianyuan)) == ["涟源市"]
    assert names(selectors.subtree(tree.louxing)) == ["娄星区", "乐坪街道", "桥头河镇", "石狮村"]
    assert tree.shishi.full_name == "娄底市/娄星区/桥头河镇/石狮村"
    assert tree.shishi.path.startswith(tree.louxing.path)
    assert tree.lianyuan.numchild == 0 and tree.louxing.numchild == 2


def test_tree_stays_valid_after_moves(tree):
    services.unit_move(actor=None, unit=tree.qiaotouhe, new_parent=tree.louxing)
    services.unit_move(actor=None, unit=tree.leping, new_parent=tree.lianyuan)
    assert all(not problem for problem in Unit.objects.find_problems())
    for unit in Unit.objects.all():
        parent = Unit.objects.get_parent(unit)
        expected = f"{parent.full_name}/{unit.name}" if parent else unit.name
        assert unit.full_name == expected


def test_a_unit_cannot_move_under_its_own_descendant(tree):
    with pytest.raises(DomainError) as err:
        services.unit_move(actor=None, unit=tree.lianyuan, new_parent=tree.shishi)
    assert err.value.code == OrgsErrorCode.MOVE_INTO_OWN_SUBTREE


def test_move_refuses_a_name_taken_under_the_new_parent(tree):
    services.unit_create(actor=None, parent=tree.louxing, name="桥头河镇", level=UnitLevel.TOWNSHIP,
                         kind=UnitKind.PARTY_COMMITTEE)
    with pytest.raises(DomainError) as err:
        services.unit_move(actor=None, unit=tree.qiaotouhe, new_parent=tree.louxing)
    assert "已有名为“桥头河镇”" in err.value.message


def test_rename_rewrites_the_name_paths_below(tree):
    services.unit_update(actor=None, unit=tree.lianyuan, name="涟源县", level=UnitLevel.COUNTY,
                         kind=UnitKind.PARTY_COMMITTEE)
    tree.refresh()
    assert tree.shishi.full_name == "娄底市/涟源县/桥头河镇/石狮村"


def test_child_level_cannot_be_above_its_parent(tree):
    with pytest.raises(DomainError) as err:
        services.unit_create(actor=None, parent=tree.qiaotouhe, name="某县", level=UnitLevel.COUNTY,
                             kind=UnitKind.PARTY_COMMITTEE)
    assert err.value.code == OrgsErrorCode.LEVEL_ABOVE_PARENT
    assert "县" in err.value.message and "乡镇街道" in err.value.message


def test_an_organ_may_sit_at_its_parents_level(tree):
    unit = services.unit_create(actor=None, parent=tree.city, name="市公安局", level=UnitLevel.CITY,
                                kind=UnitKind.LAW_ENFORCEMENT)
    assert unit.full_name == "娄底市/市公安局"


def test_abolish_keeps_the_unit_and_counts_it_only_before_the_date(tree):
    services.unit_abolish(actor=None, unit=tree.shishi, on=dt.date(2015, 1, 1), merged_into=None)
    tree.refresh()
    assert tree.shishi.abolished_on == dt.date(2015, 1, 1)
    day_before = selectors.existing_on(selectors.subtree(tree.qiaotouhe), dt.date(2014, 12, 31))
    day_of = selectors.existing_on(selectors.subtree(tree.qiaotouhe), dt.date(2015, 1, 1))
    assert "石狮村" in names(day_before)
    assert "石狮村" not in names(day_of)


def test_a_unit_with_active_children_cannot_be_abolished(tree):
    with pytest.raises(DomainError) as err:
        services.unit_abolish(actor=None, unit=tree.qiaotouhe, on=dt.date(2015, 1, 1))
    assert err.value.code == OrgsErrorCode.HAS_ACTIVE_CHILDREN


def test_merge_records_the_receiving_unit(tree):
    services.unit_abolish(actor=None, unit=tree.leping, on=dt.date(2015, 3, 1), merged_into=tree.qiaotouhe)
    tree.refresh()
    assert tree.leping.merged_into == tree.qiaotouhe
    assert tree.leping.history.first().history_change_reason == "并入“娄底市/涟源市/桥头河镇”"


def test_resolve_by_path_by_unique_name_and_by_suffix(tree):
    assert selectors.unit_resolve("娄底市/涟源市/桥头河镇") == tree.qiaotouhe
    assert selectors.unit_resolve("桥头河镇") == tree.qiaotouhe
    assert selectors.unit_resolve("涟源市/桥头河镇") == tree.qiaotouhe


def test_resolve_an_ambiguous_name_lists_the_candidates(tree):
    services.unit_create(actor=None, parent=tree.leping, name="石狮村", level=UnitLevel.VILLAGE,
                         kind=UnitKind.GRASSROOTS)
    with pytest.raises(DomainError) as err:
        selectors.unit_resolve("石狮村")
    assert err.value.code == OrgsErrorCode.UNIT_AMBIGUOUS
    assert "娄底市/涟源市/桥头河镇/石狮村" in err.value.message
    assert "娄底市/娄星区/乐坪街道/石狮村" in err.value.message


def test_resolve_an_unknown_name_says_so(tree):
    with pytest.raises(DomainError) as err:
        selectors.unit_resolve("不存在镇")
    assert "找不到单位“不存在镇”" in err.value.message


def test_every_change_is_in_the_history_with_who_and_before_after(tree, make_user):
    admin = make_user(Role.SYSTEM_ADMIN, tree.lianyuan)
    services.unit_update(actor=admin, unit=tree.qiaotouhe, name="桥头河镇", level=UnitLevel.TOWNSHIP,
                         kind=UnitKind.GRASSROOTS)
    latest, previous = list(tree.qiaotouhe.history.all()[:2])
    assert latest.history_user == admin
    delta = latest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("kind", UnitKind.PARTY_COMMITTEE, UnitKind.GRASSROOTS)
    ]


def test_a_manager_cannot_change_units_outside_their_scope(tree, make_user):
    admin = make_user(Role.SYSTEM_ADMIN, tree.lianyuan)
    with pytest.raises(Http404):
        services.unit_create(actor=admin, parent=tree.louxing, name="新街道", level=UnitLevel.TOWNSHIP,
                             kind=UnitKind.PARTY_COMMITTEE)
    with pytest.raises(Http404):
        services.unit_move(actor=admin, unit=tree.qiaotouhe, new_parent=tree.louxing)


def test_only_the_command_line_creates_a_top_unit(tree, make_user):
    admin = make_user(Role.SYSTEM_ADMIN, tree.city)
    with pytest.raises(Http404):
        services.unit_create(actor=admin, parent=None, name="长沙市", level=UnitLevel.CITY,
                             kind=UnitKind.PARTY_COMMITTEE)
