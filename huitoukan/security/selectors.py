"""Reading the security policy in force.

`policy_current()` reads the one row. Inside a request (security.middleware.PolicyScopeMiddleware)
the row is read once and kept for that request only; outside one (commands, the huey consumer)
every call reads it again. No copy outlives its request, so an edit takes effect at the next
request in every gunicorn worker.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from huitoukan.core import sql
from huitoukan.security.models import SecurityPolicy

_UNSET = object()
_scope: ContextVar = ContextVar("huitoukan_security_policy", default=None)


@contextmanager
def policy_scope():
    """Within this block, `policy_current()` reads the database once."""
    token = _scope.set({"policy": _UNSET})
    try:
        yield
    finally:
        _scope.reset(token)


def policy_forget() -> None:
    """Drop the copy kept for this request (the policy has just been changed)."""
    memo = _scope.get()
    if memo is not None:
        memo["policy"] = _UNSET


def _read() -> SecurityPolicy:
    # SQL written once (core.sql): every request reads the policy.
    rows = sql.fetch(f'SELECT {sql.columns(SecurityPolicy, "p")} FROM {SecurityPolicy._meta.db_table} p '
                     'WHERE p."id" = 1', [])
    if rows:
        return sql.instance(SecurityPolicy, rows[0])
    # The first read writes the initial policy, from the settings (a migration cannot know them).
    try:
        with transaction.atomic():
            policy = SecurityPolicy.initial()
            policy._history_user = None
            policy.save(force_insert=True)
            return policy
    except IntegrityError:  # another worker wrote it first
        return SecurityPolicy.objects.get(pk=1)


def policy_current() -> SecurityPolicy:
    """The security policy in force. Treat it as read-only: change it with services.policy_update."""
    memo = _scope.get()
    if memo is None:
        return _read()
    if memo["policy"] is _UNSET:
        memo["policy"] = _read()
    return memo["policy"]


def lockout_duration() -> timedelta:
    return timedelta(minutes=policy_current().lockout_minutes)


def password_set_at(user):
    """When the user's password was last set: its newest record, else the account's creation."""
    from huitoukan.security.models import PasswordRecord

    newest = PasswordRecord.objects.filter(user=user).order_by("-set_at", "-id").values_list("set_at", flat=True)
    return newest.first() or user.date_joined


def must_change_password(user) -> bool:
    """An initial or reset password (the account's flag, kept by access): to be changed before anything else."""
    return bool(getattr(getattr(user, "account", None), "must_change_password", False))


class ChangeReason:
    MUST_CHANGE = "must_change"
    EXPIRED = "expired"


def password_change_reason(user, session=None) -> str | None:
    """Why the user must change their password before doing anything else, or None.

    With the request's `session`, the account's flag and the password's age are read once per password:
    kept in the session under the password's session hash (which changes with the password, a reset
    included), they cost no query on the next requests; the policy's expiry is applied afresh each time."""
    state = session.get(PASSWORD_STATE_KEY) if session is not None else None
    current = user.get_session_auth_hash() if session is not None else ""
    if state is None or state.get("hash") != current:
        state = {"hash": current, "must_change": must_change_password(user),
                 "set_at": password_set_at(user).isoformat()}
        if session is not None:
            session[PASSWORD_STATE_KEY] = state
    if state["must_change"]:
        return ChangeReason.MUST_CHANGE
    expires = datetime.fromisoformat(state["set_at"]) + timedelta(days=policy_current().password_expiry_days)
    if getattr(user, "has_usable_password", lambda: False)() and timezone.now() >= expires:
        return ChangeReason.EXPIRED
    return None


PASSWORD_STATE_KEY = "huitoukan_password_state"


def password_hashes_recent(user, depth: int) -> list[str]:
    """The user's current password and earlier ones, newest first, `depth` in all."""
    from huitoukan.security.models import PasswordRecord

    hashes = [user.password] if user.password else []
    for stored in PasswordRecord.objects.filter(user=user).order_by("-set_at", "-id").values_list(
            "password", flat=True)[:depth]:
        if stored not in hashes:
            hashes.append(stored)
    return hashes[:depth]


def stale_disablings():
    from huitoukan.security.models import StaleDisabling

    return StaleDisabling.objects.select_related("user").order_by("-disabled_at", "-id")


# What the session keeps of itself (written by access.middleware and security.middleware): when
# it started, when it was last seen (refreshed at most once a minute) and the address it came from.
SESSION_STARTED_KEY = "huitoukan_session_started"
SESSION_SEEN_KEY = "huitoukan_session_seen"
SESSION_ADDRESS_KEY = "huitoukan_session_address"


@dataclass
class OpenSession:
    key: str
    user: object
    started: datetime | None
    seen: datetime | None
    address: str
    expires: datetime


def _moment(value) -> datetime | None:
    return datetime.fromtimestamp(value, tz=UTC) if isinstance(value, int | float) else None


def sessions_open() -> list[OpenSession]:
    """The signed-in sessions not yet expired, most recently seen first."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    rows = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()):
        data = session.get_decoded()
        user_id = data.get("_auth_user_id")
        if user_id is None:
            continue
        rows.append((session, data, int(user_id)))
    users = get_user_model().objects.in_bulk([user_id for _, _, user_id in rows])
    found = [OpenSession(key=session.session_key, user=users[user_id],
                         started=_moment(data.get(SESSION_STARTED_KEY)),
                         seen=_moment(data.get(SESSION_SEEN_KEY, data.get(SESSION_STARTED_KEY))),
                         address=data.get(SESSION_ADDRESS_KEY, ""), expires=session.expire_date)
             for session, data, user_id in rows if user_id in users]
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(found, key=lambda s: (s.seen or oldest, s.key), reverse=True)


def policy_copy() -> SecurityPolicy:
    """A copy of the policy in force for a form to fill (the request's own copy stays untouched)."""
    return SecurityPolicy.objects.get(pk=policy_current().pk)


def policy_history(limit: int = 200):
    from huitoukan.core import timeline

    return timeline.entries(SecurityPolicy.history.all(), limit=limit)
