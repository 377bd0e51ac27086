"""Who sees a 形式主义预警 and acts on it: the campaign office and the supervision group over the unit, the
holders of the right to record what a check finds (Perm.INSPECTION_RECORD), never anybody else.

A flag is a suspicion about a unit's work, not yet a finding: to a login without the right over its unit it is
absent (404), whatever else that login may read of the unit; the public site never shows it.
"""

from __future__ import annotations

from django.db.models import Q

from huitoukan.access import policy
from huitoukan.access.policy import Perm

PERM = Perm.INSPECTION_RECORD


def may_see(user, unit) -> bool:
    return policy.can(user, PERM, unit)


def flags_q(user) -> Q:
    return policy.units_q(user, PERM, "unit__path")


def may_name(user, unit) -> bool:
    """May the reader of a flag learn which other unit shares its file or its text? Only where the reader may
    read that unit's work (WORK_VIEW): a flag names the other units as data, never as a way into them."""
    return policy.can(user, Perm.WORK_VIEW, unit)


def require_somewhere(user) -> None:
    policy.require_somewhere(user, PERM)


def require(user, unit) -> None:
    """404 to whoever lacks the right over the flag's unit, like an absent flag."""
    if not may_see(user, unit):
        raise policy.Denied(PERM, unit)
