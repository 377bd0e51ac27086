"""过关 verdicts as they stood at the end of a past day (accountability.passing_past): each rule of passing.RULES
reads its inputs as they stood, so the verdicts of 2015-01-20 and 2015-01-21 are exactly those worked out on
those evenings, whatever was accepted, surveyed, appraised, closed or made late afterwards."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from huitoukan.accountability import passing, passing_past, passing_services
from huitoukan.accountability.models import AppraisalResult
from huitoukan.assessments.models import AcceptanceResult
from huitoukan.ledgers.models import Item
from tests.accountability.passing_world import (
    accept,
    build_world,
    close,
    overdue_item,
    seriously_low,
)
from tests.conftest import built_once

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY1, DAY2, DAY3 = dt.date(2015, 1, 20), dt.date(2015, 1, 21), dt.date(2015, 1, 23)


def _at(day: dt.date, hour: int):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


def _appraise(w, unit, result):
    return passing_services.appraisal_record(actor=w.discipline, campaign=w.campaign, unit=unit, result=result,
                                             appraised_on=timezone.localdate())


def _now(w):
    """Every verdict the campaign works out now, by unit name."""
    units = list(passing.units_judged(w.campaign))
    verdicts = passing.verdicts_check([u.pk for u in units], w.campaign)
    return {u.name: verdicts[u.pk] for u in units}


def _then(w, day):
    units = list(passing_past.units_judged_as_of(w.campaign, day))
    verdicts = passing_past.verdicts_as_of([u.pk for u in units], w.campaign, day)
    return {u.name: verdicts[u.pk] for u in units}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """DAY1: 七星街镇 holds an item past its deadline, 桥头河镇's first task passes its acceptance, 六亩塘镇's
    述职评议考核 passes. DAY2: the item is closed, 六亩塘镇's appraisal fails, 桥头河镇's second task fails, a survey
    marks 涟源市 严重偏低. DAY3: 六亩塘镇 passes a new appraisal,
    桥头河镇's second task passes on re-evaluation. Verdicts recorded on the evenings of DAY1 and DAY2."""
    with built_once(django_db_blocker, tmp_path_factory):
        w = build_world()
        recorded = {}
        with _at(DAY1, 10):
            late = overdue_item(w, w.qixing, days=3)  # due 2015-01-17
            accept(w, w.tasks[0], AcceptanceResult.PASSED)
            _appraise(w, w.liumutang, AppraisalResult.PASSED)
        with _at(DAY1, 20):
            recorded[DAY1] = _now(w)
        with _at(DAY2, 10):
            close(w, Item.objects.get(pk=late.pk))
            _appraise(w, w.liumutang, AppraisalResult.FAILED)
            accept(w, w.tasks[1], AcceptanceResult.FAILED)
            seriously_low(w, w.tree.lianyuan)
        with _at(DAY2, 20):
            recorded[DAY2] = _now(w)
        with _at(DAY3, 10):
            _appraise(w, w.liumutang, AppraisalResult.PASSED)
            accept(w, w.tasks[1], AcceptanceResult.PASSED)
        yield w, recorded


def _failed(verdicts) -> dict[str, list[str]]:
    return {name: [r.rule for r in v.reasons] for name, v in verdicts.items() if not v.passed}


def test_the_verdicts_of_a_past_day_are_exactly_those_of_that_evening(world, db):
    w, recorded = world
    now = _now(w)
    for day in (DAY1, DAY2):
        assert _then(w, day) == recorded[day], day
        assert now != recorded[day]
    # what the recorded ones said (so the equality above is about something): every rule failed someone
    assert _failed(recorded[DAY1]) == {"七星街镇": ["overdue"]}
    assert _failed(recorded[DAY2]) == {"涟源市": ["satisfaction"], "桥头河镇": ["acceptance"], "六亩塘镇": ["appraisal"]}
    assert _failed(now) == {"涟源市": ["satisfaction"]}


