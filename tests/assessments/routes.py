"""Route × role rows of 分析研判 and 评估验收 (merged into tests/test_route_table.py).

Each side's campaign (owned by its county, 涟源市 / 娄星区) gets 六看 with version 1 published and version 2 a
draft; the township scored 差 against version 1 by the county's office (a unit never scores itself) (with a photo), so it has 补课 tasks; and the side's township
(桥头河镇 / 乐坪街道) gets a 专项整治方案 with one task. Every role of the table is held at 涟源市: its office
manages the campaign, scores and accepts the township's task (from above); the group member scores and
confirms 补课 done but does not accept; the other roles read (403).
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from huitoukan.access.models import Role
from huitoukan.assessments import services
from huitoukan.assessments.models import (
    Acceptance,
    Assessment,
    AssessmentEvidence,
    Checklist,
    ChecklistVersion,
    ClassThresholds,
    RemedialState,
    RemedialTask,
)
from huitoukan.assessments.services import ItemSpec, ScoreSpec
from huitoukan.plans import services as plan_services
from huitoukan.plans.models import PlanKind
from huitoukan.plans.services import TaskSpec
from tests.conftest import user_create
from tests.route_types import BUSINESS, SIDE_BUILDERS, Route

OFFICE = frozenset({Role.CAMPAIGN_OFFICE})
SCORERS = frozenset({Role.CAMPAIGN_OFFICE, Role.SUPERVISOR})
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 32
ON = dt.date(2015, 2, 10)


def _photo():
    return SimpleUploadedFile("评分现场.jpg", JPEG, content_type="image/jpeg")


def _build(inn, out, users, tree):
    office_out = user_create(Role.CAMPAIGN_OFFICE, out.county, username="assessment_office_out")
    for side, office in ((inn, users[Role.CAMPAIGN_OFFICE]), (out, office_out)):
        checklist = services.checklist_create(actor=office, campaign=side.campaign, name="六看",
                                              items=[ItemSpec("一看学习教育是否扎实。", 10),
                                                     ItemSpec("二看查摆问题是否聚焦。", 10)])
        side.as_version = services.checklist_publish(actor=office, checklist=checklist)
        side.as_draft = services.checklist_draft_save(actor=office, checklist=checklist,
                                                      items=[ItemSpec("一看", 10)])
        side.as_checklist = checklist
        side.as_assessment = services.assessment_record(
            actor=office, unit=side.unit, version=side.as_version, assessed_on=ON, files=[_photo()],
            scores=[ScoreSpec(i.pk, 3) for i in side.as_version.items.all()])
        side.as_evidence = AssessmentEvidence.objects.get(assessment=side.as_assessment)
        side.as_remedial = RemedialTask.objects.filter(assessment=side.as_assessment).first()
        plan = plan_services.plan_create(actor=None, unit=side.unit, campaign=side.campaign, kind=PlanKind.SPECIAL,
                                         title=f"{side.unit.name}专项整治方案")
        side.as_plan_task = plan_services.task_add(actor=None, plan=plan, spec=TaskSpec(task="整治群众办事难"))


SIDE_BUILDERS.append(_build)


def _campaign(pattern: str):
    return lambda s, p=pattern: "/assessments/" + p.format(s=s, c=s.campaign.pk)


def _created_checklist(s, response) -> bool:
    return Checklist.objects.filter(campaign=s.campaign, name="三个检验标准").exists()


def _thresholds(s, response) -> bool:
    return ClassThresholds.objects.filter(campaign=s.campaign, good=95).exists()


def _edited(s, response) -> bool:
    return list(ChecklistVersion.objects.get(pk=s.as_draft.pk).items.values_list("text", flat=True)) == ["二看"]


def _published(s, response) -> bool:
    return ChecklistVersion.objects.get(pk=s.as_draft.pk).is_published


def _scored(s, response) -> bool:
    return Assessment.objects.filter(unit=s.unit, comment="复评").exists()


def _done(s, response) -> bool:
    return RemedialTask.objects.get(pk=s.as_remedial.pk).state == RemedialState.DONE


def _accepted(s, response) -> bool:
    return Acceptance.objects.filter(plan_task=s.as_plan_task).exists()


def _uploaded(s, response) -> bool:
    return AssessmentEvidence.objects.filter(assessment=s.as_assessment).count() == 2


def _score_form(s) -> dict:
    return {"assessed_on": "2015-03-10", "comment": "复评", "remedial_kind": "make_up",
            **{f"score_{i.pk}": "8" for i in s.as_version.items.all()}}


def _acceptance_form(s) -> dict:
    return {"result": "passed", "accepted_on": "2015-03-10", "comments": "对照方案验收"}


ROUTES: dict = {
    ("assessment-index", "GET"): Route(lambda s: "/assessments/", BUSINESS, out=False),
    ("checklist-list", "GET"): Route(_campaign("campaigns/{c}/checklists/"), BUSINESS),
    ("checklist-create", "GET"): Route(_campaign("campaigns/{c}/checklists/new/"), OFFICE, readers=BUSINESS),
    ("checklist-create", "POST"): Route(
        _campaign("campaigns/{c}/checklists/new/"), OFFICE, readers=BUSINESS, ok_status=302, done=_created_checklist,
        body=lambda s: {"name": "三个检验标准", "basis": "", "items": "10|带头示范方面"}),
    ("thresholds-edit", "GET"): Route(_campaign("campaigns/{c}/thresholds/"), OFFICE, readers=BUSINESS),
    ("thresholds-edit", "POST"): Route(
        _campaign("campaigns/{c}/thresholds/"), OFFICE, readers=BUSINESS, ok_status=302, done=_thresholds,
        body=lambda s: {"good": "95", "fairly_good": "80", "average": "65"}),
    ("assessment-unit", "GET"): Route(_campaign("campaigns/{c}/units/{s.county.pk}/"), BUSINESS),
    ("acceptance-unit", "GET"): Route(_campaign("campaigns/{c}/units/{s.unit.pk}/acceptance/"), BUSINESS),
    ("checklist-detail", "GET"): Route(_campaign("checklists/{s.as_checklist.pk}/"), BUSINESS),
    ("checklist-edit", "GET"): Route(_campaign("checklists/{s.as_checklist.pk}/edit/"), OFFICE, readers=BUSINESS),
    ("checklist-edit", "POST"): Route(_campaign("checklists/{s.as_checklist.pk}/edit/"), OFFICE, readers=BUSINESS,
                                      ok_status=302, body=lambda s: {"items": "10|二看"}, done=_edited),
    ("checklist-publish", "POST"): Route(_campaign("checklists/{s.as_checklist.pk}/publish/"), OFFICE,
                                         readers=BUSINESS, ok_status=302, done=_published),
    ("assessment-create", "GET"): Route(_campaign("versions/{s.as_version.pk}/units/{s.unit.pk}/score/"), SCORERS,
                                        readers=BUSINESS),
    ("assessment-create", "POST"): Route(_campaign("versions/{s.as_version.pk}/units/{s.unit.pk}/score/"), SCORERS,
                                         readers=BUSINESS, ok_status=302, body=_score_form, done=_scored),
    ("assessment-detail", "GET"): Route(_campaign("{s.as_assessment.pk}/"), BUSINESS),
    ("assessment-evidence-download", "GET"): Route(_campaign("evidence/{s.as_evidence.pk}/"), BUSINESS),
    ("remedial-done", "POST"): Route(_campaign("remedial/{s.as_remedial.pk}/done/"), SCORERS, readers=BUSINESS,
                                     ok_status=302, body=lambda s: {"note": "已补课"}, done=_done),
    ("acceptance-create", "GET"): Route(_campaign("plan-tasks/{s.as_plan_task.pk}/accept/"), OFFICE,
                                        readers=BUSINESS),
    ("acceptance-create", "POST"): Route(_campaign("plan-tasks/{s.as_plan_task.pk}/accept/"), OFFICE,
                                         readers=BUSINESS, ok_status=302, body=_acceptance_form, done=_accepted),
}


def _api(pattern: str):
    return lambda s, p=pattern: "/api/v1/assessments/" + p.format(s=s, c=s.campaign.pk)


def _api_score(s) -> dict:
    return {"version": s.as_version.pk, "unit": s.unit.pk, "assessed_on": "2015-03-10", "comment": "复评",
            "scores": [{"item": i.pk, "score": "8"} for i in s.as_version.items.all()]}


ROUTES.update({
    ("api-assessments", "POST"): Route(_api(""), SCORERS, readers=BUSINESS, api=True, ok_status=201,
                                       body=_api_score, done=_scored),
    ("api-assessment", "GET"): Route(_api("{s.as_assessment.pk}/"), BUSINESS, api=True),
    ("api-assessment-evidence", "POST"): Route(_api("{s.as_assessment.pk}/evidence/"), SCORERS, readers=BUSINESS,
                                               api=True, ok_status=201, multipart=True,
                                               body=lambda s: {"file": _photo()}, done=_uploaded),
    ("api-remedial-done", "POST"): Route(_api("remedial/{s.as_remedial.pk}/done/"), SCORERS, readers=BUSINESS,
                                         api=True, body=lambda s: {"note": "已补课"}, done=_done),
    ("api-acceptances", "POST"): Route(_api("acceptances/"), OFFICE, readers=BUSINESS, api=True, ok_status=201,
                                       body=lambda s: {**_acceptance_form(s), "plan_task": s.as_plan_task.pk},
                                       done=_accepted),
    ("api-checklist", "GET"): Route(_api("checklists/{s.as_checklist.pk}/"), BUSINESS, api=True),
    ("api-checklist-draft", "PUT"): Route(_api("checklists/{s.as_checklist.pk}/draft/"), OFFICE, readers=BUSINESS,
                                          api=True, body=lambda s: {"items": [{"text": "二看", "max_score": "10"}]},
                                          done=_edited),
    ("api-checklist-publish", "POST"): Route(_api("checklists/{s.as_checklist.pk}/publish/"), OFFICE,
                                             readers=BUSINESS, api=True, done=_published),
    ("api-assessment-units", "GET"): Route(_api("campaigns/{c}/units/"), BUSINESS, api=True),
    ("api-assessment-unit", "GET"): Route(_api("campaigns/{c}/units/{s.county.pk}/"), BUSINESS, api=True),
    ("api-acceptance-unit", "GET"): Route(_api("campaigns/{c}/units/{s.unit.pk}/acceptance/"), BUSINESS, api=True),
    ("api-checklists", "GET"): Route(_api("campaigns/{c}/checklists/"), BUSINESS, api=True),
    ("api-checklists", "POST"): Route(_api("campaigns/{c}/checklists/"), OFFICE, readers=BUSINESS, api=True,
                                      ok_status=201, done=_created_checklist,
                                      body=lambda s: {"name": "三个检验标准",
                                                      "items": [{"text": "带头示范方面", "max_score": "10"}]}),
    ("api-thresholds", "GET"): Route(_api("campaigns/{c}/thresholds/"), BUSINESS, api=True),
    ("api-thresholds", "PUT"): Route(_api("campaigns/{c}/thresholds/"), OFFICE, readers=BUSINESS, api=True,
                                     body=lambda s: {"good": "95", "fairly_good": "80", "average": "65"},
                                     done=_thresholds),
})
