"""Session lifetimes of the security profile: an idle timeout and an absolute one.

The idle clock is kept in the session and refreshed at most once a minute, so reading a
page does not write the session row every time (on SQLite every write takes the lock).
A request that does not refresh it comes at most SEEN_REFRESH_SECONDS after the time kept,
so a session is ended only once even such a request would be more than the idle timeout
ago: never early, at most a minute late.

Both timeouts are the security policy's (huitoukan.security), read afresh by every request, so
the 安全管理员's change applies at once to the sessions already open.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect

from huitoukan.security.selectors import SESSION_SEEN_KEY, SESSION_STARTED_KEY, policy_current

SEEN_REFRESH_SECONDS = 60
# Set on a request whose session the timeouts end: that logout is not the user signing out.
TIMED_OUT_ATTR = "_huitoukan_session_timed_out"


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            started = request.session.get(SESSION_STARTED_KEY)
            seen = request.session.get(SESSION_SEEN_KEY, started)
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
                request.session[SESSION_SEEN_KEY] = now
            elif (now - started > (policy := policy_current()).session_absolute_minutes * 60
                  or now - (seen or started) > policy.session_idle_minutes * 60 + SEEN_REFRESH_SECONDS):
                setattr(request, TIMED_OUT_ATTR, True)
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(f"{settings.LOGIN_URL_PATH}?next={request.path}")
            elif now - (seen or started) > SEEN_REFRESH_SECONDS:
                request.session[SESSION_SEEN_KEY] = now
        return self.get_response(request)


REFUSAL_ATTR = "_huitoukan_refusal"


def refusal_remember(request, refusal) -> None:
    """Note a refusal to be written to the security log once the response has gone out."""
    setattr(getattr(request, "_request", request), REFUSAL_ATTR, refusal)


class DenialLogMiddleware:
    """Every refusal by the policy goes to the security log, after the response has been sent.

    An out-of-scope id and an absent one must answer alike, in the same time: the log row (a
    chained HMAC write) is made when the server closes the response, not while the client waits.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        refusal = getattr(request, REFUSAL_ATTR, None)
        if refusal is not None:
            from huitoukan.audit.services import security_denial_record

            # Django runs these when the WSGI server (or the test client) closes the response.
            response._resource_closers.append(lambda: security_denial_record(request=request, denied=refusal))
        return response

    def process_exception(self, request, exception):
        from huitoukan.access.policy import Refusal

        if isinstance(exception, Refusal):
            refusal_remember(request, exception)
        return None
