"""Deliveries reach real far sides: an SMTP server (aiosmtpd), robot webhooks that check the signature.

Each is sent at most once per row, retried with a growing pause when it failed, and never raises to
the caller.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from huitoukan.access.models import Role
from huitoukan.notifications import services, tasks, webhooks
from huitoukan.notifications.models import Channel, Delivery, DeliveryState, RobotHook, RobotKind
from huitoukan.notifications.services import (
    MAX_ATTEMPTS,
    deliveries_retry,
    delivery_send,
    notify,
    notify_unit_robots,
)

KEY = "deadline:7:unit:3:step:-7"
SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"


@pytest.fixture
def office(tree, make_user):
    user = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    user.email = "office@lianyuan.gov.cn"
    user.save(update_fields=["email"])
    return user


def _robot(tree, server, kind=RobotKind.DINGTALK, secret="", path="/robot/send?access_token=abc"):
    return RobotHook.objects.create(unit=tree.lianyuan, name="涟源市活动办群", kind=kind, url=server.url + path,
                                    secret=secret)


def test_email_reaches_a_real_smtp_server_after_the_commit(smtp, office, huey_immediate,
                                                           django_capture_on_commit_callbacks, settings):
    # given a site address for the links
    settings.SITE_URL = "https://hk.loudi.gov.cn"

    # when the office is notified (huey runs the send as the consumer would)
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = notify(recipients=[office], key=KEY, title="信息备案还有7天截止", body="请按时报送。",
                                link="/campaigns/7/")
        assert smtp.messages == []  # nothing leaves before the commit

    # then the server received one message, in Chinese, with the object's address
    assert smtp.recipients == [[office.email]]
    message = smtp.messages[0]
    assert message["Subject"].strip() == "【回头看】信息备案还有7天截止"  # (a folded header keeps a space)
    assert "请按时报送。" in message.get_content() and "https://hk.loudi.gov.cn/campaigns/7/" in message.get_content()
    delivery = Delivery.objects.get(notification=notification)
    assert delivery.state == DeliveryState.SENT and delivery.attempts == 1 and delivery.sent_at is not None


def test_a_delivery_is_sent_once_even_when_the_task_runs_twice(smtp, office, monkeypatch):
    # given a queued email (huey's message not yet run)
    monkeypatch.setattr(services, "_enqueue", lambda pks: None)
    [notification] = notify(recipients=[office], key=KEY, title="提醒")
    delivery = Delivery.objects.get(notification=notification)

    # when the task runs twice (a message delivered twice, or the periodic retry racing it)
    tasks.deliver.call_local(delivery.pk)
    tasks.deliver.call_local(delivery.pk)
    deliveries_retry()

    # then one email left
    assert len(smtp.messages) == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.attempts == 1


def test_a_claimed_delivery_is_not_sent_by_another_worker(smtp, office, monkeypatch):
    monkeypatch.setattr(services, "_enqueue", lambda pks: None)
    [notification] = notify(recipients=[office], key=KEY, title="提醒")
    delivery = Delivery.objects.get(notification=notification)
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.SENDING, claimed_at=timezone.now())
    delivery_send(delivery.pk)
    assert smtp.messages == []


def test_dingtalk_robot_receives_a_signed_markdown_message(tree, robot_server, huey_immediate, settings,
                                                           django_capture_on_commit_callbacks):
    # given 涟源市's DingTalk robot secured by 加签, and a server that checks the signature
    settings.SITE_URL = "https://hk.loudi.gov.cn/"
    robot_server.secret = SECRET
    robot = _robot(tree, robot_server, secret=SECRET)

    # when the office's robots are told of a deadline
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = notify_unit_robots(unit_id=tree.lianyuan.pk, key=KEY, title="信息备案还有7天截止",
                                        text="桥头河镇、石狮村尚未报送。", link="/campaigns/7/")

    # then the robot took it: DingTalk's markdown message, with a valid timestamp and sign
    assert robot_server.refused == []
    [posted] = robot_server.posted
    assert posted.path == "/robot/send" and posted.query["access_token"] == "abc"
    assert set(posted.query) == {"access_token", "timestamp", "sign"}
    assert posted.payload["msgtype"] == "markdown"
    assert posted.payload["markdown"]["title"] == "信息备案还有7天截止"
    assert "桥头河镇、石狮村尚未报送。" in posted.payload["markdown"]["text"]
    assert "(https://hk.loudi.gov.cn/campaigns/7/)" in posted.payload["markdown"]["text"]
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.robot_id == robot.pk
    assert delivery.channel == Channel.DINGTALK


def test_a_wrong_secret_is_refused_and_the_delivery_marked_failed_for_a_retry(
        tree, robot_server, huey_immediate, django_capture_on_commit_callbacks):
    # given a robot whose secret is not the group's
    robot_server.secret = SECRET
    _robot(tree, robot_server, secret="SECwrong")

    # when it is told something
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = notify_unit_robots(unit_id=tree.lianyuan.pk, key=KEY, title="提醒", text="x")

    # then DingTalk refused it, and the row says so and waits to be tried again; the caller saw no error
    assert robot_server.posted == [] and len(robot_server.refused) == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == 1
    assert "310000" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now()


def test_a_signature_is_url_quoted_as_dingtalk_documents():
    # base64 holds + / =: quoted, the server reads back the same text
    sign = webhooks.dingtalk_sign("SECtest", 1_600_000_000_000)
    assert "+" not in sign and "/" not in sign and "=" not in sign
    url = webhooks.dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=t", "SECtest",
                                       timestamp_ms=1_600_000_000_000)
    assert url == f"https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1600000000000&sign={sign}"
    assert webhooks.dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=t", "") == (
        "https://oapi.dingtalk.com/robot/send?access_token=t")


def test_wecom_robot_receives_its_markdown_format(tree, robot_server, huey_immediate,
                                                  django_capture_on_commit_callbacks):
    robot = _robot(tree, robot_server, kind=RobotKind.WECOM, path="/cgi-bin/webhook/send?key=693a91f6")
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = notify_unit_robots(unit_id=tree.lianyuan.pk, key=KEY, title="整改时限已过", text="3项逾期。")

    [posted] = robot_server.posted
    assert posted.path == "/cgi-bin/webhook/send" and posted.query == {"key": "693a91f6"}
    assert posted.payload == {"msgtype": "markdown", "markdown": {"content": "**整改时限已过**\n3项逾期。"}}
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.robot == robot


def test_a_failed_send_is_retried_with_a_growing_pause_until_the_last_attempt(tree, robot_server, monkeypatch):
    # given a robot that refuses every message
    robot_server.secret = SECRET
    _robot(tree, robot_server, secret="SECwrong")
    monkeypatch.setattr(services, "_enqueue", lambda pks: None)  # the test runs each send itself
    [delivery] = notify_unit_robots(unit_id=tree.lianyuan.pk, key=KEY, title="提醒", text="x")
    clock = [timezone.now()]
    delivery_send(delivery.pk, now=clock[0])
    delivery.refresh_from_db()
    pauses = []

    # when the periodic task runs, before and after each pause
    while delivery.next_attempt_at is not None:
        assert deliveries_retry(now=delivery.next_attempt_at - dt.timedelta(seconds=1)) == 0  # not yet
        pauses.append(delivery.next_attempt_at - clock[0])
        clock[0] = delivery.next_attempt_at
        assert deliveries_retry(now=clock[0]) == 1
        # the retry is queued for after the commit: run it as the consumer would
        delivery_send(delivery.pk, now=clock[0])
        delivery.refresh_from_db()

    # then it was tried MAX_ATTEMPTS times, each pause twice the one before, and it is given up
    assert delivery.attempts == MAX_ATTEMPTS and delivery.state == DeliveryState.FAILED
    assert len(robot_server.refused) == MAX_ATTEMPTS
    assert all(b == 2 * a for a, b in zip(pauses, pauses[1:], strict=False))
    assert deliveries_retry(now=clock[0] + dt.timedelta(days=1)) == 0


def test_a_send_whose_worker_died_is_tried_again(smtp, office, monkeypatch):
    monkeypatch.setattr(services, "_enqueue", lambda pks: None)
    [notification] = notify(recipients=[office], key=KEY, title="提醒")
    delivery = Delivery.objects.get(notification=notification)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.SENDING, claimed_at=long_ago, attempts=1)

    assert deliveries_retry() == 1
    delivery_send(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.attempts == 2 and len(smtp.messages) == 1


def test_an_unreachable_server_is_an_error_on_the_row_not_for_the_caller(office, settings, monkeypatch):
    # given an email server nobody listens on
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    monkeypatch.setattr(services, "_enqueue", lambda pks: None)
    [notification] = notify(recipients=[office], key=KEY, title="提醒")
    delivery = Delivery.objects.get(notification=notification)

    delivery_send(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and delivery.last_error


def test_a_robot_host_outside_the_allowed_list_is_never_posted_to(tree, robot_server, settings, monkeypatch):
    robot = _robot(tree, robot_server)
    settings.NOTIFICATION_ROBOT_HOSTS = ["oapi.dingtalk.com"]
    monkeypatch.setattr(services, "_enqueue", lambda pks: None)
    [delivery] = notify_unit_robots(unit_id=robot.unit_id, key=KEY, title="提醒", text="x")
    delivery_send(delivery.pk)
    delivery.refresh_from_db()
    assert robot_server.posted == [] and delivery.state == DeliveryState.FAILED
    assert "不在允许" in delivery.last_error
