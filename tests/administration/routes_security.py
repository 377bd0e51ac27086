"""Route × role rows of the security console (安全管理员: the policy, locked accounts, sessions), the
系统管理员's list of logins disabled as unused, and everybody's own password change."""

import time

from django.contrib.sessions.backends.db import SessionStore

from huitoukan.access.models import Role
from huitoukan.audit.models import SecurityEvent
from huitoukan.security import events
from huitoukan.security.selectors import SESSION_STARTED_KEY
from tests.conftest import PASSWORD
from tests.route_types import LOGGED_IN, Route

SECURITY_ADMIN = frozenset({Role.SECURITY_ADMIN})
SYSTEM_ADMIN = frozenset({Role.SYSTEM_ADMIN})
NEW_PASSWORD = "Qiaotou#2026z"

POLICY_FORM = {
    "password_min_length": 10, "password_min_classes": 3, "password_expiry_days": 90, "password_history": 5,
    "lockout_failures": 5, "lockout_account_failures": 20, "lockout_minutes": 20, "session_idle_minutes": 30,
    "session_absolute_minutes": 480, "stale_account_days": 90, "second_factor": ["campaign_office"],
}


def _session_of(user) -> str:
    """A signed-in session of `user`, as the session middleware stores one."""
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store[SESSION_STARTED_KEY] = int(time.time())
    store.create()
    return store.session_key


def _logged(kind):
    return lambda s, response: SecurityEvent.objects.filter(kind=kind).exists()


SECURITY_ROUTES: dict = {
    ("password-change", "GET"): Route(lambda s: "/accounts/password/", LOGGED_IN, out=False),
    ("password-change", "POST"): Route(
        lambda s: "/accounts/password/", LOGGED_IN, ok_status=302, out=False,
        body=lambda s: {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        done=_logged(events.PASSWORD_CHANGED)),
    ("security-policy", "GET"): Route(lambda s: "/security/policy/", SECURITY_ADMIN, out=False),
    ("security-policy-edit", "GET"): Route(lambda s: "/security/policy/edit/", SECURITY_ADMIN, out=False),
    ("security-policy-edit", "POST"): Route(lambda s: "/security/policy/edit/", SECURITY_ADMIN, ok_status=302,
                                            out=False, body=lambda s: POLICY_FORM,
                                            done=_logged(events.POLICY_CHANGED)),
    ("security-policy-history", "GET"): Route(lambda s: "/security/policy/history/", SECURITY_ADMIN, out=False),
    ("security-locked", "GET"): Route(lambda s: "/security/locked/", SECURITY_ADMIN, out=False),
    ("security-unlock", "POST"): Route(lambda s: "/security/locked/unlock/", SECURITY_ADMIN, ok_status=302,
                                       body=lambda s: {"username": s.assignment.user.username},
                                       done=_logged("unlocked")),
    ("security-sessions", "GET"): Route(lambda s: "/security/sessions/", SECURITY_ADMIN, out=False),
    ("security-session-end", "POST"): Route(lambda s: "/security/sessions/end/", SECURITY_ADMIN, ok_status=302,
                                            body=lambda s: {"session": _session_of(s.assignment.user)},
                                            done=_logged(events.SESSION_ENDED)),
    ("security-stale-accounts", "GET"): Route(lambda s: "/security/stale-accounts/", SYSTEM_ADMIN, out=False),
}
