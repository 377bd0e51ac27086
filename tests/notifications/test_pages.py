"""The bell, the 消息 page, 提醒方式, the 群机器人 pages and the API of one's own notifications."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from huitoukan.access.models import Role
from huitoukan.notifications import services
from huitoukan.notifications.models import (
    Delivery,
    DeliveryState,
    Notification,
    RobotHook,
    RobotKind,
)
from huitoukan.notifications.views import PAGE_SIZE

TABLE = Notification._meta.db_table


def _bell(html: str) -> str | None:
    found = re.search(r'id="bell">.*?(?:badge-notification badge-pill">([^<]+)</span>)?\s*</a>', html, re.S)
    return found.group(1) if found else None


def _note(user, n, *, read=False, link="/campaigns/1/"):
    return Notification.objects.create(recipient=user, key=f"k:{n}", title=f"提醒{n}", body=f"内容{n}", link=link,
                                       read_at=timezone.now() if read else None)


@pytest.fixture
def office(tree, make_user):
    return make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)


def test_the_bell_counts_the_unread_in_one_query(client, office, make_user, tree):
    # given two unread and one read notification of the office, and one of somebody else
    _note(office, 1), _note(office, 2), _note(office, 3, read=True)
    _note(make_user(Role.UNIT_FILLER, tree.lianyuan), 4)
    client.force_login(office)

    # when a page with the header is drawn
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/")

    # then the bell shows 2, read with one query of the notifications
    assert page.status_code == 200 and _bell(page.content.decode()) == "2"
    assert sum(TABLE in q["sql"] for q in queries.captured_queries) == 1


def test_no_bell_badge_without_unread(client, office):
    _note(office, 1, read=True)
    client.force_login(office)
    html = client.get("/").content.decode()
    assert 'id="bell"' in html and _bell(html) is None


def test_anonymous_pages_never_query_notifications(client, db):
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/accounts/login/")
    assert page.status_code == 200 and 'id="bell"' not in page.content.decode()
    assert not any(TABLE in q["sql"] for q in queries.captured_queries)


def test_the_list_is_newest_first_unread_in_bold_and_paginated(client, office):
    # given more notifications than a page holds, the newest unread
    for n in range(PAGE_SIZE + 2):
        note = _note(office, n, read=n < PAGE_SIZE)
        Notification.objects.filter(pk=note.pk).update(created_at=timezone.now() - timezone.timedelta(minutes=100 - n))
    client.force_login(office)

    html = client.get("/notifications/").content.decode()

    # then the newest come first, in bold, each linking to its object, and a second page exists
    titles = re.findall(r'<a href="/campaigns/1/" class="text-reset d-block( fw-bold)?">(提醒\d+)</a>', html)
    assert titles[0] == (" fw-bold", f"提醒{PAGE_SIZE + 1}") and titles[2] == ("", f"提醒{PAGE_SIZE - 1}")
    assert len(titles) == PAGE_SIZE and "page=2" in html
    assert "提醒0" in client.get("/notifications/?page=2").content.decode()
    unread = client.get("/notifications/?unread=1").content.decode()
    assert "提醒21" in unread and "提醒3<" not in unread


def test_marking_one_and_then_all_read_empties_the_bell(client, office):
    first, second = _note(office, 1), _note(office, 2)
    client.force_login(office)

    assert client.post(f"/notifications/{first.pk}/read/").status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    assert _bell(client.get("/").content.decode()) == "1"

    assert client.post("/notifications/read-all/").status_code == 302
    assert not Notification.objects.filter(recipient=office, read_at__isnull=True).exists()
    assert _bell(client.get("/").content.decode()) is None


def test_someone_elses_notification_cannot_be_marked_read(client, office, make_user, tree):
    other = _note(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan), 1)
    client.force_login(office)
    assert client.post(f"/notifications/{other.pk}/read/").status_code == 404
    assert client.post(f"/api/v1/notifications/{other.pk}/read/").status_code == 404
    client.post("/notifications/read-all/")
    other.refresh_from_db()
    assert other.read_at is None


def test_settings_page_shows_the_address_and_turns_email_off(client, office, settings):
    settings.EMAIL_HOST = "smtp.loudi.gov.cn"
    office.email = "office@lianyuan.gov.cn"
    office.save(update_fields=["email"])
    client.force_login(office)

    page = client.get("/notifications/settings/").content.decode()
    assert "office@lianyuan.gov.cn" in page and 'name="email" class="form-check-input" id="id_email" checked' in page

    assert client.post("/notifications/settings/", {}).status_code == 302
    assert 'checked' not in client.get("/notifications/settings/").content.decode().split('name="email"')[1][:60]
    assert services.notify(recipients=[office], key="k", title="x") and not Delivery.objects.exists()


def test_api_lists_own_notifications_with_the_unread_count_and_marks_them_read(client, office, make_user, tree):
    _note(office, 1), _note(office, 2, read=True)
    _note(make_user(Role.UNIT_FILLER, tree.lianyuan), 3)
    client.force_login(office)

    body = client.get("/api/v1/notifications/").json()
    assert body["count"] == 2 and body["unread"] == 1
    assert [r["title"] for r in body["results"]] == ["提醒2", "提醒1"]
    unread_id = client.get("/api/v1/notifications/?unread=true").json()["results"][0]["id"]

    marked = client.post(f"/api/v1/notifications/{unread_id}/read/").json()
    assert marked["read_at"] is not None
    assert client.get("/api/v1/notifications/").json()["unread"] == 0
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 0}


def test_api_settings_read_and_change_the_email_channel(client, office):
    office.email = "office@lianyuan.gov.cn"
    office.save(update_fields=["email"])
    client.force_login(office)
    assert client.get("/api/v1/notification-settings/").json()["email"] is True
    changed = client.patch("/api/v1/notification-settings/", {"email": False}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["email"] is False
    bad = client.patch("/api/v1/notification-settings/", {"email": "也许"}, content_type="application/json")
    assert bad.status_code == 400 and "邮件提醒" in bad.json()["detail"]


# --- group robots ---


def _robot_form(**extra):
    return {"name": "涟源市活动办群", "kind": RobotKind.DINGTALK,
            "url": "https://oapi.dingtalk.com/robot/send?access_token=abc", "secret": "SECabc", "is_active": "on",
            **extra}


def test_the_office_adds_a_robot_of_its_unit_and_its_secret_is_kept_out_of_pages_and_history(client, office, tree):
    client.force_login(office)
    response = client.post("/notifications/robots/new/", _robot_form(unit=tree.qiaotouhe.pk))
    robot = RobotHook.objects.get()
    assert response.status_code == 302 and robot.unit_id == tree.qiaotouhe.pk and robot.secret == "SECabc"
    assert "SECabc" not in client.get(f"/notifications/robots/{robot.pk}/").content.decode()
    assert not hasattr(robot.history.first(), "secret")

    # an edit with the secret left blank keeps it; the box clears it
    client.post(f"/notifications/robots/{robot.pk}/", _robot_form(secret="", name="新名称"))
    robot.refresh_from_db()
    assert robot.name == "新名称" and robot.secret == "SECabc"
    client.post(f"/notifications/robots/{robot.pk}/", _robot_form(secret="", clear_secret="on"))
    robot.refresh_from_db()
    assert robot.secret == ""


def test_a_robot_of_a_unit_out_of_scope_cannot_be_added_or_seen(client, office, tree):
    theirs = RobotHook.objects.create(unit=tree.louxing, name="娄星区群", kind=RobotKind.WECOM,
                                      url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x")
    client.force_login(office)
    assert client.post("/notifications/robots/new/", _robot_form(unit=tree.louxing.pk)).status_code == 404
    assert client.get(f"/notifications/robots/{theirs.pk}/").status_code == 404
    assert "娄星区群" not in client.get("/notifications/robots/").content.decode()


def test_a_robot_host_outside_the_allowed_list_is_refused_naming_the_field(client, office, tree):
    client.force_login(office)
    page = client.post("/notifications/robots/new/", _robot_form(unit=tree.lianyuan.pk, url="https://evil.example/x"))
    assert page.status_code == 200 and "evil.example" in page.content.decode() and not RobotHook.objects.exists()


def test_the_test_button_sends_through_the_delivery_path(client, office, tree, robot_server, huey_immediate,
                                                          django_capture_on_commit_callbacks):
    robot = RobotHook.objects.create(unit=tree.lianyuan, name="涟源市活动办群", kind=RobotKind.WECOM,
                                     url=robot_server.url + "/cgi-bin/webhook/send?key=k")
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/notifications/robots/{robot.pk}/test/").status_code == 302
    [posted] = robot_server.posted
    assert "测试消息" in posted.payload["markdown"]["content"]
    delivery = Delivery.objects.get(robot=robot)
    assert delivery.state == DeliveryState.SENT and delivery.key.startswith("test:")
    assert "已发送" in client.get(f"/notifications/robots/{robot.pk}/").content.decode()
