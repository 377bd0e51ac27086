"""HTTP details every download shares."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponseBadRequest


def content_disposition(filename: str, ascii_stem: str = "download") -> str:
    """An attachment header with an ASCII fallback and the UTF-8 name (RFC 5987/6266).

    `组织树-涟源市.xlsx` with `ascii_stem="units"` → `attachment; filename="units.xlsx"; filename*=UTF-8''…`.
    """
    fallback = f"{ascii_stem}." + filename.rpartition(".")[2]
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def refusal(message: str) -> HttpResponseBadRequest:
    """A 400 whose body is the message as plain text (a download's refusal, which has no page to stand on): a
    message may quote the request's own input (a day typed wrong), which must never be read as HTML."""
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
