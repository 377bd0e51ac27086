"""Login lockout that an attacker cannot turn against the users.

django-axes records every failed sign-in (page and API) as an attempt of (account, address). This
handler reads them in two tiers, never by address alone, so a flood from one address, or from an
office's shared NAT address, locks nothing but the account it guesses at, from that address:

- an account from one address is locked after the policy's `lockout_failures` (5);
- an account from every address after its `lockout_account_failures` (20), the slower tier
  against guessing spread over many addresses.

A lock lasts the policy's `lockout_minutes` from the failure that set it: attempts refused while locked are
not recorded (`AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False`), so knocking on a locked
account does not keep it locked. The login page asks for a captcha once the account has
`LOGIN_CAPTCHA_AFTER` recent failures (access.forms), and the 安全管理员 lifts a lock with
`huitoukan unlock` or the 安全管理员's console (services.account_unlock).

The numbers are the security policy's (huitoukan.security, edited by the 安全管理员), read afresh
by every request: axes reads them through `failure_limit` and `cool_off` (settings.AXES_FAILURE_LIMIT
and AXES_COOLOFF_TIME name these functions).
"""

from __future__ import annotations

from dataclasses import dataclass

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone

from huitoukan.security.selectors import lockout_duration, policy_current


def failure_limit(request=None, credentials=None) -> int:
    """Failures of an account from one address that lock it (axes' AXES_FAILURE_LIMIT)."""
    return policy_current().lockout_failures


def cool_off(request=None):
    """How long a lock lasts (axes' AXES_COOLOFF_TIME)."""
    return lockout_duration()


class PolicyNumber:
    """A number of the policy for a template, read when it is shown (the login page's warning)."""

    def __init__(self, read):
        self.read = read

    def __str__(self) -> str:
        return str(self.read())


SHOWN_FAILURE_LIMIT = PolicyNumber(failure_limit)
SHOWN_LOCKOUT_MINUTES = PolicyNumber(lambda: policy_current().lockout_minutes)


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def _recent(username: str, since) -> QuerySet[AccessAttempt]:
    return AccessAttempt.objects.filter(username=username, attempt_time__gte=since)


class TieredLockoutHandler(AxesDatabaseHandler):
    """axes' database handler, counting per (account, address) and per account."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        # axes compares this one number with AXES_FAILURE_LIMIT (locked when >=), so an account
        # past its own, higher limit reads as a pair at the pair's limit.
        policy = policy_current()
        recent = _recent(get_client_username(request, credentials), get_cool_off_threshold(request))
        from_here = _failures(recent.filter(ip_address=request.axes_ip_address))
        if _failures(recent) >= policy.lockout_account_failures:
            return max(from_here, policy.lockout_failures)
        return from_here


def account_failures(username: str) -> int:
    """The account's failed sign-ins from every address within the cool-off time."""
    if not username:
        return 0
    return _failures(_recent(username, timezone.now() - lockout_duration()))


def captcha_needed(username: str) -> bool:
    return account_failures(username) >= settings.LOGIN_CAPTCHA_AFTER


@dataclass
class LockedAccount:
    username: str
    failures: int  # from every address, within the lock's duration
    addresses: list[str]  # the addresses it is locked from; empty: from every address
    last_failure: object
    until: object


def locked_accounts() -> list[LockedAccount]:
    """The accounts locked now, by either tier, latest failure first."""
    policy = policy_current()
    duration = lockout_duration()
    attempts = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - duration).exclude(username=None)
    by_user: dict[str, list[AccessAttempt]] = {}
    for attempt in attempts.order_by("username", "ip_address"):
        by_user.setdefault(attempt.username, []).append(attempt)
    locked = []
    for username, rows in by_user.items():
        total = sum(r.failures_since_start for r in rows)
        everywhere = total >= policy.lockout_account_failures
        addresses = [r.ip_address or "" for r in rows if r.failures_since_start >= policy.lockout_failures]
        if not everywhere and not addresses:
            continue
        last = max(r.attempt_time for r in rows)
        locked.append(LockedAccount(username=username, failures=total, addresses=[] if everywhere else addresses,
                                    last_failure=last, until=last + duration))
    return sorted(locked, key=lambda a: a.last_failure, reverse=True)
