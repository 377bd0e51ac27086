"""Login lockout that an attacker cannot turn against the users.

django-axes records every failed sign-in (page and API) as an attempt of (account, address). This
handler reads them in two tiers, never by address alone, so a flood from one address, or from an
office's shared NAT address, locks nothing but the account it guesses at, from that address:

- an account from one address is locked after `AXES_FAILURE_LIMIT` failures (5);
- an account from every address after `LOGIN_ACCOUNT_FAILURE_LIMIT` (20), the slower tier
  against guessing spread over many addresses.

A lock lasts `AXES_COOLOFF_TIME` from the failure that set it: attempts refused while locked are
not recorded (`AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False`), so knocking on a locked
account does not keep it locked. The login page asks for a captcha once the account has
`LOGIN_CAPTCHA_AFTER` recent failures (access.forms), and the 安全管理员 lifts a lock with
`huitoukan unlock` (services.account_unlock).
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def _recent(username: str, since) -> QuerySet[AccessAttempt]:
    return AccessAttempt.objects.filter(username=username, attempt_time__gte=since)


class TieredLockoutHandler(AxesDatabaseHandler):
    """axes' database handler, counting per (account, address) and per account."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        # axes compares this one number with AXES_FAILURE_LIMIT (locked when >=), so an account
        # past its own, higher limit reads as a pair at the pair's limit.
        recent = _recent(get_client_username(request, credentials), get_cool_off_threshold(request))
        from_here = _failures(recent.filter(ip_address=request.axes_ip_address))
        if _failures(recent) >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT:
            return max(from_here, settings.AXES_FAILURE_LIMIT)
        return from_here


def account_failures(username: str) -> int:
    """The account's failed sign-ins from every address within the cool-off time."""
    if not username:
        return 0
    return _failures(_recent(username, timezone.now() - settings.AXES_COOLOFF_TIME))


def captcha_needed(username: str) -> bool:
    return account_failures(username) >= settings.LOGIN_CAPTCHA_AFTER
