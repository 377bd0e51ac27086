"""Route × role rows of the 系统管理员's console of logins: the business logins of its part of the tree.

The "in" side's login is the 单位填报员 of 桥头河镇 (the side's assignment), the "out" side's its twin of
乐坪街道, out of the 涟源市 系统管理员's reach: 404 as for an absent login. Nobody else sees the console
(not the other two administrators, not the offices): 404.
"""

from huitoukan.access.models import Account, Role
from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from tests.conftest import PASSWORD
from tests.route_types import Route

SYSTEM_ADMIN = frozenset({Role.SYSTEM_ADMIN})


def _user_path(action: str):
    return lambda s: f"/admin-console/users/{s.assignment.user_id}/{action}/"


def _created(s, response) -> bool:
    return Account.objects.filter(user__username="newclerk", unit=s.unit, must_change_password=True).exists()


def _disabled(s, response) -> bool:
    return SecurityEvent.objects.filter(kind=SecurityEventKind.ACCOUNT_DISABLED,
                                        detail__to=s.assignment.user.username).exists()


def _reset(s, response) -> bool:
    return (bool(response.context and response.context.get("password"))
            and Account.objects.get(user_id=s.assignment.user_id).must_change_password)


USER_ROUTES: dict = {
    ("account-list", "GET"): Route(lambda s: "/admin-console/users/?q=target&status=active", SYSTEM_ADMIN, out=False),
    ("account-create", "GET"): Route(lambda s: "/admin-console/users/new/", SYSTEM_ADMIN, out=False),
    # The form names the side's township: out of scope it answers 404 before the form is read.
    ("account-create", "POST"): Route(lambda s: "/admin-console/users/new/", SYSTEM_ADMIN, ok_status=302,
                                      body=lambda s: {"username": "newclerk", "unit": s.unit.pk,
                                                      "password1": PASSWORD, "password2": PASSWORD},
                                      done=_created),
    ("account-disable", "POST"): Route(_user_path("disable"), SYSTEM_ADMIN, ok_status=302, done=_disabled),
    # The login is enabled already: the cell measures the right; tests/administration/test_user_console.py the act.
    ("account-enable", "POST"): Route(_user_path("enable"), SYSTEM_ADMIN, ok_status=302),
    ("account-password-reset", "POST"): Route(_user_path("password-reset"), SYSTEM_ADMIN, done=_reset),
}
