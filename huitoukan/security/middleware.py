"""Requests under the security policy.

`PolicyScopeMiddleware` (early in the chain): the policy is read once per request, and afresh by
the next one (selectors.policy_scope).

`PasswordChangeMiddleware` (after the authentication): a signed-in user whose password is an
initial or reset one (the account's must-change flag) or is older than the policy's expiry can do
nothing but change it: pages are sent to the change page, the API answers 403 JSON with a Chinese
detail. A view opts out with `password_change_exempt` (the change page itself); the second
factor's own pages and the logout (marked `second_factor_exempt`) pass too, so a login that also
owes its second factor passes that first and changes its password after.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from huitoukan.security.selectors import ChangeReason, password_change_reason, policy_scope

EXEMPT_ATTR = "password_change_exempt"
SECOND_FACTOR_EXEMPT_ATTR = "second_factor_exempt"  # huitoukan.twofactor.middleware's mark


def password_change_exempt(view):
    setattr(view, EXEMPT_ATTR, True)
    return view


class PolicyScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with policy_scope():
            return self.get_response(request)


def change_detail(reason: str) -> str:
    if reason == ChangeReason.MUST_CHANGE:
        return _("您的密码是初始密码或重置后的临时密码，请先修改密码。")
    return _("您的密码已过期，请先修改密码。")


class PasswordChangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (not request.user.is_authenticated or getattr(view_func, EXEMPT_ATTR, False)
                or getattr(view_func, SECOND_FACTOR_EXEMPT_ATTR, False)):
            return None
        reason = password_change_reason(request.user, getattr(request, "session", None))
        if reason is None:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"code": "PASSWORD_CHANGE_REQUIRED", "detail": change_detail(reason)},
                                status=403, json_dumps_params={"ensure_ascii": False})
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(reverse("password-change") + (f"?{query}" if query else ""))
