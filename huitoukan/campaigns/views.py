from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns import selectors, services
from huitoukan.campaigns.forms import CampaignCopyForm, CampaignForm, DeadlineForm, PhaseForm
from huitoukan.campaigns.models import Deadline, Phase
from huitoukan.core.pages import form_page, saved
from huitoukan.orgs import selectors as org_selectors


@require_GET
def campaign_list(request):
    policy.require_somewhere(request.user, Perm.CAMPAIGN_VIEW)
    today = timezone.localdate()
    visible = selectors.campaigns_visible(user=request.user)
    campaigns = selectors.current_phases(visible, today)
    return render(request, "campaigns/campaign_list.html", {
        "campaigns": campaigns, "may_create": selectors.may_create_campaigns(user=request.user),
        "active_menu": "campaigns"})


@require_GET
def campaign_detail(request, pk):
    campaign = selectors.campaign_get_for(user=request.user, pk=pk)
    if campaign.parent_id:
        campaign.shown_parent = next((c for c in selectors.campaigns_visible(user=request.user)
                                      if c.pk == campaign.parent_id), None)
    today = timezone.localdate()
    deadlines = [
        (
            d,
            selectors.light_for(due_on=d.due_on, today=today),
            selectors.deadline_expected_units_for(user=request.user, deadline=d).count(),
        )
        for d in campaign.deadlines.select_related("phase", "campaign__owner_unit")
    ]
    for d, _light, _count in deadlines:
        d.target_text = selectors.deadline_target_text(d)
        d.steps_text = selectors.reminder_steps_text(d.reminder_steps)
    context = {
        "campaign": campaign,
        "phases": campaign.phases.all(),
        "current_phase": selectors.current_phase(campaign, today),
        "deadlines": deadlines,
        "today": today,
        "may_manage": selectors.campaign_may_manage(user=request.user, campaign=campaign),
        "may_copy": selectors.may_create_campaigns(user=request.user),
        "review_text": selectors.review_levels_text(campaign),
        "item_steps_text": selectors.reminder_steps_text(campaign.item_reminder_steps),
        "active_menu": "campaigns",
    }
    return render(request, "campaigns/campaign_detail.html", context)


# --- managing campaigns, phases and deadlines (活动办, over the campaign's owner unit) ---


CAMPAIGN_FIELDS = ("name", "batch", "starts_on", "ends_on", "basis", "description", "parent", "review_levels",
                   "group_audit", "item_reminder_steps", "recheck_months", "recheck_ask_public")


def _campaign_values(data) -> dict:
    return {k: data[k] for k in CAMPAIGN_FIELDS}


def _parent_choices(user):
    return selectors.campaigns_visible_to(user=user)


@require_http_methods(["GET", "POST"])
def campaign_create(request):
    # The form names its owner unit: refused there (404 out of scope, 403 in it) before it is read.
    org_selectors.require_on_named_unit(user=request.user, perm=Perm.CAMPAIGN_MANAGE,
                                        pk=request.POST.get("owner_unit"))
    units = org_selectors.units_visible_to(user=request.user, perm=Perm.CAMPAIGN_MANAGE).filter(
        abolished_on__isnull=True)
    form = CampaignForm(request.POST or None, initial={"owner_unit": request.GET.get("unit")}, units=units,
                        campaigns=_parent_choices(request.user), phase_rows=True)

    def write(data):
        campaign = services.campaign_create(actor=request.user, owner_unit=data["owner_unit"],
                                            phases=[services.PhaseSpec(**p) for p in data["phases"]],
                                            **_campaign_values(data))
        return saved(request, _("已新建活动“%(name)s”，请添加阶段和报送时限。") % {"name": campaign.name},
                     "campaign-detail", campaign.pk)

    return form_page(request, form, write, "campaigns/campaign_form.html",
                     {"campaign": None, "active_menu": "campaigns"})


@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk):
    campaign = selectors.campaign_get_for(user=request.user, pk=pk, perm=Perm.CAMPAIGN_MANAGE)
    initial = {k: getattr(campaign, k) for k in CAMPAIGN_FIELDS if k != "item_reminder_steps"}
    form = CampaignForm(request.POST or None, initial=initial,
                        campaigns=_parent_choices(request.user).exclude(pk=campaign.pk),
                        steps=campaign.item_reminder_steps)

    def write(data):
        services.campaign_update(actor=request.user, campaign=campaign, **_campaign_values(data))
        return saved(request, _("已保存。"), "campaign-detail", campaign.pk)

    return form_page(request, form, write, "campaigns/campaign_form.html",
                     {"campaign": campaign, "active_menu": "campaigns"})


def _phase_page(request, campaign, phase):
    initial = {} if phase is None else {"name": phase.name, "starts_on": phase.starts_on, "ends_on": phase.ends_on,
                                        "tasks": phase.tasks}
    form = PhaseForm(request.POST or None, initial=initial)

    def write(data):
        spec = services.PhaseSpec(**data)
        if phase is None:
            services.phase_add(actor=request.user, campaign=campaign, spec=spec)
        else:
            services.phase_update(actor=request.user, phase=phase, spec=spec)
        return saved(request, _("已保存阶段“%(name)s”。") % {"name": spec.name}, "campaign-detail", campaign.pk)

    return form_page(request, form, write, "campaigns/part_form.html",
                     {"campaign": campaign, "part": phase, "what": _("阶段"), "active_menu": "campaigns"})


