"""REST endpoints of 回头看复查: the list the caller may read, one recheck, confirm and fail (multipart, with files).
Checks are the pages': fetch through the selector, authorize before the input is read, one service."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from huitoukan.access.policy import Perm
from huitoukan.core.api import ModelOutput, Pagination, parse, scoped_detail
from huitoukan.orgs.api import visible_list
from huitoukan.rechecks import selectors, services, workflow
from huitoukan.rechecks.models import Recheck
from huitoukan.rechecks.workflow import Action


class RecheckSerializer(ModelOutput):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    unit_id = serializers.IntegerField(source="item.ledger.unit_id", read_only=True)
    evidence_ids = serializers.SerializerMethodField()

    class Meta:
        model = Recheck
        fields = ("id", "item_id", "unit_id", "closed_on", "round_months", "due_on", "state", "state_display",
                  "decided_by_id", "decided_at", "note", "evidence_ids")

    def get_evidence_ids(self, recheck) -> list[int]:
        return [e.pk for e in recheck.evidence.all()]


def _all_open(*, user):
    return selectors.rechecks_for(user=user).prefetch_related("evidence").order_by("due_on", "pk")


class RecheckListApi(APIView):
    pagination_class = Pagination

    get = visible_list(operation_id="rechecks_list", summary=_("回头看复查列表"), perm=Perm.WORK_VIEW,
                       rows=_all_open, output=RecheckSerializer)


class RecheckDetailApi(APIView):
    get = scoped_detail(operation_id="recheck_detail", summary=_("回头看复查"), get_for=selectors.recheck_get_for,
                        output=RecheckSerializer)


@extend_schema_serializer(component_name="RecheckDecision")
class DecisionInput(serializers.Serializer):
    note = serializers.CharField(label=_("复查情况"), allow_blank=True, required=False, default="")
    files = serializers.ListField(label=_("佐证材料"), child=serializers.FileField(), required=False, default=list)


def _decide(request, pk, action: Action, service):
    recheck = selectors.recheck_get_for(user=request.user, pk=pk)
    workflow.authorize(request.user, action, recheck)
    data = parse(DecisionInput, request.data)
    done = service(actor=request.user, recheck=recheck, files=data["files"], note=data["note"],
                   today=timezone.localdate())
    return Response(RecheckSerializer(selectors.recheck_get_for(user=request.user, pk=done.pk)).data)


class RecheckConfirmApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(operation_id="recheck_confirm", summary=_("复查确认（须上传新的佐证材料）"),
                   request={"multipart/form-data": DecisionInput}, responses=RecheckSerializer)
    def post(self, request, pk: int):
        return _decide(request, pk, Action.CONFIRM, services.recheck_confirm)


class RecheckFailApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(operation_id="recheck_fail", summary=_("复查未通过：事项按反弹重新打开"),
                   request={"multipart/form-data": DecisionInput}, responses=RecheckSerializer)
    def post(self, request, pk: int):
        return _decide(request, pk, Action.FAIL, services.recheck_fail)


ENDPOINTS: list = [
    ("rechecks/", RecheckListApi, "api-rechecks"),
    ("rechecks/<int:pk>/", RecheckDetailApi, "api-recheck"),
    ("rechecks/<int:pk>/confirm/", RecheckConfirmApi, "api-recheck-confirm"),
    ("rechecks/<int:pk>/fail/", RecheckFailApi, "api-recheck-fail"),
]
