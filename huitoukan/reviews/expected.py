"""The kept expected units of a deadline: worked out from the tree's history once, again only when stale.

Who is expected is `campaigns.selectors.deadline_expected_units`, the one rule; this module keeps its answer
(`ExpectedUnit` rows) so that the reporting status reads an index range. The rows are stale once a unit, the
deadline or its campaign has a history record newer than when they were worked out: three indexed reads.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.db import connection, transaction
from django.utils import timezone

from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.campaigns.models import Campaign, Deadline
from huitoukan.core import sql
from huitoukan.orgs.models import Unit
from huitoukan.reviews.models import ExpectedSet, ExpectedUnit

NEVER = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@cache
def _history_tables() -> tuple[str, str, str]:
    # Once: each `Model.history` builds a new manager (simple_history), inspecting its class every time.
    return tuple(m.history.model._meta.db_table for m in (Unit, Deadline, Campaign))


def _stale(deadline: Deadline, since: dt.datetime) -> bool:
    """Any unit, or the deadline or its campaign, changed since `since`: one statement of three index seeks."""
    when = connection.ops.adapt_datetimefield_value(since)
    units, deadlines, campaigns = _history_tables()
    found = sql.fetch(
        f'SELECT 1 WHERE EXISTS (SELECT 1 FROM {units} WHERE "history_date" > %s) '
        f'OR EXISTS (SELECT 1 FROM {deadlines} WHERE "id" = %s AND "history_date" > %s) '
        f'OR EXISTS (SELECT 1 FROM {campaigns} WHERE "id" = %s AND "history_date" > %s)',
        [when, deadline.pk, when, deadline.campaign_id, when])
    return bool(found)


def expected_refresh(deadline: Deadline, *, force: bool = False) -> ExpectedSet:
    """The deadline's kept expected units, worked out again first if they are stale (or `force`)."""
    # The kept set and whether it is stale, in one statement: every status page asks.
    units, deadlines, campaigns = _history_tables()
    rows = sql.fetch(
        f'SELECT {sql.columns(ExpectedSet, "k")}, CASE WHEN '
        f'EXISTS (SELECT 1 FROM {units} h WHERE h."history_date" > k."computed_at") '
        f'OR EXISTS (SELECT 1 FROM {deadlines} h WHERE h."id" = %s AND h."history_date" > k."computed_at") '
        f'OR EXISTS (SELECT 1 FROM {campaigns} h WHERE h."id" = %s AND h."history_date" > k."computed_at") '
        f'THEN 1 ELSE 0 END FROM {ExpectedSet._meta.db_table} k WHERE k."deadline_id" = %s',
        [deadline.pk, deadline.campaign_id, deadline.pk])
    if rows and not force and not rows[0][-1]:
        return sql.instance(ExpectedSet, rows[0])
    with transaction.atomic():
        kept, _created = ExpectedSet.objects.select_for_update().get_or_create(
            deadline=deadline, defaults={"computed_at": NEVER})
        if not force and kept.computed_at != NEVER and not _stale(deadline, kept.computed_at):
            return kept  # refreshed meanwhile by another request
        started = timezone.now()  # before the read: a change made while it runs makes the rows stale again
        units = list(campaign_selectors.deadline_expected_units(deadline=deadline)
                     .values_list("id", "path", "level", "kind", "batch"))
        ExpectedUnit.objects.filter(deadline=deadline).delete()
        ExpectedUnit.objects.bulk_create(
            [ExpectedUnit(deadline=deadline, unit_id=pk, path=path, level=level, kind=kind, batch=batch)
             for pk, path, level, kind, batch in units], batch_size=5000)
        kept.computed_at, kept.count = started, len(units)
        kept.save(update_fields=["computed_at", "count"])
    return kept
