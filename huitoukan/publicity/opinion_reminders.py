"""Answer deadline reminders of 群众意见, and the daily job that sends them.

An opinion still 待办理 reminds its unit's office (活动办) from REMIND_DAYS_BEFORE days before its answer
deadline, and its unit head (主要负责同志) once the deadline has passed. Each (opinion, step) reaches each person
once: the notification's key names both, so a second run the same day, or the next day, sends nothing new.
A re-routed opinion reminds the unit that handles it now (the key names the unit too).

The head's reminder names the opinion's number and kind, never its subject: a report may be about the head.
The daily run is a durable job (huitoukan.jobs), started by huey (publicity/tasks.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from huitoukan.access.models import Role
from huitoukan.access.policy import Perm
from huitoukan.core.dates import chinese_date
from huitoukan.jobs.registry import JobOutcome, job_kind
from huitoukan.jobs.services import job_start
from huitoukan.notifications import services as notifications
from huitoukan.publicity.models import Opinion, OpinionState
from huitoukan.publicity.opinion_selectors import nearest_logins

REMINDERS = "publicity.opinion-reminders"
REMIND_DAYS_BEFORE = 3
SOON, OVERDUE = "due-soon", "overdue"


def step_of(due_on: dt.date, today: dt.date) -> str | None:
    """Which reminder an opinion waiting for its answer is at today: due soon, overdue, or none yet."""
    if today > due_on:
        return OVERDUE
    if today >= due_on - dt.timedelta(days=REMIND_DAYS_BEFORE):
        return SOON
    return None




def remind(opinion: Opinion, step: str, *, today: dt.date) -> int:
    """Send the step's reminder of one opinion (each person once); how many were made now."""
    key = f"opinion:{opinion.pk}:{step}:{opinion.unit_id}"
    due = chinese_date(opinion.answer_due_on)
    if step == SOON:
        left = (opinion.answer_due_on - today).days
        made = notifications.notify(
            recipients=nearest_logins(opinion.unit, Role.CAMPAIGN_OFFICE), key=key,
            title=_("【群众意见待答复】%(number)s %(subject)s") % {"number": opinion.number, "subject": opinion.subject},
            body=_("群众%(kind)s%(number)s应于%(due)s前答复（还有%(n)s天）。") % {
                "kind": opinion.get_kind_display(), "number": opinion.number, "due": due, "n": left},
            link=f"/publicity/opinions/{opinion.pk}/", unit=opinion.unit, perm=Perm.OPINION_VIEW, kind="opinion")
    else:
        late = (today - opinion.answer_due_on).days
        made = notifications.notify(
            recipients=nearest_logins(opinion.unit, Role.UNIT_HEAD), key=key,
            title=_("【群众意见逾期未答复】%(number)s") % {"number": opinion.number},
            body=_("本单位收到的群众%(kind)s%(number)s答复时限为%(due)s，已逾期%(n)s天未答复，请督促活动办办理。") % {
                "kind": opinion.get_kind_display(), "number": opinion.number, "due": due, "n": late},
            unit=opinion.unit, perm=Perm.WORK_VIEW, kind="opinion")
    return len(made)


@dataclass
class Reminded:
    soon: int = 0  # opinions at the due-soon step in this run
    overdue: int = 0
    notifications: int = 0


def reminders_run_now(*, today: dt.date | None = None) -> Reminded:
    today = today or timezone.localdate()
    done = Reminded()
    waiting = (Opinion.objects.filter(state=OpinionState.RECEIVED,
                                      answer_due_on__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE))
               .select_related("unit").order_by("pk"))
    for opinion in waiting.iterator(chunk_size=500):
        step = step_of(opinion.answer_due_on, today)
        if step is None:
            continue
        made = remind(opinion, step, today=today)
        done.notifications += made
        if made:
            if step == SOON:
                done.soon += 1
            else:
                done.overdue += 1
    return done


def reminders_start(*, today: dt.date | None = None, queue: bool = True):
    """The day's run as a durable job: huey carries only its id; a dead worker's run is picked up again."""
    today = today or timezone.localdate()
    return job_start(kind=REMINDERS, title=_("群众意见答复提醒（%(day)s）") % {"day": today.isoformat()},
                     params={"today": today.isoformat()}, requester=None, queue=queue)


@job_kind(REMINDERS)
def reminders_job(context) -> JobOutcome:
    today = dt.date.fromisoformat(context.params["today"])
    context.progress(0, 1, _("群众意见答复提醒"))
    done = reminders_run_now(today=today)
    context.progress(1, 1, _("完成"))
    return JobOutcome(rows=done.notifications, summary=_(
        "临近时限 %(s)s 件，逾期 %(o)s 件，共 %(n)s 条提醒。") % {"s": done.soon, "o": done.overdue,
                                                        "n": done.notifications})
