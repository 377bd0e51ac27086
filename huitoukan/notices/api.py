"""REST endpoints of 督办通知单. The checks are the pages': the same rules, selectors and services, and a
write is refused (403/404) before its input is judged."""

from __future__ import annotations

from io import BytesIO

from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core import sql
from huitoukan.core.api import ModelOutput, created, invalid_input, parse
from huitoukan.notices import rules, selectors, services
from huitoukan.notices.docx import notice_docx, notice_filename
from huitoukan.notices.models import Colour, Notice, NoticeAnswer, NoticeEvidence
from huitoukan.orgs import selectors as org_selectors
from huitoukan.supervision import selectors as supervision_selectors

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class NoticeSerializer(ModelOutput):
    finding_ids = serializers.SerializerMethodField(help_text=_("关联的督查发现的问题"))

    class Meta:
        model = Notice
        fields = ("id", "number", "year", "serial", "issuing_unit_id", "group_id", "issuer_name", "addressed_unit_id",
                  "title", "finding_ids", "problems", "requirements", "answer_due_on", "issued_on", "state", "colour",
                  "issued_by_id", "issued_at", "return_reason", "returned_by_id", "returned_at", "close_note",
                  "closed_by_id", "closed_at")

    def get_finding_ids(self, notice) -> list[int]:
        return [f.pk for f in notice.findings.all()]


@extend_schema_serializer(component_name="NoticeEvidence")
class EvidenceSerializer(ModelOutput):
    class Meta:
        model = NoticeEvidence
        fields = ("id", "kind", "original_name", "size", "sha256", "content_type", "uploaded_by_id", "uploaded_at")


class AnswerSerializer(ModelOutput):
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = NoticeAnswer
        fields = ("id", "report", "answered_by_id", "answered_at", "evidence")


class NoticeDetailSerializer(NoticeSerializer):
    answers = serializers.SerializerMethodField(help_text=_("单位的各次答复及佐证材料"))
    timeline = serializers.SerializerMethodField(help_text=_("办理过程"))

    class Meta(NoticeSerializer.Meta):
        fields = (*NoticeSerializer.Meta.fields, "answers", "timeline")

    def get_answers(self, notice) -> list[dict]:
        return AnswerSerializer(selectors.answers_of(notice), many=True).data

    def get_timeline(self, notice) -> list[dict]:
        return [{"at": e.at, "who": e.who, "text": e.text, "state": e.state, "colour": e.colour}
                for e in selectors.timeline(notice)]


def _key(request, name):
    return sql.key_or_none(request.data.get(name) if hasattr(request.data, "get") else None)


class NoticeInput(serializers.Serializer):
    addressed_unit = serializers.IntegerField(label=_("主送单位"))
    issuing_unit = serializers.IntegerField(label=_("发文单位"), required=False, allow_null=True, default=None)
    title = serializers.CharField(label=_("标题"), max_length=200)
    findings = serializers.ListField(label=_("督查发现的问题"), child=serializers.IntegerField(), required=False,
                                     default=list)
    problems = serializers.CharField(label=_("存在的问题"), required=False, allow_blank=True, default="",
                                     max_length=10000)
    requirements = serializers.CharField(label=_("整改要求"), max_length=10000)
    answer_due_on = serializers.DateField(label=_("答复期限"))


class NoticesApi(APIView):
    @extend_schema(operation_id="notices_list", summary=_("督办通知单列表"), parameters=[
        OpenApiParameter("tab", OpenApiTypes.STR, enum=["issued", "answer", "all"], description=_("我下发的、待我答复的、全部")),
        OpenApiParameter("state", OpenApiTypes.STR), OpenApiParameter("colour", OpenApiTypes.STR, enum=Colour.values)],
        responses=NoticeSerializer(many=True))
    def get(self, request):
        policy.require_somewhere(request.user, Perm.WORK_VIEW)
        tab = request.query_params.get("tab", "all")
        notices = {"issued": selectors.issued_by_me, "answer": selectors.to_answer}.get(tab, selectors.notices_for)(
            user=request.user)
        notices = selectors.filtered(notices, state=request.query_params.get("state", ""),
                                     colour=request.query_params.get("colour", ""))
        return Response(NoticeSerializer(notices.prefetch_related("findings")[:500], many=True).data)

    @extend_schema(operation_id="notices_create", summary=_("下发督办通知单"), request=NoticeInput,
                   responses={201: NoticeDetailSerializer})
    def post(self, request):
        unit = org_selectors.unit_get_for(user=request.user, pk=_key(request, "addressed_unit"), perm=Perm.WORK_VIEW)
        rules.raise_if(rules.issue_refusal(request.user, unit))
        data = parse(NoticeInput, request.data)
        findings = list(supervision_selectors.findings_for(user=request.user).filter(pk__in=data["findings"]))
        if len(findings) != len(set(data["findings"])):
            raise invalid_input({"findings": [_("督查发现的问题不存在。")]}, NoticeInput().fields)
        issuing = None
        if data["issuing_unit"] is not None:
            # Only among the names the caller may issue in: any other id answers alike, named or not.
            issuing = next((n.unit for n in rules.issuing_as(request.user, unit)
                            if n.unit.pk == data["issuing_unit"]), None)
            if issuing is None:
                raise invalid_input({"issuing_unit": [_("不能以该单位的名义下发。")]}, NoticeInput().fields)
        notice = services.notice_issue(
            actor=request.user, addressed_unit=unit, title=data["title"], problems=data["problems"],
            findings=findings, requirements=data["requirements"], answer_due_on=data["answer_due_on"],
            issuing_unit=issuing)
        return created(NoticeDetailSerializer, notice, request)


