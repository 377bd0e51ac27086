"""A plan's uploaded file (Word .docx or PDF): checked, then stored durably under its SHA-256 digest.

The pattern of ledgers.evidence: written to a temporary name while it is checked, fsynced, renamed
to plans/ab/abcdef…; the same file is stored once and never overwritten. A refused file leaves
nothing behind. The checks go beyond the name: the first bytes must be the format's, a .docx must
be an unencrypted Word package, and a PDF may not carry scripts or actions that run on opening.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from huitoukan.core.files import staged_file
from huitoukan.plans.errors import PlanError, PlanErrorCode

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED = {".pdf": "application/pdf", ".docx": DOCX}
MAGIC = {".pdf": b"%PDF-", ".docx": b"PK\x03\x04"}
# PDF names of content that runs by itself: JavaScript, launching programs, embedded forms' scripts.
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|OpenAction|AA|RichMedia|XFA|EmbeddedFile)\b")
_DOCX_MEMBERS = 5000


@dataclass(frozen=True)
class StoredPlanFile:
    sha256: str
    size: int
    name: str
    content_type: str


def plan_file_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "plans"


def plan_file_path(sha256: str) -> Path:
    return plan_file_root() / sha256[:2] / sha256


def plan_file_store(upload) -> StoredPlanFile:
    """Check `upload` (a name and .chunks()) and store it; PlanError names what is wrong with it."""
    name = os.path.basename(upload.name or "")[:255]
    ext = os.path.splitext(name)[1].lower()
    if ext not in ALLOWED:
        raise PlanError(PlanErrorCode.FILE_TYPE, name=name)
    limit = settings.EVIDENCE_MAX_BYTES
    digest = hashlib.sha256()
    size = 0
    with staged_file(plan_file_root(), prefix=".upload-") as staged:
        for chunk in upload.chunks():
            size += len(chunk)
            if size > limit:
                raise PlanError(PlanErrorCode.FILE_TOO_LARGE, name=name, limit=limit // (1024 * 1024))
            digest.update(chunk)
            staged.write(chunk)
        if size == 0:
            raise PlanError(PlanErrorCode.FILE_EMPTY, name=name)
        staged.file.flush()
        _check_content(staged.path, ext, name)
        sha = digest.hexdigest()
        final = plan_file_path(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        if not final.exists():
            staged.commit(final)
    return StoredPlanFile(sha256=sha, size=size, name=name, content_type=ALLOWED[ext])


def _check_content(path: Path, ext: str, name: str) -> None:
    with path.open("rb") as f:
        head = f.read(len(MAGIC[ext]))
    if head != MAGIC[ext]:
        raise PlanError(PlanErrorCode.FILE_DAMAGED, name=name, kind=ext[1:].upper())
    if ext == ".docx":
        _check_docx(path, name)
    else:
        _check_pdf(path, name)


def _check_docx(path: Path, name: str) -> None:
    """A Word package: a readable zip with its document part, nothing encrypted, no macros. Nothing is unpacked."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            usable = (
                len(members) <= _DOCX_MEMBERS
                and "[Content_Types].xml" in names
                and "word/document.xml" in names
                and not any(m.flag_bits & 0x1 for m in members)
                and not any(n.lower().endswith("vbaproject.bin") for n in names)
            )
    except (zipfile.BadZipFile, OSError, ValueError):
        usable = False
    if not usable:
        raise PlanError(PlanErrorCode.FILE_DAMAGED, name=name, kind="Word（.docx）")


def _check_pdf(path: Path, name: str) -> None:
    """A PDF ends with its %%EOF marker and names no active content (read in overlapping blocks)."""
    tail = b""
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            window = tail + block
            if _PDF_ACTIVE.search(window):
                raise PlanError(PlanErrorCode.FILE_ACTIVE, name=name)
            tail = window[-32:]
    if b"%%EOF" not in tail and b"%%EOF" not in _last_bytes(path, 2048):
        raise PlanError(PlanErrorCode.FILE_DAMAGED, name=name, kind="PDF")


def _last_bytes(path: Path, count: int) -> bytes:
    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - count))
        return f.read()
