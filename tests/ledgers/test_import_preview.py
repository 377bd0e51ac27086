"""The import preview is the write, rolled back: what it promises, the confirmation does."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huitoukan.campaigns import services as campaign_services
from huitoukan.ledgers import services
from huitoukan.ledgers.imports import ledger_import
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import Item, ItemStatus
from tests.ledgers.conftest import pdf, reported
from tests.ledgers.test_import import ledger_xlsx, row

pytestmark = pytest.mark.django_db
_campaigns = itertools.count(1)

CELLS = st.tuples(
    st.sampled_from(["文山会海问题突出", "", "调研走过场"]),
    st.sampled_from(["精简会议文件", "", "建立调研成果转化机制"]),
    st.sampled_from(["2015年3月31日", "立行立改", "2015年13月40日", "长期坚持", ""]),
    st.sampled_from(["吴海波", "吴海波、罗建华", "查无此人", ""]),
    st.sampled_from(["桥头河镇", "", "不存在镇"]),
    st.sampled_from(["", "已压缩会议12个"]),
    st.sampled_from(["", "继续压缩"]),
)


def _ledger_with_items(lw, closed: set[int]):
    """A fresh campaign's ledger with items 1-3 reported by 吴海波; those in `closed` are 销号."""
    from datetime import date

    campaign = campaign_services.campaign_create(
        actor=None, owner_unit=lw.tree.city, name=f"回头看{next(_campaigns)}", starts_on=date(2014, 12, 31),
        ends_on=date(2015, 2, 28))
    ledger = services.ledger_open(actor=None, campaign=campaign, unit=lw.tree.lianyuan, kind=LedgerKind.LEADERSHIP)
    for seq in (1, 2, 3):
        item = reported(lw, services.item_create(actor=None, ledger=ledger, problem="文山会海问题突出",
                                                 measures="精简会议文件", lead_leaders=[lw.leader_person]))
        if seq in closed:
            request = services.closing_request(actor=lw.leader, item=item, summary="已完成", files=[pdf()])
            services.closing_verify(actor=lw.head, request=request)
    return campaign, ledger


def _import(lw, campaign, data, *, dry_run):
    return ledger_import(actor=lw.office, data=data, filename="台账.xlsx", campaign=campaign,
                         unit=lw.tree.lianyuan, kind=None, dry_run=dry_run)


def _state(ledger):
    return sorted(Item.objects.filter(ledger=ledger).values_list("seq", "problem", "measures", "status", "due_on"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(CELLS, min_size=1, max_size=4), closed=st.sets(st.sampled_from([1, 2, 3])))
def test_a_preview_that_accepts_confirms_and_one_that_refuses_refuses(lw, rows, closed):
    campaign, ledger = _ledger_with_items(lw, closed)
    data = ledger_xlsx([row(seq, *cells) for seq, cells in enumerate(rows, start=1)])
    before = _state(ledger)

    preview = _import(lw, campaign, data, dry_run=True)
    assert _state(ledger) == before  # the preview wrote nothing
    confirmed = _import(lw, campaign, data, dry_run=False)

    assert preview.ok == confirmed.ok, (preview.errors, confirmed.errors)
    assert [str(e) for e in preview.errors] == [str(e) for e in confirmed.errors]
    assert (preview.created, preview.updated, preview.unchanged) == (
        confirmed.created, confirmed.updated, confirmed.unchanged)
    if not confirmed.ok:
        assert _state(ledger) == before


def test_a_closed_items_measures_changed_in_the_file_are_refused_in_the_preview_already(lw):
    campaign, ledger = _ledger_with_items(lw, closed={1})
    data = ledger_xlsx([row(1, measures="改写后的措施")])
    preview = _import(lw, campaign, data, dry_run=True)
    assert not preview.ok and "已销号" in str(preview.errors[0])
    assert Item.objects.get(ledger=ledger, seq=1).status == ItemStatus.CLOSED
