"""The ledgers' background jobs: a subtree's ledgers of one kind as one workbook.

Started from the web (the 汇总 page, or a subtree export too big to answer in one request) or
the command line; run by `huitoukan.jobs.services.job_run`. The requester's scope is checked
when the job starts and again when it runs (a role revoked meanwhile narrows or refuses it).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns.models import Campaign
from huitoukan.core.statistics import planner_statistics_refresh
from huitoukan.jobs.registry import JobOutcome, job_kind
from huitoukan.jobs.services import JobContext, job_start
from huitoukan.ledgers import totals
from huitoukan.ledgers.exports import (
    CONTENT_TYPES,
    subtree_filename,
    subtree_item_count,
    subtree_workbook_write,
)
from huitoukan.ledgers.layouts import LAYOUTS, LedgerKind
from huitoukan.orgs.models import Unit

SUBTREE_EXPORT = "ledgers.subtree-export"
# Up to this many rows a subtree export is answered in the request; above, it runs as a job.
DIRECT_EXPORT_ROWS_MAX = 20_000


def subtree_export_title(*, root_unit, kind: str) -> str:
    layout = LAYOUTS[LedgerKind(kind)]
    return _("导出%(attachment)s %(title)s · %(unit)s及下级单位") % {
        "attachment": layout.attachment, "title": layout.title, "unit": root_unit.full_name}


def subtree_export_start(*, user, campaign: Campaign, root_unit: Unit, kind: str, queue: bool = True):
    """A job writing the subtree's ledgers of `kind`; `user` None is the command line."""
    kind = LedgerKind(kind)
    if user is not None:
        policy.require(user, Perm.WORK_VIEW, root_unit)
    return job_start(kind=SUBTREE_EXPORT, title=subtree_export_title(root_unit=root_unit, kind=kind),
                     params={"campaign": campaign.pk, "unit": root_unit.pk, "kind": kind.value},
                     requester=user, queue=queue)


def subtree_export_is_large(*, user, campaign, root_unit, kind: str) -> int | None:
    """The number of rows when the export is too big for one request, else None."""
    rows = subtree_item_count(user=user, campaign=campaign, root_unit=root_unit, kind=kind)
    return rows if rows > DIRECT_EXPORT_ROWS_MAX else None


def _subtree_readable(user, params: dict) -> bool:
    unit = Unit.objects.filter(pk=params.get("unit")).first()
    return unit is not None and policy.can(user, Perm.WORK_VIEW, unit)


@job_kind(SUBTREE_EXPORT, readable=_subtree_readable)
def subtree_export_run(context: JobContext) -> JobOutcome:
    params = context.params
    campaign = Campaign.objects.get(pk=params["campaign"])
    root_unit = Unit.objects.get(pk=params["unit"])
    kind = LedgerKind(params["kind"])
    stage = _("写入工作表")
    context.progress(0, stage=_("读取台账"))
    rows, _ledgers = subtree_workbook_write(
        context.output, user=context.requester, campaign=campaign, root_unit=root_unit, kind=kind,
        progress=lambda done, total: context.progress(done, total, stage))
    context.progress(rows, rows, _("生成文件"))
    return JobOutcome(subtree_filename(root_unit=root_unit, kind=kind), CONTENT_TYPES["xlsx"], rows)


TOTALS_REBUILD = "ledgers.totals-rebuild"


def totals_rebuild_start(*, queue: bool = True):
    """Recount every kept total (items, ledgers, units) as a job: the command line's, for operators."""
    return job_start(kind=TOTALS_REBUILD, title=_("重新统计汇总数"), params={}, requester=None, queue=queue)


@job_kind(TOTALS_REBUILD)
def totals_rebuild_run(context: JobContext) -> JobOutcome:
    context.progress(0, 1, _("重新统计"))
    rows = totals.rebuild_all()
    planner_statistics_refresh()  # many rows rewritten: the planner's figures are stale
    context.progress(1, 1, _("完成"))
    return JobOutcome(rows=rows, summary=_("已重新统计汇总数：%(n)s 组。") % {"n": rows})
