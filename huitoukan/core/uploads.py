"""Uploads waiting for the user's 确认 after a preview: kept on disk, tied to the session and user.

Each kind of import has its own slot (`PendingUploads("unit-import")`), so previewing one kind
of file never discards another kind's pending upload.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

from huitoukan.core.files import write_atomic

MAX_AGE_SECONDS = 24 * 3600
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


class PendingUploads:
    def __init__(self, kind: str):
        self.kind = kind
        self.session_key = f"pending_upload_{kind}"

    def _dir(self) -> Path:
        return Path(settings.VAR_DIR) / "uploads" / self.kind

    def _path(self, token: str) -> Path:
        return self._dir() / f"{token}.bin"

    def forget(self, request) -> None:
        pending = request.session.pop(self.session_key, None)
        if pending and _TOKEN_RE.match(pending.get("token", "")):
            self._path(pending["token"]).unlink(missing_ok=True)

    def _sweep(self) -> None:
        """Drop uploads nobody confirmed: their sessions have long expired."""
        cutoff = time.time() - MAX_AGE_SECONDS
        for path in self._dir().glob("*.bin"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink(missing_ok=True)
            except OSError:
                continue

    def keep(self, request, *, data: bytes, filename: str) -> str:
        """Store the upload durably and remember it in the session; returns its token."""
        self.forget(request)
        directory = self._dir()
        directory.mkdir(parents=True, exist_ok=True)
        self._sweep()
        token = secrets.token_urlsafe(32)
        write_atomic(self._path(token), data)
        request.session[self.session_key] = {
            "token": token,
            "filename": filename,
            "user": request.user.pk,
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        return token

    def load(self, request, token: str) -> tuple[bytes, str] | None:
        """The upload this session previewed under `token`, unchanged; else None."""
        pending = request.session.get(self.session_key)
        if (
            not pending
            or not _TOKEN_RE.match(token or "")
            or not secrets.compare_digest(pending.get("token", ""), token)
            or pending.get("user") != request.user.pk
        ):
            return None
        try:
            data = self._path(token).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != pending.get("sha256"):
            return None
        return data, pending["filename"]
