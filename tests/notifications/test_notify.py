"""notify(): once per (recipient, key), never the 三员, never outside the object's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from huitoukan.access.models import Role
from huitoukan.access.policy import Perm
from huitoukan.notifications import services
from huitoukan.notifications.models import (
    Channel,
    ChannelPreference,
    Delivery,
    Notification,
    RobotHook,
    RobotKind,
)
from huitoukan.notifications.services import notify, notify_unit_robots

KEY = "deadline:12:unit:34:step:-7"


def _with_email(user, address=None):
    user.email = address or f"{user.username}@example.cn"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def quiet_queue(monkeypatch):
    """What would go to huey, kept: these tests look at the rows, not the sends."""
    queued = []
    monkeypatch.setattr(services, "_enqueue", queued.extend)
    return queued


def test_notify_twice_with_the_same_key_notifies_each_recipient_once(tree, make_user, quiet_queue):
    # given two people of 涟源市
    office, filler = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan), make_user(Role.UNIT_FILLER, tree.lianyuan)

    # when the same reminder is sent twice, the second time to one more person
    first = notify(recipients=[office], key=KEY, title="信息备案还有7天截止", link="/campaigns/1/")
    second = notify(recipients=[office, filler, filler], key=KEY, title="信息备案还有7天截止")

    # then each has it once: the second call made only the new one
    assert [n.recipient_id for n in first] == [office.pk]
    assert [n.recipient_id for n in second] == [filler.pk]
    assert Notification.objects.filter(key=KEY).count() == 2
    assert notify(recipients=[office, filler], key=KEY, title="again") == []


def test_a_different_key_is_a_different_notification(tree, make_user, quiet_queue):
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    notify(recipients=[office], key=KEY, title="7天")
    notify(recipients=[office], key="deadline:12:unit:34:step:-1", title="1天")
    assert Notification.objects.filter(recipient=office).count() == 2


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_the_three_administrators_are_never_notified(tree, make_user, quiet_queue, role):
    # given an administrator, with an email address, and a business login
    admin = _with_email(make_user(role, tree.lianyuan))
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)

    # when both are notified, with or without a scope
    made = notify(recipients=[admin, office], key=KEY, title="提醒")
    made += notify(recipients=[admin], key="other", title="提醒", unit=tree.lianyuan, perm=Perm.UNIT_VIEW)

    # then the administrator gets nothing, in the app or by email
    assert [n.recipient_id for n in made] == [office.pk]
    assert not Notification.objects.filter(recipient=admin).exists()
    assert not Delivery.objects.filter(address=admin.email).exists()


def test_an_administrators_login_without_its_role_is_still_never_notified(tree, make_user, quiet_queue):
    from huitoukan.access.models import RoleAssignment

    admin = make_user(Role.SYSTEM_ADMIN, tree.lianyuan)
    RoleAssignment.objects.filter(user=admin).delete()
    admin = get_user_model().objects.get(pk=admin.pk)
    assert notify(recipients=[admin], key=KEY, title="提醒") == []


def test_nobody_outside_the_objects_scope_is_notified_of_it(tree, make_user, quiet_queue):
    # given logins at 涟源市, above it (娄底市) and beside it (娄星区)
    here = make_user(Role.UNIT_FILLER, tree.lianyuan)
    above = make_user(Role.CAMPAIGN_OFFICE, tree.city)
    beside = make_user(Role.CAMPAIGN_OFFICE, tree.louxing)
    nobody = make_user()

    # when a reminder about 桥头河镇's item is sent to all of them
    made = notify(recipients=[here, above, beside, nobody], key=KEY, title="整改时限将到",
                  unit=tree.qiaotouhe, perm=Perm.WORK_VIEW)

    # then only those who may read the item hear of it
    assert {n.recipient_id for n in made} == {here.pk, above.pk}


def test_unit_and_perm_go_together(tree, make_user):
    with pytest.raises(ValueError):
        notify(recipients=[], key=KEY, title="x", unit=tree.lianyuan)


def test_an_inactive_login_is_not_notified(tree, make_user, quiet_queue):
    gone = make_user(Role.UNIT_FILLER, tree.lianyuan)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    assert notify(recipients=[gone], key=KEY, title="提醒") == []


def test_email_is_queued_after_the_commit_for_those_who_want_it(tree, make_user, monkeypatch, settings,
                                                                django_capture_on_commit_callbacks):
    # given an email server, a login with an address, one that turned email off, one without an address
    settings.EMAIL_HOST = "127.0.0.1"
    wants = _with_email(make_user(Role.UNIT_FILLER, tree.lianyuan))
    declined = _with_email(make_user(Role.UNIT_FILLER, tree.lianyuan))
    services.channel_preference_set(actor=declined, email=False)
    no_address = make_user(Role.UNIT_FILLER, tree.lianyuan)
    queued = []
    monkeypatch.setattr(services, "_enqueue", queued.extend)

    # when all three are notified
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(recipients=[wants, declined, no_address], key=KEY, title="提醒")
        # then nothing is handed to huey before the commit
        assert queued == []

    # and after it, one email delivery: the one who wants it
    emails = Delivery.objects.filter(channel=Channel.EMAIL)
    assert [d.address for d in emails] == [wants.email]
    assert queued == [emails[0].pk] and len(callbacks) == 1
    assert Notification.objects.filter(key=KEY).count() == 3  # in the app: always


def test_without_an_email_server_no_email_is_queued(tree, make_user, settings, quiet_queue):
    settings.EMAIL_HOST = ""
    notify(recipients=[_with_email(make_user(Role.UNIT_FILLER, tree.lianyuan))], key=KEY, title="提醒")
    assert not Delivery.objects.exists()


def test_email_preference_defaults_to_on_with_an_address_and_keeps_its_history(tree, make_user):
    from huitoukan.notifications.selectors import email_preference_of

    user = make_user(Role.UNIT_FILLER, tree.lianyuan)
    assert email_preference_of(user=user) is False
    _with_email(user)
    assert email_preference_of(user=user) is True
    preference = services.channel_preference_set(actor=user, email=False)
    assert email_preference_of(user=user) is False
    assert preference.history.first().history_user_id == user.pk
    assert ChannelPreference.objects.count() == 1


def test_unit_robots_are_posted_once_per_key_and_only_the_active_ones(tree, quiet_queue):
    # given 涟源市's two robots, one disabled, and 娄星区's
    on = RobotHook.objects.create(unit=tree.lianyuan, name="钉钉群", kind=RobotKind.DINGTALK, url="https://oapi.dingtalk.com/x")
    RobotHook.objects.create(unit=tree.lianyuan, name="旧群", kind=RobotKind.WECOM, url="https://qyapi.weixin.qq.com/x",
                             is_active=False)
    RobotHook.objects.create(unit=tree.louxing, name="娄星区群", kind=RobotKind.DINGTALK, url="https://oapi.dingtalk.com/y")

    # when 涟源市's robots are told twice of the same occasion
    first = notify_unit_robots(unit_id=tree.lianyuan.pk, key=KEY, title="信息备案", text="还有7天", link="/c/1/")
    second = notify_unit_robots(unit_id=tree.lianyuan.pk, key=KEY, title="信息备案", text="还有7天")

    # then the active robot has one delivery, the others none
    assert [d.robot_id for d in first] == [on.pk] and second == []
    assert Delivery.objects.count() == 1


def test_a_notification_made_meanwhile_by_a_concurrent_call_is_skipped_not_doubled(tree, make_user, monkeypatch,
                                                                                   quiet_queue):
    # given a notification another call made after this one looked (the look sees nothing)
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    Notification.objects.create(recipient=office, key=KEY, title="提醒")
    monkeypatch.setattr(services, "_already_notified", lambda key, users: set())

    # when this call goes on to write it: the unique (recipient, key) refuses, and the call goes on
    assert notify(recipients=[office], key=KEY, title="提醒") == []
    assert Notification.objects.filter(recipient=office, key=KEY).count() == 1


def test_failed_and_lost_deliveries_are_retried_every_minute():
    from huey.contrib.djhuey import HUEY

    from huitoukan.notifications import tasks

    task = tasks.retry_deliveries.task_class
    assert task in HUEY._registry._periodic_tasks
    assert all(task.validate_datetime(None, dt.datetime(2026, 1, 1, 3, minute)) for minute in range(60))


@pytest.mark.parametrize("link", ["javascript:alert(1)", "https://evil.example/", "//evil.example/x", "campaigns/1/"])
def test_a_link_is_a_path_of_this_site_only(tree, make_user, link):
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    with pytest.raises(ValueError):
        notify(recipients=[office], key=KEY, title="提醒", link=link)


def test_a_title_is_kept_on_one_line(tree, make_user, quiet_queue):
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    [made] = notify(recipients=[office], key=KEY, title="信息备案\r\nBcc: x@example.cn")
    assert made.title == "信息备案 Bcc: x@example.cn"
