"""Writes of 形式主义预警: the scan that records what the checks find, and the reviewers' two decisions.

`formalism_scan` writes a flag per (campaign, kind, unit, key) once and refreshes it on every later scan (what it
names, `last_seen`); the reviewers' state is never touched by a scan, so a flag excluded stays excluded. Its
reads are the checks' few set queries; its writes are a fixed number of bulk statements whatever the size.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from huitoukan.formalism import checks, rules
from huitoukan.formalism.errors import FormalismError, FormalismErrorCode
from huitoukan.formalism.models import Flag, FlagKind, FlagState
from huitoukan.orgs.models import Unit
from huitoukan.supervision import services as supervision_services
from huitoukan.supervision.models import Finding

E = FormalismErrorCode
BATCH = 2_000


def _scope(campaign, units) -> checks.Scope:
    if units is None:
        return checks.Scope(campaign)
    units = list(units)
    if not units:
        return checks.Scope(campaign, set())
    from django.db.models import Q

    q = Q()
    for unit in units:
        q |= Q(path__startswith=unit.path)
    return checks.Scope(campaign, set(Unit.objects.filter(q).values_list("pk", flat=True)))


def formalism_scan(*, campaign, units=None, now: dt.datetime | None = None, t: dict | None = None) -> dict:
    """Run every check over `campaign` (the units under `units` only, when given) and record the flags.
    Returns counts: found, new, seen again, by kind."""
    now = now or timezone.now()
    scope = _scope(campaign, units)
    found = checks.run_all(scope, t)
    with transaction.atomic():
        existing = {(f.kind, f.unit_id, f.key): f for f in Flag.objects.filter(
            campaign=campaign, unit_id__in={f.unit_id for f in found}).only("id", "kind", "unit_id", "key")}
        fresh, again = [], []
        for f in found:
            flag = existing.get((f.kind, f.unit_id, f.key))
            if flag is None:
                flag = Flag(campaign=campaign, unit_id=f.unit_id, kind=f.kind, key=f.key, first_seen=now)
                fresh.append(flag)
            else:
                again.append(flag)
            flag.evidence, flag.sentence, flag.last_seen = f.evidence, f.sentence, now
            flag._items = f.item_ids
        # New flags through bulk_create (their history rows too); seen ones only refresh what they name.
        for start in range(0, len(fresh), BATCH):
            Flag.objects.bulk_create(fresh[start:start + BATCH])
        if fresh and fresh[0].pk is None:  # a backend that does not return ids
            ids = {(f.kind, f.unit_id, f.key): f.pk for f in Flag.objects.filter(campaign=campaign)}
            for flag in fresh:
                flag.pk = flag.id = ids[(flag.kind, flag.unit_id, flag.key)]
        Flag.history.bulk_history_create(fresh, default_change_reason="形式主义预警扫描发现")
        for start in range(0, len(again), BATCH):
            Flag.objects.bulk_update(again[start:start + BATCH], ["evidence", "sentence", "last_seen"])
        through = Flag.items.through
        if again:
            for start in range(0, len(again), BATCH):
                through.objects.filter(flag_id__in=[f.pk for f in again[start:start + BATCH]]).delete()
        links = [through(flag_id=flag.pk, item_id=i) for flag in (*fresh, *again) for i in flag._items]
        through.objects.bulk_create(links, batch_size=BATCH)
    counts = {str(k): 0 for k in FlagKind.values}
    for f in found:
        counts[str(f.kind)] += 1
    return {"found": len(found), "new": len(fresh), "again": len(again), "by_kind": counts}


def _locked(flag: Flag) -> Flag:
    return Flag.objects.select_for_update(of=("self",)).select_related("unit").get(pk=flag.pk)


def _save(flag: Flag, actor, reason: str) -> None:
    flag._history_user = actor
    flag._change_reason = reason
    flag.save()


@transaction.atomic
def flag_dismiss(*, actor, flag: Flag, reason: str) -> Flag:
    """排除: the reviewer looked and found nothing wrong; why is kept with who and when."""
    flag = _locked(flag)
    rules.require(actor, flag.unit)
    if flag.state != FlagState.OPEN:
        raise FormalismError(E.WRONG_STATE, state=flag.get_state_display(), action="排除")
    if not (reason or "").strip():
        raise FormalismError(E.REASON_REQUIRED)
    flag.state, flag.reason = FlagState.DISMISSED, reason.strip()
    flag.decided_by, flag.decided_at = actor, timezone.now()
    _save(flag, actor, "排除")
    return flag


def finding_text(flag: Flag) -> str:
    return f"【形式主义预警·{flag.get_kind_display()}】{flag.sentence}（预警编号 {flag.pk}）"


@transaction.atomic
def flag_to_finding(*, actor, flag: Flag, description: str = "", severity: str | None = None) -> Finding:
    """转为督查发现: one step, a finding of the flag's unit about its first item, recorded through the supervision
    services (their own rules apply to the same actor), pre-filled from the flag and linked to it."""
    flag = _locked(flag)
    rules.require(actor, flag.unit)
    if flag.state != FlagState.OPEN:
        raise FormalismError(E.WRONG_STATE, state=flag.get_state_display(), action="转为督查发现")
    item = flag.items.filter(ledger__unit_id=flag.unit_id).select_related("ledger").order_by("pk").first()
    kwargs = {"severity": severity} if severity else {}
    finding = supervision_services.finding_record(actor=actor, unit=flag.unit, item=item,
                                                  description=(description or "").strip() or finding_text(flag),
                                                  **kwargs)
    flag.state, flag.finding = FlagState.FINDING, finding
    flag.decided_by, flag.decided_at = actor, timezone.now()
    _save(flag, actor, "转为督查发现")
    return flag.finding


def formalism_scan_all(*, now: dt.datetime | None = None) -> dict[int, dict]:
    """Every campaign that has ledgers, one after the other (the nightly task): campaign id -> its counts."""
    from huitoukan.campaigns.models import Campaign

    return {campaign.pk: formalism_scan(campaign=campaign, now=now)
            for campaign in Campaign.objects.filter(ledgers__isnull=False).distinct().order_by("pk")}
