"""分析研判 and 评估验收 through the pages and the API: the happy paths end to end, the Chinese refusals of bad
input, and the answers out of scope (404), to readers (403) and to a unit's own office (403)."""

from __future__ import annotations

import json

from django.test import Client

from huitoukan.assessments.models import (
    Acceptance,
    Assessment,
    ChecklistVersion,
    RemedialState,
    RemedialTask,
)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(version, marks, **extra) -> dict:
    items = list(version.items.order_by("order"))
    return {"assessed_on": "2015-03-10", "remedial_kind": "redo",
            **{f"score_{i.pk}": str(m) for i, m in zip(items, marks, strict=True)}, **extra}


def test_the_group_member_scores_a_unit_poor_and_the_office_sees_it_with_its_tasks(w):
    member = _client(w.supervisor)
    unit = w.tree.qiaotouhe
    page = member.get(f"/assessments/campaigns/{w.campaign.pk}/units/{unit.pk}/")
    assert page.status_code == 200 and "按“三个检验标准”（第1版）评分" in page.content.decode()
    form = member.get(f"/assessments/versions/{w.sange.pk}/units/{unit.pk}/score/").content.decode()
    assert "带头示范方面：党组织书记是否带头学习" in form

    response = member.post(f"/assessments/versions/{w.sange.pk}/units/{unit.pk}/score/",
                           _form(w.sange, [2, 3, 4], comment="走了过场"))

    assessment = Assessment.objects.get(unit=unit)
    assert response.status_code == 302 and response["Location"] == f"/assessments/{assessment.pk}/"
    detail = member.get(response["Location"]).content.decode()
    assert "30.00%" in detail and "9/30" in detail and "回炉" in detail
    index = _client(w.office).get(f"/assessments/?campaign={w.campaign.pk}").content.decode()
    assert "桥头河镇" in index and "差" in index
    tasks = RemedialTask.objects.filter(unit=unit)
    assert tasks.count() == 3 and {t.kind for t in tasks} == {"redo"}


def test_the_score_form_names_the_missing_and_the_excessive_item(w):
    member = _client(w.supervisor)
    url = f"/assessments/versions/{w.sange.pk}/units/{w.tree.qiaotouhe.pk}/score/"
    data = _form(w.sange, [2, 3, 4])
    data.pop(f"score_{w.sange.items.get(order=2).pk}")
    assert "请为第2条“整改落实方面" in member.post(url, data).content.decode()
    assert "第3条“督导工作方面" in member.post(url, _form(w.sange, [2, 3, 11])).content.decode()
    assert not Assessment.objects.filter(unit=w.tree.qiaotouhe).exists()


def test_out_of_scope_is_not_found_and_readers_are_refused(w):
    member = _client(w.supervisor)
    assert member.get(f"/assessments/versions/{w.sange.pk}/units/{w.tree.louxing.pk}/score/").status_code == 404
    assert member.get(f"/assessments/campaigns/{w.campaign.pk}/units/{w.tree.louxing.pk}/").status_code == 404
    head = _client(w.head)
    assert head.get(f"/assessments/versions/{w.sange.pk}/units/{w.tree.lianyuan.pk}/score/").status_code == 403
    # the county's office reads the city's campaign but does not run it
    assert _client(w.office).get(f"/assessments/campaigns/{w.campaign.pk}/thresholds/").status_code == 403
    assert _client(w.outsider).get(f"/assessments/checklists/{w.liukan.checklist_id}/").status_code == 200


def test_the_city_edits_and_publishes_a_checklist_through_the_pages(w):
    office = _client(w.city_office)
    checklist = w.liukan.checklist
    page = office.get(f"/assessments/checklists/{checklist.pk}/edit/").content.decode()
    assert "第1版已发布" in page and "10|一看学习教育是否扎实。" in page
    assert "第2行的格式" in office.post(f"/assessments/checklists/{checklist.pk}/edit/",
                                       {"items": "10|一看\n一看没有分值"}).content.decode()
    office.post(f"/assessments/checklists/{checklist.pk}/edit/", {"items": "10|一看\n20｜二看"})
    draft = ChecklistVersion.objects.get(checklist=checklist, number=2)
    assert [(i.text, int(i.max_score)) for i in draft.items.all()] == [("一看", 10), ("二看", 20)]
    office.post(f"/assessments/checklists/{checklist.pk}/publish/")
    assert ChecklistVersion.objects.get(pk=draft.pk).is_published


