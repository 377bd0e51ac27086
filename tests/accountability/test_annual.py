"""年度考核 and 评先选优: a relapse case with 一案双查 puts both people in the year's leader table with their actions and
excludes both from 评先选优 naming the case; each rule excludes its own candidate and none else; an action of
another year does not count; the year's summary reads in a fixed number of queries; scope answers 404."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from huitoukan.access.policy import Denied, Forbidden
from huitoukan.accountability import annual, annual_rules, annual_services, case_services
from huitoukan.accountability.annual_services import AnnualError
from huitoukan.accountability.models import ActionKind, CaseCause, Commendation, Responsibility
from huitoukan.core.basis import clause
from huitoukan.ledgers import selectors as ledger_selectors
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.orgs import services as org_services
from tests.accountability.annual_world import build_world, today, year
from tests.conftest import built_once


@pytest.fixture(scope="module")
def annual_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        yield build_world()


@pytest.fixture
def w(annual_world, db):
    return annual_world


def summary(w, unit=None, **kwargs):
    return annual.year_summary(unit=unit or w.tree.lianyuan, year=kwargs.pop("year", year()), **kwargs)


def by_name(candidates) -> dict:
    return {c.row.unit.name if c.kind == annual_rules.UNIT else c.row.person.name: c for c in candidates}


def rules_of(candidate) -> list[str]:
    return [r.rule for r in candidate.reasons]


# --- the year's summary ---------------------------------------------------------------------------------------


def test_both_people_of_the_double_check_case_appear_in_the_leader_table_with_their_actions(w):
    leaders = {row.person.name: row for row in summary(w).leaders}
    assert set(leaders) == {"李明", "吴海波", "赵刚", "钱伟"}
    assert [(a.get_kind_display(), a.case_id) for a in leaders["李明"].actions] == [("党纪政纪处分", w.case.pk)]
    assert [(a.get_kind_display(), a.case_id) for a in leaders["吴海波"].actions] == [("诫勉批评", w.case.pk)]
    assert leaders["赵刚"].actions == []  # last year's action is not this year's


def test_the_unit_rows_count_the_years_actions_by_kind_under_each_unit(w):
    s = summary(w)
    rows = {row.unit.name: row for row in s.children}
    assert rows["七星街镇"].actions == {ActionKind.ADMONISH: 1}
    assert rows["桥头河镇"].actions_total == 0
    # 涟源市's own subtree: the relapse case's two actions and 七星街镇's; last year's talk is not counted.
    assert s.total.actions == {ActionKind.SANCTION: 1, ActionKind.ADMONISH: 2}
    assert summary(w, year=year() - 1).total.actions == {ActionKind.TALK: 1}


def test_the_unit_rows_carry_ledgers_notices_verdicts_and_praise(w):
    rows = {row.unit.name: row for row in summary(w).children}
    assert (rows["杨市镇"].items, rows["杨市镇"].closed, rows["杨市镇"].overdue) == (1, 0, 1)
    assert rows["杨市镇"].closed_percent == 0
    assert rows["伏口镇"].notices["red"] == 1
    assert rows["六亩塘镇"].passed is False
    assert rows["桥头河镇"].passed is not False
    assert [c.reason for c in rows["桥头河镇"].commendations] == ["整改抓得紧、成效好"]
    leaders = {row.person.name: row for row in summary(w).leaders}
    assert (leaders["钱伟"].items, leaders["钱伟"].overdue) == (1, 1)


def test_a_leaders_overdue_items_are_counted_by_the_ledgers_own_rule_at_the_years_cutoff(w, monkeypatch):
    # Given 钱伟 leading one item three days past its deadline, one due today and one 立行立改 (no date)
    ledger = ledger_services.ledger_open(actor=w.office, campaign=w.campaign, unit=w.tree.lianyuan,
                                         kind=LedgerKind.LEADERSHIP)
    ledger_services.item_create(actor=w.office, ledger=ledger, problem="督查检查过多", deadline_mode="date",
                                due_on=today(), lead_leaders=[w.slack])
    ledger_services.item_create(actor=w.office, ledger=ledger, problem="调研走过场", deadline_mode="immediate",
                                lead_leaders=[w.slack])
    asked = []
    rule = ledger_selectors.overdue_q

    def spy(day=None, prefix=""):
        asked.append((day, prefix))
        return rule(day, prefix)

    monkeypatch.setattr(ledger_selectors, "overdue_q", spy)
    # When the year is read, then the leader's 逾期 is the ledgers' rule (逾期: dated, open, past its deadline)
    leaders = {row.person.name: row for row in summary(w).leaders}
    assert (leaders["钱伟"].items, leaders["钱伟"].overdue) == (3, 1)
    assert asked == [(annual.overdue_cutoff(year(), today()), "item__")]
    # …at the year's cut-off: seen from before the first deadline, nothing is overdue yet
    assert {row.person.name: row.overdue for row in summary(w, today=today() - dt.timedelta(days=5)).leaders}[
        "钱伟"] == 0


def test_a_year_without_the_campaign_counts_no_items(w):
    rows = {row.unit.name: row for row in summary(w, year=year() - 1).children}
    assert rows["杨市镇"].items == 0 and rows["杨市镇"].overdue == 0


def test_an_item_due_after_the_years_end_is_not_overdue_that_year(w):
    # Seen from a day before the deadline, the item is not yet overdue.
    s = summary(w, today=today() - dt.timedelta(days=5))
    assert {row.unit.name: row.overdue for row in s.children}["杨市镇"] == 0


def test_the_summary_reads_in_a_fixed_number_of_queries_whatever_the_rows(w):
    summary(w)  # warm caches (content types)
    with CaptureQueriesContext(connection) as wide:
        summary(w)
    with CaptureQueriesContext(connection) as narrow:
        summary(w, unit=w.units["桥头河镇"])
    assert len(wide) <= 16
    assert len(narrow) <= len(wide)


# --- 评先选优 --------------------------------------------------------------------------------------------------


def test_both_people_of_the_relapse_case_are_excluded_naming_the_case(w):
    found = by_name(annual_rules.candidates(summary(w)))
    for name in ("李明", "吴海波"):
        assert not found[name].eligible
        assert rules_of(found[name]) == ["accountability"]
        assert found[name].reasons[0].case.pk == w.case.pk
        assert "市住建局公款吃喝问题反弹" in found[name].reasons[0].text


def test_each_unit_is_excluded_by_its_own_rule_and_the_untouched_one_may_be_listed(w):
    found = by_name(annual_rules.candidates(summary(w)))
    assert found["桥头河镇"].eligible and found["桥头河镇"].commended
    assert rules_of(found["六亩塘镇"]) == ["not_passed"]
    assert rules_of(found["七星街镇"]) == ["accountability"]  # through its head
    assert found["七星街镇"].reasons[0].case is not None
    assert rules_of(found["杨市镇"]) == ["overdue"]
    assert rules_of(found["伏口镇"]) == ["red_notice"]
    assert rules_of(found["钱伟"]) == ["overdue"]
    assert found["赵刚"].eligible  # last year's action does not count


def test_an_action_on_an_ordinary_staff_member_counts_in_the_summary_and_excludes_the_unit(w):
    # Given 桥头河镇's office director, neither a party leader nor flagged 主要负责同志, admonished this year
    staff = org_services.person_create(actor=None, unit=w.units["桥头河镇"], name="周建明", position="党政办主任")
    case = case_services.case_record(
        actor=w.discipline, unit=w.units["桥头河镇"], title="窗口服务整改不力", cause=CaseCause.SLACK, facts="离岗",
        decided_on=today(), decider="涟源市纪委",
        actions=[(staff, Responsibility.DIRECT, ActionKind.ADMONISH, today())])
    # When the year is read
    s = summary(w)
    found = by_name(annual_rules.candidates(s))
    # Then the summary counts the action and 评先选优 excludes the unit for it, naming the case
    assert {r.unit.name: r for r in s.children}["桥头河镇"].actions == {ActionKind.ADMONISH: 1}
    assert rules_of(found["桥头河镇"]) == ["accountability"]
    assert found["桥头河镇"].reasons[0].case.pk == case.pk and "周建明" in found["桥头河镇"].reasons[0].text


def test_the_accountability_rule_reads_exactly_the_actions_the_summary_counts(w):
    s = summary(w)
    found = by_name(annual_rules.candidates(s))
    for row in s.children:
        reasons = [r for r in found[row.unit.name].reasons if r.rule == "accountability"]
        assert len(reasons) == row.actions_total, row.unit.name


@pytest.mark.parametrize("key, excluded", [("accountability", ["李明", "吴海波", "七星街镇"]),
                                            ("not_passed", ["六亩塘镇"]), ("overdue", ["杨市镇", "钱伟"]),
                                            ("red_notice", ["伏口镇"])])
def test_each_rule_is_what_excludes_its_candidates(w, key, excluded):
    s = summary(w)
    weakened = by_name(annual_rules.candidates(s, [r for r in annual_rules.RULES if r.key != key]))
    full = by_name(annual_rules.candidates(s))
    for name in excluded:
        assert not full[name].eligible
        assert weakened[name].eligible, f"{name} should only be excluded by {key}"


def test_every_rule_rests_on_the_clause_of_000_three_four():
    assert {r.basis for r in annual_rules.RULES} == {"annual.excluded"}
    assert clause("annual.excluded").place == "三.4"
    assert [r.key for r in annual_rules.RULES] == ["accountability", "not_passed", "overdue", "red_notice"]


def test_a_unit_commended_with_an_action_is_marked_and_still_excluded(w):
    annual_services.commendation_record(actor=w.discipline, year=year(), unit=w.units["七星街镇"], reason="工作有亮点",
                                        decided_on=today(), decider="涟源市委", confirmed=True)
    found = by_name(annual_rules.candidates(summary(w)))
    assert found["七星街镇"].commended and not found["七星街镇"].eligible


# --- 表扬 ------------------------------------------------------------------------------------------------------


def test_praise_is_recorded_by_discipline_with_history(w):
    made = annual_services.commendation_record(actor=w.discipline, year=year(), unit=w.tree.lianyuan,
                                               person=w.clean, reason="带头整改", decided_on=today(), decider="涟源市委")
    assert made.history.get().history_user == w.discipline
    leaders = {row.person.name: row for row in summary(w).leaders}
    assert [c.reason for c in leaders["赵刚"].commendations] == ["带头整改"]


def test_praise_is_refused_to_a_head_403_and_out_of_scope_404(w):
    kwargs = {"year": year(), "reason": "好", "decided_on": today(), "decider": "市委"}
    with pytest.raises(Forbidden):
        annual_services.commendation_record(actor=w.head, unit=w.tree.lianyuan, **kwargs)
    with pytest.raises(Denied):
        annual_services.commendation_record(actor=w.louxing_discipline, unit=w.tree.lianyuan, **kwargs)
    assert not Commendation.objects.filter(reason="好").exists()


@pytest.mark.parametrize("change, field", [({"reason": " "}, "表扬事由"), ({"decider": ""}, "决定机关"),
                                           ({"year": 1999}, "年度")])
def test_bad_praise_names_the_field(w, change, field):
    kwargs = {"year": year(), "unit": w.tree.lianyuan, "reason": "好", "decided_on": today(), "decider": "市委",
              **change}
    with pytest.raises(AnnualError) as refused:
        annual_services.commendation_record(actor=w.discipline, **kwargs)
    assert field in refused.value.message


def test_praise_of_a_person_of_another_unit_is_refused(w):
    with pytest.raises(AnnualError) as refused:
        annual_services.commendation_record(actor=w.discipline, year=year(), unit=w.units["桥头河镇"], person=w.clean,
                                            reason="好", decided_on=today(), decider="市委")
    assert "赵刚" in refused.value.message


@pytest.mark.parametrize("subject", ["unit", "person"])
def test_praise_of_one_listed_not_eligible_is_refused_with_the_reasons_unless_confirmed(w, subject):
    # Given 七星街镇 (its head admonished) or 李明 (sanctioned), both 不能列入 this year
    kwargs = ({"unit": w.units["七星街镇"]} if subject == "unit" else {"unit": w.tree.lianyuan, "person": w.direct})
    kwargs.update(year=year(), reason="整改有成效", decided_on=today(), decider="涟源市委")
    # When praised without confirming, then it is refused naming the rule and the case
    with pytest.raises(AnnualError) as refused:
        annual_services.commendation_record(actor=w.discipline, **kwargs)
    assert refused.value.code == annual_services.E.EXCLUDED
    assert "年度内受到责任追究" in refused.value.message and "仍然登记" in refused.value.message
    assert not Commendation.objects.filter(reason="整改有成效").exists()
    # When confirmed, then it is recorded
    annual_services.commendation_record(actor=w.discipline, confirmed=True, **kwargs)
    assert Commendation.objects.filter(reason="整改有成效").count() == 1


def test_praise_of_an_eligible_unit_needs_no_confirmation(w):
    annual_services.commendation_record(actor=w.discipline, year=year(), unit=w.units["桥头河镇"], reason="再接再厉",
                                        decided_on=today(), decider="涟源市委")
    assert Commendation.objects.filter(reason="再接再厉").exists()


def test_the_praise_form_warns_with_the_reasons_and_asks_for_the_still_record_box(client, w):
    login(client, w.discipline)
    body = {"year": year(), "unit": w.units["七星街镇"].pk, "person": "", "reason": "整改有成效",
            "decided_on": f"{today():%Y-%m-%d}", "decider": "涟源市委"}
    url = "/accountability/annual/commendations/new/"
    assert 'type="checkbox" name="confirmed"' not in client.get(url).content.decode()
    warned = client.post(url, body)
    page = warned.content.decode()
    assert warned.status_code == 400 and "不能列入评先选优对象" in page and "孙强" in page
    assert 'type="checkbox" name="confirmed"' in page
    assert not Commendation.objects.filter(reason="整改有成效").exists()
    assert client.post(url, {**body, "confirmed": "on"}).status_code == 302
    assert Commendation.objects.filter(reason="整改有成效", unit=w.units["七星街镇"]).exists()


def test_a_past_year_does_not_read_todays_open_findings_and_notices(client, w):
    # Given 伏口镇's red notice open today, when last year is read, then no open counts and no red-notice exclusion
    past = summary(w, year=year() - 1)
    assert not past.current and all(r.findings_open is None and r.red_open == 0 for r in past.units)
    assert "red_notice" not in rules_of(by_name(annual_rules.candidates(past))["伏口镇"])
    assert summary(w).current and {r.unit.name: r for r in summary(w).children}["伏口镇"].red_open == 1
    # and the pages say so: this year's columns are labelled as today's, last year's are not shown
    login(client, w.discipline)
    now = client.get(f"/accountability/annual/?unit={w.tree.lianyuan.pk}&year={year()}").content.decode()
    assert "督办通知单（当前未办结" in now and 'data-note="not-current"' not in now
    then = client.get(f"/accountability/annual/?unit={w.tree.lianyuan.pk}&year={year() - 1}").content.decode()
    assert "督办通知单（当前未办结" not in then and 'data-note="not-current"' in then


def test_on_a_phone_names_stay_on_one_line_tables_scroll_and_minor_columns_hide(client, w):
    login(client, w.discipline)
    page = client.get(f"/accountability/annual/?unit={w.tree.lianyuan.pk}&year={year()}").content.decode()
    for table in ("units", "leaders"):
        assert f'<div class="table-responsive"><table class="table table-vcenter card-table table-sm" data-table="{table}">' in page
    assert '<td class="text-nowrap">李明' in page  # a leader's name
    assert '<td class="text-nowrap"><a href="/accountability/annual/?unit=' in page  # a unit's name
    assert '<th class="d-none d-md-table-cell">职务</th>' in page
    assert '<th class="d-none d-md-table-cell">回炉/反弹</th>' in page


# --- pages -----------------------------------------------------------------------------------------------------


def login(client, user):
    client.force_login(user)
    return client


def test_the_pages_show_the_case_and_the_exclusion(client, w):
    login(client, w.head)
    page = client.get(f"/accountability/annual/?unit={w.tree.lianyuan.pk}&year={year()}").content.decode()
    assert "市住建局公款吃喝问题反弹" in page and "党纪政纪处分" in page
    page = client.get(f"/accountability/annual/candidates/?unit={w.tree.lianyuan.pk}&year={year()}").content.decode()
    assert "不能列入" in page and "可列入" in page and f"/accountability/cases/{w.case.pk}/" in page
    assert "整改不力的不能列入评先选优对象" in page  # the basis


def test_the_head_of_another_county_cannot_read_lianyuan_404(client, w):
    login(client, w.louxing_head)
    for path in ("", "candidates/", "export/", "commendations/"):
        assert client.get(f"/accountability/annual/{path}?unit={w.tree.lianyuan.pk}&year={year()}").status_code == 404


def test_a_bad_year_is_named_on_the_page(client, w):
    login(client, w.head)
    response = client.get(f"/accountability/annual/?unit={w.tree.lianyuan.pk}&year=abc")
    assert response.status_code == 200 and "年度：" in response.content.decode()
    assert "summary" not in response.context


def test_the_export_is_an_xlsx_whose_cells_stay_text(client, w):
    annual_services.commendation_record(actor=w.discipline, year=year(), unit=w.units["桥头河镇"],
                                        reason="=HYPERLINK(\"http://x\")", decided_on=today(), decider="市委")
    login(client, w.discipline)
    response = client.get(f"/accountability/annual/export/?unit={w.tree.lianyuan.pk}&year={year()}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["单位", "领导干部", "评先选优"]
    values = [c.value for row in book["单位"].iter_rows() for c in row]
    assert any(isinstance(v, str) and v.startswith("=HYPERLINK") for v in values)
    assert all(c.data_type != "f" for row in book["单位"].iter_rows() for c in row)
    listed = {row[1].value: row[2].value for row in book["评先选优"].iter_rows(min_row=2)}
    assert listed["李明（市住建局局长）"] == "不能列入" and listed["赵刚（副市长）"] == "可列入"


def test_an_item_sent_back_this_year_counts_as_a_return_of_its_unit(w):
    unit = w.units["七星街镇"]
    ledger = ledger_services.ledger_open(actor=w.office, campaign=w.campaign, unit=unit, kind=LedgerKind.LEADERSHIP)
    item = ledger_services.item_create(actor=w.office, ledger=ledger, problem="调查研究不深入",
                                       lead_leaders=[w.township_head])
    ledger_services.progress_add(actor=w.office, item=item, progress="已开展调研", leader=w.township_head)
    ledger_services.item_send_back(actor=w.office, item=item, reason="整改不到位")
    s = summary(w)
    assert {row.unit.name: row.reopened for row in s.children} == {
        "桥头河镇": 0, "六亩塘镇": 0, "七星街镇": 1, "杨市镇": 0, "伏口镇": 0}
    assert s.total.reopened == 1
    assert summary(w, year=year() - 1).total.reopened == 0
