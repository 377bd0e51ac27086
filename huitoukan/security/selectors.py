"""Reading the security policy in force.

`policy_current()` reads the one row. Inside a request (security.middleware.PolicyScopeMiddleware)
the row is read once and kept for that request only; outside one (commands, the huey consumer)
every call reads it again. No copy outlives its request, so an edit takes effect at the next
request in every gunicorn worker.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

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
    policy = SecurityPolicy.objects.filter(pk=1).first()
    if policy is not None:
        return policy
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


def password_expired(user, now=None) -> bool:
    days = policy_current().password_expiry_days
    return (now or timezone.now()) >= password_set_at(user) + timedelta(days=days)


def must_change_password(user) -> bool:
    """An initial or reset password (the account's flag, kept by access): to be changed before anything else."""
    return bool(getattr(getattr(user, "account", None), "must_change_password", False))


class ChangeReason:
    MUST_CHANGE = "must_change"
    EXPIRED = "expired"


def password_change_reason(user) -> str | None:
    """Why the user must change their password before doing anything else, or None."""
    if must_change_password(user):
        return ChangeReason.MUST_CHANGE
    if getattr(user, "has_usable_password", lambda: False)() and password_expired(user):
        return ChangeReason.EXPIRED
    return None


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