def test_thresholds_through_the_page_reclass_the_units(w):
    _client(w.supervisor).post(f"/assessments/versions/{w.sange.pk}/units/{w.tree.qiaotouhe.pk}/score/",
                               _form(w.sange, [9, 9, 9]))
    office = _client(w.city_office)
    response = office.post(f"/assessments/campaigns/{w.campaign.pk}/thresholds/",
                           {"good": "95", "fairly_good": "90", "average": "80"})
    assert response.status_code == 302
    index = office.get(f"/assessments/?campaign={w.campaign.pk}").content.decode()
    assert "较好" in index
    bad = office.post(f"/assessments/campaigns/{w.campaign.pk}/thresholds/",
                      {"good": "80", "fairly_good": "90", "average": "60"})
    assert "分类标准须满足" in bad.content.decode()


def test_acceptance_through_the_pages_fails_the_unit_until_it_passes(w):
    office = _client(w.office)
    task = w.tasks[0]
    assert _client(w.township_office).get(f"/assessments/plan-tasks/{task.pk}/accept/").status_code == 403
    assert _client(w.outsider).get(f"/assessments/plan-tasks/{task.pk}/accept/").status_code == 404
    office.post(f"/assessments/plan-tasks/{task.pk}/accept/",
                {"result": "failed", "accepted_on": "2015-05-01", "comments": "台账不实"})
    page = office.get(f"/assessments/campaigns/{w.campaign.pk}/units/{w.tree.qiaotouhe.pk}/acceptance/")
    text = page.content.decode()
    assert "不合格" in text and "整治群众办事难" in text and "台账不实" in text
    office.post(f"/assessments/plan-tasks/{task.pk}/accept/", {"result": "passed", "accepted_on": "2015-05-20"})
    office.post(f"/assessments/plan-tasks/{w.tasks[1].pk}/accept/", {"result": "passed", "accepted_on": "2015-05-20"})
    text = office.get(f"/assessments/campaigns/{w.campaign.pk}/units/{w.tree.qiaotouhe.pk}/acceptance/").content
    assert "合格" in text.decode() and "不合格" not in text.decode()
    assert Acceptance.objects.filter(plan_task=task).count() == 2


def test_the_api_scores_marks_done_and_accepts(w):
    member = _client(w.supervisor)
    items = list(w.sange.items.order_by("order"))
    response = member.post("/api/v1/assessments/", json.dumps({
        "version": w.sange.pk, "unit": w.tree.qiaotouhe.pk, "assessed_on": "2015-03-10",
        "scores": [{"item": i.pk, "score": "1", "comment": "差"} for i in items]}), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["percentage"] == "10.00" and len(response.json()["scores"]) == 3
    missing = member.post("/api/v1/assessments/", json.dumps({
        "version": w.sange.pk, "unit": w.tree.qiaotouhe.pk, "assessed_on": "2015-03-10",
        "scores": [{"item": items[0].pk, "score": "1"}]}), content_type="application/json")
    assert missing.status_code == 400 and "请为第2条" in missing.json()["detail"]
    unit = member.get(f"/api/v1/assessments/campaigns/{w.campaign.pk}/units/{w.tree.qiaotouhe.pk}/").json()
    assert unit["standing"]["grade"] == "poor" and len(unit["remedial_tasks"]) == 3
    task = unit["remedial_tasks"][0]["id"]
    done = member.post(f"/api/v1/assessments/remedial/{task}/done/", json.dumps({"note": "已补课"}),
                       content_type="application/json")
    assert done.json()["state"] == RemedialState.DONE
    office = _client(w.office)
    accepted = office.post("/api/v1/assessments/acceptances/", json.dumps({
        "plan_task": w.tasks[0].pk, "result": "failed", "accepted_on": "2015-05-01"}),
        content_type="application/json")
    assert accepted.status_code == 201
    verdict = office.get(f"/api/v1/assessments/campaigns/{w.campaign.pk}/units/{w.tree.qiaotouhe.pk}/acceptance/")
    assert verdict.json()["verdict"]["label"] == "不合格"
    assert verdict.json()["verdict"]["failed_tasks"] == ["整治群众办事难"]
    own = _client(w.township_office).post("/api/v1/assessments/acceptances/", json.dumps({
        "plan_task": w.tasks[0].pk, "result": "passed", "accepted_on": "2015-05-01"}),
        content_type="application/json")
    assert own.status_code == 403
    rows = office.get(f"/api/v1/assessments/campaigns/{w.campaign.pk}/units/").json()
    row = next(r for r in rows if r["unit"] == w.tree.qiaotouhe.pk)
    assert row["grade"] == "poor" and row["acceptance"]["state"] == "failed" and row["open_remedial_tasks"] == 2
