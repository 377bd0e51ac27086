"""The 任务书 import: errors by row and column, all or nothing, a preview that writes nothing, re-import a no-op."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huitoukan.plans import services
from huitoukan.plans.imports import plan_tasks_import, task_template_xlsx
from huitoukan.plans.models import PlanKind, PlanTask
from huitoukan.spreadsheets import xlsx_read
from tests.plans.world import build

HEAD = ["序号", "任务", "牵头单位", "责任人", "完成时限", "备注"]
GOOD = [
    [1, "压缩会议数量", "市委办", "彭光辉", "2015年3月31日", ""],
    [2, "精简文件简报", "市政府办", "李明", dt.datetime(2015, 2, 15), "每月通报"],
]


def xlsx(rows, *, title="涟源市整改方案任务书") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(HEAD)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def world(tree):
    return build(tree)


@pytest.fixture
def plan(world):
    return services.plan_create(actor=world.office, unit=world.tree.lianyuan, campaign=world.campaign,
                                kind=PlanKind.RECTIFICATION, title="整改方案")


def _import(world, plan, data, *, dry_run=False, actor=None):
    return plan_tasks_import(actor=actor or world.office, plan=plan, data=data, filename="任务书.xlsx",
                             dry_run=dry_run)


@pytest.mark.django_db
def test_a_filled_table_becomes_the_tasks_with_owners_found_by_name(world, plan):
    result = _import(world, plan, xlsx(GOOD))
    assert result.ok and result.committed and result.created == 2
    first, second = plan.tasks.order_by("order")
    assert (first.task, first.lead, first.owner, first.due_on) == ("压缩会议数量", "市委办", world.person,
                                                                   dt.date(2015, 3, 31))
    # a name nobody in the unit has stays as it was written
    assert (second.owner, second.owner_text, second.due_on, second.notes) == (None, "李明", dt.date(2015, 2, 15),
                                                                             "每月通报")
    assert first.history.first().history_user == world.office


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing(world, plan):
    data = xlsx(GOOD)
    _import(world, plan, data)
    before = PlanTask.history.count()
    again = _import(world, plan, data)
    assert again.ok and again.unchanged == 2 and not again.changed_rows
    assert PlanTask.history.count() == before


@pytest.mark.django_db
def test_a_changed_row_updates_its_task_and_keeps_its_done_flag(world, plan):
    _import(world, plan, xlsx(GOOD))
    task = plan.tasks.get(order=2)
    services.task_update(actor=world.office, task=task, spec=services.TaskSpec(
        task=task.task, lead=task.lead, owner_text=task.owner_text, due_on=task.due_on, done=True, notes=task.notes))
    result = _import(world, plan, xlsx([GOOD[0], [2, "精简文件简报", "市政府办", "李明", "2015-02-28", "每月通报"]]))
    assert (result.updated, result.unchanged) == (1, 1)
    assert result.rows[1].changes == ["完成时限：2015-02-15 → 2015-02-28"]
    task.refresh_from_db()
    assert task.due_on == dt.date(2015, 2, 28) and task.done


@pytest.mark.django_db
def test_errors_name_the_row_and_the_column_and_nothing_is_written(world, plan):
    rows = [
        GOOD[0],
        ["二", "精简文件简报", "", "", "", ""],
        [3, "", "", "", "", ""],
        [4, "建立长效机制", "", "", "2015-02-30", ""],
        [1, "重复的序号", "", "", "下个月", ""],
    ]
    result = _import(world, plan, xlsx(rows))
    # the title is row 1, the headings row 2: the data starts at row 3
    assert [str(e) for e in result.errors] == [
        "第4行 序号: “二”不是正整数。",
        "第5行 任务: 不能为空。",
        "第6行 完成时限: “2015-02-30”不是存在的日期。",
        "第7行 序号: 序号 1 与第3行重复。",
        "第7行 完成时限: “下个月”不是日期，请写成 2015-03-31 或 2015年3月31日。",
    ]
    assert not result.committed and not plan.tasks.exists()


@pytest.mark.django_db
def test_a_table_without_its_headings_is_refused_as_a_whole(world, plan):
    workbook = openpyxl.Workbook()
    workbook.active.append(["编号", "内容"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = _import(world, plan, buffer.getvalue())
    assert [str(e) for e in result.errors] == ["文件: 找不到任务书的表头：前 10 行中须有“序号”和“任务”两列。"]


@pytest.mark.django_db
def test_the_preview_runs_the_write_and_keeps_nothing(world, plan):
    result = _import(world, plan, xlsx(GOOD), dry_run=True)
    assert result.ok and result.created == 2 and not result.committed
    assert not plan.tasks.exists() and not PlanTask.history.exists()


@pytest.mark.django_db
def test_a_rule_of_the_service_refuses_the_whole_file(world, plan, monkeypatch):
    # given a task whose owner the service refuses at write time (a person outside the unit)
    monkeypatch.setattr("huitoukan.plans.imports._owner", lambda plan, name: world.person_elsewhere if name else None)
    result = _import(world, plan, xlsx(GOOD))
    assert [str(e) for e in result.errors] == ["第3行 任务: 责任人“贺军”不在“娄底市/涟源市”及其下级单位中。"]
    assert not plan.tasks.exists()


@pytest.mark.django_db
def test_the_blank_template_is_read_by_the_import(world, plan):
    data = task_template_xlsx()
    assert xlsx_read(data)[0].rows[1] == HEAD
    result = _import(world, plan, data, dry_run=True)
    assert result.ok and result.created == 1


@pytest.mark.django_db
def test_the_import_page_previews_then_confirms(client, world, plan):
    client.force_login(world.filler)
    url = f"/plans/tasks/import/?plan={plan.pk}"
    preview = client.post(url, {"file": SimpleUploadedFile("任务书.xlsx", xlsx(GOOD))})
    assert preview.status_code == 200 and preview.context["token"]
    assert not plan.tasks.exists()
    confirmed = client.post(url, {"token": preview.context["token"]})
    assert confirmed.status_code == 302 and confirmed["Location"] == f"/plans/{plan.pk}/"
    assert plan.tasks.count() == 2


@pytest.mark.django_db
def test_the_import_page_shows_the_errors_by_row(client, world, plan):
    client.force_login(world.filler)
    response = client.post(f"/plans/tasks/import/?plan={plan.pk}",
                           {"file": SimpleUploadedFile("任务书.xlsx", xlsx([[1, "", "", "", "", ""]]))})
    assert response.status_code == 200 and not response.context["token"]
    assert "第3行" in response.content.decode() and "不能为空" in response.content.decode()
