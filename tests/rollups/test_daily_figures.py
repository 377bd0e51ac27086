"""The day's figures kept for the 汇总's chart over time: recorded from the kept totals, drawn on the page."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from huitoukan.ledgers import services
from huitoukan.rollups.models import DailyFigures
from huitoukan.rollups.services import daily_figures_record
from tests.ledgers.conftest import lw_build

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def lw(tree, make_user):
    return lw_build(tree, make_user)


def _item(lw, due_on):
    return services.item_create(actor=lw.office, ledger=lw.ledger, problem="会议多", deadline_mode="date",
                                due_on=due_on, lead_leaders=[lw.leader_person])


def test_a_days_figures_are_the_kept_totals_as_they_stood(lw):
    _item(lw, TODAY - dt.timedelta(days=2))
    _item(lw, TODAY + dt.timedelta(days=5))
    yesterday = TODAY - dt.timedelta(days=1)
    daily_figures_record(day=yesterday)
    rows = {(f.unit.name, f.day): (f.total, f.closed, f.overdue) for f in DailyFigures.objects.select_related("unit")}
    # Every unit on the way up counts the subtree; an item due the day before yesterday was overdue then.
    assert rows[("涟源市", yesterday)] == (2, 0, 1) and rows[("娄底市", yesterday)] == (2, 0, 1)
    assert ("桥头河镇", yesterday) not in rows  # no items: no row
    # Recording the same day again replaces it; a day before both deadlines counts none overdue.
    _item(lw, TODAY + dt.timedelta(days=9))
    daily_figures_record(day=yesterday)
    call_command("figures-record", "--day", (TODAY - dt.timedelta(days=10)).isoformat())
    assert DailyFigures.objects.get(unit=lw.tree.lianyuan, day=yesterday).total == 3
    assert DailyFigures.objects.get(unit=lw.tree.lianyuan, day=TODAY - dt.timedelta(days=10)).overdue == 0


def test_the_rollup_page_draws_the_days_recorded_and_today(client, lw):
    _item(lw, TODAY - dt.timedelta(days=2))
    client.force_login(lw.office)
    url = f"/rollups/{lw.tree.lianyuan.pk}/?campaign={lw.campaign.pk}"
    assert 'id="trend-chart"' not in client.get(url).content.decode()  # nothing recorded yet
    daily_figures_record(day=TODAY - dt.timedelta(days=3))
    _item(lw, TODAY - dt.timedelta(days=1))
    page = client.get(url).content.decode()
    data = json.loads(page.split('id="trend-chart" type="application/json">')[1].split("</script>")[0])
    assert len(data["labels"]) == 2
    assert {s["name"]: s["values"] for s in data["series"]} == {"整改事项": [1, 2], "已销号": [0, 0], "已逾期": [0, 2]}
