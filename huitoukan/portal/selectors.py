"""What the home page shows each user: what is waiting for them, by role."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from huitoukan.access import policy
from huitoukan.access.models import RoleAssignment
from huitoukan.access.policy import Perm
from huitoukan.audit.models import SecurityEvent
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.orgs.models import Unit


@dataclass
class HomePanels:
    assignments: list = field(default_factory=list)
    scope_units: list = field(default_factory=list)
    units_below: int = 0
    deadlines: list = field(default_factory=list)
    campaigns: list = field(default_factory=list)
    recent_grants: list = field(default_factory=list)
    recent_unit_changes: list = field(default_factory=list)
    recent_security_events: list = field(default_factory=list)


def home_panels(*, user) -> HomePanels:
    panels = HomePanels()
    panels.assignments = list(
        RoleAssignment.objects.filter(user=user).select_related("unit", "supervision_group", "person")
    )
    if policy.has_perm_somewhere(user, Perm.UNIT_VIEW):
        panels.scope_units = list(policy.top_units(user, Perm.UNIT_VIEW))
        panels.units_below = Unit.objects.filter(policy.units_q(user, Perm.UNIT_VIEW)).count()
    if policy.has_perm_somewhere(user, Perm.CAMPAIGN_VIEW):
        today = timezone.localdate()
        panels.deadlines = campaign_selectors.deadlines_for_user(user=user, today=today)
        panels.campaigns = [
            (c, campaign_selectors.current_phase(c, today))
            for c in campaign_selectors.campaigns_visible_to(user=user).prefetch_related("phases")[:10]
        ]
    if policy.has_perm_somewhere(user, Perm.ROLE_GRANT):
        panels.recent_grants = list(
            RoleAssignment.objects.filter(policy.units_q(user, Perm.ROLE_GRANT, "unit__path"))
            .select_related("user", "unit", "supervision_group")
            .order_by("-granted_at")[:10]
        )
    if policy.has_perm_somewhere(user, Perm.UNIT_MANAGE):
        panels.recent_unit_changes = list(
            Unit.history.filter(policy.units_q(user, Perm.UNIT_MANAGE)).select_related("history_user")
            .order_by("-history_date")[:10]
        )
    if policy.has_perm_somewhere(user, Perm.AUDIT_VIEW):
        panels.recent_security_events = list(SecurityEvent.objects.order_by("-id")[:10])
    return panels
