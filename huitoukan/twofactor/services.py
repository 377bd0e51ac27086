"""Writes of the second factor: enrolment, verification, recovery codes, the 安全管理员's reset.

A login that needs a second factor (rules.second_factor_required) is half signed in after its
password: its session holds no verified device until a code passes here. A TOTP device is
enrolled once, unconfirmed until its first correct code; ten recovery codes (django-otp's static
tokens) are made then, each good for one sign-in. A wrong code counts as a failed sign-in of the
account towards the login lockout (django-axes, the same tiers as a wrong password), is written
to the security log, and slows the device down (django-otp's throttling: 1, 2, 4, 8 … seconds
between attempts, until a code passes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from huitoukan.audit.models import SecurityEventKind
from huitoukan.audit.services import security_event_record
from huitoukan.twofactor import selectors
from huitoukan.twofactor.errors import TwoFactorError, TwoFactorErrorCode

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "动态口令"
RECOVERY_DEVICE_NAME = "恢复码"
_TOTP_CODE = re.compile(r"\d{6}")


def code_normalize(code: str) -> str:
    """What a person types: spaces and the recovery codes' hyphen dropped, letters in lower case."""
    return re.sub(r"[\s-]", "", code or "").lower()


def recovery_code_display(token: str) -> str:
    """A recovery code as shown: two groups of four (`abcd-efgh`)."""
    return f"{token[:4]}-{token[4:]}"


@dataclass(frozen=True)
class Outcome:
    """A code's verdict: the device that accepted it, or why not (and whether the account is now locked)."""

    device: TOTPDevice | StaticDevice | None = None
    error: TwoFactorError | None = None
    locked: bool = False


def _throttled(device) -> TwoFactorError | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    wait = max(1, int(((data or {}).get("locked_until", timezone.now()) - timezone.now()).total_seconds()) + 1)
    return TwoFactorError(TwoFactorErrorCode.THROTTLED, seconds=wait)


def _failed(*, user, request, reason: str, count: bool = True) -> bool:
    """A wrong code: in the security log, and (`count`) a failed sign-in towards the lockout.
    True when the account is locked now."""
    security_event_record(kind=SecurityEventKind.OTP_FAILED, user=user, request=request, detail={"reason": reason})
    if not count:
        return False
    AxesProxyHandler.user_login_failed(sender=__name__, credentials={"username": user.get_username()},
                                       request=request)
    return bool(getattr(request, "axes_locked_out", False))


def account_locked(*, user, request) -> bool:
    """Is the account locked out from this address (wrong passwords or wrong codes)?"""
    return AxesProxyHandler.is_locked(request, {"username": user.get_username()})


def code_check(*, user, code: str, request, totp_only: bool = False) -> Outcome:
    """Try `code`: six digits against the login's TOTP device, anything else as a recovery code
    (used up when it passes), unless `totp_only`. A wrong one is logged and counted (see the module's doc)."""
    code = code_normalize(code)
    model = TOTPDevice if totp_only or _TOTP_CODE.fullmatch(code) else StaticDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        throttled = _throttled(device) if device is not None else None
        if throttled is None and device is not None and code and device.verify_token(code):
            return Outcome(device=device)
    if throttled is not None:
        reason = "尝试过于频繁"
    else:
        reason = "动态口令不正确" if model is TOTPDevice else "恢复码不正确"
    locked = _failed(user=user, request=request, reason=reason)
    return Outcome(error=throttled or TwoFactorError(TwoFactorErrorCode.CODE_WRONG), locked=locked)


def session_verify(*, request, device) -> None:
    """The session has passed its second factor: a new session key (the privilege rose), the device in it."""
    request.session.cycle_key()
    django_otp.login(request, device)


def second_factor_verify(*, request, code: str) -> Outcome:
    """The half signed-in session's code: when it passes, the session is verified, and the log says so."""
    user = request.user
    outcome = code_check(user=user, code=code, request=request)
    if outcome.device is not None:
        session_verify(request=request, device=outcome.device)
        security_event_record(kind=SecurityEventKind.OTP_VERIFIED, user=user, request=request,
                              detail={"kind": outcome.device.name})
    return outcome


