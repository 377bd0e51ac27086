"""Route × role rows of the plans (merged into tests/test_route_table.py).

Plans are business data of their unit: the business roles read them (WORK_VIEW) and the unit's
活动办 and 单位填报员 write them (LEDGER_EDIT); the other readers are refused with 403, the 三员 and a
login without a role get 404, and 娄星区's plan (the "out" side) is 404 to all. The rows act on the
side's 整改方案 of its county in its campaign, with two 路线图 steps, two tasks, a linked item and a file.
"""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from huitoukan.plans import services
from huitoukan.plans.models import Plan, PlanKind, PlanStep, PlanTask
from tests.route_types import (
    EDITORS,
    HISTORY_READERS,
    SIDE_BUILDERS,
    WORK_READERS,
    Route,
    previewed,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HISTORY = HISTORY_READERS & WORK_READERS


def _build(inn, out, users, tree) -> None:
    for side in (inn, out):
        plan = services.plan_create(actor=None, unit=side.county, campaign=side.campaign,
                                    kind=PlanKind.RECTIFICATION, title=f"{side.county.name}整改方案",
                                    body="<p>一、总体要求</p>")
        side.plan_step = services.step_add(actor=None, plan=plan, title="动员部署")
        services.step_add(actor=None, plan=plan, title="查摆问题")
        side.plan_task = services.task_add(actor=None, plan=plan, spec=services.TaskSpec(task="压缩会议数量"))
        services.task_add(actor=None, plan=plan, spec=services.TaskSpec(task="精简文件简报"))
        services.plan_link_items(actor=None, plan=plan, items=[side.item])
        services.plan_file_attach(actor=None, plan=plan,
                                  upload=SimpleUploadedFile("整改方案.pdf", PDF, content_type="application/pdf"))
        side.plan = plan


SIDE_BUILDERS.append(_build)


def _by(obj) -> bool:
    """Written, and its history names the writer (the 活动办's or the 填报员's login)."""
    return obj is not None and obj.history.filter(history_user__username__in=[r.value for r in EDITORS]).exists()


def _plan(s, **filters) -> Plan | None:
    return Plan.objects.filter(pk=s.plan.pk, **filters).first()


def _pdf(s) -> dict:
    return {"file": SimpleUploadedFile("新方案.pdf", PDF, content_type="application/pdf")}


def _tasks_xlsx(s) -> dict:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["序号", "任务", "牵头单位", "责任人", "完成时限", "备注"])
    sheet.append([3, "建立长效机制", "市委办", "李明", "2015年3月31日", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return {"file": SimpleUploadedFile("任务书.xlsx", buffer.getvalue(), content_type=XLSX)}


def _page(pattern: str):
    return lambda s, p=pattern: p.format(p=s.plan.pk, u=s.county.pk, c=s.campaign.pk, step=s.plan_step.pk,
                                         task=s.plan_task.pk)


def _api(pattern: str):
    return lambda s, p=pattern: "/api/v1/" + p.format(p=s.plan.pk, u=s.county.pk, c=s.campaign.pk,
                                                      step=s.plan_step.pk, task=s.plan_task.pk)


def _edit(path, **kwargs) -> Route:
    return Route(path, EDITORS, readers=WORK_READERS, **kwargs)


ROUTES: dict = {
    ("plan-list", "GET"): Route(_page("/plans/?unit={u}&campaign={c}"), WORK_READERS),
    ("plan-create", "GET"): _edit(_page("/plans/new/?unit={u}&campaign={c}&kind=report")),
    ("plan-create", "POST"): _edit(
        _page("/plans/new/?unit={u}&campaign={c}&kind=report"), ok_status=302,
        body=lambda s: {"title": "回头看情况报告", "body": "一、基本情况"},
        done=lambda s, r: _by(Plan.objects.filter(unit=s.county, campaign=s.campaign, kind="report").first())),
    ("plan-detail", "GET"): Route(_page("/plans/{p}/"), WORK_READERS),
    ("plan-history", "GET"): Route(_page("/plans/{p}/history/"), HISTORY, readers=WORK_READERS),
    ("plan-edit", "GET"): _edit(_page("/plans/{p}/edit/")),
    ("plan-edit", "POST"): _edit(
        _page("/plans/{p}/edit/"), ok_status=302, body=lambda s: {"title": "整改方案（修订）", "body": "<p>修订</p>"},
        done=lambda s, r: _by(_plan(s, title="整改方案（修订）"))),
    ("plan-items", "GET"): _edit(_page("/plans/{p}/items/")),
    ("plan-items", "POST"): _edit(
        _page("/plans/{p}/items/"), ok_status=302, body=lambda s: {"items": [s.item.pk, s.closable.pk]},
        done=lambda s, r: set(s.plan.items.values_list("pk", flat=True)) == {s.item.pk, s.closable.pk}),
    ("plan-file", "GET"): _edit(_page("/plans/{p}/file/")),
    ("plan-file", "POST"): _edit(_page("/plans/{p}/file/"), ok_status=302, body=_pdf,
                                 done=lambda s, r: _plan(s, file_name="新方案.pdf") is not None),
    ("plan-file-download", "GET"): Route(_page("/plans/{p}/file/download/"), WORK_READERS),
    ("plan-step-add", "GET"): _edit(_page("/plans/{p}/steps/new/")),
    ("plan-step-add", "POST"): _edit(
        _page("/plans/{p}/steps/new/"), ok_status=302, body=lambda s: {"title": "整改落实", "description": ""},
        done=lambda s, r: _by(s.plan.steps.filter(title="整改落实", order=3).first())),
    ("plan-step-edit", "GET"): _edit(_page("/plans/{p}/steps/{step}/edit/")),
    ("plan-step-edit", "POST"): _edit(
        _page("/plans/{p}/steps/{step}/edit/"), ok_status=302,
        body=lambda s: {"order": 1, "title": "动员部署", "description": "召开动员大会"},
        done=lambda s, r: _by(s.plan.steps.filter(description="召开动员大会").first())),
    ("plan-step-delete", "POST"): _edit(
        _page("/plans/{p}/steps/{step}/delete/"), ok_status=302,
        done=lambda s, r: not PlanStep.objects.filter(pk=s.plan_step.pk).exists()),
    ("plan-task-add", "GET"): _edit(_page("/plans/{p}/tasks/new/")),
    ("plan-task-add", "POST"): _edit(
        _page("/plans/{p}/tasks/new/"), ok_status=302,
        body=lambda s: {"task": "建立长效机制", "lead": "市委办", "owner_text": "李明", "due_on": "2015-03-31",
                        "notes": ""},
        done=lambda s, r: _by(s.plan.tasks.filter(task="建立长效机制", order=3).first())),
    ("plan-task-edit", "GET"): _edit(_page("/plans/{p}/tasks/{task}/edit/")),
    ("plan-task-edit", "POST"): _edit(
        _page("/plans/{p}/tasks/{task}/edit/"), ok_status=302,
        body=lambda s: {"order": 1, "task": "压缩会议数量", "lead": "市委办", "due_on": "2015-02-28", "done": "on",
                        "notes": ""},
        done=lambda s, r: _by(s.plan.tasks.filter(pk=s.plan_task.pk, done=True).first())),
    ("plan-task-delete", "POST"): _edit(
        _page("/plans/{p}/tasks/{task}/delete/"), ok_status=302,
        done=lambda s, r: not PlanTask.objects.filter(pk=s.plan_task.pk).exists()),
    ("plan-task-import", "GET"): _edit(_page("/plans/tasks/import/?plan={p}")),
    ("plan-task-import", "POST"): _edit(_page("/plans/tasks/import/?plan={p}"), body=_tasks_xlsx, done=previewed),
    # The blank 任务书 is about no one plan: 403 to whoever reads plans, 404 to anybody else.
    ("plan-task-template", "GET"): _edit(lambda s: "/plans/tasks/template/", out=False),
    # --- the API ---
    ("api-plan-list", "GET"): Route(_api("plans/?unit={u}&campaign={c}"), WORK_READERS, api=True),
    ("api-plan-list", "POST"): _edit(
        _api("plans/"), api=True, ok_status=201,
        body=lambda s: {"unit": s.county.pk, "campaign": s.campaign.pk, "kind": "special", "title": "专项整治方案"},
        done=lambda s, r: r.json()["kind"] == "special" and _by(Plan.objects.get(pk=r.json()["id"]))),
    ("api-plan-detail", "GET"): Route(_api("plans/{p}/"), WORK_READERS, api=True),
    ("api-plan-detail", "PATCH"): _edit(
        _api("plans/{p}/"), api=True, body=lambda s: {"title": "整改方案（修订）", "item_ids": [s.closable.pk]},
        done=lambda s, r: r.json()["item_ids"] == [s.closable.pk] and _by(_plan(s, title="整改方案（修订）"))),
    ("api-plan-tasks", "POST"): _edit(
        _api("plans/{p}/tasks/"), api=True, ok_status=201, body=lambda s: {"task": "建立长效机制", "due_on": "2015-03-31"},
        done=lambda s, r: r.json()["order"] == 3 and _by(PlanTask.objects.get(pk=r.json()["id"]))),
    ("api-plan-task-detail", "PATCH"): _edit(
        _api("plan-tasks/{task}/"), api=True, body=lambda s: {"done": True},
        done=lambda s, r: r.json()["done"] is True and _by(PlanTask.objects.get(pk=s.plan_task.pk))),
    ("api-plan-task-detail", "DELETE"): _edit(
        _api("plan-tasks/{task}/"), api=True, ok_status=204,
        done=lambda s, r: not PlanTask.objects.filter(pk=s.plan_task.pk).exists()),
    ("api-plan-steps", "POST"): _edit(
        _api("plans/{p}/steps/"), api=True, ok_status=201, body=lambda s: {"title": "整改落实"},
        done=lambda s, r: r.json()["order"] == 3 and _by(PlanStep.objects.get(pk=r.json()["id"]))),
    ("api-plan-step-detail", "PATCH"): _edit(
        _api("plan-steps/{step}/"), api=True, body=lambda s: {"description": "召开动员大会"},
        done=lambda s, r: _by(PlanStep.objects.get(pk=s.plan_step.pk, description="召开动员大会"))),
    ("api-plan-step-detail", "DELETE"): _edit(
        _api("plan-steps/{step}/"), api=True, ok_status=204,
        done=lambda s, r: not PlanStep.objects.filter(pk=s.plan_step.pk).exists()),
}
