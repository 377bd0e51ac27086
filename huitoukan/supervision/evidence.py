"""Inspection evidence (photos, recordings, video, documents): checked, stored once under its SHA-256.

As the ledgers' evidence (huitoukan.ledgers.evidence): each file is staged under a temporary name,
checked (extension, first bytes, size by kind), and only when every file of the write passed is it
renamed to supervision/ab/abcdef… under MEDIA_ROOT, so a refused write leaves none behind.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404

from huitoukan.core.files import StagedFile, staged_file
from huitoukan.supervision.errors import SupervisionError, SupervisionErrorCode
from huitoukan.supervision.models import EvidenceKind

K = EvidenceKind
# extension -> (kind, content type, accepted first bytes; None: "ftyp" at offset 4, the ISO media box)
TYPES: dict[str, tuple[str, str, tuple[bytes, ...] | None]] = {
    ".jpg": (K.PHOTO, "image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": (K.PHOTO, "image/jpeg", (b"\xff\xd8\xff",)),
    ".png": (K.PHOTO, "image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".gif": (K.PHOTO, "image/gif", (b"GIF87a", b"GIF89a")),
    ".mp3": (K.AUDIO, "audio/mpeg", (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
    ".wav": (K.AUDIO, "audio/wav", (b"RIFF",)),
    ".amr": (K.AUDIO, "audio/amr", (b"#!AMR",)),
    ".m4a": (K.AUDIO, "audio/mp4", None),
    ".mp4": (K.VIDEO, "video/mp4", None),
    ".mov": (K.VIDEO, "video/quicktime", None),
    ".pdf": (K.DOCUMENT, "application/pdf", (b"%PDF-",)),
    ".doc": (K.DOCUMENT, "application/msword", (b"\xd0\xcf\x11\xe0",)),
    ".docx": (K.DOCUMENT, "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              (b"PK\x03\x04",)),
    ".xls": (K.DOCUMENT, "application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
    ".xlsx": (K.DOCUMENT, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
}
# Recordings are larger than photos and papers: their limit is a multiple of the evidence limit.
SIZE_FACTOR = {K.PHOTO: 1, K.DOCUMENT: 1, K.AUDIO: 5, K.VIDEO: 25}


def size_limit(kind: str) -> int:
    return settings.EVIDENCE_MAX_BYTES * SIZE_FACTOR[kind]


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    original_name: str
    content_type: str
    kind: str


def evidence_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "supervision"


def evidence_path(sha256: str) -> Path:
    return evidence_root() / sha256[:2] / sha256


def _allowed() -> str:
    return "、".join(sorted(TYPES))


def _head_ok(head: bytes, magic) -> bool:
    if magic is None:
        return head[4:8] == b"ftyp"
    return any(head.startswith(m) for m in magic)


def _staged(stack: ExitStack, name: str, chunks) -> tuple[StagedFile, StoredFile]:
    ext = os.path.splitext(name)[1].lower()
    if ext not in TYPES:
        raise SupervisionError(SupervisionErrorCode.FILE_TYPE, name=name, allowed=_allowed())
    kind, content_type, magic = TYPES[ext]
    limit = size_limit(kind)
    digest = hashlib.sha256()
    size = 0
    head = b""
    staged = stack.enter_context(staged_file(evidence_root(), prefix=".upload-"))
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise SupervisionError(SupervisionErrorCode.FILE_TOO_LARGE, name=name, limit=limit // (1024 * 1024))
        if len(head) < 16:
            head += chunk[: 16 - len(head)]
        digest.update(chunk)
        staged.write(chunk)
    if size == 0:
        raise SupervisionError(SupervisionErrorCode.FILE_EMPTY, name=name)
    if not _head_ok(head, magic):
        raise SupervisionError(SupervisionErrorCode.FILE_TYPE, name=name, allowed=_allowed())
    return staged, StoredFile(digest.hexdigest(), size, os.path.basename(name)[:255], content_type, kind)


def evidence_store(uploads) -> list[StoredFile]:
    """Check every file of one write, then store them all (UploadedFiles: a name and .chunks())."""
    with ExitStack() as stack:
        checked = [_staged(stack, upload.name, upload.chunks()) for upload in uploads]
        for staged, stored in checked:
            final = evidence_path(stored.sha256)
            final.parent.mkdir(parents=True, exist_ok=True)
            if not final.exists():
                staged.commit(final)
        return [stored for _, stored in checked]


def evidence_response(row) -> FileResponse:
    """An evidence row's file as it was uploaded (its reader already checked by the caller); 404 if missing."""
    path = evidence_path(row.sha256)
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=row.original_name,
                        content_type=row.content_type)
