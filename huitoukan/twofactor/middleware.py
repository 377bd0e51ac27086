"""A login that needs a second factor is half signed in after its password: until a code passes,
its session reaches only the second factor's own pages and the logout.

Installed after django-otp's OTPMiddleware (which sets `request.user.is_verified()` from the device
kept in the session). Pages are redirected to the code page, or to the enrolment for a login
without a device; the API answers JSON 403 with a Chinese detail. A view opts out with
`second_factor_exempt` (the code and enrolment pages, the logout, the captcha image).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from huitoukan.twofactor import rules, selectors

EXEMPT_ATTR = "second_factor_exempt"


def second_factor_exempt(view):
    """Mark a view reachable by a half signed-in session."""
    setattr(view, EXEMPT_ATTR, True)
    return view


def second_factor_pending(user) -> bool:
    """Signed in with the password, but the second factor it needs has not passed in this session."""
    return (getattr(user, "is_authenticated", False) and not user.is_verified()
            and rules.second_factor_required(user))


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, EXEMPT_ATTR, False) or not second_factor_pending(request.user):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": "SECOND_FACTOR_REQUIRED",
                 "detail": _("请先完成二次验证（动态口令或恢复码），或改用接口令牌。")},
                status=403, json_dumps_params={"ensure_ascii": False})
        target = "otp-verify" if selectors.enrolled(request.user) else "otp-setup"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(reverse(target) + (f"?{query}" if query else ""))
