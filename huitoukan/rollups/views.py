"""汇总 pages: a unit's subtree at a glance, its children side by side, drilling down to a unit's ledgers."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core import asof
from huitoukan.core.http import content_disposition, refusal
from huitoukan.core.lights import LIGHT_LABELS
from huitoukan.core.rowmarkup import ANY_ID, stamp
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import FourWinds, ItemStatus
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.models import UnitLevel
from huitoukan.rollups import exports, past, selectors
from huitoukan.rollups.supervision import supervision_rows


@require_GET
def rollup_start(request):
    """汇总 opens at the top of what the reader may see."""
    policy.require_somewhere(request.user, Perm.WORK_VIEW)
    top = next(iter(org_selectors.top_units(request.user, Perm.WORK_VIEW)), None)
    if top is None:
        raise Http404
    return redirect("rollup", top.pk)


def _labelled(counter, choices) -> list[tuple[str, int]]:
    """A breakdown in the order of its choices, each with its Chinese label; the empty ones left out."""
    labels = dict(choices)
    return [(str(labels.get(key, key)) if key else _("（未分类）"), counter[key])
            for key in [*labels, *(k for k in counter if k not in labels)] if counter.get(key)]


def _unit_and_campaign(request, pk):
    """The unit (404 unless the reader sees its work), the campaigns that apply to it, and the one asked for
    (?campaign=, 404 if it is not one of them) or the latest."""
    unit = org_selectors.unit_get_for(user=request.user, pk=pk, perm=Perm.WORK_VIEW)
    campaigns = selectors.campaigns_for(user=request.user, unit=unit)
    chosen = request.GET.get("campaign")
    campaign = next((c for c in campaigns if str(c.pk) == chosen), None) if chosen else next(iter(campaigns), None)
    if chosen and campaign is None:
        raise Http404
    return unit, campaigns, campaign


@require_GET
def rollup_export(request, pk):
    """汇总表 as xlsx: a row per child unit, the unit's own row and the totals; with ?as_of=, as they stood when
    that day ended (rollups.past), the day in the header and the file name."""
    unit, _campaigns, campaign = _unit_and_campaign(request, pk)
    if campaign is None:
        raise Http404
    if "as_of" in request.GET:
        try:
            result = _rollup_of_day(unit, campaign, request.GET["as_of"])
        except (asof.DayError, past.TooLarge) as refused:
            return refusal(str(refused))
    else:
        result = selectors.rollup_for(unit=unit, campaign=campaign)
    response = HttpResponse(exports.rollup_xlsx(result, user=request.user, request=request),
                            content_type=exports.XLSX)
    response["Content-Disposition"] = content_disposition(exports.rollup_filename(result), ascii_stem="rollup")
    return response


class _FiguresTable:
    """The 汇总 table's rows, made in Python (core.rowmarkup): a row per child unit, the unit's own
    (本级) and the totals, each with the same cells of its figures."""

    def __init__(self, campaign, as_of=None):
        # a past day's table opens each child as it stood that day (rollups.past_views)
        child = (f"{reverse('rollup', args=[ANY_ID])}?campaign={campaign.pk}" if as_of is None else
                 f"{reverse('rollup-as-of', args=[ANY_ID])}?campaign={campaign.pk}&amp;day={as_of:%Y-%m-%d}")
        self.child_url = stamp(child, {"pk": ANY_ID})
        self.abolished = f' <span class="badge bg-secondary-lt">{escape(_("已撤销"))}</span>'
        self.no_items = f'<span class="text-secondary">{escape(_("暂无事项"))}</span>'
        self.lights = {light: escape(str(label)) for light, label in LIGHT_LABELS.items()}

    def cells(self, f: selectors.Figures) -> str:
        percent = "—" if f.closed_percent is None else f"{f.closed_percent}%"
        built = f"{f.built} / {f.units}" if f.units else "—"
        light = (f'<span class="light light-{f.light}"></span> {self.lights[f.light]}' if f.total
                 else self.no_items)
        return (f'<td class="text-end">{f.total}</td><td class="text-end d-none d-md-table-cell">{f.closed}</td>'
                f'<td class="text-end">{percent}</td>'
                f'<td class="text-end{" text-danger" if f.overdue else ""}">{f.overdue}</td>'
                f'<td class="text-end d-none d-md-table-cell">{f.due_soon}</td>'
                f'<td class="text-end d-none d-lg-table-cell{" text-warning" if f.not_built else ""}">{built}</td>'
                f'<td class="d-none d-sm-table-cell">{light}</td>')

    def body(self, result: selectors.Rollup) -> str:
        rows = []
        for child, f in result.children:
            light = f'<span class="light light-{f.light} d-sm-none me-1"></span>' if f.total else ""
            rows.append(f'<tr><td class="rollup-unit">{light}<a href="{self.child_url(pk=child.pk)}">'
                        f'{escape(child.name)}</a>{self.abolished if child.abolished_on else ""}</td>'
                        f"{self.cells(f)}</tr>")
        own = result.own
        if own.total:
            label = escape(_("%(name)s（本级）") % {"name": result.unit.name})
            rows.append(f'<tr><td class="rollup-unit">{label}</td>{self.cells(own)}</tr>')
        return mark_safe("\n".join(rows))


def _breakdowns(result: selectors.Rollup) -> list[tuple[str, list[tuple[str, int]]]]:
    """The 汇总's four small tables (by status first), today's and a past day's alike."""
    return [(_("按状态"), _labelled(result.by_status, ItemStatus.choices)),
            (_("按“四风”类别"), _labelled(result.by_four_winds, FourWinds.choices)),
            (_("按台账"), _labelled(result.by_kind, LedgerKind.choices)),
            (_("按单位层级"), _labelled(result.by_level, UnitLevel.choices))]


