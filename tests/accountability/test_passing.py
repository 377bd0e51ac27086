"""过关: each rule fails a unit for its own cause and names its clause; fixing the cause flips the kept verdict and
the roll-up's counts; the kept counts agree with a recount; recording a 述职评议考核 is the discipline staff's, in
their scope."""

from __future__ import annotations

import datetime as dt

import pytest

from huitoukan.access.policy import Denied, Forbidden
from huitoukan.accountability import passing, passing_selectors, passing_services
from huitoukan.accountability.models import AppraisalResult, ReportAppraisal, UnitVerdict
from huitoukan.accountability.passing_services import PassingError
from huitoukan.assessments.models import AcceptanceResult
from huitoukan.core import hooks
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import Item, ItemStatus
from huitoukan.orgs import totals
from tests.accountability.passing_world import (
    accept,
    accept_failed,
    build_world,
    close,
    overdue_item,
    seriously_low,
    today,
)
from tests.conftest import built_once

OK, FAILED = AppraisalResult.PASSED, AppraisalResult.FAILED
REFRESH_ONE_UNIT_QUERIES = 13  # a ledger write pays this to keep its unit's verdict: whatever the unit holds


@pytest.fixture(scope="module")
def passing_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        yield build_world()


@pytest.fixture
def w(passing_world, db):
    return passing_world


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): <a write>`: what runs once the write commits (transaction.on_commit) runs at the end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def appraise(w, unit, result, *, day=None, note=""):
    return passing_services.appraisal_record(actor=w.discipline, campaign=w.campaign, unit=unit, result=result,
                                             appraised_on=day or today(), note=note)


def kept(w, unit) -> UnitVerdict | None:
    return UnitVerdict.objects.filter(campaign=w.campaign, unit=unit).first()


def counts(w, *units) -> list[tuple[int, int]]:
    found = passing_selectors.passing_counts(units, w.campaign)
    return [(found[u.pk]["passed"], found[u.pk]["failed"]) for u in units]


def rules_of(verdict) -> list[str]:
    return [r.rule for r in verdict.reasons]


def assert_kept_equals_recount():
    assert totals.work_kept(passing_selectors.PASSING_TOPIC) == totals.work_recount(passing_selectors.counts_own())


# --- the rules --------------------------------------------------------------------------------------------


def test_every_rule_names_a_clause_and_the_four_causes_are_covered():
    assert [r.key for r in passing.RULES] == ["acceptance", "satisfaction", "appraisal", "overdue"]
    assert [r.basis for r in passing.RULES] == ["passing.acceptance", "passing.satisfaction", "passing.appraisal",
                                                "passing.overdue"]
    assert {r.clause.source for r in passing.RULES} == {"004", "001"}  # a KeyError if a key were missing


def test_a_unit_with_nothing_against_it_passes(w):
    verdict = passing.unit_verdict(w.tree.qiaotouhe, w.campaign)
    assert verdict.passed and verdict.reasons == []


def test_a_failed_acceptance_fails_the_unit_naming_the_task_and_only_that_unit(w):
    # given one task passed and the other failed
    accept_failed(w)
    # then 桥头河镇 does not pass, for the failed task only; its neighbours pass
    verdict = passing.unit_verdict(w.tree.qiaotouhe, w.campaign)
    assert rules_of(verdict) == ["acceptance"] and "整治乱收费乱罚款乱摊派" in verdict.reasons[0].text
    assert "整治群众办事难" not in verdict.reasons[0].text
    assert passing.unit_verdict(w.liumutang, w.campaign).passed


def test_a_pending_acceptance_does_not_fail_the_unit(w):
    accept(w, w.tasks[0], AcceptanceResult.PASSED)  # the other task not yet evaluated
    assert passing.unit_verdict(w.tree.qiaotouhe, w.campaign).passed


def test_seriously_low_satisfaction_fails_the_unit_once_the_survey_is_closed(w):
    survey = seriously_low(w, w.liumutang)
    verdict = passing.unit_verdict(w.liumutang, w.campaign)
    assert rules_of(verdict) == ["satisfaction"] and survey.title in verdict.reasons[0].text
    assert passing.unit_verdict(w.tree.qiaotouhe, w.campaign).passed


def test_a_satisfied_public_fails_nobody(w):
    seriously_low(w, w.liumutang, satisfied=True)
    assert passing.unit_verdict(w.liumutang, w.campaign).passed


def test_the_latest_appraisal_counts_by_date_whatever_the_order_of_recording(w):
    appraise(w, w.qixing, OK, day=today() - dt.timedelta(days=1))
    appraise(w, w.qixing, FAILED, day=today() - dt.timedelta(days=10), note="班子整改责任落实不到位")
    # the later-dated 合格 stands, though recorded first
    assert passing.unit_verdict(w.qixing, w.campaign).passed
    appraise(w, w.qixing, FAILED, day=today(), note="班子整改责任落实不到位")
    verdict = passing.unit_verdict(w.qixing, w.campaign)
    assert rules_of(verdict) == ["appraisal"] and f"{today().month}月{today().day}日" in verdict.reasons[0].text
    # the note is the appraisal list's (ACCOUNTABILITY_VIEW), not the verdict's (WORK_VIEW): never in a reason
    assert "班子整改责任落实不到位" not in verdict.reasons[0].text
    passing_services.verdicts_refresh(w.campaign, [w.qixing.pk])
    assert "班子整改责任落实不到位" not in str(kept(w, w.qixing).reasons)


def test_an_item_of_the_units_own_ledger_open_past_its_deadline_fails_it(w):
    item = overdue_item(w, w.qixing)
    verdict = passing.unit_verdict(w.qixing, w.campaign)
    assert rules_of(verdict) == ["overdue"] and verdict.reasons[0].text.startswith("1项")
    # the county above has no overdue item of its own: an item below does not fail it
    assert passing.unit_verdict(w.tree.lianyuan, w.campaign).passed
    # the day before the deadline it was not overdue
    assert passing.unit_verdict(w.qixing, w.campaign, today=item.due_on).passed


def test_an_item_due_later_or_closed_does_not_fail_the_unit(w):
    overdue_item(w, w.qixing, days=-3)
    assert passing.unit_verdict(w.qixing, w.campaign).passed


def test_several_causes_give_several_reasons_in_the_rules_order(w):
    overdue_item(w, w.tree.qiaotouhe)
    appraise(w, w.tree.qiaotouhe, FAILED)
    accept_failed(w)
    assert rules_of(passing.unit_verdict(w.tree.qiaotouhe, w.campaign)) == ["acceptance", "appraisal", "overdue"]


def test_the_batch_check_gives_each_unit_its_own_reasons(w):
    accept_failed(w)
    seriously_low(w, w.liumutang)
    appraise(w, w.qixing, FAILED)
    ids = [w.tree.qiaotouhe.pk, w.liumutang.pk, w.qixing.pk, w.tree.lianyuan.pk]
    verdicts = passing.verdicts_check(ids, w.campaign)
    assert {pk: rules_of(v) for pk, v in verdicts.items()} == {
        w.tree.qiaotouhe.pk: ["acceptance"], w.liumutang.pk: ["satisfaction"], w.qixing.pk: ["appraisal"],
        w.tree.lianyuan.pk: []}


def test_the_campaign_judges_units_in_force_above_village_level_in_its_subtree(w):
    judged = set(passing.units_judged(w.campaign).values_list("name", flat=True))
    assert {"娄底市", "涟源市", "桥头河镇", "娄星区", "乐坪街道", "市教育局"} <= judged
    assert "石狮村" not in judged


# --- kept verdicts and counts -------------------------------------------------------------------------------


def test_a_failed_acceptance_is_kept_at_once_and_a_new_passed_acceptance_flips_it(w):
    # given the campaign's verdicts worked out
    passing_services.verdicts_refresh(w.campaign)
    assert kept(w, w.tree.qiaotouhe).passed
    before = counts(w, w.tree.qiaotouhe, w.tree.lianyuan, w.tree.city)
    # when a task fails its acceptance
    accept_failed(w)
    # then the kept verdict and the counts above follow in the same write
    row = kept(w, w.tree.qiaotouhe)
    assert not row.passed and [r["rule"] for r in row.reasons] == ["acceptance"]
    assert counts(w, w.tree.qiaotouhe, w.tree.lianyuan, w.tree.city) == [
        (p - 1, f + 1) for p, f in before]
    # and when the task passes a new acceptance, the unit passes again
    accept(w, w.tasks[1], AcceptanceResult.PASSED)
    assert kept(w, w.tree.qiaotouhe).passed and kept(w, w.tree.qiaotouhe).reasons == []
    assert counts(w, w.tree.qiaotouhe, w.tree.lianyuan, w.tree.city) == before
    assert_kept_equals_recount()


def test_a_new_passed_appraisal_after_a_failed_one_flips_the_kept_verdict(w):
    appraise(w, w.qixing, FAILED, day=today() - dt.timedelta(days=2))
    assert not kept(w, w.qixing).passed
    assert counts(w, w.qixing, w.tree.lianyuan) == [(0, 1), (0, 1)]
    appraise(w, w.qixing, OK)
    assert kept(w, w.qixing).passed
    assert counts(w, w.qixing, w.tree.lianyuan) == [(1, 0), (1, 0)]
    assert_kept_equals_recount()


def test_closing_a_survey_keeps_the_low_unit_not_passed(w):
    seriously_low(w, w.liumutang)
    row = kept(w, w.liumutang)
    assert not row.passed and [r["rule"] for r in row.reasons] == ["satisfaction"]
    assert counts(w, w.liumutang) == [(0, 1)]


def test_the_full_refresh_counts_every_unit_judged_and_agrees_with_a_recount(w):
    accept_failed(w)
    seriously_low(w, w.liumutang)
    passing_services.verdicts_refresh(w.campaign)
    judged = passing.units_judged(w.campaign).count()
    city = counts(w, w.tree.city)[0]
    assert sum(city) == judged and city[1] == 2
    assert counts(w, w.tree.lianyuan)[0] == (2, 2)  # 涟源市, 七星街镇 pass; 桥头河镇, 六亩塘镇 do not
    assert_kept_equals_recount()
    # a second refresh changes nothing
    assert passing_services.verdicts_refresh(w.campaign).changed == 0
    assert counts(w, w.tree.city)[0] == city


def test_the_daily_refresh_catches_an_item_that_became_overdue_and_one_since_closed(w):
    item = overdue_item(w, w.qixing, days=0)  # due today: not yet overdue
    passing_services.verdicts_refresh(w.campaign)
    assert kept(w, w.qixing).passed
    passing_services.verdicts_refresh_all(today=today() + dt.timedelta(days=1))
    assert not kept(w, w.qixing).passed and counts(w, w.qixing) == [(0, 1)]
    # closing the item through the ledgers clears it at the next refresh
    from huitoukan.ledgers.models import Item, ItemStatus

    Item.objects.filter(pk=item.pk).update(status=ItemStatus.CLOSED)  # the closing workflow is the ledgers' own test
    passing_services.verdicts_refresh_all(today=today() + dt.timedelta(days=1))
    assert kept(w, w.qixing).passed
    assert_kept_equals_recount()


def test_closing_the_last_overdue_item_flips_the_kept_verdict_and_the_counts_at_once(w, committed):
    # given 七星街镇's one overdue item: adding it failed the unit as soon as the write committed
    with committed():
        item = overdue_item(w, w.qixing)
    assert not kept(w, w.qixing).passed and counts(w, w.qixing, w.tree.lianyuan) == [(0, 1), (0, 1)]
    # when it is closed (销号 verified), the kept verdict and the 汇总's counts follow the write
    with committed():
        close(w, item)
    assert kept(w, w.qixing).passed and counts(w, w.qixing, w.tree.lianyuan) == [(1, 0), (1, 0)]
    # reopened (反弹), it fails the unit again
    with committed():
        item = ledger_services.item_relapse(actor=w.office, item=item, reason="问题反弹")
    assert not kept(w, w.qixing).passed and counts(w, w.tree.lianyuan) == [(0, 1)]
    # given a later 整改时限, it is no longer overdue
    with committed():
        item = ledger_services.item_update(actor=w.office, item=item, due_on=today() + dt.timedelta(days=30))
    assert kept(w, w.qixing).passed
    # sent back (回炉) with a deadline already past, it is overdue again
    with committed():
        ledger_services.item_send_back(actor=w.office, item=item, reason="整改不彻底",
                                       due_on=today() - dt.timedelta(days=1))
    assert not kept(w, w.qixing).passed and counts(w, w.tree.lianyuan) == [(0, 1)]
    assert_kept_equals_recount()


def test_an_edit_that_leaves_the_deadline_and_state_alone_refreshes_nothing(w, committed, monkeypatch):
    item = overdue_item(w, w.qixing)
    calls = []
    monkeypatch.setattr(passing_services, "verdicts_refresh", lambda *a, **kw: calls.append(a))
    with committed():
        ledger_services.item_update(actor=w.office, item=item, problem="会议文件过多")
    assert calls == []


def test_a_bulk_creation_refreshes_its_unit_once(w, committed, monkeypatch):
    ledger = ledger_services.ledger_open(actor=w.office, campaign=w.campaign, unit=w.qixing, kind=LedgerKind.LEADERSHIP)
    calls = []
    real = passing_services.verdicts_refresh
    monkeypatch.setattr(passing_services, "verdicts_refresh", lambda *a, **kw: calls.append(a) or real(*a, **kw))
    with committed():
        ledger_services.items_create_bulk(actor=w.office, ledger=ledger, rows=[ledger_services.NewItem(
            seq=None, problem=f"问题{i}", fields={"deadline_mode": "date", "due_on": today() - dt.timedelta(days=i)},
            lead_leaders=[w.person], responsible_units=[]) for i in range(1, 4)])
    assert [(c[0].pk, c[1]) for c in calls] == [(w.campaign.pk, [w.qixing.pk])]
    assert not kept(w, w.qixing).passed and kept(w, w.qixing).reasons[0]["text"].startswith("3项")


def test_gathered_hooks_are_sent_once_per_topic_and_campaign_with_every_unit(monkeypatch):
    calls = []
    monkeypatch.setitem(hooks._LISTENERS, "test.topic", {"spy": lambda **kw: calls.append(kw)})
    with hooks.gathered():
        hooks.units_changed("test.topic", [3, 1], 7)
        with hooks.gathered():
            hooks.units_changed("test.topic", [2], 7)
        hooks.units_changed("test.topic", [1], 8)
        assert calls == []
    assert calls == [{"unit_ids": [1, 2, 3], "campaign_id": 7}, {"unit_ids": [1], "campaign_id": 8}]
    calls.clear()
    with pytest.raises(ValueError), hooks.gathered():
        hooks.units_changed("test.topic", [1], 7)
        raise ValueError
    assert calls == []  # the write failed: nothing to follow


def test_refreshing_one_unit_reads_a_fixed_number_of_queries(w, django_assert_max_num_queries):
    for _ in range(3):
        overdue_item(w, w.qixing)
    appraise(w, w.qixing, FAILED)
    assert not kept(w, w.qixing).passed
    # the causes go away behind the services' back, so that the measured refresh flips the verdict and its counts
    ReportAppraisal.objects.filter(unit=w.qixing).delete()
    Item.objects.filter(ledger__unit=w.qixing).update(status=ItemStatus.CLOSED)
    with django_assert_max_num_queries(REFRESH_ONE_UNIT_QUERIES):
        passing_services.units_changed(unit_ids=[w.qixing.pk], campaign_id=w.campaign.pk)
    assert kept(w, w.qixing).passed and counts(w, w.qixing) == [(1, 0)]


def test_the_daily_refresh_commits_batch_by_batch_and_an_interruption_leaves_whole_batches(w, monkeypatch):
    # given the units worked out two at a time, and the third round failing
    monkeypatch.setattr(passing_services, "BATCH", 2)
    real, rounds = passing.verdicts_check, []

    def check(*args, **kwargs):
        rounds.append(args[0])
        if len(rounds) == 3:
            raise RuntimeError("interrupted")
        return real(*args, **kwargs)

    monkeypatch.setattr(passing, "verdicts_check", check)
    with pytest.raises(RuntimeError):
        passing_services.verdicts_refresh_all()
    # then the first two rounds stand, each whole with its counts: they were their own transactions
    assert set(UnitVerdict.objects.filter(campaign=w.campaign).values_list("unit_id", flat=True)) == {
        *rounds[0], *rounds[1]}
    assert_kept_equals_recount()
    # and the next run finishes the work
    monkeypatch.setattr(passing, "verdicts_check", real)
    result = passing_services.verdicts_refresh_all()[w.campaign.pk]
    assert result.checked == UnitVerdict.objects.filter(campaign=w.campaign).count() == passing.units_judged(
        w.campaign).count()
    assert_kept_equals_recount()


def test_the_daily_refresh_drops_the_verdict_of_a_unit_no_longer_judged(w):
    from huitoukan.orgs import services as org_services

    passing_services.verdicts_refresh(w.campaign)
    org_services.unit_abolish(actor=None, unit=w.qixing, on=today())
    result = passing_services.verdicts_refresh_all()[w.campaign.pk]
    assert result.dropped == 1 and result.changed == 0 and kept(w, w.qixing) is None
    assert_kept_equals_recount()


def test_a_unit_abolished_loses_its_kept_verdict_and_its_count(w):
    from huitoukan.orgs import services as org_services

    passing_services.verdicts_refresh(w.campaign)
    assert counts(w, w.tree.lianyuan)[0] == (4, 0)
    org_services.unit_abolish(actor=None, unit=w.qixing, on=today())
    result = passing_services.verdicts_refresh(w.campaign)
    assert result.dropped == 1 and kept(w, w.qixing) is None
    assert counts(w, w.tree.lianyuan)[0] == (3, 0)
    assert_kept_equals_recount()


def test_the_hooks_are_registered_by_the_app():
    assert passing_services.units_changed in hooks.listeners(hooks.ACCEPTANCE_DECIDED)
    assert passing_services.units_changed in hooks.listeners(hooks.SATISFACTION_MARKED)
    assert passing_services.items_changed in hooks.listeners(hooks.ITEMS_CHANGED)


def test_the_rebuild_recounts_the_passing_topic(w):
    passing_services.verdicts_refresh(w.campaign)
    # `totals-rebuild` recounts every registered topic: the passing one among them, equal to what was kept
    recount = totals.work_recount_all()
    mine = {key: n for key, n in recount.items() if key[2] == passing_selectors.PASSING_TOPIC}
    assert mine and mine == dict(+totals.work_kept(passing_selectors.PASSING_TOPIC))


# --- recording a 述职评议考核 ---------------------------------------------------------------------------------


def test_the_appraisal_keeps_its_history_with_the_actor(w):
    appraisal = appraise(w, w.qixing, FAILED, note="述职报告未联系整改实际")
    assert appraisal.history.get().history_user == w.discipline
    assert ReportAppraisal.objects.get(pk=appraisal.pk).recorded_by == w.discipline


@pytest.mark.parametrize("who, error", [("head", Forbidden), ("office", Denied), ("outsider", Denied)])
def test_only_discipline_staff_over_the_unit_record_an_appraisal(w, who, error):
    with pytest.raises(error):
        passing_services.appraisal_record(actor=getattr(w, who), campaign=w.campaign, unit=w.qixing, result=FAILED,
                                          appraised_on=today())
    assert not ReportAppraisal.objects.filter(unit=w.qixing).exists()


@pytest.mark.parametrize("change, words", [
    ({"result": "bad"}, "考核结果"), ({"appraised_on": None}, "考核日期"),
    ({"appraised_on": today() + dt.timedelta(days=1)}, "不能晚于今天"),
    ({"appraised_on": dt.date(2014, 12, 1)}, "开始"), ({"note": "长" * 2001}, "说明"),
])
def test_bad_input_is_refused_with_a_message_naming_the_field_and_nothing_is_written(w, change, words):
    data = {"result": FAILED, "appraised_on": today(), "note": "", **change}
    with pytest.raises(PassingError) as e:
        passing_services.appraisal_record(actor=w.discipline, campaign=w.campaign, unit=w.qixing, **data)
    assert words in e.value.message
    assert not ReportAppraisal.objects.filter(unit=w.qixing).exists() and kept(w, w.qixing) is None


def test_a_village_is_not_appraised_for_passing(w):
    with pytest.raises(PassingError) as e:
        appraise(w, w.tree.shishi, FAILED)
    assert "石狮村" in e.value.message


def test_the_command_works_every_verdict_out_by_the_date_given(w):
    import io

    from django.core.management import CommandError, call_command

    overdue_item(w, w.qixing, days=0)
    out = io.StringIO()
    call_command("passing-refresh", "--date", (today() + dt.timedelta(days=1)).isoformat(), stdout=out)
    assert "个单位的过关情况" in out.getvalue() and not kept(w, w.qixing).passed
    with pytest.raises(CommandError, match="格式不正确"):
        call_command("passing-refresh", "--date", "2015-13-01")


def test_a_refresh_in_small_rounds_keeps_what_one_round_keeps(w, monkeypatch):
    accept_failed(w)
    seriously_low(w, w.liumutang, also=[w.qixing])  # about units of two rounds
    appraise(w, w.qixing, FAILED)
    passing_services.verdicts_refresh(w.campaign)
    whole = {v.unit_id: (v.passed, v.reasons) for v in UnitVerdict.objects.filter(campaign=w.campaign)}
    UnitVerdict.objects.filter(campaign=w.campaign).delete()
    totals.work_rebuild()
    # when the units are worked out two at a time
    monkeypatch.setattr(passing_services, "BATCH", 2)
    calls = []
    original = passing.units_seriously_low
    monkeypatch.setattr(passing, "units_seriously_low", lambda **kw: calls.append(kw) or original(**kw))
    passing_services.verdicts_refresh(w.campaign)
    # then every verdict is the same, the survey was worked out once, and the counts agree with a recount
    assert {v.unit_id: (v.passed, v.reasons) for v in UnitVerdict.objects.filter(campaign=w.campaign)} == whole
    assert len(calls) == 1
    assert_kept_equals_recount()
