"""Downloads of ledgers as .xlsx or .docx. Thin: parse the request, call the export, answer.

Anything out of the reader's scope answers 404, like an absent ledger; every download is
recorded in the security log by the export itself.
"""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from huitoukan.access.policy import Perm
from huitoukan.campaigns.selectors import campaign_get_for
from huitoukan.core.http import content_disposition, refusal
from huitoukan.ledgers import past, selectors
from huitoukan.ledgers.exports import FORMATS, LedgerFile, ledger_file, subtree_file
from huitoukan.ledgers.jobs import (
    subtree_export_is_large,
    subtree_export_start,
    subtree_export_title,
)
from huitoukan.ledgers.layouts import kind_choices_text, kind_named
from huitoukan.orgs.selectors import unit_get_for


def _download(export: LedgerFile) -> HttpResponse:
    response = HttpResponse(export.data, content_type=export.content_type)
    response["Content-Disposition"] = content_disposition(export.filename, ascii_stem="ledger")
    return response


@require_GET
def ledger_export(request, ledger_id: int):
    fmt = request.GET.get("format") or "xlsx"
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("导出格式只能是 xlsx 或 docx。"))
    ledger = selectors.ledger_get_for(user=request.user, pk=ledger_id)
    as_of = None
    if "as_of" in request.GET:  # the ledger as it stood on a past day (ledgers.past)
        try:
            as_of = past.day_parse(request.GET["as_of"])
        except past.DayError as error:
            return refusal(str(error))
    return _download(ledger_file(user_or_none=request.user, ledger=ledger, fmt=fmt, request=request, as_of=as_of))


def _subtree_request(request, data):
    unit = unit_get_for(user=request.user, pk=data.get("unit"), perm=Perm.WORK_VIEW)
    campaign = campaign_get_for(user=request.user, pk=data.get("campaign"))
    kind = kind_named(data.get("kind", ""))  # a code, 附件N or a Chinese name
    return unit, campaign, kind


def _bad_kind() -> HttpResponseBadRequest:
    return HttpResponseBadRequest(_("台账类型不正确，可选：%(choices)s") % {"choices": kind_choices_text()})


@require_GET
def ledger_subtree_export(request):
    """?campaign=<id>&unit=<id>&kind=<kind>: the unit's and its subtree's ledgers, a sheet each.

    Too many rows for one request: a page that offers to make the file in the background.
    """
    unit, campaign, kind = _subtree_request(request, request.GET)
    if kind is None:
        return _bad_kind()
    rows = subtree_export_is_large(user=request.user, campaign=campaign, root_unit=unit, kind=kind)
    if rows is not None:
        return render(request, "ledgers/subtree_export_job.html", {
            "unit": unit, "campaign": campaign, "kind": kind, "rows": rows,
            "title": subtree_export_title(root_unit=unit, kind=kind)})
    return _download(subtree_file(user_or_none=request.user, campaign=campaign, root_unit=unit, kind=kind,
                                  request=request))


@require_POST
def ledger_subtree_export_job(request):
    """campaign, unit, kind: start the subtree export as a job and follow it on its page."""
    unit, campaign, kind = _subtree_request(request, request.POST)
    if kind is None:
        return _bad_kind()
    job = subtree_export_start(user=request.user, campaign=campaign, root_unit=unit, kind=kind)
    return redirect("job-detail", pk=job.pk)
