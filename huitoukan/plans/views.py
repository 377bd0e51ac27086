"""The plan pages. Thin: parse the request, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns.selectors import campaign_get_for, campaigns_visible
from huitoukan.core.http import content_disposition
from huitoukan.core.import_pages import ImportPage
from huitoukan.core.lights import light_for
from huitoukan.core.pages import form_page, saved
from huitoukan.core.pickers import unit_picker
from huitoukan.orgs import selectors as org_selectors
from huitoukan.plans import imports, rules, selectors, services
from huitoukan.plans.files import plan_file_path
from huitoukan.plans.forms import (
    FileForm,
    LinkItemsForm,
    PlanForm,
    StepForm,
    TaskForm,
    TaskImportForm,
)
from huitoukan.plans.models import PlanKind, PlanStep, PlanTask

MENU = "plans"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _applying(user, unit) -> list:
    """The campaigns the reader sees that the unit takes part in (run by it or above it), newest first."""
    return [c for c in campaigns_visible(user=user) if unit.path.startswith(c.owner_unit.path)]


def _list_url(plan_or_unit, campaign) -> str:
    unit_pk = getattr(plan_or_unit, "unit_id", None) or plan_or_unit.pk
    return f"{reverse('plan-list')}?unit={unit_pk}&campaign={campaign.pk}"


@require_GET
def plan_list(request):
    """A unit's four documents in a campaign; the unit and campaign from the query, else the reader's first."""
    user = request.user
    if request.GET.get("unit"):
        unit = org_selectors.unit_get_for(user=user, pk=request.GET["unit"], perm=Perm.WORK_VIEW)
    else:
        policy.require_somewhere(user, Perm.WORK_VIEW)
        tops = org_selectors.top_units(user, Perm.WORK_VIEW)
        if not tops:
            raise Http404
        unit = tops[0]
    campaigns = _applying(user, unit)
    campaign = campaign_get_for(user=user, pk=request.GET["campaign"]) if request.GET.get("campaign") else None
    if campaign is None or campaign not in campaigns:
        # Another unit was picked: its own newest campaign, not one it takes no part in.
        campaign = campaigns[0] if campaigns else None
    plans = selectors.plans_for(unit, campaign) if campaign is not None else []
    units = org_selectors.units_visible_to(user=user, perm=Perm.WORK_VIEW).filter(abolished_on__isnull=True)
    return render(request, "plans/plan_list.html", {
        "unit": unit, "campaign": campaign, "campaigns": campaigns, "slots": selectors.plan_slots(plans),
        "unit_widget": unit_picker(units).render("unit", unit.pk, {"id": "plan-unit"}),
        "may_edit": policy.can(user, Perm.LEDGER_EDIT, unit), "active_menu": MENU})


@require_http_methods(["GET", "POST"])
def plan_create(request):
    user = request.user
    unit = org_selectors.unit_get_for(user=user, pk=request.GET.get("unit"), perm=Perm.LEDGER_EDIT)
    campaign = campaign_get_for(user=user, pk=request.GET.get("campaign"))
    if request.GET.get("kind") not in PlanKind.values:
        raise Http404
    kind = PlanKind(request.GET["kind"])
    form = PlanForm(request.POST or None, initial={"title": f"{unit.name}{kind.label}"})

    def write(data):
        plan = services.plan_create(actor=user, unit=unit, campaign=campaign, kind=kind, **data)
        return saved(request, _("已新建%(kind)s。") % {"kind": kind.label}, "plan-detail", plan.pk)

    return form_page(request, form, write, "plans/plan_form.html", {
        "unit": unit, "campaign": campaign, "kind_label": kind.label, "plan": None, "active_menu": MENU})


@require_GET
def plan_detail(request, pk):
    plan = selectors.plan_get_for(user=request.user, pk=pk, children=True)
    today = timezone.localdate()
    return render(request, "plans/plan_detail.html", {
        "plan": plan,
        # Sanitized again as it is shown: no row, however it was written, reaches the page unsanitized.
        "body_html": mark_safe(rules.body_clean(plan.body)),  # noqa: S308
        "timeline": [(t, light_for(due_on=t.due_on, today=today, closed=t.done)) for t in selectors.timeline(plan)],
        "may_edit": policy.can(request.user, Perm.LEDGER_EDIT, plan.unit),
        "may_see_history": policy.can(request.user, Perm.HISTORY_VIEW, plan.unit),
        "list_url": _list_url(plan, plan.campaign), "active_menu": MENU})


def _editable(request, pk):
    return selectors.plan_get_for(user=request.user, pk=pk, perm=Perm.LEDGER_EDIT)


@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    plan = _editable(request, pk)
    form = PlanForm(request.POST or None, initial={"title": plan.title, "body": rules.body_for_editing(plan.body)})

    def write(data):
        services.plan_update(actor=request.user, plan=plan, **data)
        return saved(request, _("已保存。"), "plan-detail", plan.pk)

    return form_page(request, form, write, "plans/plan_form.html", {
        "unit": plan.unit, "campaign": plan.campaign, "kind_label": plan.get_kind_display(), "plan": plan,
        "active_menu": MENU})


@require_http_methods(["GET", "POST"])
def plan_items(request, pk):
    plan = _editable(request, pk)
    if request.method == "POST":
        # Ids in the body are checked like ids in URLs: absent or out of scope answers 404.
        selectors.items_named_for(user=request.user, plan=plan, ids=request.POST.getlist("items"))
    form = LinkItemsForm(request.POST or None, items=selectors.linkable_items(plan),
                         initial={"items": list(plan.items.values_list("pk", flat=True))})

    def write(data):
        services.plan_link_items(actor=request.user, plan=plan, items=data["items"])
        return saved(request, _("已保存关联的整改事项。"), "plan-detail", plan.pk)

    return form_page(request, form, write, "plans/part_form.html", {
        "plan": plan, "what": _("关联整改事项"), "active_menu": MENU})


@require_http_methods(["GET", "POST"])
def plan_file(request, pk):
    plan = _editable(request, pk)
    form = FileForm(request.POST or None, request.FILES or None)

    def write(data):
        services.plan_file_attach(actor=request.user, plan=plan, upload=data["file"])
        return saved(request, _("已上传附件。"), "plan-detail", plan.pk)

    return form_page(request, form, write, "plans/part_form.html", {
        "plan": plan, "what": _("上传附件"), "multipart": True, "active_menu": MENU})


@require_GET
def plan_file_download(request, pk):
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    path = plan_file_path(plan.file_sha256) if plan.file_sha256 else None
    if path is None or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=plan.file_name,
                        content_type=plan.file_content_type)


@require_GET
def plan_history(request, pk):
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    if not policy.can(request.user, Perm.HISTORY_VIEW, plan.unit):
        raise policy.Forbidden(Perm.HISTORY_VIEW, plan.unit)
    return render(request, "plans/plan_history.html", {
        "plan": plan, "entries": selectors.plan_history(plan), "active_menu": MENU})


# --- 路线图 ---------------------------------------------------------------------------------------------


def _step_page(request, plan, step):
    initial = {} if step is None else {"order": step.order, "title": step.title, "description": step.description}
    form = StepForm(request.POST or None, initial=initial)

    def write(data):
        if step is None:
            services.step_add(actor=request.user, plan=plan, title=data["title"], description=data["description"],
                              order=data["order"])
        else:
            services.step_update(actor=request.user, step=step, title=data["title"],
                                 description=data["description"], order=data["order"] or step.order)
        return saved(request, _("已保存路线图步骤。"), "plan-detail", plan.pk)

    return form_page(request, form, write, "plans/part_form.html", {
        "plan": plan, "what": _("添加路线图步骤") if step is None else _("修改路线图步骤"), "active_menu": MENU})


@require_http_methods(["GET", "POST"])
def step_add(request, pk):
    return _step_page(request, _editable(request, pk), None)


@require_http_methods(["GET", "POST"])
def step_edit(request, pk, step_pk):
    plan = _editable(request, pk)
    return _step_page(request, plan, get_object_or_404(PlanStep, plan=plan, pk=step_pk))


@require_POST
def step_delete(request, pk, step_pk):
    plan = _editable(request, pk)
    step = get_object_or_404(PlanStep, plan=plan, pk=step_pk)
    services.step_delete(actor=request.user, step=step)
    return saved(request, _("已删除路线图步骤。"), "plan-detail", plan.pk)


# --- 任务书 ---------------------------------------------------------------------------------------------


def _task_page(request, plan, task):
    initial = {} if task is None else {
        "order": task.order, "task": task.task, "lead": task.lead, "owner": task.owner_id,
        "owner_text": task.owner_text if task.owner_id is None or task.owner_text != task.owner.name else "",
        "due_on": task.due_on, "done": task.done, "notes": task.notes}
    people = org_selectors.people_visible_to(user=request.user).filter(unit__path__startswith=plan.unit.path)
    form = TaskForm(request.POST or None, initial=initial, people=people, unit=plan.unit)

    def write(data):
        order = data.pop("order")
        spec = services.TaskSpec(**data)
        if task is None:
            services.task_add(actor=request.user, plan=plan, spec=spec, order=order)
        else:
            services.task_update(actor=request.user, task=task, spec=spec, order=order)
        return saved(request, _("已保存任务。"), "plan-detail", plan.pk)

    return form_page(request, form, write, "plans/part_form.html", {
        "plan": plan, "what": _("添加任务") if task is None else _("修改任务"), "active_menu": MENU})


@require_http_methods(["GET", "POST"])
def task_add(request, pk):
    return _task_page(request, _editable(request, pk), None)


@require_http_methods(["GET", "POST"])
def task_edit(request, pk, task_pk):
    plan = _editable(request, pk)
    return _task_page(request, plan, get_object_or_404(PlanTask.objects.select_related("owner"), plan=plan,
                                                       pk=task_pk))


@require_POST
def task_delete(request, pk, task_pk):
    plan = _editable(request, pk)
    task = get_object_or_404(PlanTask, plan=plan, pk=task_pk)
    services.task_delete(actor=request.user, task=task)
    return saved(request, _("已删除任务。"), "plan-detail", plan.pk)


# --- 任务书 import --------------------------------------------------------------------------------------

IMPORT_PAGE = ImportPage("plan-task-import", template="plans/task_import.html", active_menu=MENU,
                         max_bytes=imports.max_bytes)


@require_http_methods(["GET", "POST"])
def task_import(request):
    """Upload → preview (the real write, rolled back) → 确认导入. The plan is named by ?plan=; the confirmation
    imports into the plan kept with the previewed upload, checked again."""
    user = request.user
    if "token" in request.POST:
        choice = request.session.get(IMPORT_PAGE.choice_key) or {}
        if not choice.get("plan"):
            messages.error(request, _("待导入的文件已失效，请重新上传。"))
            return redirect("plan-list")
        plan = selectors.plan_get_for(user=user, pk=choice["plan"], perm=Perm.LEDGER_EDIT)

        def commit(request, data, filename, choice):
            return imports.plan_tasks_import(actor=user, plan=plan, data=data, filename=filename, dry_run=False,
                                             request=request)

        def done(request, result, filename):
            return saved(request, _("已导入“%(file)s”：新增 %(created)d 项，修改 %(updated)d 项，%(unchanged)d 项不变。")
                         % {"file": filename, "created": result.created, "updated": result.updated,
                            "unchanged": result.unchanged}, "plan-detail", plan.pk)

        return IMPORT_PAGE.confirm(request, commit, done, form=TaskImportForm(), plan=plan)
    if not request.GET.get("plan"):
        policy.require_somewhere(user, Perm.LEDGER_EDIT)
        messages.info(request, _("请在方案页面的任务书处点击“导入”。"))
        return redirect("plan-list")
    plan = selectors.plan_get_for(user=user, pk=request.GET["plan"], perm=Perm.LEDGER_EDIT)
    form = TaskImportForm(request.POST or None, request.FILES or None)
    if request.method == "GET" or not form.is_valid():
        return IMPORT_PAGE.render(request, form=form, plan=plan)
    upload = form.cleaned_data["file"]
    content = IMPORT_PAGE.read(upload)
    result = imports.plan_tasks_import(actor=user, plan=plan, data=content, filename=upload.name, dry_run=True)
    token = IMPORT_PAGE.keep(request, result, data=content, filename=upload.name, plan=plan.pk)
    return IMPORT_PAGE.render(request, result, token, form=form, plan=plan)


@require_GET
def task_template(request):
    """The blank 任务书 for whoever may import one."""
    policy.require_somewhere(request.user, Perm.LEDGER_EDIT)
    response = HttpResponse(imports.task_template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition("任务书模板.xlsx", "plan-tasks")
    return response
