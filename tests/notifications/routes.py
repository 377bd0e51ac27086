"""Route × role rows of notifications (merged into tests/test_route_table.py).

A notification is its recipient's alone: every login of the table has one on the "in" side, and
the rows about one notification act on the 活动办管理员's, so every other login gets 404, as for
an absent one; the "out" side's belongs to a login of 娄星区. Group robots are kept by the 活动办
over the robot's unit (CAMPAIGN_MANAGE): the other business roles read campaigns there and are
refused with 403, the 三员 and a login without a role get 404, and 娄星区's robot is 404 to all.
"""

from huitoukan.access.models import Role
from huitoukan.notifications.models import Notification, RobotHook, RobotKind
from tests.conftest import user_create
from tests.route_types import BUSINESS, LOGGED_IN, SIDE_BUILDERS, Route

OWNER = frozenset({Role.CAMPAIGN_OFFICE})
OFFICE = frozenset({Role.CAMPAIGN_OFFICE})
KEY = "route-table:welcome"
ROBOT_URL = "https://oapi.dingtalk.com/robot/send?access_token=route-table"


def _build(inn, out, users, tree) -> None:
    for user in users.values():
        if user is not None:
            Notification.objects.create(recipient=user, key=KEY, title="欢迎使用回头看", link="/")
    inn.notification = Notification.objects.get(recipient=users[Role.CAMPAIGN_OFFICE], key=KEY)
    stranger = user_create(Role.UNIT_FILLER, tree.louxing, username="notified_out")
    out.notification = Notification.objects.create(recipient=stranger, key=KEY, title="欢迎使用回头看", link="/")
    inn.robot = RobotHook.objects.create(unit=inn.county, name="涟源市活动办群", kind=RobotKind.DINGTALK,
                                         url=ROBOT_URL, secret="SECroute")
    out.robot = RobotHook.objects.create(unit=out.county, name="娄星区活动办群", kind=RobotKind.DINGTALK,
                                         url=ROBOT_URL)


SIDE_BUILDERS.append(_build)


def _read(s, response) -> bool:
    return Notification.objects.get(pk=s.notification.pk).read_at is not None


def _robot_body(s) -> dict:
    return {"name": "活动办工作群", "kind": RobotKind.DINGTALK, "url": ROBOT_URL, "secret": "", "is_active": "on"}


def _api(pattern):
    return lambda s, p=pattern: "/api/v1/" + p.format(s=s)


ROUTES: dict = {
    ("notification-list", "GET"): Route(lambda s: "/notifications/", LOGGED_IN, out=False),
    ("notification-read", "POST"): Route(lambda s: f"/notifications/{s.notification.pk}/read/", OWNER,
                                         ok_status=302, done=_read),
    ("notification-read-all", "POST"): Route(lambda s: "/notifications/read-all/", LOGGED_IN, ok_status=302,
                                             out=False),
    ("notification-settings", "GET"): Route(lambda s: "/notifications/settings/", LOGGED_IN, out=False),
    ("notification-settings", "POST"): Route(lambda s: "/notifications/settings/", LOGGED_IN, ok_status=302,
                                             out=False, body=lambda s: {"email": "on"}),
    ("robot-list", "GET"): Route(lambda s: "/notifications/robots/", OFFICE, readers=BUSINESS, out=False),
    ("robot-create", "GET"): Route(lambda s: "/notifications/robots/new/", OFFICE, readers=BUSINESS, out=False),
    # The form names a unit: 涟源市 (in scope: 403 to its readers) or 娄星区 (out of scope: 404 to all).
    ("robot-create", "POST"): Route(lambda s: "/notifications/robots/new/", OFFICE, readers=BUSINESS, ok_status=302,
                                    body=lambda s: {**_robot_body(s), "unit": s.county.pk}),
    ("robot-edit", "GET"): Route(lambda s: f"/notifications/robots/{s.robot.pk}/", OFFICE, readers=BUSINESS),
    ("robot-edit", "POST"): Route(lambda s: f"/notifications/robots/{s.robot.pk}/", OFFICE, readers=BUSINESS,
                                  ok_status=302, body=_robot_body),
    ("robot-test", "POST"): Route(lambda s: f"/notifications/robots/{s.robot.pk}/test/", OFFICE, readers=BUSINESS,
                                  ok_status=302),
    # --- API ---
    ("api-notification-list", "GET"): Route(_api("notifications/"), LOGGED_IN, api=True, out=False),
    ("api-notification-read", "POST"): Route(_api("notifications/{s.notification.pk}/read/"), OWNER, api=True,
                                             done=_read),
    ("api-notification-read-all", "POST"): Route(_api("notifications/read-all/"), LOGGED_IN, api=True, out=False),
    ("api-notification-settings", "GET"): Route(_api("notification-settings/"), LOGGED_IN, api=True, out=False),
    ("api-notification-settings", "PATCH"): Route(_api("notification-settings/"), LOGGED_IN, api=True, out=False,
                                                  body=lambda s: {"email": False}),
}
