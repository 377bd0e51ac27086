"""督办通知单 colour stages and their escalation (蓝 → 黄 → 红), and the daily job that raises them.

A notice waiting on the addressed unit (待答复 or 已退回) takes the colour `colours.colour_of` gives its answer
deadline today, by the thresholds of the issuing unit's `NoticeOffice`; the kept colour is only ever raised
(a new deadline given on a return is the one exception, `services.notice_return`). An answered notice keeps
its colour while the issuer decides; a closed one keeps its last colour for the record.

Turning 黄 notifies the addressed unit's head (主要负责同志) and its office (活动办); turning 红 notifies them
and the issuing unit's head and the login that issued it. Each (notice, stage) notifies each person once: the
notification's key names both. The daily run is a durable job (huitoukan.jobs), started by huey (tasks.py)
or by `huitoukan notices-escalate`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huitoukan.access.models import Role, RoleAssignment
from huitoukan.access.policy import Perm
from huitoukan.core.dates import chinese_date
from huitoukan.jobs.registry import JobOutcome, job_kind
from huitoukan.jobs.services import job_start
from huitoukan.notices.colours import colour_of
from huitoukan.notices.models import (
    COLOUR_RANK,
    DEFAULT_RED_AFTER_DAYS,
    DEFAULT_YELLOW_AFTER_DAYS,
    ESCALATING,
    Colour,
    Notice,
    NoticeOffice,
    NoticeState,
)
from huitoukan.notifications import services as notifications
from huitoukan.orgs import totals as unit_totals

ESCALATION = "notices.escalation"
NOTICES_TOPIC = "notice"  # the notices' kept counts (orgs.WorkTally): open ones by colour, and "closed"
CLOSED_KEY = "closed"


def tally_key(state: str | None, colour: str | None) -> str | None:
    if state is None:
        return None
    return CLOSED_KEY if state == NoticeState.CLOSED else colour


def counted_save(notice: Notice, **kwargs) -> None:
    """Save the notice and move it in the kept counts under its unit (a new notice, a colour raised, a close):
    every save of a notice goes through here."""
    before = None
    if notice.pk is not None:
        before = tally_key(*(Notice.objects.filter(pk=notice.pk).values_list("state", "colour").first()
                             or (None, None)))
    notice.save(**kwargs)
    unit_totals.work_counted(notice.addressed_unit, topic=NOTICES_TOPIC, before=before,
                             after=tally_key(notice.state, notice.colour))


def thresholds_of(unit_id: int) -> tuple[int, int]:
    """(yellow_after_days, red_after_days) of an issuing unit: its NoticeOffice's, or the defaults."""
    row = NoticeOffice.objects.filter(unit_id=unit_id).values_list("yellow_after_days", "red_after_days").first()
    return row or (DEFAULT_YELLOW_AFTER_DAYS, DEFAULT_RED_AFTER_DAYS)


def colour_due(notice: Notice, *, today: dt.date, thresholds: tuple[int, int] | None = None) -> Colour:
    """The colour the notice's deadline gives today (whatever its state)."""
    yellow, red = thresholds or thresholds_of(notice.issuing_unit_id)
    return colour_of(due_on=notice.answer_due_on, today=today, yellow_after_days=yellow, red_after_days=red)


def colour_raise(notice: Notice, *, today: dt.date, thresholds: tuple[int, int] | None = None) -> Colour | None:
    """Raise the kept colour of an escalating notice to what its deadline gives today (not saved): the new
    colour when it rose, else None."""
    if notice.state not in ESCALATING:
        return None
    due = colour_due(notice, today=today, thresholds=thresholds)
    if COLOUR_RANK[due] <= COLOUR_RANK[Colour(notice.colour)]:
        return None
    notice.colour = due
    return due


def _logins_at(unit_ids, roles) -> list:
    return [a.user for a in RoleAssignment.objects.filter(unit_id__in=unit_ids, role__in=roles).select_related("user")]


