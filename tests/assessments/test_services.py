"""分析研判 and 评估验收: versioned checklists, scoring and its validation, classes at the thresholds' bounds,
回炉 / 补课 of a unit classed 差, acceptance making a unit 不合格 and 合格 again, the rights, the roll-up counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from huitoukan.access.policy import Denied, Forbidden
from huitoukan.assessments import demo, selectors, services
from huitoukan.assessments.errors import AssessmentError
from huitoukan.assessments.models import (
    AcceptanceResult,
    AssessmentEvidence,
    ChecklistVersion,
    Grade,
    RemedialState,
    RemedialTask,
    UnitStanding,
)
from huitoukan.assessments.services import ItemSpec, ScoreSpec
from huitoukan.orgs import totals as unit_totals
from tests.assessments.conftest import TODAY

JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 32


def _scores(version, marks, comment=""):
    items = list(version.items.order_by("order"))
    return [ScoreSpec(item.pk, mark, comment) for item, mark in zip(items, marks, strict=True)]


def _score(w, unit, version, marks, *, actor=None, on=TODAY, **kwargs):
    return services.assessment_record(actor=actor or w.city_office, unit=unit, version=version,
                                      scores=_scores(version, marks), assessed_on=on, **kwargs)


def _standing(w, unit):
    return UnitStanding.objects.get(unit=unit, campaign=w.campaign)


# --- checklists --------------------------------------------------------------------------------------------


def test_editing_a_published_checklist_makes_a_new_draft_version_and_leaves_the_published_one_frozen(w):
    checklist = w.liukan.checklist
    before = list(w.liukan.items.values_list("text", flat=True))

    draft = services.checklist_draft_save(actor=w.city_office, checklist=checklist,
                                          items=[ItemSpec("一看学习教育是否扎实。", 20)])

    assert draft.number == 2 and not draft.is_published
    assert list(ChecklistVersion.objects.get(pk=w.liukan.pk).items.values_list("text", flat=True)) == before
    # editing the draft again rewrites the draft, no third version
    again = services.checklist_draft_save(actor=w.city_office, checklist=checklist,
                                          items=[ItemSpec("一看", 10), ItemSpec("二看", 10)])
    assert again.pk == draft.pk and again.items.count() == 2
    assert checklist.versions.count() == 2
    published = services.checklist_publish(actor=w.city_office, checklist=checklist)
    assert published.pk == draft.pk and published.is_published
    with pytest.raises(AssessmentError, match="没有待发布的草稿版本"):
        services.checklist_publish(actor=w.city_office, checklist=checklist)
    assert published.history.count() >= 2


def test_an_assessment_keeps_pointing_at_the_version_it_used(w):
    assessment = _score(w, w.tree.lianyuan, w.liukan, [8] * 6)
    services.checklist_draft_save(actor=w.city_office, checklist=w.liukan.checklist, items=[ItemSpec("新条目", 5)])
    services.checklist_publish(actor=w.city_office, checklist=w.liukan.checklist)
    assessment.refresh_from_db()
    assert assessment.version_id == w.liukan.pk
    assert [s.item.version_id for s in assessment.scores.all()] == [w.liukan.pk] * 6


def test_a_draft_cannot_be_scored_against(w):
    draft = services.checklist_draft_save(actor=w.city_office, checklist=w.liukan.checklist,
                                          items=[ItemSpec("新条目", 5)])
    with pytest.raises(AssessmentError, match="尚未发布"):
        _score(w, w.tree.lianyuan, draft, [5])


def test_only_the_campaigns_managers_edit_checklists_and_thresholds(w):
    with pytest.raises(Forbidden):  # 涟源市 reads the city's campaign but does not run it
        services.checklist_draft_save(actor=w.office, checklist=w.liukan.checklist, items=[ItemSpec("x", 1)])
    with pytest.raises(Forbidden):
        services.thresholds_set(actor=w.office, campaign=w.campaign, good=95, fairly_good=80, average=70)
    with pytest.raises(Forbidden):
        services.checklist_create(actor=w.supervisor, campaign=w.campaign, name="新标准", items=[ItemSpec("x", 1)])


@pytest.mark.parametrize(("items", "message"), [
    ([], "至少要有一个条目"),
    ([ItemSpec("  ", 10)], "第1条的内容不能为空"),
    ([ItemSpec("一看", 10), ItemSpec("二看", 0)], "第2条的满分"),
    ([ItemSpec("一看", "十")], "第1条的满分"),
])
def test_bad_checklist_items_are_refused_naming_the_item(w, items, message):
    with pytest.raises(AssessmentError, match=message):
        services.checklist_create(actor=w.city_office, campaign=w.campaign, name="新标准", items=items)


def test_a_name_is_used_once_per_campaign(w):
    with pytest.raises(AssessmentError, match="已有名为“六看”"):
        services.checklist_create(actor=w.city_office, campaign=w.campaign, name="六看", items=[ItemSpec("x", 1)])


# --- the seeds' text ---------------------------------------------------------------------------------------


def _seed(prefix: str) -> str:
    found = sorted((Path(__file__).resolve().parents[3] / "shared" / "seeds").glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip("../shared/seeds is not beside this checkout")
    return found[0].read_text(encoding="utf-8")


def test_the_demo_checklists_carry_the_seeds_text_word_for_word(w):
    liukan_seed, sange_seed = _seed("002"), _seed("003")
    liukan = list(w.liukan.items.order_by("order").values_list("text", flat=True))
    sange = list(w.sange.items.order_by("order").values_list("text", flat=True))
    assert liukan == demo.LIU_KAN and len(liukan) == 6
    assert [t[:2] for t in liukan] == ["一看", "二看", "三看", "四看", "五看", "六看"]
    assert sange == demo.SANGE and len(sange) == 3
    for text in liukan:
        assert text in liukan_seed, text
    for text in sange:
        assert text in sange_seed, text
    assert w.liukan.is_published and w.sange.is_published


# --- scoring -----------------------------------------------------------------------------------------------


def test_every_item_must_be_scored_within_its_full_score(w):
    items = list(w.liukan.items.order_by("order"))
    with pytest.raises(AssessmentError, match="请为第6条“六看边查边改是否见效"):
        services.assessment_record(actor=w.city_office, unit=w.tree.lianyuan, version=w.liukan,
                                   scores=_scores(w.liukan, [5] * 6)[:5], assessed_on=TODAY)
    with pytest.raises(AssessmentError, match="第2条“二看查摆问题是否聚焦。.*”的得分须在0到10之间"):
        _score(w, w.tree.lianyuan, w.liukan, [5, 11, 5, 5, 5, 5])
    with pytest.raises(AssessmentError, match="第1条.*得分须在0到"):
        _score(w, w.tree.lianyuan, w.liukan, [-1, 5, 5, 5, 5, 5])
    with pytest.raises(AssessmentError, match="不属于该版本"):
        services.assessment_record(actor=w.city_office, unit=w.tree.lianyuan, version=w.liukan,
                                   scores=[*_scores(w.liukan, [5] * 6), ScoreSpec(w.sange.items.first().pk, 1)],
                                   assessed_on=TODAY)
    assert not UnitStanding.objects.filter(unit=w.tree.lianyuan, grade__gt="").exists()
    assert items[0].max_score == Decimal("10")


def test_a_score_keeps_total_percentage_comments_evidence_and_history(w):
    photo = SimpleUploadedFile("现场.jpg", JPEG)
    assessment = services.assessment_record(
        actor=w.supervisor, unit=w.tree.qiaotouhe, version=w.sange,
        scores=_scores(w.sange, [9, "8.5", 7], "有台账"), assessed_on=TODAY, comment="总体较好", files=[photo])
    assert (assessment.total, assessment.max_total, assessment.percentage) == (
        Decimal("24.5"), Decimal("30"), Decimal("81.67"))
    assert assessment.assessor == w.supervisor and assessment.comment == "总体较好"
    assert {s.comment for s in assessment.scores.all()} == {"有台账"}
    evidence = AssessmentEvidence.objects.get(assessment=assessment)
    assert len(evidence.sha256) == 64 and evidence.kind == "photo"
    assert assessment.history.first().history_user == w.supervisor


def test_a_bad_file_keeps_nothing(w):
    with pytest.raises(Exception, match="类型不允许"):
        services.assessment_record(actor=w.office, unit=w.tree.qiaotouhe, version=w.sange,
                                   scores=_scores(w.sange, [9, 9, 9]), assessed_on=TODAY,
                                   files=[SimpleUploadedFile("x.exe", b"MZ")])
    assert not w.tree.qiaotouhe.assessments.exists()


def test_the_group_scores_its_assigned_units_only_and_readers_may_not_score(w):
    with pytest.raises(Denied):  # 娄星区 is not the group's
        _score(w, w.tree.louxing, w.sange, [9, 9, 9], actor=w.supervisor)
    with pytest.raises(Forbidden):  # the head reads 涟源市 but does not score
        _score(w, w.tree.lianyuan, w.sange, [9, 9, 9], actor=w.head)
    with pytest.raises(Denied):
        _score(w, w.tree.lianyuan, w.sange, [9, 9, 9], actor=w.outsider)


# --- classes -----------------------------------------------------------------------------------------------


def test_the_class_is_the_mean_of_the_latest_score_per_checklist_each_bound_included(w):
    unit = w.tree.lianyuan
    _score(w, unit, w.sange, [10, 10, 7])  # 90.00
    assert _standing(w, unit).grade == Grade.GOOD and _standing(w, unit).percentage == Decimal("90.00")
    _score(w, unit, w.liukan, [10, 10, 10, 10, 10, 0])  # 83.33: mean 86.67
    assert _standing(w, unit).grade == Grade.FAIRLY_GOOD
    _score(w, unit, w.sange, [5, 5, 5], on=TODAY + dt.timedelta(days=1))  # latest 六看 50 → mean 66.67
    standing = _standing(w, unit)
    assert (standing.grade, standing.percentage, standing.assessed_on) == (
        Grade.AVERAGE, Decimal("66.67"), TODAY + dt.timedelta(days=1))
    assert standing.history.count() >= 3


@pytest.mark.parametrize(("marks", "grade"), [
    ([10, 10, 7], Grade.GOOD),  # 90
    ([10, 10, 6.9], Grade.FAIRLY_GOOD),  # 89.67
    ([7.5, 7.5, 7.5], Grade.FAIRLY_GOOD),  # 75
    ([7.4, 7.5, 7.5], Grade.AVERAGE),  # 74.67
    ([6, 6, 6], Grade.AVERAGE),  # 60
    ([6, 6, 5.9], Grade.POOR),  # 59.67
])
def test_a_units_class_changes_as_its_score_crosses_a_threshold(w, marks, grade):
    _score(w, w.tree.qiaotouhe, w.sange, marks)
    assert _standing(w, w.tree.qiaotouhe).grade == grade


def test_changing_the_thresholds_reclasses_the_campaigns_units(w):
    _score(w, w.tree.lianyuan, w.sange, [9, 9, 9])  # 90 好
    _score(w, w.tree.qiaotouhe, w.sange, [7, 7, 7])  # 70 一般
    services.thresholds_set(actor=w.city_office, campaign=w.campaign, good=95, fairly_good="70", average=65)
    assert _standing(w, w.tree.lianyuan).grade == Grade.FAIRLY_GOOD
    assert _standing(w, w.tree.qiaotouhe).grade == Grade.FAIRLY_GOOD
    services.thresholds_set(actor=w.city_office, campaign=w.campaign, good=95, fairly_good=92, average=91)
    assert _standing(w, w.tree.lianyuan).grade == Grade.POOR
    assert RemedialTask.objects.filter(unit=w.tree.lianyuan).exists()
    thresholds = services.thresholds_of(w.campaign)
    assert thresholds.history.count() == 2 and thresholds.updated_by == w.city_office


@pytest.mark.parametrize(("good", "fairly_good", "average"), [(90, 90, 60), (101, 75, 60), (90, 75, 0),
                                                              (90, 50, 60), ("好", 75, 60)])
def test_thresholds_must_descend_within_0_and_100(w, good, fairly_good, average):
    with pytest.raises(AssessmentError, match="分类标准须满足"):
        services.thresholds_set(actor=w.city_office, campaign=w.campaign, good=good, fairly_good=fairly_good,
                                average=average)


# --- 回炉 / 补课 ---------------------------------------------------------------------------------------------


def test_a_unit_classed_poor_gets_a_task_per_low_item_kept_when_its_class_rises(w):
    unit = w.tree.qiaotouhe
    low = _score(w, unit, w.sange, [2, 9, 5], remedial_kind="redo", remedial_due_on=dt.date(2015, 4, 1))
    tasks = list(RemedialTask.objects.filter(unit=unit).order_by("id"))
    assert [t.description[:3] for t in tasks] == ["第1条", "第3条"]
    assert {(t.kind, t.due_on, t.assessment_id, t.state) for t in tasks} == {
        ("redo", dt.date(2015, 4, 1), low.pk, RemedialState.OPEN)}
    # scored again, still 差 on the same assessment: no duplicates; a better score keeps the tasks
    services.thresholds_set(actor=w.city_office, campaign=w.campaign, good=90, fairly_good=75, average=61)
    assert RemedialTask.objects.filter(unit=unit).count() == 2
    _score(w, unit, w.sange, [10, 10, 10], on=TODAY + dt.timedelta(days=5))
    assert _standing(w, unit).grade == Grade.GOOD
    assert RemedialTask.objects.filter(unit=unit).count() == 2


def test_a_remedial_task_is_confirmed_done_once_by_the_assessing_side(w):
    _score(w, w.tree.qiaotouhe, w.sange, [1, 1, 1])
    task = RemedialTask.objects.filter(unit=w.tree.qiaotouhe).first()
    with pytest.raises(Forbidden):
        services.remedial_done(actor=w.head, task=task)
    done = services.remedial_done(actor=w.supervisor, task=task, note="已补课")
    assert (done.state, done.done_by, done.note) == (RemedialState.DONE, w.supervisor, "已补课")
    assert done.history.first().history_user == w.supervisor
    with pytest.raises(AssessmentError, match="已完成"):
        services.remedial_done(actor=w.office, task=task)


# --- 评估验收 -----------------------------------------------------------------------------------------------


def _accept(w, task, result, *, actor=None, on=TODAY):
    return services.acceptance_record(actor=actor or w.office, plan_task=task, result=result, accepted_on=on,
                                      comments="对照方案逐项验收")


def test_a_failed_acceptance_makes_the_unit_fail_until_it_passes(w):
    unit = w.tree.qiaotouhe
    assert selectors.acceptance_verdict(unit, w.campaign).label == "待验收"
    _accept(w, w.tasks[0], AcceptanceResult.PASSED)
    _accept(w, w.tasks[1], AcceptanceResult.FAILED)
    verdict = selectors.acceptance_verdict(unit, w.campaign)
    assert verdict.failed and verdict.label == "不合格" and verdict.reasons == ["整治乱收费乱罚款乱摊派"]
    assert _standing(w, unit).failed
    _accept(w, w.tasks[1], AcceptanceResult.PASSED, on=TODAY + dt.timedelta(days=20))
    verdict = selectors.acceptance_verdict(unit, w.campaign)
    assert not verdict.failed and verdict.label == "合格" and verdict.reasons == []
    assert not _standing(w, unit).failed
    assert w.tasks[1].acceptances.count() == 2  # the failed evaluation is kept


def test_an_evaluated_task_cannot_be_deleted_to_escape_the_verdict(w):
    from huitoukan.plans import services as plan_services
    from huitoukan.plans.errors import PlanError

    _accept(w, w.tasks[1], AcceptanceResult.FAILED)
    with pytest.raises(PlanError, match="已经评估验收"):
        plan_services.task_delete(actor=w.township_office, task=w.tasks[1])
    assert selectors.acceptance_verdict(w.tree.qiaotouhe, w.campaign).failed


def test_verdicts_of_many_units_take_one_query(w, django_assert_num_queries):
    _accept(w, w.tasks[0], AcceptanceResult.FAILED)
    units = [w.tree.qiaotouhe, w.tree.lianyuan, w.tree.shishi]
    with django_assert_num_queries(1):
        verdicts = selectors.verdicts_of(units, w.campaign)
    assert verdicts[w.tree.qiaotouhe.pk].failed and not verdicts[w.tree.lianyuan.pk].failed


def test_a_unit_never_accepts_its_own_rectification_and_readers_may_not(w):
    with pytest.raises(Forbidden, match="不能对本单位"):
        _accept(w, w.tasks[0], AcceptanceResult.PASSED, actor=w.township_office)
    with pytest.raises(Forbidden):  # the group reads but does not accept
        _accept(w, w.tasks[0], AcceptanceResult.PASSED, actor=w.supervisor)
    with pytest.raises(Denied):
        _accept(w, w.tasks[0], AcceptanceResult.PASSED, actor=w.outsider)
    _accept(w, w.tasks[0], AcceptanceResult.PASSED, actor=w.city_office)


def test_only_special_rectification_tasks_are_accepted_and_only_known_results(w):
    from huitoukan.plans import services as plan_services
    from huitoukan.plans.models import PlanKind
    from huitoukan.plans.services import TaskSpec

    plan = plan_services.plan_create(actor=None, unit=w.tree.qiaotouhe, campaign=w.campaign,
                                     kind=PlanKind.RECTIFICATION, title="整改方案")
    task = plan_services.task_add(actor=None, plan=plan, spec=TaskSpec(task="压缩会议"))
    with pytest.raises(AssessmentError, match="只有专项整治方案"):
        _accept(w, task, AcceptanceResult.PASSED)
    with pytest.raises(AssessmentError, match="验收结果"):
        _accept(w, w.tasks[0], "maybe")
    with pytest.raises(Http404):
        selectors.plan_task_get_for(user=w.office, pk=task.pk)


# --- roll-ups ----------------------------------------------------------------------------------------------


def test_class_counts_cover_each_units_subtree_from_the_kept_counts(w, django_assert_num_queries):
    _score(w, w.tree.lianyuan, w.sange, [9, 9, 9])  # 好
    _score(w, w.tree.qiaotouhe, w.sange, [1, 1, 1])  # 差
    _score(w, w.tree.shishi, w.sange, [7, 7, 7])  # 一般
    _score(w, w.tree.louxing, w.sange, [8, 8, 8], actor=w.city_office)  # 较好
    _accept(w, w.tasks[0], AcceptanceResult.FAILED)  # 桥头河镇 不合格
    t = w.tree
    with django_assert_num_queries(1):
        siblings = selectors.class_counts([t.lianyuan, t.louxing, t.education], w.campaign)
    assert siblings[t.lianyuan.pk] == {"好": 1, "较好": 0, "一般": 1, "差": 1, "不合格": 1}
    assert siblings[t.louxing.pk] == {"好": 0, "较好": 1, "一般": 0, "差": 0, "不合格": 0}
    assert siblings[t.education.pk] == {"好": 0, "较好": 0, "一般": 0, "差": 0, "不合格": 0}
    with django_assert_num_queries(1):
        mixed = selectors.class_counts([t.city, t.qiaotouhe], w.campaign)
    assert mixed[t.city.pk] == {"好": 1, "较好": 1, "一般": 1, "差": 1, "不合格": 1}
    assert mixed[t.qiaotouhe.pk] == {"好": 0, "较好": 0, "一般": 1, "差": 1, "不合格": 1}
    # the kept counts agree with the standings, after a threshold change and a passed acceptance too
    services.thresholds_set(actor=w.city_office, campaign=w.campaign, good=95, fairly_good=80, average=75)
    _accept(w, w.tasks[0], AcceptanceResult.PASSED, on=TODAY + dt.timedelta(days=1))
    assert unit_totals.work_kept(selectors.CLASS_TOPIC) + unit_totals.work_kept(selectors.FAILED_TOPIC) == \
        selectors.counts_recount(w.campaign)
    assert selectors.class_counts([t.city], w.campaign)[t.city.pk] == {"好": 0, "较好": 2, "一般": 0, "差": 2,
                                                                       "不合格": 0}


def test_the_kept_standings_agree_with_a_rebuild_from_scratch(w):
    _score(w, w.tree.lianyuan, w.sange, [9, 9, 9])
    _score(w, w.tree.qiaotouhe, w.sange, [1, 1, 1])
    _accept(w, w.tasks[0], AcceptanceResult.FAILED)
    kept = {s.unit_id: (s.grade, s.percentage, s.failed) for s in UnitStanding.objects.filter(campaign=w.campaign)}
    assert kept == {w.tree.lianyuan.pk: (Grade.GOOD, Decimal("90.00"), False),
                    w.tree.qiaotouhe.pk: (Grade.POOR, Decimal("10.00"), True)}
    # when the kept rows are lost or damaged, the rebuild gives them back, and no task twice
    UnitStanding.objects.filter(campaign=w.campaign).update(grade="", percentage=None, failed=False)
    assert services.standings_rebuild(actor=w.city_office, campaign=w.campaign) == 2
    rebuilt = {s.unit_id: (s.grade, s.percentage, s.failed) for s in UnitStanding.objects.filter(campaign=w.campaign)}
    assert rebuilt == kept
    assert RemedialTask.objects.filter(unit=w.tree.qiaotouhe).count() == 3


def test_campaign_units_read_a_fixed_number_of_queries(w, django_assert_num_queries):
    for unit in (w.tree.lianyuan, w.tree.qiaotouhe, w.tree.shishi):
        _score(w, unit, w.sange, [5, 5, 5])
    selectors.campaign_units(user=w.office, campaign=w.campaign)  # the policy reads the grants once
    with django_assert_num_queries(4):
        rows = selectors.campaign_units(user=w.office, campaign=w.campaign)
    assert [r.unit.name for r in rows] == ["涟源市", "桥头河镇", "石狮村"]
    assert [r.open_tasks for r in rows] == [3, 3, 3]


def test_the_demo_loader_publishes_both_checklists_and_scores_good_average_and_poor(w):
    from huitoukan.campaigns import services as campaign_services

    campaign = campaign_services.campaign_create(actor=None, owner_unit=w.tree.city, name="演示活动",
                                                 starts_on=dt.date(2015, 1, 1), ends_on=dt.date(2015, 6, 30))
    units = [w.tree.lianyuan, w.tree.qiaotouhe, w.tree.louxing]
    result = demo.demo_assessments(w.city_office, w.supervisor, campaign, units, TODAY)
    assert [c.name for c in result.checklists] == ["六看", "三个检验标准"]
    assert all(c.versions.get().is_published for c in result.checklists)
    grades = {s.unit_id: s.grade for s in UnitStanding.objects.filter(campaign=campaign)}
    assert grades == {w.tree.lianyuan.pk: Grade.GOOD, w.tree.qiaotouhe.pk: Grade.AVERAGE,
                      w.tree.louxing.pk: Grade.POOR}
    tasks = RemedialTask.objects.filter(campaign=campaign)
    assert tasks.exists() and {t.unit_id for t in tasks} == {w.tree.louxing.pk}
    assert {t.due_on for t in tasks} == {TODAY + dt.timedelta(days=15)}
    # the group scores its own units; the city's office the others
    assessors = {(a.unit_id, a.assessor_id) for a in result.assessments}
    assert (w.tree.lianyuan.pk, w.supervisor.pk) in assessors and (w.tree.louxing.pk, w.city_office.pk) in assessors


def test_a_unit_is_scored_only_in_a_campaign_it_takes_part_in(w):
    from huitoukan.campaigns import services as campaign_services

    county_campaign = campaign_services.campaign_create(actor=None, owner_unit=w.tree.lianyuan, name="涟源市回头看",
                                                        starts_on=dt.date(2015, 1, 1), ends_on=dt.date(2015, 6, 30))
    result = demo.demo_assessments(w.office, None, county_campaign, [], TODAY)
    version = result.checklists[1].versions.get()
    with pytest.raises(AssessmentError, match="单位“娄底市/娄星区”不参加活动“涟源市回头看”"):
        _score(w, w.tree.louxing, version, [9, 9, 9], actor=w.city_office)
    with pytest.raises(Http404):
        selectors.unit_in_campaign_get_for(user=w.city_office, pk=w.tree.louxing.pk, campaign=county_campaign)


def test_a_unit_never_scores_itself(w):
    """涟源市's office scores the units below it, never 涟源市 (a 差 unit would class itself 好)."""
    with pytest.raises(Forbidden, match="不能对本单位评分"):
        _score(w, w.tree.lianyuan, w.sange, [10, 10, 10], actor=w.office)
    _score(w, w.tree.qiaotouhe, w.sange, [10, 10, 10], actor=w.office)
    assert _standing(w, w.tree.qiaotouhe).grade == Grade.GOOD