@transaction.atomic
def enrolment_start(*, user) -> TOTPDevice:
    """A new TOTP device to show as a QR code, replacing any earlier one that was never confirmed.

    Only for a login without a confirmed device: a second device needs the 安全管理员's reset first,
    or a stolen password would be enough to enrol the thief's phone."""
    if selectors.enrolled(user):
        raise TwoFactorError(TwoFactorErrorCode.ALREADY_ENROLLED)
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def _recovery_codes_new(user) -> list[str]:
    """Ten new codes in the login's one recovery device (kept, so a session it verified stays verified)."""
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    tokens = set()
    while len(tokens) < RECOVERY_CODE_COUNT:
        tokens.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in sorted(tokens))
    return [recovery_code_display(t) for t in sorted(tokens)]


def enrolment_confirm(*, request, code: str) -> list[str]:
    """The enrolled device's first correct code confirms it and verifies the session. Returns the
    ten recovery codes, to be shown this once (they are kept, as django-otp keeps them, for checking)."""
    user = request.user
    code = code_normalize(code)
    with transaction.atomic():
        if selectors.enrolled(user):
            raise TwoFactorError(TwoFactorErrorCode.ALREADY_ENROLLED)
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            raise TwoFactorError(TwoFactorErrorCode.NO_ENROLMENT)
        throttled = _throttled(device)
        if throttled is None and _TOTP_CODE.fullmatch(code) and device.verify_token(code):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _recovery_codes_new(user)
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            session_verify(request=request, device=device)
            security_event_record(kind=SecurityEventKind.OTP_ENROLLED, user=user, request=request)
            return codes
    # The person reads the secret off the screen: a typo while enrolling is no guess at anything;
    # it is logged and slowed down, not counted towards the lockout.
    _failed(user=user, request=request, reason="绑定时动态口令不正确", count=False)
    raise throttled or TwoFactorError(TwoFactorErrorCode.CODE_WRONG)


def recovery_codes_regenerate(*, request, code: str) -> Outcome | list[str]:
    """Ten new recovery codes (the old ones stop working), after a fresh code of the TOTP device."""
    user = request.user
    outcome = code_check(user=user, code=code, request=request, totp_only=True)
    if outcome.device is None:
        return outcome
    with transaction.atomic():
        codes = _recovery_codes_new(user)
        security_event_record(kind=SecurityEventKind.OTP_RECOVERY_CODES, user=user, request=request)
    return codes


@transaction.atomic
def second_factor_reset(*, actor, user, request=None) -> int:
    """The 安全管理员 deletes a login's devices (a lost phone): its next sign-in enrols anew.
    `user` comes from selectors.user_get_for_reset, which holds the scope rule. Returns the devices deleted."""
    if user.pk == actor.pk:
        raise TwoFactorError(TwoFactorErrorCode.SELF_RESET)
    deleted = (TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
               + StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0))
    security_event_record(kind=SecurityEventKind.OTP_RESET, user=actor, request=request,
                          detail={"target": user.get_username()})
    return deleted


def token_second_factor_check(*, user, code: str, request) -> Outcome:
    """The API's sign-in (a token for a login that needs a second factor): its `otp` field as the
    code page takes it. Enrolment is done on the web; a missing code is refused without counting."""
    if not selectors.enrolled(user):
        return Outcome(error=TwoFactorError(TwoFactorErrorCode.NOT_ENROLLED))
    if not code_normalize(code):
        return Outcome(error=TwoFactorError(TwoFactorErrorCode.CODE_MISSING))
    outcome = code_check(user=user, code=code, request=request)
    if outcome.device is not None:
        security_event_record(kind=SecurityEventKind.OTP_VERIFIED, user=user, request=request,
                              detail={"kind": outcome.device.name, "api_token": True})
    return outcome
