"""Every write of notifications: notify people and offices' robots, deliver, mark read, settings, robots.

`notify` is what other apps call (reminders, returns, approvals). It writes the in-app
notifications at once and queues their emails; the sends run after the commit, through huey,
which carries only a delivery's id. A send is claimed with a conditional UPDATE (queued or
failed and due → sending), so two workers, or a task run twice, never send the same row twice;
a failed send is retried with a growing pause, MAX_ATTEMPTS times in all.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from huitoukan.access import policy
from huitoukan.access.models import ADMIN_ROLES
from huitoukan.access.policy import Perm
from huitoukan.notifications import webhooks
from huitoukan.notifications.errors import NotificationError, NotificationErrorCode
from huitoukan.notifications.models import (
    Channel,
    ChannelPreference,
    Delivery,
    DeliveryState,
    Notification,
    RobotHook,
    RobotKind,
)

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF_SECONDS = 60  # after the n-th failure, wait BACKOFF_SECONDS * 2**(n-1)
STALE_SECONDS = 300  # a row "sending" for longer: its worker died
DUE_BATCH = 500


# --- who may be notified -------------------------------------------------------------------------


def may_be_notified(user, *, unit=None, perm: Perm | None = None) -> bool:
    """Never the 三员 (nor any administrator's login), never an inactive login, and with `unit`
    and `perm`, never a login outside the object's scope."""
    if not user.is_active:
        return False
    if policy.is_admin_account(user) or policy.roles_of(user) & ADMIN_ROLES:
        return False
    return unit is None or policy.can(user, perm, unit)


def email_configured() -> bool:
    return bool(settings.EMAIL_HOST)


def _email_wanted(users: list) -> dict[int, bool]:
    """Per login: is an email to be sent? Without a preference row: yes when it has an address."""
    if not email_configured():
        return {}
    chosen = dict(ChannelPreference.objects.filter(user_id__in=[u.pk for u in users]).values_list("user_id", "email"))
    return {u.pk: bool(u.email) and chosen.get(u.pk, True) for u in users}


# --- notify ---------------------------------------------------------------------------------------


def notify(*, recipients: Iterable, key: str, title: str, body: str = "", link: str = "", unit=None,
           perm: Perm | None = None, kind: str = "") -> list[Notification]:
    """Notify each recipient once for `key`: in the app, and by email where they chose it.

    Returns the notifications made now; a recipient already notified for `key` is skipped (safe
    under concurrency: the unique (recipient, key) decides). `unit` and `perm` go together: a
    recipient without `perm` over `unit` is never notified of it. Emails leave after the commit.
    """
    if (unit is None) != (perm is None):
        raise ValueError("notify: unit and perm go together")
    if link and not _site_relative(link):
        raise ValueError(f"notify: the link must be a path of this site, not {link!r}")
    title = " ".join(title.split())  # one line: it is also an email's subject
    people = list({u.pk: u for u in recipients}.values())
    allowed = [u for u in people if may_be_notified(u, unit=unit, perm=perm)]
    if not allowed:
        return []
    kind = kind or key.split(":", 1)[0][:40]
    made: list[Notification] = []
    with transaction.atomic():
        already = _already_notified(key, allowed)
        for user in allowed:
            if user.pk in already:
                continue
            try:
                with transaction.atomic():
                    made.append(Notification.objects.create(recipient=user, kind=kind, title=title[:200], body=body,
                                                            link=link[:500], key=key[:200]))
            except IntegrityError:  # made meanwhile by a concurrent call
                continue
        wanted = _email_wanted([n.recipient for n in made])
        emails = Delivery.objects.bulk_create([
            Delivery(channel=Channel.EMAIL, notification=n, key=n.key, address=n.recipient.email, title=n.title,
                     text=n.body, link=n.link)
            for n in made if wanted.get(n.recipient_id)])
        _queue([d.pk for d in emails])
    return made


def _site_relative(link: str) -> bool:
    # Drawn as <a href>: never another site, nor a javascript: or data: address.
    return link.startswith("/") and not link.startswith("//") and "\\" not in link


def _already_notified(key: str, users: list) -> set[int]:
    """Who has `key` already: most repeats are skipped without a failed insert each."""
    return set(Notification.objects.filter(key=key, recipient__in=[u.pk for u in users])
               .values_list("recipient_id", flat=True))


def notify_unit_robots(*, unit_id: int, key: str, title: str, text: str, link: str = "") -> list[Delivery]:
    """Post to the unit's active group robots, at most once per (robot, key), after the commit."""
    if link and not _site_relative(link):
        raise ValueError(f"notify_unit_robots: the link must be a path of this site, not {link!r}")
    made = []
    with transaction.atomic():
        for robot in RobotHook.objects.filter(unit_id=unit_id, is_active=True).order_by("pk"):
            made += _robot_delivery(robot, key=key, title=title, text=text, link=link)
        _queue([d.pk for d in made])
    return made


def _robot_delivery(robot: RobotHook, *, key: str, title: str, text: str, link: str) -> list[Delivery]:
    try:
        with transaction.atomic():
            return [Delivery.objects.create(channel=robot.kind, robot=robot, key=key[:200], title=title[:200],
                                            text=text, link=link[:500])]
    except IntegrityError:  # this robot already has this key
        return []


def _queue(pks: list[int]) -> None:
    if pks:
        transaction.on_commit(lambda: _enqueue(pks))


def _enqueue(pks: list[int]) -> None:
    # Imported here: the task module imports this one.
    from huitoukan.notifications.tasks import deliver

    for pk in pks:
        deliver(pk)


# --- delivering -----------------------------------------------------------------------------------


def absolute_link(link: str) -> str:
    """A site-relative link as a message outside the site needs it (HUITOUKAN_SITE_URL before it)."""
    if not link or "://" in link:
        return link
    return settings.SITE_URL.rstrip("/") + link if settings.SITE_URL else link


def _send_email(delivery: Delivery) -> None:
    if not delivery.address:
        raise webhooks.WebhookFailed(_("该用户没有邮件地址"))
    link = absolute_link(delivery.link)
    body = "\n\n".join(part for part in (delivery.text, link) if part)
    message = EmailMessage(subject=_("【回头看】%(title)s") % {"title": delivery.title}, body=body,
                           from_email=settings.DEFAULT_FROM_EMAIL, to=[delivery.address],
                           connection=get_connection(fail_silently=False))
    message.send()


def _send(delivery: Delivery) -> None:
    if delivery.channel == Channel.EMAIL:
        _send_email(delivery)
        return
    robot = delivery.robot
    webhooks.robot_post(kind=robot.kind, url=robot.url, secret=robot.secret, title=delivery.title,
                        text=delivery.text, link=absolute_link(delivery.link))


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=BACKOFF_SECONDS * 2 ** max(0, attempts - 1))


