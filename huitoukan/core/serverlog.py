"""Server and application logs without the secrets some URLs carry.

A survey invitation (/gongkai/wenjuan/<token>/) is a bearer secret in its path: whoever reads a log line
with an unspent token could answer in the invitee's place. Gunicorn's access log (its request line, path,
referrer and headers) and Django's own log lines (``Not Found: /path``) go through `masked` first.
"""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger

_SECRET_PATHS = re.compile(r"(/gongkai/wenjuan/)[A-Za-z0-9_-]{8,}")
MASK = r"\1***"


def masked(text):
    return _SECRET_PATHS.sub(MASK, text) if isinstance(text, str) else text


class MaskingLogger(Logger):
    """Gunicorn's logger (`--logger-class`), its access-log atoms masked."""

    def atoms(self, resp, req, environ, request_time):
        return {key: masked(value) for key, value in super().atoms(resp, req, environ, request_time).items()}


class MaskSecretsFilter(logging.Filter):
    """A logging filter masking the same paths in any record's message (django.request's 404 and 400 lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = masked(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True
