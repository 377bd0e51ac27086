"""The reminder job end to end, in a world of its own (its deliveries leave after the commit, so the test
commits): 涟源市's office is reminded once in the app, once by email through a real local SMTP server, and its
DingTalk robot once, with a valid 加签, however many times the job runs."""

from __future__ import annotations

import datetime as dt

import pytest

from huitoukan.jobs.models import JobState
from huitoukan.jobs.services import job_run
from huitoukan.notifications.models import Notification, RobotHook, RobotKind
from huitoukan.reviews import reminders
from tests.notifications.conftest import huey_immediate, robot_server, smtp  # noqa: F401 (fixtures)
from tests.reviews.conftest import build_loop

DUE = dt.date(2015, 2, 5)
SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"


@pytest.mark.django_db(transaction=True)
def test_the_reminder_job_reaches_the_app_an_smtp_server_and_a_signed_robot(smtp, robot_server,  # noqa: F811
                                                                          huey_immediate, settings):  # noqa: F811
    # given a world of its own (the job's deliveries leave after the commit), 涟源市's office with an email
    # address, and a DingTalk robot with a secret at 涟源市
    loop = build_loop()
    loop.office.email = "office@lianyuan.gov.cn"
    loop.office.save(update_fields=["email"])
    robot_server.secret = SECRET
    RobotHook.objects.create(unit=loop.tree.lianyuan, name="涟源市活动办群", kind=RobotKind.DINGTALK,
                             url=robot_server.url + "/robot/send?access_token=abc", secret=SECRET)
    # when the day's job runs a week before the due date, and runs again
    for _run in range(2):
        job = reminders.reminders_start(today=DUE - dt.timedelta(days=7), queue=False)
        assert job_run(job.pk).state == JobState.DONE
    # then the office was told once in the app, once by email, and the robot once, with a valid signature
    assert Notification.objects.filter(recipient=loop.office).count() == 1
    assert smtp.recipients == [["office@lianyuan.gov.cn"]]
    assert "涟源市" in smtp.messages[0].get_content()
    assert len(robot_server.posted) == 1 and robot_server.refused == []
    assert "涟源市" in robot_server.posted[0].payload["markdown"]["text"]
