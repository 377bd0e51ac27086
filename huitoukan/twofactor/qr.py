"""The enrolment's QR code, drawn on the server as inline SVG (segno): no outside service sees the secret."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.utils.safestring import SafeString, mark_safe


def totp_qr_svg(device) -> SafeString:
    """The otpauth:// URI of `device` (with OTP_TOTP_ISSUER) as an <svg> element to put in the page."""
    # segno writes only its own path data and the fixed title: nothing of the user's is interpolated.
    return mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=5, title="二维码"))  # noqa: S308


def totp_secret_display(device) -> str:
    """The secret for typing into an authenticator app by hand: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
