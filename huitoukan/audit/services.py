"""Writing and verifying the security log."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from huitoukan.audit.models import ChainHead, SecurityEvent, SecurityEventKind
from huitoukan.core.files import append_durably

GENESIS = "0" * 64


def _digest(prev: str, event: SecurityEvent) -> str:
    body = json.dumps(
        [
            prev,
            event.at.isoformat(),
            event.kind,
            event.user_id,
            event.username,
            event.ip,
            event.path,
            event.detail,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), body.encode(), hashlib.sha256).hexdigest()


def client_ip(request) -> str:
    """The client's address; behind PROXY_COUNT proxies, the one the outermost proxy saw.

    Only addresses our own proxies appended are trusted: a client can put anything at the left
    of X-Forwarded-For, so the address is counted from the right.
    """
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.PROXY_COUNT:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if len(forwarded) >= settings.PROXY_COUNT:
        return forwarded[-settings.PROXY_COUNT][:64]
    return remote


@transaction.atomic
def security_event_record(
    *, kind: SecurityEventKind | str, user=None, username: str = "", request=None, detail: dict | None = None
) -> SecurityEvent:
    """Append one event to the chain. Runs inside the caller's transaction when there is one."""
    head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1, defaults={"digest": GENESIS})
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    event = SecurityEvent(
        at=timezone.now(),
        kind=str(kind),
        user=user,
        username=username or (user.get_username() if user is not None else ""),
        ip=client_ip(request),
        path=(request.get_full_path()[:500] if request is not None else ""),
        detail=detail or {},
    )
    # Round-trip through JSON so the digest sees exactly what the database will return.
    event.detail = json.loads(json.dumps(event.detail, ensure_ascii=False, default=str))
    event.digest = _digest(head.digest, event)
    event.save()
    head.digest = event.digest
    head.last_event_id = event.pk
    head.count += 1
    head.save(update_fields=["digest", "last_event_id", "count"])
    return event


def security_denial_record(*, request, denied) -> SecurityEvent:
    user = getattr(request, "user", None)
    return security_event_record(
        kind=SecurityEventKind.DENIED,
        user=user,
        request=request,
        detail={"perm": str(denied.perm), "unit": denied.unit.full_name if denied.unit is not None else ""},
    )


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    problem: str = ""


def security_log_verify() -> ChainReport:
    """Recompute the chain: a changed, inserted or deleted row shows as the first bad row."""
    prev = GENESIS
    checked = 0
    for event in SecurityEvent.objects.order_by("id").iterator(chunk_size=2000):
        if _digest(prev, event) != event.digest:
            return ChainReport(False, checked, event.pk, "记录内容与校验值不符（被修改、插入或其前一条被删除）")
        prev = event.digest
        checked += 1
    head = ChainHead.objects.filter(pk=1).first()
    if head is None:
        if checked:
            return ChainReport(False, checked, None, "链头缺失")
        return ChainReport(True, 0)
    if head.count != checked or head.digest != prev:
        return ChainReport(False, checked, None, "末尾记录被删除或链头被改动")
    return ChainReport(True, checked)


def _anchor_mac(count: int, digest: str, at: str) -> str:
    body = f"{count}|{digest}|{at}".encode()
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), body, hashlib.sha256).hexdigest()


def security_log_anchor(path) -> dict:
    """Append the chain head (count, digest), signed, to a file kept outside the database.

    Whoever can write to the database can delete the newest rows and rewind the head; they
    cannot rewind a copy held elsewhere. Run it periodically (the huey task does, hourly).
    """
    head = ChainHead.objects.filter(pk=1).first()
    anchor = {"count": head.count if head else 0, "digest": head.digest if head else GENESIS,
              "at": timezone.now().isoformat()}
    anchor["mac"] = _anchor_mac(anchor["count"], anchor["digest"], anchor["at"])
    append_durably(path, json.dumps(anchor, ensure_ascii=False) + "\n")
    return anchor


def security_log_check_anchors(path) -> ChainReport:
    """The chain must still hold every anchored head: the row at each anchored count has its digest."""
    from pathlib import Path

    path = Path(path)
    report = security_log_verify()
    if not report.ok or not path.exists():
        return report
    digests = list(SecurityEvent.objects.order_by("id").values_list("digest", flat=True))
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        anchor = json.loads(line)
        if not hmac.compare_digest(anchor.get("mac", ""), _anchor_mac(anchor["count"], anchor["digest"], anchor["at"])):
            return ChainReport(False, report.checked, None, f"锚点记录被改动（{anchor.get('at', '')}）")
        count = anchor["count"]
        if count > len(digests) or (count and digests[count - 1] != anchor["digest"]):
            return ChainReport(False, report.checked, None,
                               f"日志在 {anchor['at']} 时已有 {count} 条，现在的记录与当时不符（末尾记录被删除或改写）")
    return report