def delivery_send(pk: int, *, now: dt.datetime | None = None) -> Delivery | None:
    """Send one delivery if it is due and nobody holds it; a sent one is never sent again.

    Errors are kept on the row (never raised): a failed send waits `backoff` and is tried again
    by `deliveries_retry`, until MAX_ATTEMPTS.
    """
    now = now or timezone.now()
    claimed = Delivery.objects.filter(
        pk=pk, state__in=[DeliveryState.QUEUED, DeliveryState.FAILED], next_attempt_at__lte=now,
    ).update(state=DeliveryState.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    delivery = Delivery.objects.select_related("robot").filter(pk=pk).first()
    if not claimed or delivery is None:
        return delivery
    mine = Delivery.objects.filter(pk=pk, state=DeliveryState.SENDING, claimed_at=now)
    try:
        _send(delivery)
    except Exception as e:  # any failure of the far side is the row's to keep, not the caller's
        logger.warning("delivery %s (%s) failed: %s", pk, delivery.channel, e)
        retry_at = now + backoff(delivery.attempts) if delivery.attempts < MAX_ATTEMPTS else None
        mine.update(state=DeliveryState.FAILED, last_error=(str(e) or type(e).__name__)[:2000],
                    next_attempt_at=retry_at, claimed_at=None)
    else:
        mine.update(state=DeliveryState.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error="",
                    claimed_at=None)
    return Delivery.objects.select_related("robot").get(pk=pk)


def deliveries_retry(*, now: dt.datetime | None = None) -> int:
    """Queue again what is due: failed sends whose pause is over, queued ones whose message was lost,
    and sends whose worker died (taken as failed). Run every minute; returns how many were queued."""
    now = now or timezone.now()
    stale = Delivery.objects.filter(state=DeliveryState.SENDING,
                                    claimed_at__lt=now - dt.timedelta(seconds=STALE_SECONDS))
    stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        state=DeliveryState.FAILED, next_attempt_at=None, claimed_at=None, last_error=_("发送中断"))
    stale.update(state=DeliveryState.FAILED, next_attempt_at=now, claimed_at=None, last_error=_("发送中断，将重试"))
    due = list(Delivery.objects.filter(state__in=[DeliveryState.QUEUED, DeliveryState.FAILED],
                                       next_attempt_at__lte=now)
               .order_by("next_attempt_at").values_list("pk", flat=True)[:DUE_BATCH])
    _queue(due)
    return len(due)