def recipients_of(notice: Notice, colour: str) -> list:
    """黄: the addressed unit's head and office; 红: those, the issuing unit's head and the issuer."""
    people = _logins_at([notice.addressed_unit_id], [Role.UNIT_HEAD, Role.CAMPAIGN_OFFICE])
    if colour == Colour.RED:
        people += _logins_at([notice.issuing_unit_id], [Role.UNIT_HEAD])
        people.append(notice.issued_by)
    return list({u.pk: u for u in people}.values())


def escalate(notice: Notice, colour: str, *, today: dt.date) -> int:
    """Notify the stage's people of the notice turning `colour` (once per person and stage); how many."""
    if colour == Colour.BLUE:
        return 0
    overdue = (today - notice.answer_due_on).days
    label = Colour(colour).label
    title = _("【督办%(colour)s】%(number)s已逾期%(n)s天") % {"colour": label, "number": notice.number, "n": overdue}
    body = _("%(issuer)s%(number)s《%(title)s》主送%(unit)s，答复期限%(due)s，已逾期%(n)s天，督办等级升为%(colour)s。") % {
        "issuer": notice.issuer_name, "number": notice.number, "title": notice.title,
        "unit": notice.addressed_unit.name, "due": chinese_date(notice.answer_due_on), "n": overdue, "colour": label}
    key, link = f"notice:{notice.pk}:colour:{colour}", f"/notices/{notice.pk}/"
    made = notifications.notify(recipients=recipients_of(notice, colour), key=key, title=title, body=body, link=link,
                                unit=notice.addressed_unit, perm=Perm.WORK_VIEW, kind="notice")
    if made:  # the addressed unit's group robots too, once per stage
        notifications.notify_unit_robots(unit_id=notice.addressed_unit_id, key=key, title=title, text=body, link=link)
    return len(made)


@dataclass
class Escalated:
    yellow: int = 0  # notices that turned 黄 in this run
    red: int = 0  # notices that turned 红 in this run
    notifications: int = 0


def escalation_run_now(*, today: dt.date | None = None) -> Escalated:
    """Raise every waiting notice to its colour of `today` and notify each new stage (a second run the same
    day changes and sends nothing)."""
    today = today or timezone.localdate()
    done = Escalated()
    thresholds: dict[int, tuple[int, int]] = {}
    candidates = Notice.objects.filter(state__in=ESCALATING, answer_due_on__lt=today).exclude(
        colour=Colour.RED).values_list("pk", flat=True).order_by("pk")
    for pk in list(candidates):
        with transaction.atomic():
            notice = (Notice.objects.select_for_update(of=("self",))
                      .select_related("addressed_unit", "issuing_unit", "issued_by").get(pk=pk))
            if notice.issuing_unit_id not in thresholds:
                thresholds[notice.issuing_unit_id] = thresholds_of(notice.issuing_unit_id)
            raised = colour_raise(notice, today=today, thresholds=thresholds[notice.issuing_unit_id])
            if raised is None:
                continue
            notice._history_user = None
            notice._change_reason = _("逾期，督办等级升为%(colour)s") % {"colour": raised.label}
            counted_save(notice, update_fields=["colour"])
            done.notifications += escalate(notice, raised, today=today)
            if raised == Colour.RED:
                done.red += 1
            else:
                done.yellow += 1
    return done


def escalation_start(*, today: dt.date | None = None, queue: bool = True):
    """The day's run as a durable job: huey carries only its id; a dead worker's run is picked up again."""
    today = today or timezone.localdate()
    return job_start(kind=ESCALATION, title=_("督办通知单升级（%(day)s）") % {"day": today.isoformat()},
                     params={"today": today.isoformat()}, requester=None, queue=queue)


@job_kind(ESCALATION)
def escalation_job(context) -> JobOutcome:
    today = dt.date.fromisoformat(context.params["today"])
    context.progress(0, 1, _("督办通知单升级"))
    done = escalation_run_now(today=today)
    context.progress(1, 1, _("完成"))
    return JobOutcome(rows=done.notifications, summary=_(
        "转黄 %(y)s 件，转红 %(r)s 件，共 %(n)s 条提醒。") % {"y": done.yellow, "r": done.red, "n": done.notifications})
