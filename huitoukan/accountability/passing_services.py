"""Writes of 过关: recording a 述职评议考核 result, and keeping every unit's verdict (UnitVerdict) with the roll-up's
counts of units passed and not passed (orgs.WorkTally, topic "passing").

The kept verdicts follow their causes in the transaction of the write that changes them: an acceptance decided
(assessments) and a survey closed (publicity) through core.hooks, an appraisal recorded here; an item added,
closed, reopened or given a new deadline (ledgers, core.hooks) as soon as its write commits. The overdue rule also
changes with the date alone, so a daily task (accountability.passing_tasks) refreshes every campaign.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.accountability import passing
from huitoukan.accountability.models import AppraisalResult, ReportAppraisal, UnitVerdict
from huitoukan.accountability.passing_selectors import PASSING_TOPIC
from huitoukan.accountability.passing_selectors import key_of as _key
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.campaigns.models import Campaign
from huitoukan.core.errors import DomainError
from huitoukan.orgs import totals as unit_totals
from huitoukan.orgs.models import Unit

BATCH = 500  # units worked out per round: the rules' queries stay a fixed number per round
MAX_NOTE = 2000


class PassingErrorCode(Enum):
    RESULT = _("请选择考核结果（合格或不合格）。")
    DATE_REQUIRED = _("请填写考核日期。")
    DATE_FUTURE = _("考核日期不能晚于今天。")
    DATE_OUTSIDE = _("考核日期须在活动“%(campaign)s”开始（%(starts)s）之后。")
    UNIT_NOT_JUDGED = _("单位“%(unit)s”不在活动“%(campaign)s”的范围内（须为组织单位及其下属的村级以上在册单位）。")
    NOTE_TOO_LONG = _("说明不能超过%(max)s个字。")


class PassingError(DomainError):
    pass


E = PassingErrorCode


@dataclass
class Refreshed:
    checked: int = 0  # units worked out
    changed: int = 0  # of them, those whose verdict (or reasons) changed
    dropped: int = 0  # verdicts removed: their unit is no longer judged by the campaign


@transaction.atomic
def verdicts_refresh(campaign: Campaign, unit_ids=None, *, today: dt.date | None = None,
                     memo: dict | None = None) -> Refreshed:
    """Work out the verdicts of the campaign's units (all of them, or those of `unit_ids`) and keep them, with
    the counts of units passed and not passed under every unit above. A unit no longer judged (abolished,
    moved out, a village) loses its kept verdict. The rows are locked: two refreshes of a unit run in turn."""
    today = today or timezone.localdate()
    result = Refreshed()
    units = passing.units_judged(campaign).only("pk", "path")
    kept = UnitVerdict.objects.select_for_update().filter(campaign=campaign)
    if unit_ids is not None:
        unit_ids = sorted({int(pk) for pk in unit_ids})
        units = units.filter(pk__in=unit_ids)
        kept = kept.filter(unit_id__in=unit_ids)
    units = list(units)
    judged = {u.pk for u in units}
    stale = list(kept.exclude(unit_id__in=judged).select_related("unit")) if unit_ids is not None else [
        v for v in kept.select_related("unit").order_by("pk") if v.unit_id not in judged]
    if stale:
        unit_totals.work_counted_many([(v.unit, _key(v.passed), None) for v in stale], topic=PASSING_TOPIC,
                                      campaign_id=campaign.pk)
        UnitVerdict.objects.filter(pk__in=[v.pk for v in stale]).delete()
        result.dropped = len(stale)
    memo = {} if memo is None else memo
    for start in range(0, len(units), BATCH):
        _refresh_batch(campaign, units[start:start + BATCH], today, result, memo)
    return result


def _refresh_batch(campaign: Campaign, units: list[Unit], today: dt.date, result: Refreshed, memo: dict) -> None:
    ids = [u.pk for u in units]
    verdicts = passing.verdicts_check(ids, campaign, today, memo=memo)
    existing = {v.unit_id: v for v in UnitVerdict.objects.select_for_update().filter(campaign=campaign,
                                                                                       unit_id__in=ids)}
    now = timezone.now()
    made, updated, moves = [], [], []
    for unit in units:
        verdict, row = verdicts[unit.pk], existing.get(unit.pk)
        reasons = verdict.reasons_json()
        if row is None:
            made.append(UnitVerdict(campaign=campaign, unit_id=unit.pk, passed=verdict.passed, reasons=reasons))
            moves.append((unit, None, _key(verdict.passed)))
            result.changed += 1
            continue
        if row.passed != verdict.passed or row.reasons != reasons:
            moves.append((unit, _key(row.passed), _key(verdict.passed)))
            row.passed, row.reasons = verdict.passed, reasons
            result.changed += 1
        row.worked_out_at = now  # bulk_update leaves auto_now alone
        updated.append(row)
    if made:
        UnitVerdict.objects.bulk_create(made)
    if updated:
        UnitVerdict.objects.bulk_update(updated, ["passed", "reasons", "worked_out_at"])
    unit_totals.work_counted_many(moves, topic=PASSING_TOPIC, campaign_id=campaign.pk)
    result.checked += len(units)


def verdicts_refresh_all(*, today: dt.date | None = None) -> dict[int, Refreshed]:
    """Every campaign's verdicts (the daily task: the overdue rule moves with the date, and units made since the
    last refresh get their first verdict), BATCH units per transaction: on SQLite a transaction holds the
    database's write lock, so the other writes go between the batches rather than wait for a whole campaign.
    Each batch commits its verdicts with their counts; interrupted, what was committed is whole and the rest is
    as it was, for the next run."""
    today = today or timezone.localdate()
    return {campaign.pk: _refresh_by_batches(campaign, today)
            for campaign in Campaign.objects.select_related("owner_unit").order_by("pk")}


def _refresh_by_batches(campaign: Campaign, today: dt.date) -> Refreshed:
    judged = passing.units_judged(campaign)
    stale = list(UnitVerdict.objects.filter(campaign=campaign).exclude(unit_id__in=judged.values("pk"))
                 .order_by("unit_id").values_list("unit_id", flat=True))
    ids = list(judged.values_list("pk", flat=True))  # a unit abolished meanwhile is dropped by its batch
    result, memo = Refreshed(), {}
    for batch in [stale[i:i + BATCH] for i in range(0, len(stale), BATCH)] + [
            ids[i:i + BATCH] for i in range(0, len(ids), BATCH)]:
        done = verdicts_refresh(campaign, batch, today=today, memo=memo)  # its own transaction
        result.checked += done.checked
        result.changed += done.changed
        result.dropped += done.dropped
    return result


def units_changed(*, unit_ids, campaign_id) -> None:
    """The core.hooks listener: a lower app changed what these units' verdicts rest on."""
    if campaign_id is None:
        return
    campaign = Campaign.objects.select_related("owner_unit").filter(pk=campaign_id).first()
    if campaign is not None:
        verdicts_refresh(campaign, unit_ids)


