"""Pages of the spot checks (重点抽查): list, define (承诺), detail, draw (抽取), verify (核验), coverage.

Each write is refused (403 in the reader's scope, 404 outside it) before its input is read."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.core.errors import DomainError
from huitoukan.core.lights import LIGHT_LABELS
from huitoukan.ledgers.models import FourWinds, ItemStatus
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.models import Batch, Unit, UnitKind, UnitLevel
from huitoukan.supervision import spotchecks
from huitoukan.supervision.models import PopulationKind
from huitoukan.supervision.spotcheck_forms import SpotCheckForm

MENU = "supervision"


@require_GET
def spotcheck_list(request):
    """重点抽查: the spot checks the reader reads, and where they may define one."""
    policy.require_somewhere(request.user, Perm.WORK_VIEW)
    return render(request, "supervision/spotchecks/list.html", {
        "spot_checks": spotchecks.spot_checks_for(user=request.user)[:200],
        "orderable": spotchecks.orderable_units(user=request.user), "active_menu": MENU})


def _define_input(form) -> dict:
    data = form.cleaned_data
    return {"title": data["title"], "root": data["root"], "campaign": data["campaign"],
            "starts_on": data["starts_on"], "levels": data["levels"], "kinds": data["kinds"],
            "batches": data["batches"], "sectors": data["sectors"], "lights": data["lights"], "min_overdue": data["min_overdue"] or 0,
            "at_least_one_per_county": data["at_least_one_per_county"],
            "min_share_percent": data["min_share_percent"] or 0, "size": data["size"],
            "keys_always_in": data["keys_always_in"], "key_units": list(data["key_units"]),
            "exclude_sampled_last_time": data["exclude_sampled_last_time"], "team": data["team"],
            "per_inspector_max": data["per_inspector_max"], "population_kind": data["population_kind"] or PopulationKind.UNITS,
            "item_statuses": data["item_statuses"], "item_four_winds": data["item_four_winds"]}


@require_http_methods(["GET", "POST"])
def spotcheck_create(request):
    """定义重点抽查 by the office of `?unit=` (the ordering unit): commits a seed, shows its commitment."""
    ordering_unit = org_selectors.unit_get_for(user=request.user, pk=request.GET.get("unit"), perm=Perm.WORK_VIEW)
    policy.require(request.user, Perm.INSPECTION_ORDER, ordering_unit)
    form = SpotCheckForm(request.POST or None, ordering_unit=ordering_unit,
                         campaigns=spotchecks.campaigns_of(ordering_unit),
                         initial={"root": ordering_unit, "at_least_one_per_county": True, "keys_always_in": True})
    if request.method == "POST" and form.is_valid():
        try:
            spot_check = spotchecks.spotcheck_define(actor=request.user, ordering_unit=ordering_unit,
                                                     **_define_input(form))
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("抽查已定义，种子承诺值已记录。"))
            return redirect("spotcheck-detail", spot_check.pk)
    return render(request, "supervision/spotchecks/form.html", {
        "form": form, "ordering_unit": ordering_unit, "active_menu": MENU})


def _labels(values, choices) -> str:
    labels = dict(choices)
    return "、".join(str(labels.get(v, v)) for v in values) or _("不限")


@require_GET
def spotcheck_detail(request, pk):
    spot_check = spotchecks.spot_check_get_for(user=request.user, pk=pk)
    return render(request, "supervision/spotchecks/detail.html", {
        "sc": spot_check, "rows": spotchecks.sample_rows(spot_check),
        "population_size": spotchecks.population_size(spot_check),
        "items": spot_check.population_kind == PopulationKind.ITEMS,
        "item_statuses": [str(dict(ItemStatus.choices).get(v, v)) for v in spot_check.item_statuses],
        "item_four_winds": [str(dict(FourWinds.choices).get(v, v)) for v in spot_check.item_four_winds],
        "filters": [(_("层级"), _labels(spot_check.levels, UnitLevel.choices)),
                    (_("类型"), _labels(spot_check.kinds, UnitKind.choices)),
                    (_("批次"), _labels(spot_check.batches, Batch.choices)),
                    (_("行业系统"), _labels(spot_check.sectors, ())),
                    (_("红黄绿灯"), _labels(spot_check.lights, LIGHT_LABELS.items()))],
        "may_draw": not spot_check.is_drawn and spotchecks.draw_refusal(request.user, spot_check) is None,
        "entries": spotchecks.spot_check_history(user=request.user, spot_check=spot_check), "active_menu": MENU})


@require_POST
def spotcheck_draw(request, pk):
    spot_check = spotchecks.spot_check_get_for(user=request.user, pk=pk)
    spotchecks.raise_if(spotchecks.draw_refusal(request.user, spot_check))
    try:
        spotchecks.spotcheck_draw(actor=request.user, spot_check=spot_check)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已抽取，并已安排重点抽查督查。"))
    return redirect("spotcheck-detail", spot_check.pk)


@require_GET
def spotcheck_verify(request, pk):
    spot_check = spotchecks.spot_check_get_for(user=request.user, pk=pk)
    return render(request, "supervision/spotchecks/verify.html", {
        "sc": spot_check, "result": spotchecks.spotcheck_verify(spot_check), "active_menu": MENU})


def coverage_scope(user, params) -> tuple[Unit, object]:
    """The subtree (`unit`, else the reader's first unit) and the campaign (`campaign`, optional) of a
    coverage request, each 404 out of the reader's scope."""
    if params.get("unit"):
        root = org_selectors.unit_get_for(user=user, pk=params.get("unit"), perm=Perm.WORK_VIEW)
    else:
        policy.require_somewhere(user, Perm.WORK_VIEW)
        scope = policy.scope(user, Perm.WORK_VIEW)
        root = Unit.objects.filter(path__in=scope.prefixes).order_by("path").first() if scope.prefixes else None
        if root is None:
            root = Unit.objects.filter(depth=1).order_by("path").first()
    campaign = None
    if params.get("campaign"):
        campaign = campaign_selectors.campaign_get_for(user=user, pk=params.get("campaign"))
    return root, campaign


def _coverage_query(root, campaign, levels) -> str:
    """The coverage page's own query (unit, campaign, levels), for its drill-down links."""
    parts = [f"unit={root.pk}"] + ([f"campaign={campaign.pk}"] if campaign else []) + [f"level={lv}" for lv in levels]
    return "&".join(parts)


@require_GET
def spotcheck_coverage(request):
    """抽查覆盖情况: per county of a subtree (per unit on drill-down), over a campaign's drawn spot checks."""
    root, campaign = coverage_scope(request.user, request.GET)
    coverage = spotchecks.coverage_map(user=request.user, root=root, campaign=campaign,
                                       county=request.GET.get("county") or None, levels=request.GET.getlist("level"))
    scope = policy.scope(request.user, Perm.WORK_VIEW)
    roots = list(Unit.objects.filter(path__in=scope.prefixes).order_by("path")[:50]) if scope.prefixes else []
    return render(request, "supervision/spotchecks/coverage.html", {
        "coverage": coverage, "roots": roots, "units": coverage.units[:500], "campaign": campaign, "level_choices": UnitLevel.choices,
        "query": _coverage_query(root, campaign, coverage.levels),
        "campaigns": campaign_selectors.campaigns_visible(user=request.user), "active_menu": MENU})
