"""Reading the security log: the 审计管理员's filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from huitoukan.audit.models import OUTCOME_OF_KIND, SecurityEvent, kinds_with_outcome

# Detail keys that name a unit by its full path (denials, grants, exports of a subtree or a roll-up).
UNIT_DETAIL_KEYS = ("unit", "root")


@dataclass(frozen=True)
class LogFilter:
    since: dt.date | None = None  # from the start of this day (the server's time zone)
    until: dt.date | None = None  # to the end of this day
    username: str = ""  # the login, as written at the time
    kind: str = ""
    outcome: str = ""  # allowed / denied / failed, derived from the kind
    # A unit: the events naming it or a unit under it, and the events of `unit_users`.
    unit_full_name: str = ""
    unit_users: tuple[QuerySet, ...] = ()  # querysets of the ids of the logins of the unit's subtree


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def security_events(filters: LogFilter) -> QuerySet[SecurityEvent]:
    """The log's rows that pass the filters, newest first."""
    events = SecurityEvent.objects.select_related("user__person").order_by("-id")
    if filters.since is not None:
        events = events.filter(at__gte=_start_of(filters.since))
    if filters.until is not None:
        events = events.filter(at__lt=_start_of(filters.until + dt.timedelta(days=1)))
    if filters.username:
        events = events.filter(Q(username=filters.username) | Q(user__username=filters.username))
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.outcome:
        events = events.filter(kind__in=kinds_with_outcome(filters.outcome))
    if filters.unit_full_name:
        name = filters.unit_full_name
        about = Q()
        for key in UNIT_DETAIL_KEYS:
            about |= Q(**{f"detail__{key}": name}) | Q(**{f"detail__{key}__startswith": name + "/"})
        for users in filters.unit_users:
            about |= Q(user_id__in=users)
        events = events.filter(about)
    return events


def event_outcome(kind: str) -> str:
    """The outcome of an event's kind (allowed / denied / failed)."""
    return str(OUTCOME_OF_KIND.get(kind, ""))
