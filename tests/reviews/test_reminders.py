"""催办: the reminder job notifies the units that owe a report, and the leaders of late items, once per step,
in the app, by email (a real local SMTP server) and by a signed DingTalk robot (a local webhook server)."""

from __future__ import annotations

import datetime as dt

from huitoukan.access.models import Role
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.models import DeadlineMode
from huitoukan.notifications.models import Notification
from huitoukan.reviews import reminders, services
from huitoukan.reviews.models import PackageAction

DUE = dt.date(2015, 2, 5)


def _keys(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user, kind="reminder").values_list("key", flat=True))


def _submit(loop):
    version = services.package_build(actor=loop.office, deadline=loop.deadline, unit=loop.tree.lianyuan)
    services.package_act(actor=loop.head, version=version, action=PackageAction.HEAD_APPROVE)
    services.package_act(actor=loop.office, version=version, action=PackageAction.SUBMIT)


def test_a_step_is_reached_on_its_day_stops_at_the_due_date_if_before_it_and_is_not_sent_weeks_late():
    steps = [{"days": -7, "to": ["office"]}, {"days": -1, "to": ["deputy_leader"]}, {"days": 1, "to": ["unit_head"]}]
    assert reminders.reached_step(steps, DUE, DUE - dt.timedelta(days=8)) is None
    assert reminders.reached_step(steps, DUE, DUE - dt.timedelta(days=7))["days"] == -7
    assert reminders.reached_step(steps, DUE, DUE - dt.timedelta(days=2))["days"] == -7
    assert reminders.reached_step(steps, DUE, DUE)["days"] == -1
    assert reminders.reached_step(steps, DUE, DUE + dt.timedelta(days=1))["days"] == 1
    assert reminders.reached_step(steps[:2], DUE, DUE + dt.timedelta(days=1)) is None
    assert reminders.reached_step(steps, DUE, DUE + dt.timedelta(days=1 + reminders.WINDOW + 1)) is None


def test_the_deadline_reminds_only_the_laggards_once_per_step_and_never_the_admins(loop, make_user):
    # given a 系统管理员 and a county office outside 涟源市
    admin = make_user(Role.SYSTEM_ADMIN, loop.tree.lianyuan)
    louxing_head = make_user(Role.UNIT_HEAD, loop.tree.louxing)
    # when the job runs seven days before the due date, twice
    reminders.reminders_send(today=DUE - dt.timedelta(days=7))
    reminders.reminders_send(today=DUE - dt.timedelta(days=5))
    # then 涟源市's office logins have one reminder of that step, and nobody else has it
    key = f"deadline:{loop.deadline.pk}:unit:{loop.tree.lianyuan.pk}:step:-7"
    assert _keys(loop.office) == [key]
    assert set(Notification.objects.filter(key=key).values_list("recipient_id", flat=True)) == {
        loop.office.pk, loop.both_offices.pk}
    assert _keys(admin) == [] and _keys(loop.outsider) == [f"deadline:{loop.deadline.pk}:unit:{loop.tree.louxing.pk}:step:-7"]
    # when 涟源市 reports, a day after the due date only the heads of units still owing it are reminded
    _submit(loop)
    reminders.reminders_send(today=DUE + dt.timedelta(days=1))
    assert _keys(loop.head) == []
    assert _keys(louxing_head) == [f"deadline:{loop.deadline.pk}:unit:{loop.tree.louxing.pk}:step:1"]


def test_a_returned_package_is_owed_again(loop):
    _submit(loop)
    version = loop.deadline.submissions.get(unit=loop.tree.lianyuan).current
    services.package_act(actor=loop.city_office, version=version, action=PackageAction.RETURN, reason="不全")
    reminders.reminders_send(today=DUE + dt.timedelta(days=1))
    assert _keys(loop.head) == [f"deadline:{loop.deadline.pk}:unit:{loop.tree.lianyuan.pk}:step:1"]


def test_an_item_reminds_its_lead_leaders_before_and_the_head_after_its_deadline(loop, make_user):
    # given an item due on DUE, led by a leader with a login of their own
    item = loop.items[0]
    leader = item.lead_leaders.get()
    leader_login = make_user(Role.RESPONSIBLE_LEADER, loop.tree.lianyuan, person=leader)
    ledger_services.item_update(actor=loop.office, item=item, deadline_mode=DeadlineMode.DATE, due_on=DUE)
    # when the job runs a week before and a day after
    reminders.reminders_send(today=DUE - dt.timedelta(days=7))
    reminders.reminders_send(today=DUE + dt.timedelta(days=1))
    # then the leader had the first step (responsible leader) and the head the overdue one
    assert f"item:{item.pk}:due:20150205:step:-7" in _keys(leader_login)
    assert [k for k in _keys(loop.head) if k.startswith("item:")] == [f"item:{item.pk}:due:20150205:step:1"]
