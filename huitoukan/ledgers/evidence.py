"""Evidence files: checked, written durably under their SHA-256 digest, never overwritten.

A file is written to a temporary name, fsynced, then renamed to evidence/ab/abcdef…, so a
crash never leaves half a file under a digest name, and the same file is stored once. The files
of one write are all checked before the first is renamed, so a refused write leaves none behind.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from huitoukan.core.files import StagedFile, staged_file
from huitoukan.ledgers.errors import LedgerError, LedgerErrorCode

ALLOWED_EXTENSIONS = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".wps": "application/vnd.ms-works", ".et": "application/vnd.ms-excel",
}
# The first bytes each kind must start with: a renamed executable is not a PDF.
MAGIC = {
    ".jpg": [b"\xff\xd8\xff"], ".jpeg": [b"\xff\xd8\xff"], ".png": [b"\x89PNG\r\n\x1a\n"],
    ".gif": [b"GIF87a", b"GIF89a"], ".pdf": [b"%PDF-"],
    ".docx": [b"PK\x03\x04"], ".xlsx": [b"PK\x03\x04"],
    ".doc": [b"\xd0\xcf\x11\xe0"], ".xls": [b"\xd0\xcf\x11\xe0"], ".wps": [b"\xd0\xcf\x11\xe0"],
    ".et": [b"\xd0\xcf\x11\xe0"],
}


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    original_name: str
    content_type: str


def evidence_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "evidence"


def evidence_path(sha256: str) -> Path:
    return evidence_root() / sha256[:2] / sha256


def evidence_store(uploads) -> list[StoredFile]:
    """Check and store the files of one write (UploadedFiles: a name and .chunks()).

    Every file is checked while it is staged under a temporary name, and none is moved to its
    digest name before all have passed: a write refused for one file keeps none of them.
    """
    with ExitStack() as stack:
        checked = [_staged(stack, upload.name, upload.chunks()) for upload in uploads]
        for staged, stored in checked:
            final = evidence_path(stored.sha256)
            final.parent.mkdir(parents=True, exist_ok=True)
            if not final.exists():  # the same file is stored once; the staged copy is dropped
                staged.commit(final)
        return [stored for _, stored in checked]


def _staged(stack: ExitStack, name: str, chunks) -> tuple[StagedFile, StoredFile]:
    """One upload written to a temporary file that `stack` removes unless it is committed, and checked."""
    ext = os.path.splitext(name)[1].lower()
    if ext not in ALLOWED_EXTENSIONS:
        raise LedgerError(LedgerErrorCode.FILE_TYPE, name=name, allowed="、".join(sorted(ALLOWED_EXTENSIONS)))
    limit = settings.EVIDENCE_MAX_BYTES
    digest = hashlib.sha256()
    size = 0
    head = b""
    staged = stack.enter_context(staged_file(evidence_root(), prefix=".upload-"))
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise LedgerError(LedgerErrorCode.FILE_TOO_LARGE, name=name, limit=limit // (1024 * 1024))
        if len(head) < 16:
            head += chunk[: 16 - len(head)]
        digest.update(chunk)
        staged.write(chunk)
    if size == 0:
        raise LedgerError(LedgerErrorCode.FILE_EMPTY, name=name)
    if not any(head.startswith(m) for m in MAGIC.get(ext, [b""])):
        raise LedgerError(LedgerErrorCode.FILE_TYPE, name=name, allowed="、".join(sorted(ALLOWED_EXTENSIONS)))
    return staged, StoredFile(digest.hexdigest(), size, os.path.basename(name)[:255], ALLOWED_EXTENSIONS[ext])