class NoticeDetailApi(APIView):
    @extend_schema(operation_id="notices_retrieve", summary=_("一份督办通知单（含答复和办理过程）"),
                   responses=NoticeDetailSerializer)
    def get(self, request, pk: int):
        return Response(NoticeDetailSerializer(selectors.notice_get_for(user=request.user, pk=pk)).data)


def _notice(request, pk, refusal) -> Notice:
    notice = selectors.notice_get_for(user=request.user, pk=pk)
    rules.raise_if(refusal(request.user, notice))
    return notice


def _detail(request, notice) -> Response:
    return Response(NoticeDetailSerializer(selectors.notice_get_for(user=request.user, pk=notice.pk)).data)


class NoticeAnswerApi(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        report = serializers.CharField(label=_("整改情况报告"), max_length=20000)
        files = serializers.ListField(label=_("佐证材料"), child=serializers.FileField(), required=False,
                                      default=list)

    @extend_schema(operation_id="notices_answer", summary=_("答复（被督办单位活动办）"),
                   request={"application/json": InputSerializer, "multipart/form-data": InputSerializer},
                   responses=NoticeDetailSerializer)
    def post(self, request, pk: int):
        notice = _notice(request, pk, rules.answer_refusal)
        data = parse(self.InputSerializer, request.data)
        files = request.FILES.getlist("files") if request.FILES else []
        services.notice_answer(actor=request.user, notice=notice, report=data["report"], files=files)
        return _detail(request, notice)


class ReturnInput(serializers.Serializer):
    reason = serializers.CharField(label=_("退回理由"), max_length=5000)
    answer_due_on = serializers.DateField(label=_("新的答复期限"), required=False, allow_null=True, default=None)


class NoticeReturnApi(APIView):
    @extend_schema(operation_id="notices_return", summary=_("退回答复（发文方）"), request=ReturnInput,
                   responses=NoticeDetailSerializer)
    def post(self, request, pk: int):
        notice = _notice(request, pk, rules.side_refusal)
        data = parse(ReturnInput, request.data)
        services.notice_return(actor=request.user, notice=notice, reason=data["reason"],
                               answer_due_on=data["answer_due_on"])
        return _detail(request, notice)


class CloseInput(serializers.Serializer):
    note = serializers.CharField(label=_("办结说明"), required=False, allow_blank=True, default="", max_length=2000)


class NoticeCloseApi(APIView):
    @extend_schema(operation_id="notices_close", summary=_("办结（发文方）"), request=CloseInput,
                   responses=NoticeDetailSerializer)
    def post(self, request, pk: int):
        notice = _notice(request, pk, rules.side_refusal)
        data = parse(CloseInput, request.data)
        services.notice_close(actor=request.user, notice=notice, note=data["note"])
        return _detail(request, notice)


class NoticeDocxApi(APIView):
    @extend_schema(operation_id="notices_docx", summary=_("督办通知单公文（.docx，GB/T 9704-2012）"),
                   responses={(200, DOCX): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        notice = selectors.notice_get_for(user=request.user, pk=pk)
        return FileResponse(BytesIO(notice_docx(notice)), as_attachment=True, filename=notice_filename(notice),
                            content_type=DOCX)


# (route under /api/v1/, view class, name)
ENDPOINTS: list = [
    ("notices/", NoticesApi, "api-notices"),
    ("notices/<int:pk>/", NoticeDetailApi, "api-notice"),
    ("notices/<int:pk>/answer/", NoticeAnswerApi, "api-notice-answer"),
    ("notices/<int:pk>/return/", NoticeReturnApi, "api-notice-return"),
    ("notices/<int:pk>/close/", NoticeCloseApi, "api-notice-close"),
    ("notices/<int:pk>/docx/", NoticeDocxApi, "api-notice-docx"),
]
