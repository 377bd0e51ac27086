"""督办通知单: numbering, the way issue → answer → return → answer → close, colours and escalation, who may act."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.http import Http404
from docx import Document

from huitoukan.access.policy import Denied, Forbidden
from huitoukan.core.errors import DomainError
from huitoukan.core.officialdoc import officialdoc_check
from huitoukan.notices import escalation, selectors, services
from huitoukan.notices.colours import colour_of
from huitoukan.notices.demo import demo_notices
from huitoukan.notices.docx import notice_docx
from huitoukan.notices.errors import NoticeError, NoticeErrorCode
from huitoukan.notices.models import Colour, Notice, NoticeCounter, NoticeState
from huitoukan.notifications.models import Notification
from huitoukan.orgs import totals as unit_totals
from tests.notices.conftest import TODAY, issue, upload

S = NoticeState
DAY = dt.timedelta(days=1)


# --- numbering -------------------------------------------------------------------------------------------


def test_notices_are_numbered_per_issuing_unit_and_year(w):
    # given the city's office with its own 机关代字, and 涟源市's office without one
    services.office_save(actor=w.city_office, unit=w.tree.city, prefix="娄群办督",
                         issuer_name="中共娄底市委党的群众路线教育实践活动领导小组办公室", yellow_after_days=1,
                         red_after_days=8)
    # when the city issues three notices, 涟源市 one to its township, and the city one more the next year
    numbers = [issue(w).number for _ in range(3)]
    county = issue(w, w.office, w.tree.qiaotouhe)
    next_year = issue(w, today=dt.date(2016, 1, 4))
    # then each office counts on its own, from 1 each year, with its prefix (a default one from the name)
    assert numbers == ["娄群办督〔2015〕1号", "娄群办督〔2015〕2号", "娄群办督〔2015〕3号"]
    assert county.number == "涟源督〔2015〕1号" and county.issuing_unit == w.tree.lianyuan
    assert county.issuer_name == "涟源市教育实践活动领导小组办公室"
    assert next_year.number == "娄群办督〔2016〕1号"


def test_a_group_member_issues_in_the_name_of_the_dispatching_unit(w):
    first = issue(w)
    by_group = issue(w, w.supervisor)
    assert (by_group.issuing_unit, by_group.group, by_group.serial) == (w.tree.city, w.group, first.serial + 1)


def test_the_serial_follows_a_counter_advanced_meanwhile(w):
    # given a counter another transaction advanced since (its row exists, at 5)
    NoticeCounter.objects.create(unit=w.tree.city, year=2015, last=5)
    # then the next notice takes 6: the row is read locked, not counted from the notices
    assert issue(w).serial == 6
    assert services.serial_next(w.tree.city, 2015) == 7


def test_the_serial_is_locked_for_update(w, monkeypatch):
    # the counter is read through select_for_update (a no-op on SQLite, whose IMMEDIATE transactions serialise
    # writers; a row lock on PostgreSQL)
    seen = []
    original = type(NoticeCounter.objects.all()).select_for_update

    def spy(self, *args, **kwargs):
        seen.append(self.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(type(NoticeCounter.objects.all()), "select_for_update", spy)
    services.serial_next(w.tree.city, 2015)
    assert NoticeCounter in seen


def test_one_number_twice_is_refused_by_the_database(w):
    notice = issue(w)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(issuing_unit=notice.issuing_unit, year=notice.year, serial=notice.serial,
                              number="x", issuer_name="x", addressed_unit=w.tree.lianyuan, title="x",
                              requirements="x", answer_due_on=TODAY, issued_on=TODAY, issued_by=w.city_office)


def test_the_settings_are_checked(w):
    with pytest.raises(DomainError) as e:
        services.office_save(actor=w.city_office, unit=w.tree.city, prefix="娄 督", issuer_name="x",
                             yellow_after_days=1, red_after_days=8)
    assert "不能含空格或括号" in e.value.message
    with pytest.raises(NoticeError) as e:
        services.office_save(actor=w.city_office, unit=w.tree.city, prefix="娄督", issuer_name="x",
                             yellow_after_days=3, red_after_days=3)
    assert e.value.code == NoticeErrorCode.THRESHOLDS


def test_only_the_units_own_office_keeps_its_settings(w):
    kwargs = {"prefix": "涟群办督", "issuer_name": "涟源市活动办", "yellow_after_days": 1, "red_after_days": 8}
    services.office_save(actor=w.office, unit=w.tree.lianyuan, **kwargs)
    with pytest.raises(Forbidden):  # the office above reads the unit but is not its office
        services.office_save(actor=w.city_office, unit=w.tree.lianyuan, **kwargs)
    with pytest.raises(Forbidden):
        services.office_save(actor=w.head, unit=w.tree.lianyuan, **kwargs)
    with pytest.raises(Denied):
        services.office_save(actor=w.outsider, unit=w.tree.lianyuan, **kwargs)


# --- the way of a notice ----------------------------------------------------------------------------------


def test_issue_answer_return_answer_close_with_every_state_in_the_history(w):
    notice = issue(w, findings=[w.finding])
    assert notice.state == S.AWAITING and list(notice.findings.all()) == [w.finding]
    # the unit's office is told
    assert Notification.objects.filter(recipient=w.office, key=f"notice:{notice.pk}:issued").exists()

    first = services.notice_answer(actor=w.office, notice=notice, report="已建立台账", files=[upload()],
                                   today=TODAY)
    assert first.evidence.get().original_name == "整改报告.pdf"
    assert Notification.objects.filter(recipient=w.city_office, key=f"notice:{notice.pk}:answer:{first.pk}")
    services.notice_return(actor=w.city_office, notice=notice, reason="措施不具体", today=TODAY)
    services.notice_answer(actor=w.office, notice=notice, report="已逐项明确责任人", today=TODAY)
    services.notice_close(actor=w.city_office, notice=notice, note="整改到位")

    notice.refresh_from_db()
    assert notice.state == S.CLOSED and notice.answers.count() == 2 and notice.return_reason == "措施不具体"
    states = list(notice.history.order_by("history_date", "history_id").values_list("state", flat=True))
    assert states == [S.AWAITING, S.ANSWERED, S.RETURNED, S.ANSWERED, S.CLOSED]
    events = selectors.timeline(notice)
    assert [e.text for e in events] == ["下发督办通知单", "单位答复", "退回：措施不具体", "单位答复", "办结：整改到位"]
    assert events[0].who == "loudi_office" and events[1].who == "lianyuan_office"


@pytest.mark.parametrize(("state_path", "action"), [
    ([], "close"), ([], "return"), (["answer"], "answer"), (["answer", "close"], "answer"),
    (["answer", "close"], "return"), (["answer", "close"], "close")])
def test_a_step_in_the_wrong_state_is_refused_in_chinese(w, state_path, action):
    notice = issue(w)
    steps = {
        "answer": lambda: services.notice_answer(actor=w.office, notice=notice, report="已整改", today=TODAY),
        "close": lambda: services.notice_close(actor=w.city_office, notice=notice),
        "return": lambda: services.notice_return(actor=w.city_office, notice=notice, reason="不到位", today=TODAY),
    }
    for step in state_path:
        steps[step]()
    with pytest.raises(NoticeError) as e:
        steps[action]()
    assert e.value.code == NoticeErrorCode.WRONG_STATE
    assert e.value.message.startswith("督办通知单当前为“") and services.ACTION_LABELS[action] in e.value.message


def test_the_workflow_table_is_the_only_way():
    assert services.NOTICE_MOVES == {
        (None, "issue"): S.AWAITING, (S.AWAITING, "answer"): S.ANSWERED, (S.RETURNED, "answer"): S.ANSWERED,
        (S.ANSWERED, "return"): S.RETURNED, (S.ANSWERED, "close"): S.CLOSED}


@pytest.mark.parametrize(("field", "value", "code"), [
    ("title", " ", NoticeErrorCode.TITLE_REQUIRED),
    ("problems", "", NoticeErrorCode.PROBLEMS_REQUIRED),
    ("requirements", "", NoticeErrorCode.REQUIREMENTS_REQUIRED),
])
def test_bad_input_names_the_field(w, field, value, code):
    with pytest.raises(NoticeError) as e:
        issue(w, **{field: value})
    assert e.value.code == code and not Notice.objects.exists()


def test_a_deadline_before_the_date_and_a_return_without_reason_are_refused(w):
    with pytest.raises(NoticeError) as e:
        issue(w, due=TODAY - DAY)
    assert e.value.code == NoticeErrorCode.DEADLINE_PAST and "2015年3月1日" in e.value.message
    notice = issue(w)
    services.notice_answer(actor=w.office, notice=notice, report="已整改", today=TODAY)
    with pytest.raises(NoticeError) as e:
        services.notice_return(actor=w.city_office, notice=notice, reason="  ", today=TODAY)
    assert e.value.code == NoticeErrorCode.REASON_REQUIRED
    with pytest.raises(NoticeError) as e:
        services.notice_answer(actor=w.office, notice=issue(w), report="", today=TODAY)
    assert e.value.code == NoticeErrorCode.REPORT_REQUIRED


def test_a_finding_of_another_unit_is_refused(w):
    from huitoukan.supervision import services as supervision_services

    other = supervision_services.finding_record(actor=w.city_office, unit=w.tree.louxing, description="会议偏多")
    with pytest.raises(NoticeError) as e:
        issue(w, findings=[other])
    assert e.value.code == NoticeErrorCode.FINDING_OTHER_UNIT


# --- who may do what ---------------------------------------------------------------------------------------


def test_issuing_is_for_the_offices_and_groups_over_the_unit(w):
    with pytest.raises(Forbidden):  # reads 涟源市, may not issue
        issue(w, w.head)
    with pytest.raises(Denied):  # 娄星区 is outside: as absent
        issue(w, w.outsider)
    with pytest.raises(Denied):  # the township's office cannot reach its county
        issue(w, w.township_office)
    with pytest.raises(NoticeError) as e:  # an office does not send one to its own unit
        issue(w, w.office, w.tree.lianyuan)
    assert e.value.code == NoticeErrorCode.OWN_UNIT
    with pytest.raises(Denied):  # the group covers 涟源市, not 娄星区
        issue(w, w.supervisor, w.tree.louxing)


def test_only_the_addressed_units_own_office_answers(w):
    notice = issue(w)
    for reader in (w.head, w.filler, w.city_office, w.supervisor):
        with pytest.raises(Forbidden):
            services.notice_answer(actor=reader, notice=notice, report="x", today=TODAY)
    for outsider in (w.outsider, w.township_office):
        with pytest.raises(Denied):
            services.notice_answer(actor=outsider, notice=notice, report="x", today=TODAY)
    services.notice_answer(actor=w.office, notice=notice, report="已整改", today=TODAY)


def test_the_issuing_side_returns_and_closes_nobody_else(w):
    notice = issue(w, w.supervisor)
    services.notice_answer(actor=w.office, notice=notice, report="已整改", today=TODAY)
    for reader in (w.office, w.head, w.city_head):
        with pytest.raises(Forbidden):
            services.notice_close(actor=reader, notice=notice)
    with pytest.raises(Denied):
        services.notice_close(actor=w.outsider, notice=notice)
    # the group that issued it and the office of the issuing unit are the issuing side
    services.notice_return(actor=w.city_office, notice=notice, reason="不具体", today=TODAY)
    services.notice_answer(actor=w.office, notice=notice, report="已具体", today=TODAY)
    services.notice_close(actor=w.supervisor, notice=notice)


def test_reading_follows_the_addressed_unit(w):
    notice = issue(w)
    for reader in (w.office, w.head, w.filler, w.supervisor, w.city_office, w.city_head):
        assert selectors.notice_get_for(user=reader, pk=notice.pk) == notice
    for outsider in (w.outsider, w.township_office):
        with pytest.raises(Http404):
            selectors.notice_get_for(user=outsider, pk=notice.pk)
    assert list(selectors.issued_by_me(user=w.supervisor)) == [notice]
    assert list(selectors.issued_by_me(user=w.office)) == []
    assert list(selectors.to_answer(user=w.office)) == [notice]
    assert list(selectors.to_answer(user=w.head)) == []


# --- colours and escalation --------------------------------------------------------------------------------


@pytest.mark.parametrize(("days_after_due", "colour"), [
    (-3, Colour.BLUE), (0, Colour.BLUE), (1, Colour.YELLOW), (7, Colour.YELLOW), (8, Colour.RED), (30, Colour.RED)])
def test_the_colour_at_the_boundaries(days_after_due, colour):
    due = dt.date(2015, 3, 9)
    got = colour_of(due_on=due, today=due + dt.timedelta(days=days_after_due), yellow_after_days=1,
                    red_after_days=8)
    assert got == colour


def test_the_colour_follows_the_offices_thresholds():
    due = dt.date(2015, 3, 9)
    assert colour_of(due_on=due, today=due + 2 * DAY, yellow_after_days=3, red_after_days=5) == Colour.BLUE
    assert colour_of(due_on=due, today=due + 3 * DAY, yellow_after_days=3, red_after_days=5) == Colour.YELLOW
    assert colour_of(due_on=due, today=due + 5 * DAY, yellow_after_days=3, red_after_days=5) == Colour.RED


def _notified(user, notice, colour) -> bool:
    return Notification.objects.filter(recipient=user, key=f"notice:{notice.pk}:colour:{colour}").exists()


def test_the_job_turns_yellow_then_red_and_notifies_each_stage_once(w):
    notice = issue(w, w.supervisor)  # due 2015-03-09
    due = notice.answer_due_on
    # on the deadline nothing happens
    assert escalation.escalation_run_now(today=due).yellow == 0
    # a day late: 黄, the unit's head and office are told, the issuing side not yet
    run = escalation.escalation_run_now(today=due + DAY)
    notice.refresh_from_db()
    assert (run.yellow, notice.colour) == (1, Colour.YELLOW)
    assert _notified(w.head, notice, "yellow") and _notified(w.office, notice, "yellow")
    assert not _notified(w.city_head, notice, "yellow") and not _notified(w.supervisor, notice, "yellow")
    # a second run the same day sends nothing
    again = escalation.escalation_run_now(today=due + DAY)
    assert (again.yellow, again.notifications) == (0, 0)
    # eight days late: 红, the issuing unit's head and the issuer are told too
    run = escalation.escalation_run_now(today=due + 8 * DAY)
    notice.refresh_from_db()
    assert (run.red, notice.colour) == (1, Colour.RED)
    for user in (w.head, w.office, w.city_head, w.supervisor):
        assert _notified(user, notice, "red")
    assert escalation.escalation_run_now(today=due + 9 * DAY).notifications == 0
    assert Notification.objects.filter(key=f"notice:{notice.pk}:colour:red").count() == 4
    assert ("系统（逾期自动升级）", "逾期，督办等级升为红") in [(e.who, e.text) for e in selectors.timeline(notice)]


def test_an_answered_notice_keeps_its_colour_and_stops_escalating(w):
    notice = issue(w)
    due = notice.answer_due_on
    services.notice_answer(actor=w.office, notice=notice, report="已整改", today=due + 2 * DAY)
    notice.refresh_from_db()
    assert notice.colour == Colour.YELLOW  # answered late: the colour reached by then is kept
    escalation.escalation_run_now(today=due + 20 * DAY)
    notice.refresh_from_db()
    assert notice.colour == Colour.YELLOW
    # returned, it escalates again; closed, it keeps its last colour
    services.notice_return(actor=w.city_office, notice=notice, reason="不到位", today=due + 20 * DAY)
    notice.refresh_from_db()
    assert notice.colour == Colour.RED and _notified(w.city_head, notice, "red")
    services.notice_answer(actor=w.office, notice=notice, report="已到位", today=due + 21 * DAY)
    services.notice_close(actor=w.city_office, notice=notice)
    escalation.escalation_run_now(today=due + 60 * DAY)
    notice.refresh_from_db()
    assert (notice.state, notice.colour) == (S.CLOSED, Colour.RED)


def test_a_return_with_a_new_deadline_takes_its_colour(w):
    notice = issue(w)
    due = notice.answer_due_on
    escalation.escalation_run_now(today=due + DAY)
    services.notice_answer(actor=w.office, notice=notice, report="已整改", today=due + DAY)
    services.notice_return(actor=w.city_office, notice=notice, reason="补充材料", answer_due_on=due + 10 * DAY,
                           today=due + 2 * DAY)
    notice.refresh_from_db()
    assert (notice.colour, notice.answer_due_on) == (Colour.BLUE, due + 10 * DAY)


def test_the_thresholds_are_the_issuing_offices(w):
    services.office_save(actor=w.city_office, unit=w.tree.city, prefix="娄群办督", issuer_name="娄底市活动办",
                         yellow_after_days=3, red_after_days=5)
    notice = issue(w)
    due = notice.answer_due_on
    escalation.escalation_run_now(today=due + 2 * DAY)
    notice.refresh_from_db()
    assert notice.colour == Colour.BLUE
    escalation.escalation_run_now(today=due + 5 * DAY)
    notice.refresh_from_db()
    assert notice.colour == Colour.RED


def test_the_command_runs_the_job_for_a_given_day(w, capsys):
    notice = issue(w)
    call_command("notices-escalate", "--date", (notice.answer_due_on + 8 * DAY).isoformat())
    notice.refresh_from_db()
    assert notice.colour == Colour.RED and "转红 1 件" in capsys.readouterr().out


def test_the_daily_task_is_registered():
    from huey.contrib.djhuey import HUEY

    from huitoukan.notices import tasks

    assert tasks.escalate_notices.task_class in HUEY._registry._periodic_tasks


# --- roll-ups, the demo, the document ----------------------------------------------------------------------


def test_colour_counts_count_each_subtree_in_one_query(w, django_assert_num_queries):
    yellow = issue(w)
    escalation.escalation_run_now(today=yellow.answer_due_on + DAY)
    issue(w)
    township = issue(w, w.office, w.tree.qiaotouhe)
    services.notice_answer(actor=w.township_office, notice=township, report="已整改", today=TODAY)
    services.notice_close(actor=w.office, notice=township)
    issue(w, unit=w.tree.louxing)
    t = w.tree
    with django_assert_num_queries(1):
        counts = selectors.colour_counts([t.city, t.lianyuan, t.qiaotouhe, t.louxing, t.education])
    assert counts[t.city.pk] == {"blue": 2, "yellow": 1, "red": 0, "closed": 1}
    assert counts[t.lianyuan.pk] == {"blue": 1, "yellow": 1, "red": 0, "closed": 1}
    assert counts[t.qiaotouhe.pk] == {"blue": 0, "yellow": 0, "red": 0, "closed": 1}
    assert counts[t.louxing.pk] == {"blue": 1, "yellow": 0, "red": 0, "closed": 0}
    assert counts[t.education.pk] == {"blue": 0, "yellow": 0, "red": 0, "closed": 0}
    # kept with each write: the same as counting the notices themselves
    assert unit_totals.work_kept(escalation.NOTICES_TOPIC) == selectors.notices_recount()


def test_open_notices_are_the_readers_most_serious_first(w):
    blue, red = issue(w), issue(w, today=TODAY - 20 * DAY)
    escalation.escalation_run_now(today=TODAY)
    closed = issue(w)
    services.notice_answer(actor=w.office, notice=closed, report="已整改", today=TODAY)
    services.notice_close(actor=w.city_office, notice=closed)
    assert list(selectors.open_notices_for(w.supervisor)) == [red, blue]
    assert list(selectors.open_notices_for(w.outsider)) == []


def test_the_demo_loader_issues_one_notice(w):
    notice = demo_notices(w.supervisor, w.finding, w.tree.lianyuan, TODAY)
    assert (notice.state, notice.issuing_unit, list(notice.findings.all())) == (S.AWAITING, w.tree.city, [w.finding])
    plain = demo_notices(w.city_office, None, w.tree.lianyuan, TODAY)
    assert plain.serial == notice.serial + 1 and plain.problem_lines


def test_the_docx_is_an_official_document_with_its_number_and_date(w):
    services.office_save(actor=w.city_office, unit=w.tree.city, prefix="娄群办督",
                         issuer_name="中共娄底市委党的群众路线教育实践活动领导小组办公室", yellow_after_days=1,
                         red_after_days=8)
    notice = issue(w, findings=[w.finding])
    data = notice_docx(notice)
    assert officialdoc_check(data) == []
    text = "\n".join(p.text for p in Document(BytesIO(data)).paragraphs)
    assert "娄群办督〔2015〕1号" in text and "2015年3月2日" in text and "涟源市：" in text
    assert "（一）整改台账未明确整改时限" in text and "（三）调查研究不深入" in text and "2015年3月9日前" in text
