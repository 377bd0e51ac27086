"""Reads of the second factor: a login's devices, and the login a 安全管理员 resets."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from huitoukan.access import policy
from huitoukan.access.models import RoleAssignment
from huitoukan.access.policy import Perm


def enrolled(user) -> bool:
    """Has the login a confirmed device? Then it verifies a code; else it enrols (once)."""
    return (TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            or StaticDevice.objects.filter(user=user, confirmed=True).exists())


def totp_device_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_device_of(user) -> TOTPDevice | None:
    """The device being enrolled: shown as a QR code, not confirmed until its first correct code."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@dataclass(frozen=True)
class Devices:
    totp: TOTPDevice | None
    recovery: StaticDevice | None
    recovery_left: int


def devices_of(user) -> Devices:
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return Devices(totp=totp_device_of(user), recovery=recovery,
                   recovery_left=recovery.token_set.count() if recovery is not None else 0)


def user_get_for_reset(*, actor, username: str):
    """The login whose second factor `actor` may reset: a 安全管理员 over every unit where it holds a
    role (anywhere, for a login without a role). An unknown name answers like one out of scope."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise policy.Denied(Perm.SECOND_FACTOR_RESET)
    units = [a.unit for a in RoleAssignment.objects.filter(user=user).select_related("unit")]
    for unit in units:
        policy.require(actor, Perm.SECOND_FACTOR_RESET, unit)
    if not units:
        policy.require_somewhere(actor, Perm.SECOND_FACTOR_RESET)
    return user
