"""REST endpoints of 分析研判 and 评估验收. The checks are the pages': the same rules, selectors and services,
and a write is refused (403/404) before its input is judged."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from huitoukan.access.policy import Perm
from huitoukan.assessments import rules, selectors, services
from huitoukan.assessments.models import (
    Acceptance,
    AcceptanceResult,
    Assessment,
    AssessmentEvidence,
    Checklist,
    ChecklistVersion,
    RemedialKind,
    RemedialTask,
    UnitStanding,
)
from huitoukan.assessments.services import ItemSpec, ScoreSpec
from huitoukan.core import sql
from huitoukan.core.api import ModelOutput, created, parse

# --- output -----------------------------------------------------------------------------------------------


class ChecklistItemOutput(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    text = serializers.CharField()
    max_score = serializers.DecimalField(max_digits=6, decimal_places=1)


class ChecklistVersionSerializer(ModelOutput):
    items = ChecklistItemOutput(many=True, read_only=True)

    class Meta:
        model = ChecklistVersion
        fields = ("id", "number", "published_at", "published_by_id", "created_by_id", "created_at", "items")


class ChecklistSerializer(ModelOutput):
    versions = serializers.SerializerMethodField(help_text=_("各版本（新版在前）及其条目"))

    class Meta:
        model = Checklist
        fields = ("id", "campaign_id", "name", "basis", "created_by_id", "created_at", "versions")

    def get_versions(self, checklist) -> list[dict]:
        versions = checklist.versions.order_by("-number").prefetch_related("items")
        return ChecklistVersionSerializer(versions, many=True).data


class ThresholdsSerializer(serializers.Serializer):
    good = serializers.DecimalField(max_digits=5, decimal_places=2, help_text=_("“好”不低于（%）"))
    fairly_good = serializers.DecimalField(max_digits=5, decimal_places=2, help_text=_("“较好”不低于（%）"))
    average = serializers.DecimalField(max_digits=5, decimal_places=2, help_text=_("“一般”不低于（%）；以下为“差”"))
    updated_by_id = serializers.IntegerField(allow_null=True, help_text=_("修改人（默认标准为空）"))
    updated_at = serializers.DateTimeField(allow_null=True)


class ScoreOutput(serializers.Serializer):
    item = serializers.IntegerField(source="item_id")
    order = serializers.IntegerField(source="item.order")
    score = serializers.DecimalField(max_digits=6, decimal_places=1)
    comment = serializers.CharField()


@extend_schema_serializer(component_name="AssessmentEvidenceFile")
class EvidenceSerializer(ModelOutput):
    class Meta:
        model = AssessmentEvidence
        fields = ("id", "assessment_id", "acceptance_id", "kind", "original_name", "size", "sha256", "content_type",
                  "uploaded_by_id", "uploaded_at")


class AssessmentSerializer(ModelOutput):
    class Meta:
        model = Assessment
        fields = ("id", "unit_id", "campaign_id", "checklist_id", "version_id", "assessor_id", "assessed_on",
                  "comment", "total", "max_total", "percentage", "created_at")


class AssessmentDetailSerializer(AssessmentSerializer):
    scores = ScoreOutput(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta(AssessmentSerializer.Meta):
        fields = (*AssessmentSerializer.Meta.fields, "scores", "evidence")


class RemedialSerializer(ModelOutput):
    class Meta:
        model = RemedialTask
        fields = ("id", "unit_id", "campaign_id", "assessment_id", "kind", "description", "due_on", "state", "note",
                  "done_by_id", "done_at", "created_by_id", "created_at")


class StandingSerializer(ModelOutput):
    class Meta:
        model = UnitStanding
        fields = ("unit_id", "campaign_id", "grade", "percentage", "assessed_on", "failed", "updated_at")


class AcceptanceSerializer(ModelOutput):
    class Meta:
        model = Acceptance
        fields = ("id", "plan_task_id", "unit_id", "campaign_id", "result", "comments", "accepted_on",
                  "evaluator_id", "created_at")


def _verdict(verdict) -> dict:
    return {"state": verdict.state, "label": verdict.label, "failed_tasks": verdict.failed_tasks,
            "pending_tasks": verdict.pending_tasks, "passed_tasks": verdict.passed_tasks}


def _key(request, name):
    return sql.key_or_none(request.data.get(name) if isinstance(request.data, dict) else None)


# --- campaign reads ---------------------------------------------------------------------------------------


class CampaignUnitsApi(APIView):
    @extend_schema(operation_id="assessments_campaign_units", summary=_("活动内各单位的分类、得分率、回炉补课和评估验收"),
                   responses={200: dict})
    def get(self, request, campaign: int):
        campaign = selectors.campaign_get_for(user=request.user, pk=campaign)
        rows = selectors.campaign_units(user=request.user, campaign=campaign, limit=500)
        return Response([{
            "unit": r.unit.pk, "full_name": r.unit.full_name, "grade": r.standing.grade if r.standing else "",
            "percentage": str(r.standing.percentage) if r.standing and r.standing.percentage is not None else None,
            "open_remedial_tasks": r.open_tasks, "acceptance": _verdict(r.verdict)} for r in rows])


class ItemInput(serializers.Serializer):
    text = serializers.CharField(label=_("内容"), max_length=5000)
    max_score = serializers.DecimalField(label=_("满分"), max_digits=6, decimal_places=1)


class ItemsInput(serializers.Serializer):
    items = ItemInput(label=_("条目"), many=True, allow_empty=False)


class ChecklistInput(ItemsInput):
    name = serializers.CharField(label=_("名称"), max_length=100)
    basis = serializers.CharField(label=_("依据"), max_length=300, required=False, allow_blank=True, default="")


def _items(data) -> list[ItemSpec]:
    return [ItemSpec(i["text"], i["max_score"]) for i in data["items"]]


class ChecklistsApi(APIView):
    @extend_schema(operation_id="assessments_checklists_list", summary=_("活动的检验标准"),
                   responses=ChecklistSerializer(many=True))
    def get(self, request, campaign: int):
        campaign = selectors.campaign_get_for(user=request.user, pk=campaign)
        return Response(ChecklistSerializer(campaign.checklists.order_by("id"), many=True).data)

    @extend_schema(operation_id="assessments_checklists_create", summary=_("新增检验标准（草稿）"),
                   request=ChecklistInput, responses={201: ChecklistSerializer})
    def post(self, request, campaign: int):
        campaign = selectors.campaign_get_for(user=request.user, pk=campaign, perm=Perm.CAMPAIGN_MANAGE)
        data = parse(ChecklistInput, request.data)
        checklist = services.checklist_create(actor=request.user, campaign=campaign, name=data["name"],
                                              basis=data["basis"], items=_items(data))
        return created(ChecklistSerializer, checklist, request)


class ChecklistDetailApi(APIView):
    @extend_schema(operation_id="assessments_checklists_retrieve", summary=_("一个检验标准及其各版本"),
                   responses=ChecklistSerializer)
    def get(self, request, pk: int):
        return Response(ChecklistSerializer(selectors.checklist_get_for(user=request.user, pk=pk)).data)


class ChecklistDraftApi(APIView):
    @extend_schema(operation_id="assessments_checklists_draft", summary=_("修改条目（草稿；已发布则生成新版本）"),
                   request=ItemsInput, responses=ChecklistVersionSerializer)
    def put(self, request, pk: int):
        checklist = selectors.checklist_get_for(user=request.user, pk=pk, perm=Perm.CAMPAIGN_MANAGE)
        data = parse(ItemsInput, request.data)
        version = services.checklist_draft_save(actor=request.user, checklist=checklist, items=_items(data))
        return Response(ChecklistVersionSerializer(version).data)


class ChecklistPublishApi(APIView):
    @extend_schema(operation_id="assessments_checklists_publish", summary=_("发布草稿版本"), request=None,
                   responses=ChecklistVersionSerializer)
    def post(self, request, pk: int):
        checklist = selectors.checklist_get_for(user=request.user, pk=pk, perm=Perm.CAMPAIGN_MANAGE)
        version = services.checklist_publish(actor=request.user, checklist=checklist)
        return Response(ChecklistVersionSerializer(version).data)


class ThresholdsInput(serializers.Serializer):
    good = serializers.DecimalField(label=_("“好”不低于"), max_digits=5, decimal_places=2)
    fairly_good = serializers.DecimalField(label=_("“较好”不低于"), max_digits=5, decimal_places=2)
    average = serializers.DecimalField(label=_("“一般”不低于"), max_digits=5, decimal_places=2)


class ThresholdsApi(APIView):
    @extend_schema(operation_id="assessments_thresholds_retrieve", summary=_("分类标准"),
                   responses=ThresholdsSerializer)
    def get(self, request, campaign: int):
        campaign = selectors.campaign_get_for(user=request.user, pk=campaign)
        return Response(ThresholdsSerializer(services.thresholds_of(campaign)).data)

    @extend_schema(operation_id="assessments_thresholds_update", summary=_("修改分类标准（各单位重新分类）"),
                   request=ThresholdsInput, responses=ThresholdsSerializer)
    def put(self, request, campaign: int):
        campaign = selectors.campaign_get_for(user=request.user, pk=campaign, perm=Perm.CAMPAIGN_MANAGE)
        data = parse(ThresholdsInput, request.data)
        return Response(ThresholdsSerializer(services.thresholds_set(actor=request.user, campaign=campaign,
                                                                     **data)).data)


class UnitApi(APIView):
    @extend_schema(operation_id="assessments_unit", summary=_("单位的分类、评分记录、回炉补课任务和评估验收结论"),
                   responses={200: dict})
    def get(self, request, campaign: int, unit: int):
        campaign = selectors.campaign_get_for(user=request.user, pk=campaign)
        unit = selectors.unit_in_campaign_get_for(user=request.user, pk=unit, campaign=campaign)
        standing = selectors.standing_of(unit, campaign)
        return Response({
            "standing": StandingSerializer(standing).data if standing else None,
            "assessments": AssessmentSerializer(selectors.assessments_of(unit, campaign)[:500], many=True).data,
            "remedial_tasks": RemedialSerializer(selectors.remedial_tasks_of(unit, campaign), many=True).data,
            "acceptance": _verdict(selectors.acceptance_verdict(unit, campaign))})


# --- scoring ----------------------------------------------------------------------------------------------


class ScoreInput(serializers.Serializer):
    item = serializers.IntegerField(label=_("条目"))
    score = serializers.DecimalField(label=_("得分"), max_digits=6, decimal_places=1)
    comment = serializers.CharField(label=_("评语"), max_length=2000, required=False, allow_blank=True, default="")


class AssessmentInput(serializers.Serializer):
    version = serializers.IntegerField(label=_("检验标准版本"))
    unit = serializers.IntegerField(label=_("单位"))
    assessed_on = serializers.DateField(label=_("评分日期"))
    scores = ScoreInput(label=_("各条得分"), many=True)
    comment = serializers.CharField(label=_("总体评价"), max_length=5000, required=False, allow_blank=True, default="")
    remedial_kind = serializers.ChoiceField(label=_("评为“差”时安排"), choices=RemedialKind.choices,
                                            default=RemedialKind.MAKE_UP)
    remedial_due_on = serializers.DateField(label=_("回炉补课完成时限"), required=False, allow_null=True, default=None)


class AssessmentsApi(APIView):
    @extend_schema(operation_id="assessments_create", summary=_("评分"), request=AssessmentInput,
                   responses={201: AssessmentDetailSerializer})
    def post(self, request):
        version = selectors.version_get_for(user=request.user, pk=_key(request, "version"))
        unit = selectors.unit_in_campaign_get_for(user=request.user, pk=_key(request, "unit"),
                                                  campaign=version.checklist.campaign)
        rules.raise_if(rules.score_refusal(request.user, unit))
        data = parse(AssessmentInput, request.data)
        assessment = services.assessment_record(
            actor=request.user, unit=unit, version=version, assessed_on=data["assessed_on"], comment=data["comment"],
            scores=[ScoreSpec(s["item"], s["score"], s["comment"]) for s in data["scores"]],
            remedial_kind=data["remedial_kind"], remedial_due_on=data["remedial_due_on"])
        return created(AssessmentDetailSerializer, selectors.assessment_get_for(user=request.user, pk=assessment.pk),
                       request)


class AssessmentDetailApi(APIView):
    @extend_schema(operation_id="assessments_retrieve", summary=_("一次评分及各条得分"),
                   responses=AssessmentDetailSerializer)
    def get(self, request, pk: int):
        return Response(AssessmentDetailSerializer(selectors.assessment_get_for(user=request.user, pk=pk)).data)


class AssessmentEvidenceApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema_serializer(component_name="AssessmentEvidenceUpload")
    class InputSerializer(serializers.Serializer):
        file = serializers.FileField(label=_("佐证材料"))

    @extend_schema(operation_id="assessments_evidence_upload", summary=_("上传评分的佐证材料"),
                   request={"multipart/form-data": InputSerializer}, responses={201: EvidenceSerializer})
    def post(self, request, pk: int):
        assessment = selectors.assessment_get_for(user=request.user, pk=pk)
        rules.raise_if(rules.score_refusal(request.user, assessment.unit))
        data = parse(self.InputSerializer, request.data)
        rows = services.assessment_evidence_attach(actor=request.user, assessment=assessment, files=[data["file"]])
        return created(EvidenceSerializer, rows[0], request)


class DoneInput(serializers.Serializer):
    note = serializers.CharField(label=_("完成情况"), max_length=2000, required=False, allow_blank=True, default="")


class RemedialDoneApi(APIView):
    @extend_schema(operation_id="assessments_remedial_done", summary=_("确认回炉补课任务完成"), request=DoneInput,
                   responses=RemedialSerializer)
    def post(self, request, pk: int):
        task = selectors.remedial_get_for(user=request.user, pk=pk)
        rules.raise_if(rules.score_refusal(request.user, task.unit))
        data = parse(DoneInput, request.data)
        return Response(RemedialSerializer(services.remedial_done(actor=request.user, task=task,
                                                                  note=data["note"])).data)


# --- 评估验收 -----------------------------------------------------------------------------------------------


class UnitAcceptanceApi(APIView):
    @extend_schema(operation_id="assessments_unit_acceptance", summary=_("单位专项整治任务的评估验收"),
                   responses={200: dict})
    def get(self, request, campaign: int, unit: int):
        campaign = selectors.campaign_get_for(user=request.user, pk=campaign)
        unit = selectors.unit_in_campaign_get_for(user=request.user, pk=unit, campaign=campaign)
        plan = selectors.special_plan_of(unit, campaign)
        tasks = [{"id": t.pk, "order": t.order, "task": t.task,
                  "acceptances": AcceptanceSerializer(t.rows, many=True).data}
                 for t in (plan.tasks.all() if plan else [])]
        return Response({"plan": plan.pk if plan else None, "tasks": tasks,
                         "verdict": _verdict(selectors.acceptance_verdict(unit, campaign))})


class AcceptanceInput(serializers.Serializer):
    plan_task = serializers.IntegerField(label=_("专项整治任务"))
    result = serializers.ChoiceField(label=_("验收结果"), choices=AcceptanceResult.choices)
    accepted_on = serializers.DateField(label=_("验收日期"))
    comments = serializers.CharField(label=_("验收意见"), max_length=5000, required=False, allow_blank=True,
                                     default="")


class AcceptancesApi(APIView):
    @extend_schema(operation_id="assessments_acceptances_create", summary=_("评估验收（上级活动办）"),
                   request=AcceptanceInput, responses={201: AcceptanceSerializer})
    def post(self, request):
        task = selectors.plan_task_get_for(user=request.user, pk=_key(request, "plan_task"))
        rules.raise_if(rules.accept_refusal(request.user, task.plan.unit))
        data = parse(AcceptanceInput, request.data)
        acceptance = services.acceptance_record(actor=request.user, plan_task=task, result=data["result"],
                                                accepted_on=data["accepted_on"], comments=data["comments"])
        return created(AcceptanceSerializer, acceptance, request)


# (route under /api/v1/, view class, name)
ENDPOINTS: list = [
    ("assessments/", AssessmentsApi, "api-assessments"),
    ("assessments/<int:pk>/", AssessmentDetailApi, "api-assessment"),
    ("assessments/<int:pk>/evidence/", AssessmentEvidenceApi, "api-assessment-evidence"),
    ("assessments/remedial/<int:pk>/done/", RemedialDoneApi, "api-remedial-done"),
    ("assessments/acceptances/", AcceptancesApi, "api-acceptances"),
    ("assessments/checklists/<int:pk>/", ChecklistDetailApi, "api-checklist"),
    ("assessments/checklists/<int:pk>/draft/", ChecklistDraftApi, "api-checklist-draft"),
    ("assessments/checklists/<int:pk>/publish/", ChecklistPublishApi, "api-checklist-publish"),
    ("assessments/campaigns/<int:campaign>/units/", CampaignUnitsApi, "api-assessment-units"),
    ("assessments/campaigns/<int:campaign>/units/<int:unit>/", UnitApi, "api-assessment-unit"),
    ("assessments/campaigns/<int:campaign>/units/<int:unit>/acceptance/", UnitAcceptanceApi, "api-acceptance-unit"),
    ("assessments/campaigns/<int:campaign>/checklists/", ChecklistsApi, "api-checklists"),
    ("assessments/campaigns/<int:campaign>/thresholds/", ThresholdsApi, "api-thresholds"),
]
