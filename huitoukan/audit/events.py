"""Security events that several apps write alike: one function per kind, writing one event."""

from __future__ import annotations

import hashlib

from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from huitoukan.audit.services import security_event_record


def import_recorded(*, actor, request, what: str, filename: str, data: bytes, result, **detail) -> SecurityEvent:
    """A committed import: who (`actor` None is the command line), which file by its SHA-256, what it changed.

    `result` is the import's result, with its counts of created, updated and unchanged rows;
    `detail` adds what this import wrote to (a ledger, its campaign, …).
    """
    return security_event_record(
        kind=SecurityEventKind.IMPORT,
        user=actor,
        username=actor.get_username() if actor is not None else "命令行",
        request=request,
        detail={
            "what": what,
            **detail,
            "filename": filename,
            "sha256": hashlib.sha256(data).hexdigest(),
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
    )
