"""What the plans add to other apps' pages (registered in PlansConfig.ready())."""

from __future__ import annotations

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.plans.models import Plan


def unit_plans_panel(unit, user) -> dict | None:
    """The unit page's link to the unit's plans, for readers of business data."""
    if not policy.can(user, Perm.WORK_VIEW, unit):
        return None
    return {"unit_id": unit.pk, "count": Plan.objects.filter(unit=unit).count()}
