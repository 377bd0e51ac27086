"""The second factor's pages: the code after the password, the enrolment (QR code, then the
recovery codes, each shown once), the login's own devices, and the 安全管理员's reset. Thin:
parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib.auth import logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from huitoukan.access import policy
from huitoukan.access.middleware import refusal_remember
from huitoukan.access.policy import Perm
from huitoukan.core.errors import DomainError
from huitoukan.core.pages import saved
from huitoukan.twofactor import qr, rules, selectors, services
from huitoukan.twofactor.forms import CodeForm, ResetForm, TotpCodeForm
from huitoukan.twofactor.middleware import second_factor_exempt, second_factor_pending


def _next(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return wanted
    return "/"


def _locked_out(request):
    """The account is locked (wrong passwords or codes): the half signed-in session ends."""
    logout(request)
    return render(request, "registration/locked_out.html", status=429)


@second_factor_exempt
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    if not second_factor_pending(request.user):
        return redirect(_next(request))
    if not selectors.enrolled(request.user):
        return redirect("otp-setup")
    if services.account_locked(user=request.user, request=request):
        return _locked_out(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = services.second_factor_verify(request=request, code=form.cleaned_data["code"])
        if outcome.device is not None:
            return redirect(_next(request))
        if outcome.locked:
            return _locked_out(request)
        form.add_error("code", outcome.error.message)
    return render(request, "twofactor/verify.html", {"form": form, "next": _next(request)})


@second_factor_exempt
@never_cache  # the secret and the recovery codes must not stay in a browser's or a proxy's cache
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrolment, for a login that needs a second factor and has no device: the QR code and the
    secret until the first correct code confirms the device, then the ten recovery codes, once."""
    if not rules.second_factor_required(request.user):
        raise Http404
    if selectors.enrolled(request.user):
        return redirect("otp-devices")
    form = TotpCodeForm(request.POST or None)
    device = selectors.enrolment_device_of(request.user) if request.method == "POST" else None
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.enrolment_confirm(request=request, code=form.cleaned_data["code"])
        except DomainError as e:
            form.add_error("code", e.message)
        else:
            return render(request, "twofactor/recovery_codes.html", {
                "codes": codes, "next": _next(request), "enrolled": True, "layout": "twofactor/_bare.html",
                "bare": True})
    if device is None:
        device = services.enrolment_start(user=request.user)
    return render(request, "twofactor/setup.html", {
        "form": form, "qr": qr.totp_qr_svg(device), "secret": qr.totp_secret_display(device),
        "next": _next(request)})


@require_http_methods(["GET"])
def otp_devices(request):
    """The login's own second factor: its TOTP device, the recovery codes left."""
    return render(request, "twofactor/devices.html", {
        "devices": selectors.devices_of(request.user), "required": rules.second_factor_required(request.user),
        "form": TotpCodeForm(), "can_reset": policy.has_perm_somewhere(request.user, Perm.SECOND_FACTOR_RESET)})


@never_cache
@require_POST
def otp_recovery_codes(request):
    """Ten new recovery codes (the old ones stop working), after a fresh TOTP code."""
    devices = selectors.devices_of(request.user)
    if devices.totp is None:
        raise Http404
    form = TotpCodeForm(request.POST)
    if form.is_valid():
        result = services.recovery_codes_regenerate(request=request, code=form.cleaned_data["code"])
        if isinstance(result, list):
            return render(request, "twofactor/recovery_codes.html", {
                "codes": result, "next": "", "enrolled": False, "layout": "base.html"})
        if result.locked:
            return _locked_out(request)
        form.add_error("code", result.error.message)
    return render(request, "twofactor/devices.html", {
        "devices": devices, "required": rules.second_factor_required(request.user), "form": form,
        "can_reset": policy.has_perm_somewhere(request.user, Perm.SECOND_FACTOR_RESET)})


@require_http_methods(["GET", "POST"])
def otp_reset(request):
    """The 安全管理员 resets a login's second factor (a lost phone): its devices are deleted."""
    policy.require_somewhere(request.user, Perm.SECOND_FACTOR_RESET)
    form = ResetForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = selectors.user_get_for_reset(actor=request.user, username=form.cleaned_data["username"])
            services.second_factor_reset(actor=request.user, user=user, request=request)
        except (policy.Denied, policy.Forbidden) as refused:
            # Unknown and out of scope read alike, 404, as for any object; the refusal is logged.
            refusal_remember(request, refused)
            form.add_error("username", _("没有这个用户，或该用户不在您的管辖范围内。"))
            status = 404
        except DomainError as e:
            form.add_error("username", e.message)
        else:
            return saved(request, _("已重置“%(user)s”的二次验证，该账号下次登录时须重新绑定动态口令。")
                         % {"user": user.get_username()}, "otp-reset")
    return render(request, "twofactor/reset.html", {"form": form, "active_menu": "otp-reset"}, status=status)
