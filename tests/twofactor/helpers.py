"""Codes as an authenticator app computes them, and the second factor's pages as a person uses them."""

from __future__ import annotations

import time

from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

OTP = "/accounts/otp/"
SETUP = "/accounts/otp/setup/"


def totp_code(device: TOTPDevice) -> str:
    """The code the device's app shows now (or, if that one was used, the next step's, within tolerance)."""
    device.refresh_from_db()
    now = (int(time.time()) - device.t0) // device.step + device.drift
    steps = [t for t in range(now, now + device.tolerance + 1) if t > device.last_t]
    assert steps, "every code of this window was used: wait for the next step"
    return f"{hotp(device.bin_key, steps[0], digits=device.digits):0{device.digits}d}"


def totp_code_for_key(key_hex: str) -> str:
    """The current code of a fresh device with this key (tests.conftest.SECOND_FACTOR_TEST_KEY)."""
    return f"{hotp(bytes.fromhex(key_hex), int(time.time()) // 30):06d}"


def throttle_waited(device) -> None:
    """As if the pause after a wrong code (1 s, 2 s, …) had gone by."""
    type(device).objects.filter(pk=device.pk).update(throttling_failure_timestamp=None, throttling_failure_count=0)


def enrol(client, username: str) -> list[str]:
    """A half signed-in client enrols: opens the QR page, types the app's first code; the recovery codes."""
    assert client.get(SETUP).status_code == 200
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    response = client.post(SETUP, {"code": totp_code(device)})
    assert response.status_code == 200, response.content.decode()
    return response.context["codes"]
