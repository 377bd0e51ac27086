"""报送情况 as it stood at the end of a past day, from the history already kept (no second copy of the data).

A `Submission` keeps only where it stands now; its versions keep their history (`PackageVersion.history`, every
state each version passed through, with its time). As it stood when the day ended, by the one reading rule
(core.asof: each version's newest historical row written before then):

- its versions then were those built by then: the current one is the highest number, the count that number;
- its standing is that of the newest version that had been submitted by then (`submitted_at` set): 已报送待审阅
  while under review (also when approved at one step and sent on up the chain), 已通过, 已退回 — a version is only
  ever returned up the chain after it was submitted, and a version withdrawn or returned inside the unit never
  was, so these three states are exactly the report states (`ReportState`) the service writes on the submission;
  none submitted by then: 未报送;
- its first and last submissions are the earliest and latest `submitted_at` among those versions (on time or late
  is judged on the first, against the deadline, as today).

`submissions_as_of` is a table of the submissions' columns the reporting status reads, standing in for the
`Submission` table in `selectors.reporting_status(as_of=day)`: the same counting, tallies and rows as today's.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from huitoukan.core import asof
from huitoukan.core.paths import path_range_q
from huitoukan.reviews.models import (
    ExpectedUnit,
    PackageState,
    PackageVersion,
    ReportState,
    Submission,
)

# The states a submitted version can be in, which are the submission's report states of the same name.
SUBMITTED_STATES = (PackageState.SUBMITTED, PackageState.APPROVED, PackageState.RETURNED)
assert {str(s) for s in SUBMITTED_STATES} <= set(ReportState.values)


def submissions_as_of(deadline, day: dt.date, within=None) -> tuple[str, list]:
    """(SQL, params) of a derived table with the columns of `Submission` the reporting status reads (id,
    deadline_id, unit_id, state, current_id, versions_count, first_submitted_at, last_submitted_at), as they stood
    when `day` ended. One statement with the reporting status's own. With `within`, only the submissions of the
    units the deadline expects in its part are read (those the status joins), so a township's past status reads
    the history of its own part, not of every unit the deadline expects."""
    part = Q() if within is None else Q(submission__unit_id__in=ExpectedUnit.objects.filter(
        path_range_q(within.path), deadline_id=deadline.pk).values("unit_id"))
    versions = (asof.as_of(PackageVersion.history, day, part, submission__deadline_id=deadline.pk).order_by()
                .values("id", "submission_id", "number", "state", "submitted_at", "history_type"))
    inner, params = versions.query.sql_with_params()
    table = Submission._meta.db_table
    return (
        f'(SELECT sub."id" AS "id", sub."deadline_id" AS "deadline_id", sub."unit_id" AS "unit_id", '
        f'x."state" AS "state", x."current_id" AS "current_id", x."versions_count" AS "versions_count", '
        f'x."first_submitted_at" AS "first_submitted_at", x."last_submitted_at" AS "last_submitted_at" '
        f'FROM {table} sub INNER JOIN ('
        f'SELECT w."submission_id" AS "submission_id", MAX(CASE WHEN w."r_all" = 1 THEN w."id" END) AS "current_id", '
        f'MAX(w."number") AS "versions_count", '
        f'MAX(CASE WHEN w."r_sub" = 1 AND w."submitted_at" IS NOT NULL THEN w."state" END) AS "state", '
        f'MIN(w."submitted_at") AS "first_submitted_at", MAX(w."submitted_at") AS "last_submitted_at" '
        f'FROM (SELECT v."id", v."submission_id", v."number", v."state", v."submitted_at", '
        f'ROW_NUMBER() OVER (PARTITION BY v."submission_id" ORDER BY v."number" DESC) AS "r_all", '
        f'ROW_NUMBER() OVER (PARTITION BY v."submission_id" ORDER BY CASE WHEN v."submitted_at" IS NULL THEN 1 '
        f'ELSE 0 END, v."number" DESC) AS "r_sub" '
        f'FROM ({inner}) v WHERE v."history_type" <> %s) w GROUP BY w."submission_id") x '
        f'ON x."submission_id" = sub."id" WHERE sub."deadline_id" = %s)',
        [*params, asof.DELETED, deadline.pk])
