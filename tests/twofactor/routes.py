"""Route × role rows of the second factor (huitoukan.twofactor).

Every login of the table was signed in by force_login, which passes the second factor of those who
need one (tests/conftest.py): the code page sends each on its way, the enrolment sends the 三员
(enrolled) to their devices and refuses everybody else (nothing to enrol). The reset is the
安全管理员's, over the logins of its subtree: the "out" side names a login of 娄星区.
"""

from huitoukan.access.models import ADMIN_ROLES, Role
from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from tests.conftest import SECOND_FACTOR_TEST_KEY
from tests.route_types import LOGGED_IN, Route
from tests.twofactor.helpers import totp_code_for_key

ADMINS = frozenset(ADMIN_ROLES)
SECURITY_ADMIN = frozenset({Role.SECURITY_ADMIN})


def _codes_shown(s, response) -> bool:
    return response.context is not None and len(response.context.get("codes") or []) == 10


def _reset(s, response) -> bool:
    return SecurityEvent.objects.filter(kind=SecurityEventKind.OTP_RESET,
                                        detail__target=s.assignment.user.username).exists()


TWOFACTOR_ROUTES: dict = {
    ("otp-verify", "GET"): Route(lambda s: "/accounts/otp/", LOGGED_IN, ok_status=302, out=False),
    ("otp-verify", "POST"): Route(lambda s: "/accounts/otp/", LOGGED_IN, ok_status=302, out=False,
                                  body=lambda s: {"code": "000000"}),
    ("otp-setup", "GET"): Route(lambda s: "/accounts/otp/setup/", ADMINS, ok_status=302, out=False),
    ("otp-setup", "POST"): Route(lambda s: "/accounts/otp/setup/", ADMINS, ok_status=302, out=False,
                                 body=lambda s: {"code": "000000"}),
    ("otp-devices", "GET"): Route(lambda s: "/accounts/otp/devices/", LOGGED_IN, out=False),
    ("otp-recovery-codes", "POST"): Route(lambda s: "/accounts/otp/recovery-codes/", ADMINS, out=False,
                                          body=lambda s: {"code": totp_code_for_key(SECOND_FACTOR_TEST_KEY)},
                                          done=_codes_shown),
    ("otp-reset", "GET"): Route(lambda s: "/accounts/otp/reset/", SECURITY_ADMIN, out=False),
    ("otp-reset", "POST"): Route(lambda s: "/accounts/otp/reset/", SECURITY_ADMIN, ok_status=302,
                                 body=lambda s: {"username": s.assignment.user.username}, done=_reset),
}