def test_each_rule_reads_its_inputs_as_of_the_day(world, db):
    w, _recorded = world
    ids = [u.pk for u in passing_past.units_judged_as_of(w.campaign, DAY1)]
    for rule in passing.RULES:  # one place for the rules: each takes the day
        first = rule.check(ids, w.campaign, DAY1, {}, as_of=DAY1)
        second = rule.check(ids, w.campaign, DAY2, {}, as_of=DAY2)
        if rule.key == "overdue":  # closed on DAY2: only DAY1 sees it overdue
            assert list(first) == [w.qixing.pk] and not second
        else:  # DAY2's failures: none on DAY1
            assert not first and second, rule.key


def test_a_day_before_the_campaign_had_anything_passes_every_unit(world, db):
    w, _recorded = world
    assert _failed(_then(w, DAY1 - dt.timedelta(days=1))) == {}


def test_a_past_day_costs_the_queries_of_today_whatever_the_number_of_units(world, db, django_assert_num_queries):
    w, _recorded = world
    units = [u.pk for u in passing_past.units_judged_as_of(w.campaign, DAY2)]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as many:
        passing_past.verdicts_as_of(units, w.campaign, DAY2)
    with django_assert_num_queries(len(many)):
        passing_past.verdicts_as_of(units[:2], w.campaign, DAY2)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_of_a_past_day(world, db):
    w, _recorded = world
    client = _client(w.office)
    present = client.get(f"/accountability/passing/?campaign={w.campaign.pk}").content.decode()
    assert f'href="/accountability/passing/as-of/?campaign={w.campaign.pk}"' in present and "历史状态" in present
    page = client.get(f"/accountability/passing/as-of/?campaign={w.campaign.pk}&day=2015-01-21")
    assert page.status_code == 200
    text = page.content.decode()
    assert "状态截至：2015年1月21日" in text and "2015年1月21日述职评议考核不合格" in text and "验收未通过" in text
    assert "娄星区" not in text  # out of the office's scope
    first = client.get(f"/accountability/passing/as-of/?campaign={w.campaign.pk}&day=2015-01-20").content.decode()
    assert "1项整改事项超过整改时限仍未完成" in first and "2015年1月21日述职评议考核不合格" not in first


@pytest.mark.parametrize(("day", "message"), [("2015-13-01", "应为 2015-01-20 的格式"), ("", "请选择要查看的日期"),
                                              ("2999-01-01", "晚于今天")])
def test_a_bad_day_is_refused_with_a_message_naming_it(world, db, day, message):
    w, _recorded = world
    page = _client(w.office).get(f"/accountability/passing/as-of/?campaign={w.campaign.pk}&day={day}")
    assert page.status_code == 400 and message in page.content.decode()


def test_a_campaign_out_of_sight_is_404(world, db):
    w, _recorded = world
    page = _client(w.office).get("/accountability/passing/as-of/?campaign=999999&day=2015-01-20")
    assert page.status_code == 404


def test_an_item_deleted_by_the_day_s_end_is_not_overdue_that_day(world, db):
    from huitoukan.ledgers.models import ItemEvent, ItemSeal

    w, _recorded = world
    with _at(DAY3, 11):
        gone = overdue_item(w, w.liumutang, days=3)
    overdue = passing.RULES_BY_KEY["overdue"]
    ids = [u.pk for u in passing_past.units_judged_as_of(w.campaign, DAY3)]
    assert list(overdue.check(ids, w.campaign, DAY3, {}, as_of=DAY3)) == [w.liumutang.pk]
    with _at(DAY3, 12):  # no service deletes an item; deleted by hand, its history records the deletion
        for related in (ItemEvent, ItemSeal):
            related.objects.filter(item=gone).delete()
        Item.objects.get(pk=gone.pk).delete()
    assert overdue.check(ids, w.campaign, DAY3, {}, as_of=DAY3) == {}