def _part(campaign, model, pk):
    return get_object_or_404(model, campaign=campaign, pk=pk)


@require_http_methods(["GET", "POST"])
def phase_add(request, pk):
    campaign = selectors.campaign_get_for(user=request.user, pk=pk, perm=Perm.CAMPAIGN_MANAGE)
    return _phase_page(request, campaign, None)


@require_http_methods(["GET", "POST"])
def phase_edit(request, pk, phase_pk):
    campaign = selectors.campaign_get_for(user=request.user, pk=pk, perm=Perm.CAMPAIGN_MANAGE)
    return _phase_page(request, campaign, _part(campaign, Phase, phase_pk))


def _confirm(request, campaign, what, part, consequence):
    """A delete's confirmation: a page whose button POSTs to the same address (no script needed)."""
    return render(request, "campaigns/confirm_delete.html", {
        "campaign": campaign, "what": what, "part": part, "consequence": consequence, "active_menu": "campaigns"})


@require_http_methods(["GET", "POST"])
def phase_delete(request, pk, phase_pk):
    campaign = selectors.campaign_get_for(user=request.user, pk=pk, perm=Perm.CAMPAIGN_MANAGE)
    phase = _part(campaign, Phase, phase_pk)
    if request.method == "GET":
        return _confirm(request, campaign, _("阶段"), phase, _("其下的报送时限保留，不再属于任何阶段。"))
    services.phase_delete(actor=request.user, phase=phase)
    return saved(request, _("已删除阶段“%(name)s”。") % {"name": phase.name}, "campaign-detail", campaign.pk)


def _deadline_page(request, campaign, deadline):
    initial = {} if deadline is None else {
        "name": deadline.name, "due_on": deadline.due_on, "levels": deadline.levels,
        "phase": deadline.phase.name if deadline.phase else "", "basis": deadline.basis,
        "target_rule": deadline.target_rule, "kinds": deadline.kinds, "contents": deadline.contents}
    form = DeadlineForm(request.POST or None, initial=initial, phases=campaign.phases.all(),
                        steps=None if deadline is None else deadline.reminder_steps)

    def write(data):
        spec = services.DeadlineSpec(name=data["name"], due_on=data["due_on"], levels=list(data["levels"]),
                                     phase_name=data["phase"], basis=data["basis"], target_rule=data["target_rule"],
                                     kinds=list(data["kinds"]), contents=list(data["contents"]),
                                     reminder_steps=data["reminder_steps"])
        if deadline is None:
            services.deadline_add(actor=request.user, campaign=campaign, spec=spec)
        else:
            services.deadline_update(actor=request.user, deadline=deadline, spec=spec)
        return saved(request, _("已保存报送时限“%(name)s”。") % {"name": spec.name}, "campaign-detail", campaign.pk)

    return form_page(request, form, write, "campaigns/part_form.html",
                     {"campaign": campaign, "part": deadline, "what": _("报送时限"), "active_menu": "campaigns"})


@require_http_methods(["GET", "POST"])
def deadline_add(request, pk):
    campaign = selectors.campaign_get_for(user=request.user, pk=pk, perm=Perm.CAMPAIGN_MANAGE)
    return _deadline_page(request, campaign, None)


@require_http_methods(["GET", "POST"])
def deadline_edit(request, pk, deadline_pk):
    campaign = selectors.campaign_get_for(user=request.user, pk=pk, perm=Perm.CAMPAIGN_MANAGE)
    return _deadline_page(request, campaign, _part(campaign, Deadline, deadline_pk))


@require_http_methods(["GET", "POST"])
def deadline_delete(request, pk, deadline_pk):
    campaign = selectors.campaign_get_for(user=request.user, pk=pk, perm=Perm.CAMPAIGN_MANAGE)
    deadline = _part(campaign, Deadline, deadline_pk)
    if request.method == "GET":
        return _confirm(request, campaign, _("报送时限"), deadline, "")
    services.deadline_delete(actor=request.user, deadline=deadline)
    return saved(request, _("已删除报送时限“%(name)s”。") % {"name": deadline.name}, "campaign-detail", campaign.pk)


@require_http_methods(["GET", "POST"])
def campaign_copy(request, pk):
    """据此建立本单位活动: a campaign the reader sees becomes a new one of a unit where they manage campaigns."""
    source = selectors.campaign_get_for(user=request.user, pk=pk)
    org_selectors.require_on_named_unit(user=request.user, perm=Perm.CAMPAIGN_MANAGE,
                                        pk=request.POST.get("owner_unit"))
    units = org_selectors.units_visible_to(user=request.user, perm=Perm.CAMPAIGN_MANAGE).filter(
        abolished_on__isnull=True)
    mine = next((u for u in units[:1]), None)
    form = CampaignCopyForm(request.POST or None, units=units, initial={
        "owner_unit": mine.pk if mine else None, "name": source.name, "starts_on": source.starts_on,
        "with_deadlines": False})

    def write(data):
        campaign = services.campaign_copy(actor=request.user, source=source, owner_unit=data["owner_unit"],
                                          name=data["name"], starts_on=data["starts_on"],
                                          with_deadlines=data["with_deadlines"])
        return saved(request, _("已据“%(source)s”建立活动“%(name)s”，请添加本单位的报送时限。")
                     % {"source": source.name, "name": campaign.name}, "campaign-detail", campaign.pk)

    return form_page(request, form, write, "campaigns/campaign_copy.html",
                     {"source": source, "active_menu": "campaigns"})
