"""Absolute session lifetime: the idle timeout alone would let a busy session live forever."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect

SESSION_STARTED_KEY = "huitoukan_session_started"


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = int(time.time())
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class DenialLogMiddleware:
    """Every refusal by the policy goes to the security log, after the view's transaction ended."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from huitoukan.access.policy import Denied
        from huitoukan.audit.services import security_denial_record

        if isinstance(exception, Denied):
            security_denial_record(request=request, denied=exception)
        return None