def items_changed(*, unit_ids, campaign_id) -> None:
    """The core.hooks listener of the ledgers' item writes (hooks.ITEMS_CHANGED): the units are refreshed as soon
    as the write commits, in their own transaction. A ledger write keeps its own fixed cost and does not hold the
    verdicts' rows; should the refresh fail, the write stands and the daily refresh repairs the verdict."""
    transaction.on_commit(lambda: units_changed(unit_ids=unit_ids, campaign_id=campaign_id), robust=True)


@transaction.atomic
def appraisal_record(*, actor, campaign: Campaign, unit: Unit, result: str, appraised_on: dt.date | None,
                     note: str = "", today: dt.date | None = None) -> ReportAppraisal:
    """Discipline staff record the result of a unit's 基层党建工作述职评议考核 in a campaign (004 一). A new
    result is a new row; the latest (by date, then by record) counts, and the unit's kept verdict follows in
    this transaction."""
    policy.require(actor, Perm.ACCOUNTABILITY_RECORD, unit)
    campaign = campaign_selectors.campaign_get_for(user=actor, pk=campaign.pk)
    today = today or timezone.localdate()
    if result not in AppraisalResult.values:
        raise PassingError(E.RESULT)
    if appraised_on is None:
        raise PassingError(E.DATE_REQUIRED)
    if appraised_on > today:
        raise PassingError(E.DATE_FUTURE)
    if appraised_on < campaign.starts_on:
        raise PassingError(E.DATE_OUTSIDE, campaign=campaign.name, starts=campaign.starts_on.isoformat())
    if not passing.judged(unit, campaign):
        raise PassingError(E.UNIT_NOT_JUDGED, unit=unit.full_name, campaign=campaign.name)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise PassingError(E.NOTE_TOO_LONG, max=MAX_NOTE)
    appraisal = ReportAppraisal(campaign=campaign, unit=unit, result=result, appraised_on=appraised_on, note=note,
                                recorded_by=actor)
    appraisal._history_user = actor
    appraisal.save()
    verdicts_refresh(campaign, [unit.pk], today=today)
    return appraisal
