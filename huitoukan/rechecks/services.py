"""Writes of 回头看复查: planning the rechecks of closed items, confirming one, failing one, and the reminders.

Planning follows the ledgers: `items_changed` listens to `core.hooks.ITEMS_CHANGED`, which the ledgers send in
the transaction of every write that closes (销号) or reopens (回炉, 反弹) an item. A closed item without rechecks
for its closing gets one per month of its campaign's `recheck_months`, dated from its closing date; a reopened
item's pending rechecks are withdrawn (已撤销). `rechecks_plan` does the same for every closed item (the command
and the nightly task), so items closed before this app, or by a path that sends no hook, are planned too.

Confirming and failing go through the ledgers' services: the files are stored as the item's evidence by
`ledgers.services.evidence_add` (the one place that checks and stores files) and linked to the recheck; a failure
reopens the item with `ledgers.services.item_relapse` (the one place a 反弹 happens) and notifies the unit head.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from huitoukan.access.models import Role
from huitoukan.access.policy import Perm
from huitoukan.campaigns.models import recheck_months_parse
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.models import Evidence, Item, ItemStatus
from huitoukan.notifications import services as notifications
from huitoukan.publicity import survey_services
from huitoukan.publicity.models import (
    EvaluatorGroup,
    Opinion,
    SurveyKind,
    SurveyResponse,
    SurveyToken,
)
from huitoukan.publicity.opinion_selectors import nearest_logins
from huitoukan.rechecks import workflow
from huitoukan.rechecks.errors import RecheckError, RecheckErrorCode
from huitoukan.rechecks.models import Recheck, RecheckState
from huitoukan.rechecks.workflow import Action

MAX_NOTE = 2000
REMIND_DAYS_BEFORE = 7  # the unit's office is reminded a week before a recheck is due
OVERDUE_DAYS = 30  # a recheck not done a month after its date is overdue: the unit head is reminded
CHUNK = 500


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it is shorter (31 Aug + 6 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_of(campaign) -> list[int]:
    try:
        return recheck_months_parse(campaign.recheck_months)
    except ValueError:  # kept values are checked when saved; an old bad one plans nothing rather than failing a write
        return []


# --- planning -------------------------------------------------------------------------------------------------


def _plan(items: Iterable[Item]) -> list[Recheck]:
    """The missing rechecks of these closed items (each item with `ledger__campaign` loaded)."""
    items = [i for i in items if i.status == ItemStatus.CLOSED and i.closed_on is not None]
    if not items:
        return []
    have = set(Recheck.objects.filter(item__in=items).values_list("item_id", "closed_on", "round_months"))
    new = [Recheck(item=item, closed_on=item.closed_on, round_months=m, due_on=add_months(item.closed_on, m))
           for item in items for m in months_of(item.ledger.campaign)
           if (item.pk, item.closed_on, m) not in have]
    if new:
        bulk_create_with_history(new, Recheck, batch_size=CHUNK, default_change_reason="销号后安排回头看复查")
    return new


def _without_rechecks(items):
    """Closed items that have no recheck for their present closing."""
    return items.filter(status=ItemStatus.CLOSED, closed_on__isnull=False).exclude(
        Exists(Recheck.objects.filter(item=OuterRef("pk"), closed_on=OuterRef("closed_on"))))


def _withdraw(rechecks) -> int:
    """Pending rechecks whose item was reopened (or closed again on another day): they no longer apply."""
    stale = list(rechecks.filter(state=RecheckState.PENDING).filter(
        ~Q(item__status=ItemStatus.CLOSED) | ~Q(item__closed_on=F("closed_on"))))
    for recheck in stale:
        recheck.state = RecheckState.CANCELLED
        recheck.note = _("事项已重新打开（回炉或反弹），本次复查不再进行。")
        recheck._change_reason = "事项重新打开，复查撤销"
        recheck.save(update_fields=["state", "note"])
    return len(stale)


def items_changed(*, unit_ids, campaign_id) -> None:
    """The core.hooks listener of the ledgers' item writes: plan the rechecks of the units' newly closed items and
    withdraw the pending ones of reopened items, in the write's own transaction.

    Only items closed since yesterday, in campaigns that set recheck months: a 销号 is dated the day it is
    verified, and what closed earlier is the nightly `rechecks_plan`'s. So a write neither reads a unit's whole
    history of closings nor plans (and races another write for) rows that are not its own."""
    items = Item.objects.filter(ledger__unit_id__in=unit_ids,
                                closed_on__gte=timezone.localdate() - dt.timedelta(days=1)).exclude(
        ledger__campaign__recheck_months="")
    if campaign_id is not None:
        items = items.filter(ledger__campaign_id=campaign_id)
    _plan(_without_rechecks(items).select_related("ledger__campaign"))
    rechecks = Recheck.objects.filter(item__ledger__unit_id__in=unit_ids)
    if campaign_id is not None:
        rechecks = rechecks.filter(item__ledger__campaign_id=campaign_id)
    _withdraw(rechecks)


@dataclass
class Planned:
    items: int = 0  # closed items looked at
    planned: int = 0  # rechecks made now
    withdrawn: int = 0


def rechecks_plan(*, campaign=None) -> Planned:
    """Plan every closed item's missing rechecks (idempotent) and withdraw those of reopened items: for items
    closed before rechecks existed (the demo's), and as a nightly repair of what the hook planned."""
    done = Planned()
    items = Item.objects.filter(status=ItemStatus.CLOSED, closed_on__isnull=False).select_related(
        "ledger__campaign").order_by("pk")
    rechecks = Recheck.objects.all()
    if campaign is not None:
        items = items.filter(ledger__campaign=campaign)
        rechecks = rechecks.filter(item__ledger__campaign=campaign)
    last = 0
    while True:
        chunk = list(items.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            break
        last = chunk[-1].pk
        with transaction.atomic():
            done.planned += len(_plan(chunk))
        done.items += len(chunk)
    with transaction.atomic():
        done.withdrawn = _withdraw(rechecks)
    return done


# --- confirming and failing -------------------------------------------------------------------------------------


def _locked(recheck: Recheck) -> Recheck:
    """The recheck, locked after its item: the ledgers' writes lock the item first (and then withdraw its
    rechecks), so taking them in the same order keeps two writers from waiting on each other."""
    Item.objects.select_for_update().filter(pk=recheck.item_id).first()
    return Recheck.objects.select_for_update(of=("self",)).select_related(
        "item__ledger__unit", "item__ledger__campaign").get(pk=recheck.pk)


def _note(text: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_NOTE:
        raise RecheckError(RecheckErrorCode.NOTE_TOO_LONG, max=MAX_NOTE)
    return text


def _refuse_old_files(item: Item, files) -> None:
    """Fresh evidence: a file the item already holds (the very photo of its 销号, say) proves nothing new."""
    digests = {}
    for upload in files:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        digests[digest.hexdigest()] = upload.name
    old = Evidence.objects.filter(item=item, sha256__in=digests).values_list("sha256", flat=True).first()
    if old is not None:
        raise RecheckError(RecheckErrorCode.EVIDENCE_NOT_FRESH, name=digests[old])


def _decided(recheck: Recheck, action: Action, actor, note: str, files, today: dt.date) -> list:
    """The shared part of both decisions: checked, fresh evidence stored on the item and linked, state moved."""
    workflow.check(actor, action, recheck, today=today)
    files = list(files)
    note = _note(note)
    if not files:
        raise RecheckError(RecheckErrorCode.EVIDENCE_REQUIRED)
    _refuse_old_files(recheck.item, files)
    if not note:  # what the recheck found is its record: a confirmation says it as a failure does
        raise RecheckError(RecheckErrorCode.REASON_REQUIRED if action == Action.FAIL
                           else RecheckErrorCode.NOTE_REQUIRED)
    stored = ledger_services.evidence_add(actor=actor, item=recheck.item, files=files)
    workflow.apply(recheck, action)
    recheck.decided_by, recheck.decided_at, recheck.note = actor, timezone.now(), note
    recheck._history_user = actor
    recheck._change_reason = str(workflow.ACTION_LABELS[action])
    recheck.save()
    recheck.evidence.add(*stored)
    return stored


@transaction.atomic
def recheck_confirm(*, actor, recheck: Recheck, files, note: str = "", today: dt.date | None = None) -> Recheck:
    """复查确认: the unit confirms with fresh evidence that the rectification held (巩固整改成果)."""
    recheck = _locked(recheck)
    _decided(recheck, Action.CONFIRM, actor, note, files, today or timezone.localdate())
    return recheck


@transaction.atomic
def recheck_fail(*, actor, recheck: Recheck, files, note: str, today: dt.date | None = None) -> Recheck:
    """复查未通过: the problem came back. The recheck keeps its evidence and reason, the item is reopened as 反弹
    through the ledgers (its other pending rechecks are then withdrawn), and the unit head is notified."""
    recheck = _locked(recheck)
    _decided(recheck, Action.FAIL, actor, note, files, today or timezone.localdate())
    reason = _("回头看复查（销号后%(n)s个月）未通过：%(note)s") % {"n": recheck.round_months, "note": recheck.note}
    ledger_services.item_relapse(actor=actor, item=recheck.item, reason=reason)
    unit = recheck.item.ledger.unit
    notifications.notify(
        recipients=nearest_logins(unit, Role.UNIT_HEAD), key=f"recheck:{recheck.pk}:failed",
        title=_("【回头看复查未通过】%(unit)s 整改事项反弹") % {"unit": unit.name},
        body=_("“%(problem)s”销号后%(n)s个月复查未通过，已按反弹重新打开：%(note)s") % {
            "problem": recheck.item.problem[:60], "n": recheck.round_months, "note": recheck.note[:200]},
        link=reverse("recheck-detail", args=[recheck.pk]), unit=unit, perm=Perm.WORK_VIEW, kind="recheck")
    return recheck


# --- reminders --------------------------------------------------------------------------------------------------


SOON, OVERDUE = "due", "overdue"


def step_of(due_on: dt.date, today: dt.date) -> str | None:
    if today > due_on + dt.timedelta(days=OVERDUE_DAYS):
        return OVERDUE
    if today >= due_on - dt.timedelta(days=REMIND_DAYS_BEFORE):
        return SOON
    return None


def remind(recheck: Recheck, step: str) -> int:
    """One step's reminder of one recheck: the unit's office when it comes due, the unit head when overdue; each
    person once per (recheck, step)."""
    unit = recheck.item.ledger.unit
    role = Role.CAMPAIGN_OFFICE if step == SOON else Role.UNIT_HEAD
    title = (_("【回头看复查】%(unit)s 有整改事项应于%(due)s复查") if step == SOON
             else _("【回头看复查逾期】%(unit)s 有整改事项应于%(due)s复查，尚未复查")) % {
        "unit": unit.name, "due": recheck.due_on.isoformat()}
    made = notifications.notify(
        recipients=nearest_logins(unit, role), key=f"recheck:{recheck.pk}:{step}", title=title,
        body=_("“%(problem)s”于%(closed)s销号，销号后%(n)s个月须回头看复查：上传新的佐证材料确认整改成果，或如实记录反弹。") % {
            "problem": recheck.item.problem[:60], "closed": recheck.closed_on.isoformat(), "n": recheck.round_months},
        link=reverse("recheck-detail", args=[recheck.pk]), unit=unit, perm=Perm.WORK_VIEW, kind="recheck")
    return len(made)


def reminders_send(*, today: dt.date | None = None) -> int:
    """The day's reminders of pending rechecks coming due or overdue; how many notifications were made."""
    today = today or timezone.localdate()
    made = 0
    due = (Recheck.objects.filter(state=RecheckState.PENDING, item__status=ItemStatus.CLOSED,
                                  due_on__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE))
           .select_related("item__ledger__unit").order_by("pk"))
    for recheck in due.iterator(chunk_size=CHUNK):
        step = step_of(recheck.due_on, today)
        if step is not None:
            made += remind(recheck, step)
    return made


# --- asking the public who raised the item ----------------------------------------------------------------------

PUBLIC_QUESTION = "问题是否已整改到位、有无反弹？"
# The options of the question: index 1 is 有反弹 (answers are kept as option indexes).
PUBLIC_SCALE = [
    {"label": "已整改到位，没有反弹", "score": 100, "satisfied": True},
    {"label": "有反弹", "score": 0, "satisfied": False},
    {"label": "不了解", "score": None, "satisfied": None},
]
RELAPSED_OPTION = 1
UNKNOWN_OPTION = 2
PUBLIC_SAMPLE_MAX = 20  # at most this many of the people who wrote in are asked
PUBLIC_MIN_ANSWERS = 3  # a majority counts with this many answers (or every one asked, when fewer were)
PUBLIC_DAYS = 30


def public_raisers(item):
    """The letters and opinions the item came from or that were written about it (publicity)."""
    return Opinion.objects.filter(Q(ledger_item=item) | Q(about_item=item))


@transaction.atomic
def recheck_ask_public(*, actor, recheck: Recheck, today: dt.date | None = None) -> list[str]:
    """征询群众: a 民意调查 of the item's unit with the one question, opened now for PUBLIC_DAYS, and one-time tokens
    for a sample of the people whose letters the item came from (at most PUBLIC_SAMPLE_MAX); the raw tokens are
    returned once, for the office to hand to them (it alone may read their contact details). The survey is never
    ranked (its minimum sample is the largest allowed), so it weighs on no unit's 满意度 and no 过关 verdict."""
    recheck = _locked(recheck)
    today = today or timezone.localdate()
    item, campaign = recheck.item, recheck.item.ledger.campaign
    if not campaign.recheck_ask_public:
        raise RecheckError(RecheckErrorCode.PUBLIC_NOT_SET)
    if recheck.state != RecheckState.PENDING:
        raise RecheckError(RecheckErrorCode.NOT_PENDING, state=recheck.get_state_display(), action=_("征询群众"))
    if recheck.public_survey_id is not None:
        raise RecheckError(RecheckErrorCode.PUBLIC_ALREADY)
    count = min(public_raisers(item).count(), PUBLIC_SAMPLE_MAX)
    if not count:
        raise RecheckError(RecheckErrorCode.PUBLIC_NONE)
    unit = item.ledger.unit
    survey = survey_services.survey_create(
        actor=actor, owner_unit=unit, kind=SurveyKind.POLL, campaign=campaign,
        title=_("回头看复查征询：%(problem)s") % {"problem": item.problem[:60]}, questions=[PUBLIC_QUESTION],
        instructions=_("您曾反映的问题已于%(closed)s整改销号。请告诉我们：问题是否已整改到位、有无反弹？") % {
            "closed": recheck.closed_on.isoformat()},
        target_units=[unit], starts_on=today, ends_on=today + dt.timedelta(days=PUBLIC_DAYS),
        min_sample=survey_services.MAX_SAMPLE, scale=PUBLIC_SCALE)
    survey_services.survey_open(actor=actor, survey=survey, today=today)
    raw = survey_services.survey_tokens_issue(actor=actor, survey=survey, unit=unit, group=EvaluatorGroup.PUBLIC,
                                              count=count)
    recheck.public_survey = survey
    recheck._history_user = actor
    recheck._change_reason = "征询反映问题的群众"
    recheck.save(update_fields=["public_survey"])
    return raw


@dataclass(frozen=True)
class PublicAnswers:
    asked: int  # tokens issued
    answered: int  # answers other than 不了解
    relapsed: int  # of them, 有反弹
    concern: bool  # a majority said 有反弹, with enough answers: for the unit's attention, never a verdict


def public_answers(recheck: Recheck) -> PublicAnswers | None:
    if recheck.public_survey_id is None:
        return None
    asked = SurveyToken.objects.filter(survey_id=recheck.public_survey_id).count()
    values = [next(iter(a.values()), None) for a in SurveyResponse.objects.filter(
        survey_id=recheck.public_survey_id).values_list("answers", flat=True)]
    answered = sum(1 for v in values if v is not None and v != UNKNOWN_OPTION)
    relapsed = sum(1 for v in values if v == RELAPSED_OPTION)
    enough = answered >= min(PUBLIC_MIN_ANSWERS, asked)
    return PublicAnswers(asked, answered, relapsed, enough and answered > 0 and relapsed * 2 > answered)
