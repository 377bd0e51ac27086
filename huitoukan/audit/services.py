"""Writing and verifying the security log."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import logging.handlers
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from huitoukan.audit.models import ChainHead, SecurityEvent, SecurityEventKind, SecurityLogPurge
from huitoukan.core.errors import DomainError
from huitoukan.core.files import append_durably

GENESIS = "0" * 64
logger = logging.getLogger(__name__)


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
    return hmac_sign(body)


def hmac_sign(body: str | bytes) -> str:
    """HMAC-SHA256 of `body` with the log's key (AUDIT_HMAC_KEY), kept outside the database.

    The security log's rows, purges and anchors are signed with it, and so is every chain that is
    anchored like the log (the ledgers' item chains, ledgers.chain).
    """
    data = body.encode() if isinstance(body, str) else body
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), data, hashlib.sha256).hexdigest()


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


class AuditErrorCode(Enum):
    PURGE_TOO_RECENT = "只能清理 %(days)s 天以前的记录：清理日期须不晚于 %(latest)s。"
    PURGE_NOTHING = "%(before)s 以前没有可清理的记录。"
    PURGE_UNVERIFIED = "安全日志校验未通过，不能清理（以免抹去被篡改的证据）：%(problem)s"
    EXPORT_TOO_LARGE = "筛选出 %(rows)s 条记录，超过一个工作表能容纳的 %(limit)s 条：请缩小日期范围后分次导出。"


class AuditError(DomainError):
    pass


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    problem: str = ""
    anchors: int = 0  # anchors checked against the chain
    purged: int = 0  # rows removed by purges before the chain's current start
    no_anchor_file: bool = False  # the only problem: no anchor was ever written

    @property
    def message(self) -> str:
        """The verdict in one Chinese sentence, for the page and the command alike."""
        if self.ok:
            text = f"校验通过：{self.checked} 条记录的链式校验值全部一致，与 {self.anchors} 个锚点相符"
            return text + (f"（此前已按保存期限清理 {self.purged} 条）。" if self.purged else "。")
        where = f"（记录编号 {self.first_bad_id}）" if self.first_bad_id else ""
        return f"校验失败：{self.problem}{where}；已校验 {self.checked} 条。"


def anchor_file() -> Path:
    """Where the anchors are appended: AUDIT_ANCHOR_FILE, by default under VAR_DIR."""
    return Path(settings.AUDIT_ANCHOR_FILE or Path(settings.VAR_DIR) / "audit-anchors.jsonl")


def _purge_mac(purge: SecurityLogPurge) -> str:
    before = purge.before.astimezone(dt.UTC).isoformat()  # as the database returns it, whatever the zone
    body = f"purge|{purge.total_removed}|{purge.last_event_id}|{purge.digest}|{before}"
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), body.encode(), hashlib.sha256).hexdigest()


def _genesis() -> tuple[SecurityLogPurge | None, str]:
    """The newest purge (None before any) and the problem with it, if it is not ours."""
    purge = SecurityLogPurge.objects.order_by("-id").first()
    if purge is not None and not hmac.compare_digest(purge.mac, _purge_mac(purge)):
        return purge, f"清理记录被改动（{timezone.localtime(purge.at):%Y-%m-%d %H:%M}）"
    return purge, ""


def _chain_walk(expected: dict[int, tuple[str, str]]) -> ChainReport:
    """Recompute the chain from its start; `expected` maps chain positions to anchored (digest, time).

    Position n is the n-th row ever written (1-based), purged rows included: anchors written
    before a purge stay valid after it.
    """
    purge, problem = _genesis()
    if problem:
        return ChainReport(False, 0, None, problem)
    prev, position, after_id = (purge.digest, purge.total_removed, purge.last_event_id) if purge else (GENESIS, 0, 0)
    purged = position
    if purge is not None and SecurityEvent.objects.filter(pk__lte=after_id).exists():
        return ChainReport(False, 0, None, "清理点之前出现了记录（被插入）", purged=purged)
    checked = 0
    for event in SecurityEvent.objects.filter(pk__gt=after_id).order_by("id").iterator(chunk_size=2000):
        if _digest(prev, event) != event.digest:
            return ChainReport(False, checked, event.pk, "记录内容与校验值不符（被修改、插入或其前一条被删除）",
                               purged=purged)
        prev = event.digest
        checked += 1
        position += 1
        anchored = expected.get(position)
        if anchored is not None and anchored[0] != event.digest:
            return ChainReport(False, checked, event.pk, f"第 {position} 条记录与 {anchored[1]} 的锚点不符（被改写）",
                               purged=purged)
    if purge is not None and purge.total_removed in expected and expected[purge.total_removed][0] != purge.digest:
        return ChainReport(False, checked, None, "清理点与锚点不符", purged=purged)
    beyond = [(n, at) for n, (_, at) in expected.items() if n > position]
    if beyond:
        n, at = max(beyond)
        return ChainReport(False, checked, None,
                           f"日志在 {at} 时已有 {n} 条，现在只有 {position} 条（末尾记录被删除或链头被回退）",
                           purged=purged)
    head = ChainHead.objects.filter(pk=1).first()
    if head is None:
        if position:
            return ChainReport(False, checked, None, "链头缺失", purged=purged)
        return ChainReport(True, 0, anchors=len(expected))
    if head.count != position or head.digest != prev:
        return ChainReport(False, checked, None, "末尾记录被删除或链头被改动", purged=purged)
    return ChainReport(True, checked, anchors=len(expected), purged=purged)


def security_log_verify() -> ChainReport:
    """Recompute the chain alone: a changed, inserted or deleted row shows as the first bad row.

    It cannot see the newest rows deleted with the head rewound to match: security_log_check
    compares the chain with the anchors kept outside the database too. Every verification a user
    asks for (the page, `audit-verify`) runs that one.
    """
    return _chain_walk({})


def _anchor_mac(count: int, digest: str, at: str) -> str:
    return hmac_sign(f"{count}|{digest}|{at}")


def _anchors_read(path: Path) -> tuple[dict[int, tuple[str, str]], str]:
    """The anchors of the file by chain position, and the problem with the file, if any."""
    expected: dict[int, tuple[str, str]] = {}
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                anchor = json.loads(line)
                count, digest, at, mac = int(anchor["count"]), str(anchor["digest"]), str(anchor["at"]), anchor["mac"]
            except (ValueError, KeyError, TypeError):
                return expected, f"锚点文件第 {number} 行无法读取（被改动）"
            if not hmac.compare_digest(str(mac), _anchor_mac(count, digest, at)):
                return expected, f"锚点记录被改动（{at}）"
            shown = _local_time(at)
            if count in expected and expected[count][0] != digest:
                return expected, f"{expected[count][1]} 和 {shown} 的锚点记下了不同的第 {count} 条记录"
            if count:
                expected[count] = (digest, shown)
            else:
                expected.setdefault(0, (digest, shown))
    return expected, ""


def _local_time(iso: str) -> str:
    try:
        return f"{timezone.localtime(dt.datetime.fromisoformat(iso)):%Y-%m-%d %H:%M:%S}"
    except ValueError:
        return iso


def security_log_check(path: Path | str | None = None) -> ChainReport:
    """Recompute the chain and hold it to every anchor: the row at each anchored position has its digest.

    Whoever can write to the database can delete the newest rows (or all of them) and rewind the
    head; the anchors, kept elsewhere, still say how many rows there were and what the last one was.
    A log with rows and no anchor file at all is not verified either: the file is written when the
    background process starts, so its absence means it was removed, or the process never ran.
    """
    path = Path(path) if path is not None else anchor_file()
    expected, problem = _anchors_read(path) if path.exists() else ({}, "")
    if problem:
        return ChainReport(False, 0, None, problem)
    if not expected:
        report = _chain_walk({})
        total = report.purged + report.checked
        if report.ok and total:
            return ChainReport(False, report.checked, None,
                               f"锚点文件 {path} 不存在或为空，无法确认末尾记录未被删除（请确认后台任务进程在运行）",
                               purged=report.purged, no_anchor_file=True)
        return report
    zero = expected.pop(0, None)
    report = _chain_walk(expected)
    if zero is not None and report.ok:
        report = ChainReport(True, report.checked, anchors=report.anchors + 1, purged=report.purged)
    return report



def _syslog_send(anchor: dict) -> None:
    """The anchor to syslog as well (AUDIT_SYSLOG: "/dev/log" or "host:port"), a copy on another machine."""
    target = settings.AUDIT_SYSLOG
    if not target:
        return
    if target.startswith("/"):
        address = target
    else:
        host, _, port = target.rpartition(":")
        address = (host or "localhost", int(port or 514))
    try:
        handler = logging.handlers.SysLogHandler(address=address, facility=logging.handlers.SysLogHandler.LOG_AUTH)
    except OSError:
        # The file's anchor is written already; say why the second copy is missing, and go on.
        logger.exception("cannot reach the syslog target %s for the security log's anchor", target)
        return
    try:
        record = logging.LogRecord("huitoukan.audit", logging.INFO, __file__, 0,
                                   "huitoukan audit anchor %s", (json.dumps(anchor, ensure_ascii=False),), None)
        handler.emit(record)
    finally:
        handler.close()


def _anchor_write(path: Path, count: int, digest: str) -> dict:
    anchor = {"count": count, "digest": digest, "at": timezone.now().isoformat()}
    anchor["mac"] = _anchor_mac(anchor["count"], anchor["digest"], anchor["at"])
    return anchor_line_write(path, anchor)


def anchor_line_write(path: Path, anchor: dict) -> dict:
    """Append one signed anchor as a JSON line, fsynced, and send it to syslog (AUDIT_SYSLOG) too."""
    append_durably(path, json.dumps(anchor, ensure_ascii=False) + "\n")
    _syslog_send(anchor)
    return anchor


def _head() -> tuple[int, str]:
    head = ChainHead.objects.filter(pk=1).first()
    return (head.count, head.digest) if head is not None else (0, GENESIS)


def security_log_anchor(path: Path | str | None = None) -> dict:
    """Append the chain head (count, digest), signed, to a file kept outside the database (and to syslog).

    Whoever can write to the database can delete the newest rows and rewind the head; they
    cannot rewind a copy held elsewhere. The huey consumer that `huitoukan serve` starts calls it
    at its start and every minute the head moved (audit.tasks).
    """
    count, digest = _head()
    return _anchor_write(Path(path) if path is not None else anchor_file(), count, digest)


def _last_anchor(path: Path) -> dict | None:
    """The file's last line, read from its end: the file grows by a line a minute while the log moves."""
    try:
        with path.open("rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - 4096))
            tail = f.read().decode("utf-8", errors="replace").strip().splitlines()
    except FileNotFoundError:
        return None
    try:
        return json.loads(tail[-1]) if tail else None
    except ValueError:
        return None


def security_log_anchor_if_moved(path: Path | str | None = None) -> dict | None:
    """Anchor the head unless the file's last anchor already holds it (or the log is empty and unanchored)."""
    path = Path(path) if path is not None else anchor_file()
    count, digest = _head()
    last = _last_anchor(path)
    if last is not None and last.get("count") == count and last.get("digest") == digest:
        return None
    if last is None and count == 0:
        return None
    return _anchor_write(path, count, digest)


def retention_days() -> int:
    """The security log's minimum age before a purge: AUDIT_RETENTION_DAYS, never under 180 (等保 2.0)."""
    return max(180, int(settings.AUDIT_RETENTION_DAYS))


def security_log_purge(*, before: dt.datetime, actor=None, username: str = "", request=None,
                       anchors: Path | str | None = None) -> SecurityLogPurge:
    """Remove the rows written before `before`, keep a signed record of where the chain now starts.

    Refused for anything younger than the retention (180 days at least) and for a log that does not
    verify. The last removed row's digest becomes the genesis the verification starts from; the
    purge is an event of the log itself, and a new anchor is written once it is committed.
    """
    days = retention_days()
    latest = timezone.now() - dt.timedelta(days=days)
    if before > latest:
        raise AuditError(AuditErrorCode.PURGE_TOO_RECENT, days=days,
                         latest=f"{timezone.localtime(latest):%Y-%m-%d %H:%M}")
    path = Path(anchors) if anchors is not None else anchor_file()
    shown = f"{timezone.localtime(before):%Y-%m-%d %H:%M}"
    with transaction.atomic():
        # Writers wait behind the head's lock: nothing is appended while the start moves.
        ChainHead.objects.select_for_update().get_or_create(pk=1, defaults={"digest": GENESIS})
        report = security_log_check(path)
        if not report.ok and not report.no_anchor_file:
            raise AuditError(AuditErrorCode.PURGE_UNVERIFIED, problem=report.problem)
        previous = SecurityLogPurge.objects.order_by("-id").first()
        after_id = previous.last_event_id if previous else 0
        live = SecurityEvent.objects.filter(pk__gt=after_id)
        first_kept = live.filter(at__gte=before).order_by("id").values_list("id", flat=True).first()
        gone = live.filter(pk__lt=first_kept) if first_kept is not None else live
        last = gone.order_by("-id").first()
        if last is None:
            raise AuditError(AuditErrorCode.PURGE_NOTHING, before=shown)
        removed = gone.count()
        purge = SecurityLogPurge(at=timezone.now(), before=before, removed=removed,
                                 total_removed=(previous.total_removed if previous else 0) + removed,
                                 last_event_id=last.pk, digest=last.digest)
        purge.mac = _purge_mac(purge)
        gone.delete()
        purge.save()
        security_event_record(kind=SecurityEventKind.LOG_PURGED, user=actor,
                              username=username or (actor.get_username() if actor is not None else "命令行"),
                              request=request, detail={"purged_before": shown, "rows": removed})
        transaction.on_commit(lambda: security_log_anchor(path))
    return purge
