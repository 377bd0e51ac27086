"""催办: reminders of reporting deadlines and of items' deadlines (整改时限), step by step.

A step ({"days": N, "to": [...]}) is reached N days from the due date (N < 0 before it). Each run sends, for
every object, the latest step it has reached, to the step's recipients at the object's unit, at most once
per (recipient, object, step): the notification's key says which. A step before the due date stops once the
date has passed, and a step is not sent more than WINDOW days late (a run missed for a week does not flood
anyone with stale reminders). A deadline reminds only the units that still owe the report (not submitted, or
returned); an item only while it is open. Notifications never reach the 三员 nor anyone who cannot read
the unit (notifications.services.notify). The run is a durable job (huitoukan.jobs): a row per day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from huitoukan.access.models import Role, RoleAssignment
from huitoukan.access.policy import Perm
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.campaigns.models import Deadline, ReminderRecipient
from huitoukan.core.dates import chinese_date
from huitoukan.jobs.registry import JobOutcome, job_kind
from huitoukan.jobs.services import job_start
from huitoukan.ledgers.models import OPEN_STATUSES, DeadlineMode, Item
from huitoukan.notifications import services as notifications
from huitoukan.orgs.models import Person
from huitoukan.reviews.models import ReportState, Submission

WINDOW = 7  # days a reached step may still be sent late
REMINDERS = "reviews.reminders"
R = ReminderRecipient
ROLE_OF = {R.OFFICE: Role.CAMPAIGN_OFFICE, R.UNIT_HEAD: Role.UNIT_HEAD, R.DEPUTY_LEADER: Role.RESPONSIBLE_LEADER,
           R.RESPONSIBLE_LEADER: Role.RESPONSIBLE_LEADER}


def reached_step(steps: list[dict], due_on: dt.date, today: dt.date) -> dict | None:
    """The latest step reached by `today`, if it is still to be sent: not a before-the-date step once the
    date has passed, not one reached more than WINDOW days ago."""
    reached = [s for s in steps if due_on + dt.timedelta(days=int(s["days"])) <= today]
    if not reached:
        return None
    step = max(reached, key=lambda s: int(s["days"]))
    if int(step["days"]) <= 0 and today > due_on:
        return None
    if today - (due_on + dt.timedelta(days=int(step["days"]))) > dt.timedelta(days=WINDOW):
        return None
    return step


def _when(due_on: dt.date, today: dt.date) -> str:
    left = (due_on - today).days
    if left > 0:
        return _("将于%(date)s截止（还有%(n)s天）") % {"date": chinese_date(due_on), "n": left}
    if left == 0:
        return _("今天截止")
    return _("已逾期%(n)s天（截止%(date)s）") % {"n": -left, "date": chinese_date(due_on)}


def _logins_by_unit_role(unit_ids) -> dict[tuple[int, str], list]:
    found: dict[tuple[int, str], list] = defaultdict(list)
    for a in (RoleAssignment.objects.filter(unit_id__in=set(unit_ids), role__in=set(ROLE_OF.values()))
              .select_related("user")):
        found[a.unit_id, a.role].append(a.user)
    return found


def _logins_of_people(person_ids) -> dict[int, list]:
    """Each person's logins: their own, and those granted to act as them."""
    person_ids = set(person_ids)
    found: dict[int, list] = defaultdict(list)
    for person in Person.objects.filter(pk__in=person_ids, user__isnull=False).select_related("user"):
        found[person.pk].append(person.user)
    for a in RoleAssignment.objects.filter(person_id__in=person_ids).select_related("user"):
        found[a.person_id].append(a.user)
    return found


@dataclass
class Sent:
    deadlines: int = 0  # (unit, step) reminders of reporting deadlines
    items: int = 0  # (item, step) reminders of 整改时限
    notifications: int = 0  # notifications made (one per recipient)


def _remind(sent: Sent, *, recipients, key: str, title: str, body: str, link: str, unit) -> None:
    made = notifications.notify(recipients=recipients, key=key, title=title, body=body, link=link, unit=unit,
                                perm=Perm.WORK_VIEW, kind="reminder")
    if made:
        sent.notifications += len(made)
        notifications.notify_unit_robots(unit_id=unit.pk, key=key, title=title, text=body, link=link)


