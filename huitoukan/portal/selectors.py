"""What the home page shows each user: what is waiting for them, by role."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Window
from django.utils import timezone

from huitoukan.access import policy
from huitoukan.access.models import RoleAssignment
from huitoukan.access.policy import Perm
from huitoukan.audit.models import SecurityEvent
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.core.lights import LIGHT_LABELS
from huitoukan.ledgers import selectors as ledger_selectors
from huitoukan.ledgers.models import ItemStatus
from huitoukan.orgs import selectors as org_selectors
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
    # 待办: closings to verify, the items the user leads (with lights), overdue items in scope.
    pending_closings: list = field(default_factory=list)
    pending_closings_total: int = 0
    led_items: list = field(default_factory=list)
    led_items_total: int = 0
    overdue_items: int | None = None

    @property
    def has_todo(self) -> bool:
        return bool(self.pending_closings or self.led_items or self.overdue_items is not None)


TODO_ROWS = 8


def _first_rows(queryset) -> tuple[list, int]:
    """The first TODO_ROWS rows and how many there are in all, in one query (a window count), so the page
    costs the same queries with 3 rows to show or 3,000."""
    rows = list(queryset.annotate(rows_in_all=Window(Count("*")))[:TODO_ROWS])
    return rows, rows[0].rows_in_all if rows else 0


def _todo(panels: HomePanels, user, today) -> None:
    if policy.has_perm_somewhere(user, Perm.CLOSE_VERIFY):
        # How many from the kept counts; the first rows walk the waiting requests oldest first (an index)
        # until enough are in scope: a province's thousands are neither counted nor sorted per request.
        panels.pending_closings_total = ledger_selectors.pending_closings_count_for(user=user)
        panels.pending_closings = ledger_selectors.pending_closings_oldest(
            user=user, count=panels.pending_closings_total, limit=TODO_ROWS)
    if policy.persons_of(user):
        led = ledger_selectors.items_led_by(user=user).exclude(status=ItemStatus.CLOSED)
        panels.led_items, panels.led_items_total = _first_rows(
            led.order_by(F("due_on").asc(nulls_last=True), "ledger__unit__path", "seq"))
        for item in panels.led_items:
            item.light = ledger_selectors.item_light(item, today)
            item.light_label = LIGHT_LABELS[item.light]
    if policy.has_perm_somewhere(user, Perm.LEDGER_EDIT):
        panels.overdue_items = ledger_selectors.items_overdue_count_for(user=user, today=today)


def home_panels(*, user) -> HomePanels:
    panels = HomePanels()
    panels.assignments = policy.assignments_of(user)
    if policy.has_perm_somewhere(user, Perm.UNIT_VIEW):
        panels.scope_units = org_selectors.top_units(user, Perm.UNIT_VIEW)
        panels.units_below = org_selectors.units_in_force(panels.scope_units)
    today = timezone.localdate()
    _todo(panels, user, today)
    if policy.has_perm_somewhere(user, Perm.CAMPAIGN_VIEW):
        campaigns = campaign_selectors.campaigns_visible(user=user)
        panels.deadlines = campaign_selectors.deadlines_for_user(user=user, today=today, campaigns=campaigns)
        panels.campaigns = campaign_selectors.current_phases(campaigns[:10], today)
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