# --- reading --------------------------------------------------------------------------------------


def notification_read(*, actor, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise policy.Denied(Perm.WORK_VIEW)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_read_all(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


# --- settings and robots --------------------------------------------------------------------------


@transaction.atomic
def channel_preference_set(*, actor, email: bool) -> ChannelPreference:
    """The login's own channels (only its own: nobody chooses for another)."""
    preference, _created = ChannelPreference.objects.get_or_create(user=actor, defaults={"email": email})
    if preference.email != email or _created:
        preference.email = email
        preference._history_user = actor
        preference.save()
    return preference


def _check_robot(*, kind: str, url: str, secret: str) -> None:
    if not url.lower().startswith(("https://", "http://")):
        raise NotificationError(NotificationErrorCode.ROBOT_URL_SCHEME)
    if not webhooks.robot_host_allowed(url):
        raise NotificationError(NotificationErrorCode.ROBOT_HOST_NOT_ALLOWED, host=urlsplit(url).hostname or "",
                                allowed="、".join(settings.NOTIFICATION_ROBOT_HOSTS))
    if kind == RobotKind.WECOM and secret:
        raise NotificationError(NotificationErrorCode.ROBOT_SECRET_WECOM)


@transaction.atomic
def robot_create(*, actor, unit, name: str, kind: str, url: str, secret: str = "", is_active: bool = True) -> RobotHook:
    policy.require(actor, Perm.CAMPAIGN_MANAGE, unit)
    _check_robot(kind=kind, url=url, secret=secret)
    robot = RobotHook(unit=unit, name=name, kind=kind, url=url, secret=secret, is_active=is_active)
    robot._history_user = actor
    robot.save()
    return robot


@transaction.atomic
def robot_update(*, actor, robot: RobotHook, name: str, kind: str, url: str, secret: str | None,
                 is_active: bool) -> RobotHook:
    """`secret` None keeps the one set (a form never shows it back); "" removes it."""
    policy.require(actor, Perm.CAMPAIGN_MANAGE, robot.unit)
    if kind == RobotKind.WECOM and secret is None:  # a WeCom robot has no secret: drop a DingTalk one
        secret = ""
    secret = robot.secret if secret is None else secret
    _check_robot(kind=kind, url=url, secret=secret)
    robot.name, robot.kind, robot.url, robot.secret, robot.is_active = name, kind, url, secret, is_active
    robot._history_user = actor
    robot.save()
    return robot


def robot_test(*, actor, robot: RobotHook) -> Delivery:
    """A test message through the same path as every robot message (a delivery, sent after the commit)."""
    policy.require(actor, Perm.CAMPAIGN_MANAGE, robot.unit)
    if not robot.is_active:
        raise NotificationError(NotificationErrorCode.ROBOT_INACTIVE, name=robot.name)
    who = policy.own_person(actor)
    with transaction.atomic():
        [delivery] = _robot_delivery(
            robot, key=f"test:{secrets.token_hex(8)}", title=_("测试消息"),
            text=_("这是回头看系统发给“%(name)s”的测试消息（%(who)s 发送）。") % {
                "name": robot.name, "who": who.name if who else actor.get_username()}, link="")
        _queue([delivery.pk])
    return delivery