def _deadline_reminders(sent: Sent, today: dt.date) -> None:
    deadlines = Deadline.objects.select_related("campaign__owner_unit").filter(
        due_on__gte=today - dt.timedelta(days=60 + WINDOW), due_on__lte=today + dt.timedelta(days=60))
    for deadline in deadlines:
        step = reached_step(deadline.reminder_steps or [], deadline.due_on, today)
        if step is None:
            continue
        expected = list(campaign_selectors.deadline_expected_units(deadline=deadline))
        done = set(Submission.objects.filter(deadline=deadline).exclude(
            state__in=(ReportState.NOT_SUBMITTED, ReportState.RETURNED)).values_list("unit_id", flat=True))
        laggards = [u for u in expected if u.pk not in done]
        if not laggards:
            continue
        logins = _logins_by_unit_role(u.pk for u in laggards)
        when = _when(deadline.due_on, today)
        for unit in laggards:
            recipients = [user for to in step["to"] if to in ROLE_OF for user in logins.get((unit.pk, ROLE_OF[to]), [])]
            title = _("【催办】%(name)s%(when)s") % {"name": deadline.name, "when": when}
            body = _("%(unit)s尚未报送“%(name)s”（%(campaign)s），%(when)s。请及时生成报送材料，经主要负责同志审核后报送。") % {
                "unit": unit.full_name, "name": deadline.name, "campaign": deadline.campaign.name, "when": when}
            before = sent.notifications
            _remind(sent, recipients=recipients, key=f"deadline:{deadline.pk}:unit:{unit.pk}:step:{step['days']}",
                    title=title, body=body, link=f"/reviews/deadlines/{deadline.pk}/units/{unit.pk}/", unit=unit)
            sent.deadlines += sent.notifications > before


def _item_reminders(sent: Sent, today: dt.date) -> None:
    items = list(Item.objects.filter(deadline_mode=DeadlineMode.DATE, status__in=OPEN_STATUSES,
                                     due_on__gte=today - dt.timedelta(days=60 + WINDOW),
                                     due_on__lte=today + dt.timedelta(days=60))
                 .select_related("ledger__campaign", "ledger__unit").order_by("id"))
    due = [(item, reached_step(item.ledger.campaign.item_reminder_steps or [], item.due_on, today)) for item in items]
    due = [(item, step) for item, step in due if step is not None]
    if not due:
        return
    leaders: dict[int, list[int]] = defaultdict(list)
    for item_id, person_id in Item.lead_leaders.through.objects.filter(
            item_id__in=[i.pk for i, _s in due]).values_list("item_id", "person_id"):
        leaders[item_id].append(person_id)
    people = _logins_of_people(p for ids in leaders.values() for p in ids)
    logins = _logins_by_unit_role(item.ledger.unit_id for item, _s in due)
    for item, step in due:
        unit = item.ledger.unit
        recipients = []
        for to in step["to"]:
            if to == R.RESPONSIBLE_LEADER:
                recipients += [user for person in leaders.get(item.pk, []) for user in people.get(person, [])]
            elif to in ROLE_OF:
                recipients += logins.get((unit.pk, ROLE_OF[to]), [])
        when = _when(item.due_on, today)
        title = _("【催办】整改事项%(when)s") % {"when": when}
        body = _("%(unit)s第%(seq)s项“%(problem)s”%(when)s，状态：%(status)s。") % {
            "unit": unit.full_name, "seq": item.seq, "problem": item.problem[:40], "when": when,
            "status": item.get_status_display()}
        before = sent.notifications
        _remind(sent, recipients=recipients, key=f"item:{item.pk}:due:{item.due_on:%Y%m%d}:step:{step['days']}",
                title=title, body=body, link=f"/ledgers/items/{item.pk}/", unit=unit)
        sent.items += sent.notifications > before


def reminders_send(*, today: dt.date | None = None) -> Sent:
    """Send every reminder due today (each at most once: a second run the same day sends nothing)."""
    today = today or timezone.localdate()
    sent = Sent()
    _deadline_reminders(sent, today)
    _item_reminders(sent, today)
    return sent


def reminders_start(*, today: dt.date | None = None, queue: bool = True):
    """The day's run as a durable job: huey carries only its id; a dead worker's run is picked up again."""
    today = today or timezone.localdate()
    return job_start(kind=REMINDERS, title=_("催办提醒（%(day)s）") % {"day": today.isoformat()},
                     params={"today": today.isoformat()}, requester=None, queue=queue)


@job_kind(REMINDERS)
def reminders_run(context) -> JobOutcome:
    today = dt.date.fromisoformat(context.params["today"])
    context.progress(0, 1, _("发送催办提醒"))
    sent = reminders_send(today=today)
    context.progress(1, 1, _("完成"))
    return JobOutcome(rows=sent.notifications, summary=_(
        "报送时限催办 %(d)s 家单位，整改时限催办 %(i)s 项，共 %(n)s 条提醒。") % {
        "d": sent.deadlines, "i": sent.items, "n": sent.notifications})
