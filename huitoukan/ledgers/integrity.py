"""Evidence integrity: every row's file exists with its digest, and no file lacks a row."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from huitoukan.ledgers.evidence import evidence_path, evidence_root
from huitoukan.ledgers.models import Evidence


@dataclass
class EvidenceReport:
    checked: int = 0
    missing: list[str] = field(default_factory=list)  # rows whose file is gone
    damaged: list[str] = field(default_factory=list)  # files whose content no longer matches the digest
    orphans: list[str] = field(default_factory=list)  # files no row refers to (e.g. an upload rolled back)

    @property
    def ok(self) -> bool:
        # An orphan fails the check too: no write that was refused or rolled back may leave a file behind.
        return not (self.missing or self.damaged or self.orphans)


def evidence_check() -> EvidenceReport:
    report = EvidenceReport()
    known = set(Evidence.objects.values_list("sha256", flat=True).distinct())
    for sha in sorted(known):
        report.checked += 1
        path = evidence_path(sha)
        if not path.exists():
            report.missing.append(sha)
            continue
        digest = hashlib.sha256()
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != sha:
            report.damaged.append(sha)
    root = evidence_root()
    if root.exists():
        for path in root.glob("*/*"):
            if path.is_file() and path.name not in known:
                report.orphans.append(path.name)
    return report