@require_GET
def rollup(request, pk):
    unit, campaigns, campaign = _unit_and_campaign(request, pk)
    above, children = selectors.ancestors_and_children(unit)
    # The units above, as far up as the reader may see: the way back up from a drill-down.
    ancestors = [a for a in above if policy.can(request.user, Perm.WORK_VIEW, a)]
    context = {"unit": unit, "campaigns": campaigns, "campaign": campaign, "ancestors": ancestors,
               "active_menu": "rollups", "ledger_kinds": LedgerKind.choices,
               "trend_days": selectors.TREND_DAYS}
    if campaign is not None:
        result = selectors.rollup_for(unit=unit, campaign=campaign, children=children)
        breakdowns = _breakdowns(result)
        by_status = breakdowns[0][1]
        context.update({"rollup": result, "children": result.children})
        table = _FiguresTable(campaign)
        context["table_body"], context["table_totals"] = table.body(result), mark_safe(table.cells(result.figures))
        context["breakdowns"] = [(title, rows, "status-chart" if n == 0 else None)
                                 for n, (title, rows) in enumerate(breakdowns)]
        context["chart_status"] = {"labels": [label for label, _n in by_status],
                                   "values": [n for _label, n in by_status]}
        context["chart_rates"] = {
            "labels": [child.name for child, _f in result.children],
            "values": [f.closed_percent or 0 for _c, f in result.children],
        }
        context["supervision_rows"], context["supervision_total"] = supervision_rows(
            unit=unit, children=children, campaign=campaign)
        context["chart_trend"] = selectors.figures_over_time(unit=unit, campaign=campaign,
                                                             today_figures=result.figures, today=result.today)
    return render(request, "rollups/rollup.html", context)


def _rollup_of_day(unit, campaign, day_text: str, children=None, today=None):
    """The 汇总 of the day asked for (rollups.past); DayError for a bad, missing or future day, past.TooLarge
    for a subtree too large to read from the history on a page."""
    today = today or timezone.localdate()
    day = asof.day_parse(day_text, today=today)
    if children is None:
        _above, children = selectors.ancestors_and_children(unit)
    return past.rollup_of_day(unit=unit, campaign=campaign, day=day, children=children, today=today)


@require_GET
def rollup_as_of(request, pk):
    """汇总 as it stood when a past day ended (rollups.past): read-only, with its 汇总表 of that day."""
    unit, campaigns, campaign = _unit_and_campaign(request, pk)
    if campaign is None:
        raise Http404
    above, children = selectors.ancestors_and_children(unit)
    today = timezone.localdate()
    context = {"unit": unit, "campaigns": campaigns, "campaign": campaign, "today": today,
               "ancestors": [a for a in above if policy.can(request.user, Perm.WORK_VIEW, a)],
               "day_text": request.GET.get("day", ""), "active_menu": "rollups", "error": None}
    if "day" in request.GET:
        try:
            result = _rollup_of_day(unit, campaign, request.GET["day"], children, today)
        except (asof.DayError, past.TooLarge) as refused:
            context["error"] = str(refused)
        else:
            table = _FiguresTable(campaign, as_of=result.as_of)
            context |= {
                "day": result.as_of, "rollup": result, "children": result.children,
                "table_body": table.body(result), "table_totals": mark_safe(table.cells(result.figures)),
                "breakdowns": _breakdowns(result),
                "export_xlsx": f"{reverse('rollup-export', args=[unit.pk])}?"
                               f"{urlencode({'campaign': campaign.pk, 'as_of': result.as_of})}",
            }
    return render(request, "rollups/rollup_as_of.html", context, status=400 if context["error"] else 200)
