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
