"""The plans' rules, through the services the pages, the API and the import share."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.http import Http404

from huitoukan.access.models import Role
from huitoukan.access.policy import Forbidden, Perm
from huitoukan.plans import selectors, services
from huitoukan.plans.errors import PlanError, PlanErrorCode
from huitoukan.plans.files import plan_file_path
from huitoukan.plans.models import Plan, PlanKind, PlanStep, PlanTask
from huitoukan.plans.rules import body_clean, body_text
from tests.plans.world import build, docx, docx_bytes, pdf, plan_with_parts


@pytest.fixture
def world(tree):
    return build(tree)


def _create(world, actor, *, unit=None, campaign=None, kind=PlanKind.RECTIFICATION, body=""):
    return services.plan_create(actor=actor, unit=unit or world.tree.lianyuan, campaign=campaign or world.campaign,
                                kind=kind, title="整改方案", body=body)


# --- who may write -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["office", "filler"])
def test_the_units_office_and_filler_write_its_plans(world, who):
    # when the unit's office or filler creates a plan
    plan = _create(world, getattr(world, who))
    # then it is written, with its author named in the row and the history
    assert plan.created_by == getattr(world, who)
    assert plan.history.first().history_user == getattr(world, who)


@pytest.mark.django_db
def test_an_office_above_writes_the_plans_below(world, make_user):
    city_office = make_user(Role.CAMPAIGN_OFFICE, world.tree.city)
    assert _create(world, city_office).unit == world.tree.lianyuan


@pytest.mark.django_db
def test_a_reader_without_the_right_is_refused_with_403(world):
    with pytest.raises(Forbidden):
        _create(world, world.head)
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_an_office_of_another_county_is_refused_as_if_nothing_were_there(world):
    plan = _create(world, world.office)
    # when 娄星区's office writes to 涟源市's plan, or reads it
    with pytest.raises(Http404):
        services.plan_update(actor=world.office_out, plan=plan, title="改", body="")
    with pytest.raises(Http404):
        selectors.plan_get_for(user=world.office_out, pk=plan.pk)
    # then it answers as for an absent plan
    with pytest.raises(Http404):
        selectors.plan_get_for(user=world.office, pk=plan.pk + 1000)


@pytest.mark.django_db
def test_a_reader_in_scope_reads_but_may_not_edit(world):
    plan = _create(world, world.office)
    assert selectors.plan_get_for(user=world.head, pk=plan.pk) == plan
    with pytest.raises(Forbidden):
        selectors.plan_get_for(user=world.head, pk=plan.pk, perm=Perm.LEDGER_EDIT)


# --- one plan of each kind -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_unit_has_one_plan_of_each_kind_per_campaign(world):
    _create(world, world.office)
    with pytest.raises(PlanError) as refused:
        _create(world, world.office)
    assert refused.value.code == PlanErrorCode.DUPLICATE_KIND
    # the other kinds, and the same kind in another campaign, are still free
    for kind in (PlanKind.SPECIAL, PlanKind.INSTITUTION, PlanKind.REPORT):
        _create(world, world.office, kind=kind)
    _create(world, world.office, campaign=world.other_campaign)
    assert Plan.objects.count() == 5


def test_the_kinds_are_the_packages_plan_parts():
    from huitoukan.campaigns.models import PackagePart

    plan_parts = {p.removeprefix("plan:") for p in PackagePart.values if p.startswith("plan:")}
    assert plan_parts == set(PlanKind.values)
    assert [str(k.label) for k in PlanKind] == ["整改方案", "专项整治方案", "制度建设计划", "“回头看”情况报告"]


@pytest.mark.django_db
def test_a_campaign_run_below_the_unit_does_not_take_its_plans(world):
    from tests.plans.world import _campaign

    township_campaign = _campaign(world.tree.qiaotouhe, "桥头河镇回头看")
    with pytest.raises(PlanError) as refused:
        _create(world, world.office, campaign=township_campaign)
    assert refused.value.code == PlanErrorCode.CAMPAIGN_NOT_HERE


# --- linked items --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_plan_links_items_of_its_own_unit_and_campaign(world):
    plan = _create(world, world.office)
    services.plan_link_items(actor=world.office, plan=plan, items=world.items)
    assert set(plan.items.all()) == set(world.items)


@pytest.mark.django_db
@pytest.mark.parametrize("foreign", ["item_other_unit", "item_other_campaign"])
def test_a_plan_refuses_items_of_another_unit_or_campaign(world, foreign):
    plan = _create(world, world.office)
    services.plan_link_items(actor=world.office, plan=plan, items=world.items[:1])
    with pytest.raises(PlanError) as refused:
        services.plan_link_items(actor=world.office, plan=plan, items=[world.items[1], getattr(world, foreign)])
    assert refused.value.code == PlanErrorCode.ITEM_ELSEWHERE
    # and the links are as they were
    assert list(plan.items.all()) == world.items[:1]


# --- the body ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_body_is_stored_without_scripts_handlers_or_dangerous_links(world):
    hostile = ('<p onclick="steal()">一、总体要求<script>alert(1)</script></p><img src=x onerror="alert(2)">'
               '<a href="javascript:alert(3)">链接</a><style>p{}</style><iframe src="//evil"></iframe>')
    plan = _create(world, world.office, body=hostile)
    stored = Plan.objects.get(pk=plan.pk).body
    for bad in ("script", "alert", "onclick", "onerror", "<img", "javascript", "style", "iframe"):
        assert bad not in stored
    assert "<p>一、总体要求</p>" in stored


def test_plain_text_becomes_escaped_paragraphs():
    assert body_clean("一、总体要求\n坚持问题导向\n\n二、主要任务 a<b") == (
        "<p>一、总体要求<br>坚持问题导向</p><p>二、主要任务 a&lt;b</p>")


def test_the_body_text_keeps_one_line_per_block():
    assert body_text("<p>一、<strong>总体</strong>要求</p><ul><li>甲</li><li>乙 &amp; 丙</li></ul>") == (
        "一、总体要求\n甲\n乙 & 丙")


# --- tasks ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_tasks_owner_works_at_the_plans_unit_or_below(world):
    plan = _create(world, world.office)
    services.task_add(actor=world.office, plan=plan, spec=services.TaskSpec(task="甲", owner=world.person))
    with pytest.raises(PlanError) as refused:
        services.task_add(actor=world.office, plan=plan,
                          spec=services.TaskSpec(task="乙", owner=world.person_elsewhere))
    assert refused.value.code == PlanErrorCode.OWNER_ELSEWHERE


@pytest.mark.django_db
def test_tasks_are_numbered_in_turn_and_a_taken_number_is_refused(world):
    plan = _create(world, world.office)
    first = services.task_add(actor=world.office, plan=plan, spec=services.TaskSpec(task="甲"))
    second = services.task_add(actor=world.office, plan=plan, spec=services.TaskSpec(task="乙"))
    assert (first.order, second.order) == (1, 2)
    with pytest.raises(PlanError) as refused:
        services.task_update(actor=world.office, task=second, spec=services.TaskSpec(task="乙"), order=1)
    assert refused.value.code == PlanErrorCode.ORDER_TAKEN


@pytest.mark.django_db
def test_the_timeline_sorts_tasks_by_date_undated_last(world):
    plan = plan_with_parts(world, actor=world.office)
    plan = selectors.plan_get_for(user=world.office, pk=plan.pk, children=True)
    assert [t.task for t in selectors.timeline(plan)] == ["精简文件简报", "压缩会议数量", "建立长效机制"]


@pytest.mark.django_db
def test_deleting_a_task_or_step_is_in_their_history_with_its_actor(world):
    plan = plan_with_parts(world, actor=world.office)
    task, step = plan.tasks.first(), plan.steps.first()
    task_pk, step_pk = task.pk, step.pk
    services.task_delete(actor=world.filler, task=task)
    services.step_delete(actor=world.filler, step=step)
    assert PlanTask.history.filter(id=task_pk, history_type="-").get().history_user == world.filler
    assert PlanStep.history.filter(id=step_pk, history_type="-").get().history_user == world.filler


# --- the file ------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("upload", [pdf, docx], ids=["pdf", "docx"])
def test_a_word_or_pdf_file_is_stored_under_its_digest(world, upload):
    plan = _create(world, world.office)
    services.plan_file_attach(actor=world.office, plan=plan, upload=upload())
    plan.refresh_from_db()
    assert plan_file_path(plan.file_sha256).read_bytes().startswith(b"%PDF" if upload is pdf else b"PK")
    assert plan.file_name.endswith(".pdf" if upload is pdf else ".docx")


@pytest.mark.django_db
@pytest.mark.parametrize(("upload", "code"), [
    (lambda: pdf("方案.exe"), PlanErrorCode.FILE_TYPE),
    (lambda: pdf("方案.pdf", b"MZ\x90\x00 not a pdf"), PlanErrorCode.FILE_DAMAGED),
    (lambda: pdf("方案.pdf", b""), PlanErrorCode.FILE_EMPTY),
    (lambda: pdf("方案.pdf", b"%PDF-1.4\n<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\n%%EOF"),
     PlanErrorCode.FILE_ACTIVE),
    (lambda: docx("方案.docx", b"PK\x03\x04 truncated"), PlanErrorCode.FILE_DAMAGED),
    (lambda: docx("方案.docx", docx_bytes({"word/vbaProject.bin": b"macro"})), PlanErrorCode.FILE_DAMAGED),
], ids=["extension", "magic", "empty", "pdf-script", "broken-zip", "macros"])
def test_hostile_or_broken_files_are_refused_and_leave_nothing(world, settings, upload, code):
    plan = _create(world, world.office)
    with pytest.raises(PlanError) as refused:
        services.plan_file_attach(actor=world.office, plan=plan, upload=upload())
    assert refused.value.code == code
    root = Path(settings.MEDIA_ROOT) / "plans"
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused(world, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    plan = _create(world, world.office)
    with pytest.raises(PlanError) as refused:
        services.plan_file_attach(actor=world.office, plan=plan, upload=pdf())
    assert refused.value.code == PlanErrorCode.FILE_TOO_LARGE


# --- the snapshot --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_snapshot_holds_the_whole_plan_as_json(world):
    plan = plan_with_parts(world, actor=world.office)
    services.plan_file_attach(actor=world.office, plan=plan, upload=pdf())
    snap = selectors.plan_snapshot(selectors.plans_for(world.tree.lianyuan, world.campaign)[0])
    assert json.loads(json.dumps(snap)) == snap
    assert snap["kind"] == "rectification" and snap["title"] == "涟源市“回头看”整改方案"
    assert snap["body_text"] == "一、总体要求\n二、主要任务"
    assert snap["file"]["name"] == "整改方案.pdf" and len(snap["file"]["sha256"]) == 64
    assert [s["title"] for s in snap["steps"]] == ["动员部署", "查摆问题"]
    assert [(t["order"], t["task"], t["owner"], t["due_on"]) for t in snap["tasks"]] == [
        (1, "压缩会议数量", "彭光辉", "2015-03-31"), (2, "精简文件简报", "李明", "2015-02-15"),
        (3, "建立长效机制", "", None)]
    assert snap["item_ids"] == sorted(i.pk for i in world.items[:2])


@pytest.mark.django_db
def test_the_snapshot_is_stable_and_changes_with_the_plan(world):
    plan = plan_with_parts(world, actor=world.office)
    # given two reads of the same plan, one with its children prefetched, one without
    first = selectors.plan_snapshot(Plan.objects.get(pk=plan.pk))
    second = selectors.plan_snapshot(selectors.plans_for(world.tree.lianyuan, world.campaign)[0])
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    # when a task changes, then so does the snapshot
    task = plan.tasks.get(order=2)
    services.task_update(actor=world.office, task=task, spec=services.TaskSpec(
        task="精简文件简报", owner_text="李明", due_on=dt.date(2015, 2, 20)))
    third = selectors.plan_snapshot(Plan.objects.get(pk=plan.pk))
    assert third["tasks"][1]["due_on"] == "2015-02-20" and third != first


@pytest.mark.django_db
def test_plans_for_reads_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    plan_with_parts(world, actor=world.office)
    plan_with_parts(world, actor=world.office, kind=PlanKind.SPECIAL)
    with django_assert_max_num_queries(4):
        plans = selectors.plans_for(world.tree.lianyuan, world.campaign)
        snaps = [selectors.plan_snapshot(p) for p in plans]
        [selectors.timeline(p) for p in plans]
    assert len(snaps) == 2


@pytest.mark.django_db
def test_a_plan_made_meanwhile_by_another_writer_is_refused_in_chinese(world, monkeypatch):
    # given the check passed, but another writer saved the same kind in between
    _create(world, world.office)
    monkeypatch.setattr(Plan.objects, "filter", lambda *a, **k: Plan.objects.none())
    with pytest.raises(PlanError) as refused:
        _create(world, world.filler)
    assert refused.value.code == PlanErrorCode.DUPLICATE_KIND
