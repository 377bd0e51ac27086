"""What the ledger's table shows beside each item (ledgers.selectors.ledger_sheet_links): its lead leaders in
the people's order (unit path, the unit head first), its responsible units in tree order, and its newest report."""

import datetime as dt

import pytest

from huitoukan.ledgers import selectors, services
from huitoukan.ledgers.layouts import LedgerKind

pytestmark = pytest.mark.django_db


def test_leaders_units_and_newest_report_of_each_item(lw):
    tree = lw.tree
    first = services.item_create(actor=lw.office, ledger=lw.ledger, problem="会风不实",
                                 lead_leaders=[lw.leader_person, lw.head_person, lw.other_leader],
                                 responsible_units=[tree.shishi, tree.lianyuan, tree.qiaotouhe])
    second = services.item_create(actor=lw.office, ledger=lw.ledger, problem="文风不正",
                                  lead_leaders=[lw.other_leader])
    services.progress_add(actor=lw.office, item=first, progress="第一次", reported_on=dt.date(2015, 1, 5),
                          leader=lw.leader_person)
    services.progress_add(actor=lw.office, item=first, progress="第三次", reported_on=dt.date(2015, 1, 20),
                          leader=lw.head_person, next_steps="巩固")
    services.progress_add(actor=lw.office, item=first, progress="第二次", reported_on=dt.date(2015, 1, 10),
                          leader=lw.leader_person)

    links = selectors.ledger_sheet_links(items=[first, second])

    heads_first = [lw.head_person, *sorted([lw.leader_person, lw.other_leader], key=lambda p: p.pk)]
    assert links.leaders[first.pk] == [(p.pk, p.name) for p in heads_first]
    assert links.leaders[second.pk] == [(lw.other_leader.pk, lw.other_leader.name)]
    assert links.units[first.pk] == ["涟源市", "桥头河镇", "石狮村"]
    assert second.pk not in links.units
    newest = links.latest[first.pk]
    assert (newest.progress, newest.next_steps, newest.leader_name, newest.by_office) == ("第三次", "巩固", "张卫国", True)
    assert second.pk not in links.latest


def test_filter_lists_hold_the_leaders_and_units_of_this_ledger_only(lw):
    tree = lw.tree
    services.item_create(actor=lw.office, ledger=lw.ledger, problem="会风不实",
                         lead_leaders=[lw.other_leader, lw.head_person], responsible_units=[tree.shishi, tree.lianyuan])
    services.item_create(actor=lw.office, ledger=lw.ledger, problem="文风不正", lead_leaders=[lw.other_leader])
    other_ledger = services.ledger_open(actor=lw.office, campaign=lw.campaign, unit=tree.lianyuan, kind=LedgerKind.INSTITUTION)
    services.item_create(actor=lw.office, ledger=other_ledger, problem="制度缺失", lead_leaders=[lw.leader_person],
                         responsible_units=[tree.qiaotouhe])

    people, places = selectors.ledger_filter_choices(ledger=lw.ledger)

    assert {c.pk for c in people} == {lw.other_leader.pk, lw.head_person.pk}  # in the database's name order
    assert [c.name for c in places] == ["涟源市", "石狮村"]
    assert {c.pk for c in places} == {tree.lianyuan.pk, tree.shishi.pk}
