"""REST endpoints of 督查督办. The checks are the pages': the same rules, selectors and services, and a
write is refused (403/404) before its input is judged."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core import sql
from huitoukan.core.api import ModelOutput, created, invalid_input, parse
from huitoukan.ledgers.models import Item, Ledger
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.models import SupervisionGroup, Unit
from huitoukan.supervision import rules, selectors, services
from huitoukan.supervision.models import (
    Finding,
    InspectionEvidence,
    InspectionKind,
    InspectionState,
    Method,
    Severity,
)
from huitoukan.supervision.models import Inspection as InspectionModel


class InspectionSerializer(ModelOutput):
    unit_ids = serializers.SerializerMethodField(help_text=_("被检查单位"))
    team = serializers.SerializerMethodField(help_text=_("检查组成员的登录名"))

    class Meta:
        model = InspectionModel
        fields = ("id", "kind", "title", "ordering_unit_id", "group_id", "unit_ids", "team", "starts_on", "ends_on",
                  "methods", "record", "state", "created_by_id", "created_at", "completed_by_id", "completed_at",
                  "sealed_until", "released_at", "released_by_id")

    def get_unit_ids(self, inspection) -> list[int]:
        return [u.pk for u in inspection.units.all()]

    def get_team(self, inspection) -> list[str]:
        return [u.get_username() for u in inspection.team.all()]


@extend_schema_serializer(component_name="SupervisionEvidence")
class EvidenceSerializer(ModelOutput):
    class Meta:
        model = InspectionEvidence
        fields = ("id", "inspection_id", "finding_id", "kind", "original_name", "size", "sha256", "content_type",
                  "uploaded_by_id", "uploaded_at")


class FindingSerializer(ModelOutput):
    inspection_id = serializers.SerializerMethodField(help_text=_("督查（读者可见时）"))

    class Meta:
        model = Finding
        fields = ("id", "unit_id", "inspection_id", "item_id", "description", "severity", "answer_due_on", "state",
                  "answer", "answered_by_id", "answered_at", "close_note", "closed_by_id", "closed_at",
                  "linked_item_id", "link_kind", "recorded_by_id", "recorded_at")

    def to_representation(self, finding):
        data = super().to_representation(finding)
        request = self.context.get("request")
        if request is None or not rules.shows_who(request.user, finding):
            data["recorded_by_id"] = data["closed_by_id"] = None
        return data

    def get_inspection_id(self, finding) -> int | None:
        request = self.context.get("request")
        if finding.inspection_id is None or request is None:
            return None
        return finding.inspection_id if rules.may_read_inspection(request.user, finding.inspection) else None


class FindingDetailSerializer(FindingSerializer):
    chain = serializers.SerializerMethodField(help_text=_("关联台账事项、其进展和销号"))

    class Meta(FindingSerializer.Meta):
        fields = (*FindingSerializer.Meta.fields, "chain")

    def get_chain(self, finding) -> dict | None:
        item = finding.linked_item
        if item is None:
            return None
        return {"item": item.pk, "ledger": item.ledger_id, "unit": item.ledger.unit_id, "status": item.status,
                "closed_on": item.closed_on,
                "progress": [{"reported_on": p.reported_on, "progress": p.progress} for p in item.progress.all()],
                "closings": [{"id": c.pk, "state": c.state} for c in item.closing_requests.all()]}


def _key(request, name):
    return sql.key_or_none(request.data.get(name) if isinstance(request.data, dict) else None)


class InspectionInput(serializers.Serializer):
    kind = serializers.ChoiceField(label=_("督查方式"), choices=InspectionKind.choices)
    title = serializers.CharField(label=_("名称"), max_length=200)
    units = serializers.ListField(label=_("被检查单位"), child=serializers.IntegerField(), allow_empty=False)
    group = serializers.IntegerField(label=_("督导组"), required=False, allow_null=True, default=None)
    team = serializers.ListField(label=_("检查组成员（登录名）"), child=serializers.CharField(max_length=150),
                                 required=False, default=list)
    starts_on = serializers.DateField(label=_("开始日期"))
    ends_on = serializers.DateField(label=_("结束日期"), required=False, allow_null=True, default=None)
    methods = serializers.ListField(label=_("督查方法"), child=serializers.ChoiceField(choices=Method.choices),
                                    required=False, default=list)
    record = serializers.CharField(label=_("督查记录"), required=False, allow_blank=True, default="", max_length=20000)
    sealed_until = serializers.DateField(label=_("解密日期（暗访）"), required=False, allow_null=True, default=None)


class InspectionCreateInput(InspectionInput):
    ordering_unit = serializers.IntegerField(label=_("组织单位"))


class InspectionUpdateInput(InspectionInput):
    state = serializers.ChoiceField(label=_("状态"), choices=[
        (InspectionState.PLANNED, InspectionState.PLANNED.label),
        (InspectionState.ONGOING, InspectionState.ONGOING.label)], required=False, default=InspectionState.PLANNED)


def _resolved(data: dict, ordering_unit: Unit) -> dict:
    """Ids and names of the input as objects; an unknown one is bad input naming the field."""
    units = list(Unit.objects.filter(pk__in=data["units"], path__startswith=ordering_unit.path))
    if len(units) != len(set(data["units"])):
        raise invalid_input({"units": [_("被检查单位须在组织单位范围内。")]}, InspectionInput().fields)
    group = None
    if data["group"] is not None:
        group = SupervisionGroup.objects.filter(pk=data["group"]).select_related("dispatched_by").first()
        if group is None:
            raise invalid_input({"group": [_("督导组不存在。")]}, InspectionInput().fields)
    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=data["team"], is_active=True)}
    unknown = [n for n in data["team"] if n not in users]
    if unknown:
        raise invalid_input({"team": [_("登录名不存在：%(names)s") % {"names": "、".join(unknown)}]},
                            InspectionInput().fields)
    return {"kind": data["kind"], "title": data["title"], "units": units, "group": group,
            "team": [users[n] for n in dict.fromkeys(data["team"])], "starts_on": data["starts_on"],
            "ends_on": data["ends_on"], "methods": data["methods"], "record": data["record"],
            "sealed_until": data["sealed_until"]}


class InspectionsApi(APIView):
    @extend_schema(operation_id="supervision_inspections_list", summary=_("督查列表"),
                   responses=InspectionSerializer(many=True))
    def get(self, request):
        policy.require_somewhere(request.user, Perm.WORK_VIEW)
        inspections = list(selectors.inspections_for(user=request.user).prefetch_related("units", "team")[:500])
        selectors.covert_views_record(user=request.user, request=request, inspections=inspections, what="督查列表")
        return Response(InspectionSerializer(inspections, many=True).data)

    @extend_schema(operation_id="supervision_inspections_create", summary=_("安排督查"),
                   request=InspectionCreateInput, responses={201: InspectionSerializer})
    def post(self, request):
        ordering_unit = org_selectors.unit_get_for(user=request.user, pk=_key(request, "ordering_unit"),
                                                   perm=Perm.WORK_VIEW)
        policy.require(request.user, Perm.INSPECTION_ORDER, ordering_unit)
        data = parse(InspectionCreateInput, request.data)
        inspection = services.inspection_create(actor=request.user, ordering_unit=ordering_unit,
                                                **_resolved(data, ordering_unit))
        return created(InspectionSerializer, inspection, request)


class InspectionDetailApi(APIView):
    @extend_schema(operation_id="supervision_inspections_retrieve", summary=_("一次督查"),
                   responses=InspectionSerializer)
    def get(self, request, pk: int):
        return Response(InspectionSerializer(selectors.inspection_get_for(user=request.user, pk=pk, request=request)).data)

    @extend_schema(operation_id="supervision_inspections_update", summary=_("修改督查（组织督查的活动办）"),
                   request=InspectionUpdateInput, responses=InspectionSerializer)
    def put(self, request, pk: int):
        inspection = selectors.inspection_get_for(user=request.user, pk=pk, request=request)
        rules.raise_if(rules.order_refusal(request.user, inspection))
        data = parse(InspectionUpdateInput, request.data)
        fields = _resolved(data, inspection.ordering_unit)
        if "sealed_until" not in request.data:  # left out: as it is
            fields["sealed_until"] = services.UNCHANGED
        inspection = services.inspection_update(actor=request.user, inspection=inspection, state=data["state"],
                                                **fields)
        return Response(InspectionSerializer(inspection).data)


class CompleteInput(serializers.Serializer):
    record = serializers.CharField(label=_("督查记录"), required=False, allow_blank=True, default="", max_length=20000)


class InspectionCompleteApi(APIView):
    @extend_schema(operation_id="supervision_inspections_complete", summary=_("督查完成"), request=CompleteInput,
                   responses=InspectionSerializer)
    def post(self, request, pk: int):
        inspection = selectors.inspection_get_for(user=request.user, pk=pk, request=request)
        rules.raise_if(rules.record_refusal(request.user, inspection))
        data = parse(CompleteInput, request.data)
        inspection = services.inspection_complete(actor=request.user, inspection=inspection, record=data["record"])
        return Response(InspectionSerializer(inspection).data)


class ReleaseInput(serializers.Serializer):
    on = serializers.DateField(label=_("解密日期"), required=False, allow_null=True, default=None,
                               help_text=_("不填则立即发布"))


class InspectionReleaseApi(APIView):
    @extend_schema(operation_id="supervision_inspections_release", summary=_("发布暗访发现的问题（组织暗访的活动办）"),
                   request=ReleaseInput, responses=InspectionSerializer)
    def post(self, request, pk: int):
        inspection = selectors.inspection_get_for(user=request.user, pk=pk, request=request, what="发布暗访")
        rules.raise_if(rules.order_refusal(request.user, inspection))
        data = parse(ReleaseInput, request.data)
        return Response(InspectionSerializer(services.inspection_release(
            actor=request.user, inspection=inspection, on=data["on"])).data)


class InspectionEvidenceApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema_serializer(component_name="SupervisionEvidenceUpload")
    class InputSerializer(serializers.Serializer):
        file = serializers.FileField(label=_("佐证材料"))

    @extend_schema(operation_id="supervision_evidence_list", summary=_("督查的佐证材料"),
                   responses=EvidenceSerializer(many=True))
    def get(self, request, pk: int):
        inspection = selectors.inspection_get_for(user=request.user, pk=pk, request=request)
        return Response(EvidenceSerializer(inspection.evidence.all(), many=True).data)

    @extend_schema(operation_id="supervision_evidence_upload", summary=_("上传照片、录音录像或文档"),
                   request={"multipart/form-data": InputSerializer}, responses={201: EvidenceSerializer})
    def post(self, request, pk: int):
        inspection = selectors.inspection_get_for(user=request.user, pk=pk, request=request)
        rules.raise_if(rules.record_refusal(request.user, inspection))
        data = parse(self.InputSerializer, request.data)
        rows = services.evidence_attach(actor=request.user, inspection=inspection, files=[data["file"]])
        return created(EvidenceSerializer, rows[0], request)


class FindingInput(serializers.Serializer):
    inspection = serializers.IntegerField(label=_("督查"), required=False, allow_null=True, default=None)
    unit = serializers.IntegerField(label=_("单位"))
    description = serializers.CharField(label=_("发现的问题"), max_length=5000)
    severity = serializers.ChoiceField(label=_("严重程度"), choices=Severity.choices, default=Severity.GENERAL)
    answer_due_on = serializers.DateField(label=_("答复期限"), required=False, allow_null=True, default=None)
    item = serializers.IntegerField(label=_("台账事项"), required=False, allow_null=True, default=None)


def _item(unit, key, field="item"):
    if key is None:
        return None
    item = Item.objects.select_related("ledger").filter(pk=key, ledger__unit=unit).first()
    if item is None:
        raise invalid_input({field: [_("台账事项不属于该单位。")]}, FindingInput().fields)
    return item


class FindingsApi(APIView):
    @extend_schema(operation_id="supervision_findings_create", summary=_("记录督查发现的问题"),
                   request=FindingInput, responses={201: FindingSerializer})
    def post(self, request):
        inspection = None
        if _key(request, "inspection") is not None:
            inspection = selectors.inspection_get_for(user=request.user, pk=_key(request, "inspection"), request=request)
            rules.raise_if(rules.record_refusal(request.user, inspection))
            unit = inspection.units.filter(pk=_key(request, "unit")).first()
            if unit is None:  # a unit below an inspected one, read in scope, or bad input
                unit = org_selectors.unit_get_for(user=request.user, pk=_key(request, "unit"), perm=Perm.WORK_VIEW)
        else:
            unit = org_selectors.unit_get_for(user=request.user, pk=_key(request, "unit"), perm=Perm.WORK_VIEW)
            rules.raise_if(rules.unit_record_refusal(request.user, unit))
        data = parse(FindingInput, request.data)
        finding = services.finding_record(
            actor=request.user, unit=unit, inspection=inspection, description=data["description"],
            severity=data["severity"], answer_due_on=data["answer_due_on"], item=_item(unit, data["item"]))
        return created(FindingSerializer, finding, request)


class FindingDetailApi(APIView):
    @extend_schema(operation_id="supervision_findings_retrieve", summary=_("督查发现的问题（含台账事项、进展、销号）"),
                   responses=FindingDetailSerializer)
    def get(self, request, pk: int):
        finding = selectors.finding_get_for(user=request.user, pk=pk, request=request)
        return Response(FindingDetailSerializer(finding, context={"request": request}).data)


class AnswerInput(serializers.Serializer):
    answer = serializers.CharField(label=_("答复"), max_length=5000)


class CloseInput(serializers.Serializer):
    note = serializers.CharField(label=_("办结说明"), required=False, allow_blank=True, default="", max_length=2000)


class ToItemInput(serializers.Serializer):
    ledger = serializers.IntegerField(label=_("台账"))
    measures = serializers.CharField(label=_("整改措施"), required=False, allow_blank=True, default="", max_length=5000)
    due_on = serializers.DateField(label=_("整改时限"), required=False, allow_null=True, default=None)


class SendBackInput(serializers.Serializer):
    item = serializers.IntegerField(label=_("台账事项"), required=False, allow_null=True, default=None)
    reason = serializers.CharField(label=_("回炉理由"), max_length=2000)
    due_on = serializers.DateField(label=_("新的整改时限"), required=False, allow_null=True, default=None)


def _finding(request, pk, refusal):
    finding = selectors.finding_get_for(user=request.user, pk=pk, request=request)
    rules.raise_if(refusal(request.user, finding))
    return finding


def _detail(request, finding):
    return Response(FindingDetailSerializer(selectors.finding_get_for(user=request.user, pk=finding.pk, request=request),
                                            context={"request": request}).data)


class FindingAnswerApi(APIView):
    @extend_schema(operation_id="supervision_findings_answer", summary=_("答复（被检查单位活动办）"),
                   request=AnswerInput, responses=FindingDetailSerializer)
    def post(self, request, pk: int):
        finding = _finding(request, pk, rules.answer_refusal)
        data = parse(AnswerInput, request.data)
        return _detail(request, services.finding_answer(actor=request.user, finding=finding, answer=data["answer"]))


class FindingCloseApi(APIView):
    @extend_schema(operation_id="supervision_findings_close", summary=_("办结"), request=CloseInput,
                   responses=FindingDetailSerializer)
    def post(self, request, pk: int):
        finding = _finding(request, pk, rules.side_refusal)
        data = parse(CloseInput, request.data)
        return _detail(request, services.finding_close(actor=request.user, finding=finding, note=data["note"]))


class FindingToItemApi(APIView):
    @extend_schema(operation_id="supervision_findings_to_item", summary=_("转为台账问题"), request=ToItemInput,
                   responses=FindingDetailSerializer)
    def post(self, request, pk: int):
        finding = _finding(request, pk, rules.side_refusal)
        data = parse(ToItemInput, request.data)
        ledger = Ledger.objects.filter(pk=data["ledger"], unit=finding.unit).first()
        if ledger is None:
            raise invalid_input({"ledger": [_("台账不属于该单位。")]}, ToItemInput().fields)
        services.finding_to_item(actor=request.user, finding=finding, ledger=ledger, measures=data["measures"],
                                 due_on=data["due_on"])
        return _detail(request, finding)


class FindingSendBackApi(APIView):
    @extend_schema(operation_id="supervision_findings_send_back", summary=_("回炉"), request=SendBackInput,
                   responses=FindingDetailSerializer)
    def post(self, request, pk: int):
        finding = _finding(request, pk, rules.side_refusal)
        data = parse(SendBackInput, request.data)
        services.finding_send_back(actor=request.user, finding=finding, reason=data["reason"],
                                   item=_item(finding.unit, data["item"]), due_on=data["due_on"])
        return _detail(request, finding)


class UnitFindingsApi(APIView):
    @extend_schema(operation_id="supervision_unit_findings", summary=_("单位的督查发现的问题"),
                   responses=FindingSerializer(many=True))
    def get(self, request, pk: int):
        unit = org_selectors.unit_get_for(user=request.user, pk=pk, perm=Perm.WORK_VIEW)
        findings = list(selectors.findings_of_unit(user=request.user, unit=unit)
                        .select_related("inspection__ordering_unit")[:500])
        selectors.covert_views_record(user=request.user, request=request, findings=findings, what="单位的督查发现的问题")
        return Response(FindingSerializer(findings, many=True, context={"request": request}).data)


class WorkListApi(APIView):
    @extend_schema(operation_id="supervision_work_list", summary=_("督查督办工作清单"), responses={200: dict})
    def get(self, request):
        policy.require_somewhere(request.user, Perm.WORK_VIEW)
        work = selectors.work_list(user=request.user, request=request)
        context = {"request": request}
        return Response({
            "units": [{"unit": u.pk, "full_name": u.full_name, "light": light} for u, light in work.units],
            "inspections": [{"id": i.pk, "title": i.title, "kind": i.kind, "state": i.state}
                            for i in work.inspections],
            "to_answer": FindingSerializer(work.to_answer, many=True, context=context).data,
            "awaiting": FindingSerializer(work.awaiting, many=True, context=context).data})


# (route under /api/v1/, view class, name)
ENDPOINTS: list = [
    ("supervision/work-list/", WorkListApi, "api-supervision-work-list"),
    ("supervision/inspections/", InspectionsApi, "api-inspections"),
    ("supervision/inspections/<int:pk>/", InspectionDetailApi, "api-inspection"),
    ("supervision/inspections/<int:pk>/complete/", InspectionCompleteApi, "api-inspection-complete"),
    ("supervision/inspections/<int:pk>/release/", InspectionReleaseApi, "api-inspection-release"),
    ("supervision/inspections/<int:pk>/evidence/", InspectionEvidenceApi, "api-inspection-evidence"),
    ("supervision/findings/", FindingsApi, "api-findings"),
    ("supervision/findings/<int:pk>/", FindingDetailApi, "api-finding"),
    ("supervision/findings/<int:pk>/answer/", FindingAnswerApi, "api-finding-answer"),
    ("supervision/findings/<int:pk>/close/", FindingCloseApi, "api-finding-close"),
    ("supervision/findings/<int:pk>/to-item/", FindingToItemApi, "api-finding-to-item"),
    ("supervision/findings/<int:pk>/send-back/", FindingSendBackApi, "api-finding-send-back"),
    ("supervision/units/<int:pk>/findings/", UnitFindingsApi, "api-unit-findings"),
]
