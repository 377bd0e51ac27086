"""What the plans add to other apps' pages (registered in PlansConfig.ready())."""

from __future__ import annotations

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core import sql
from huitoukan.plans.models import Plan


def unit_plans_panel(unit, user) -> dict | None:
    """The unit page's link to the unit's plans, for readers of business data."""
    if not policy.can(user, Perm.WORK_VIEW, unit):
        return None
    # An SQL string: on every unit page, where compiling the ORM's query cost more than running it.
    count = sql.fetch(f"SELECT COUNT(*) FROM {Plan._meta.db_table} WHERE unit_id = %s", [unit.pk])[0][0]
    return {"unit_id": unit.pk, "count": count}
