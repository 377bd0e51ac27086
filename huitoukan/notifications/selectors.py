"""Every read of notifications: a login's own messages and settings, an office's robots."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core import sql
from huitoukan.notifications.models import ChannelPreference, Delivery, Notification, RobotHook
from huitoukan.notifications.services import email_configured


def unread_count(*, user) -> int:
    """Every page's header asks: SQL written once (core.sql), not a queryset compiled per request."""
    rows = sql.fetch(f'SELECT COUNT(*) FROM {Notification._meta.db_table} n '
                     'WHERE n."recipient_id" = %s AND n."read_at" IS NULL', [user.pk])
    return rows[0][0]


def notifications_of(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def notification_get_for(*, user, pk) -> Notification:
    """The login's own notification; anybody else's answers 404, as an absent one does."""
    found = Notification.objects.filter(pk=pk, recipient=user).first() if str(pk).isdigit() else None
    if found is None:
        raise Http404
    return found


def email_preference_of(*, user) -> bool:
    """Email on or off for the login, as it chose or by default (on when it has an address)."""
    chosen = ChannelPreference.objects.filter(user=user).values_list("email", flat=True).first()
    return bool(user.email) if chosen is None else chosen


def channels_of(*, user) -> dict:
    return {"email": email_preference_of(user=user), "email_address": user.email,
            "email_configured": email_configured(), "in_app": True}


def unit_model():
    # Through the robot's foreign key: notifications sits below orgs and imports none of it.
    return RobotHook._meta.get_field("unit").related_model


def robot_units(*, user) -> QuerySet:
    """The active units whose robots the login keeps (the 活动办's part of the tree)."""
    return unit_model().objects.filter(policy.units_q(user, Perm.CAMPAIGN_MANAGE), abolished_on__isnull=True)


def robots_visible(*, user) -> QuerySet[RobotHook]:
    return (RobotHook.objects.filter(policy.units_q(user, Perm.CAMPAIGN_MANAGE, "unit__path"))
            .select_related("unit").order_by("unit__path", "pk"))


def robot_get_for(*, user, pk, perm: Perm = Perm.CAMPAIGN_MANAGE) -> RobotHook:
    """A robot of a unit the login keeps; out of its scope 404 (as absent), in it without the right 403."""
    robot = RobotHook.objects.select_related("unit").filter(pk=pk).first() if str(pk).isdigit() else None
    if robot is None:
        raise Http404
    policy.require(user, perm, robot.unit)
    return robot


def robot_deliveries(*, robot: RobotHook, limit: int = 10) -> list[Delivery]:
    return list(robot.deliveries.order_by("-created_at", "-pk")[:limit])
