"""REST endpoints of the ledgers: parse, call one selector or service, serialize. Checks are the pages'."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.core.api import (
    ModelOutput,
    Pagination,
    created,
    invalid_input,
    light_schema,
    model_choice,
    paginated,
    parse,
    scoped_detail,
)
from huitoukan.ledgers import selectors, services, workflow
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import (
    ClosingRequest,
    DeadlineMode,
    Evidence,
    Item,
    ItemStatus,
    Ledger,
    ProgressEntry,
)
from huitoukan.ledgers.workflow import Action
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.api import parse_on_named_unit, visible_list


def _blank(name: str) -> serializers.ChoiceField:
    """An optional classification of the item (四风, 问题层面, …): one of its field's choices, or blank."""
    return model_choice(Item, name, required=False, allow_blank=True)


class ProgressSerializer(ModelOutput):
    leader_name = serializers.CharField(source="leader.name", read_only=True)

    class Meta:
        model = ProgressEntry
        fields = ("id", "reported_on", "progress", "strict_execution", "next_steps", "status_after", "leader_id",
                  "leader_name", "by_office")


class ItemSerializer(ModelOutput):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    lead_leader_ids = serializers.SerializerMethodField()
    responsible_unit_ids = serializers.SerializerMethodField()
    light = serializers.SerializerMethodField()
    latest_progress = serializers.SerializerMethodField()

    class Meta:
        model = Item
        fields = ("id", "ledger_id", "seq", "problem", "measures", "four_winds", "subject", "problem_level",
                  "handling", "source", "deadline_mode", "due_on", "review_on", "lead_leader_ids",
                  "responsible_unit_ids", "special_task_id", "category", "institution_action", "status",
                  "status_display", "closed_on", "light", "latest_progress")

    def get_lead_leader_ids(self, item) -> list[int]:
        return [p.pk for p in item.lead_leaders.all()]

    def get_responsible_unit_ids(self, item) -> list[int]:
        return [u.pk for u in item.responsible_units.all()]

    @extend_schema_field(light_schema())
    def get_light(self, item) -> str:
        return str(selectors.item_light(item))

    @extend_schema_field(ProgressSerializer(allow_null=True))
    def get_latest_progress(self, item):
        entry = selectors.latest_progress(item)
        return ProgressSerializer(entry).data if entry else None


class LedgerSerializer(ModelOutput):
    unit_full_name = serializers.CharField(source="unit.full_name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Ledger
        fields = ("id", "campaign_id", "unit_id", "unit_full_name", "kind", "kind_display", "person_id", "filled_on")


class ItemInputSerializer(serializers.Serializer):
    problem = serializers.CharField(label=_("问题/项目/制度名称"), required=False)
    measures = serializers.CharField(label=_("具体整改措施/任务目标"), required=False, allow_blank=True)
    four_winds = _blank("four_winds")
    subject = _blank("subject")
    problem_level = _blank("problem_level")
    handling = _blank("handling")
    source = _blank("source")
    deadline_mode = serializers.ChoiceField(label=_("时限类型"), choices=DeadlineMode.choices, required=False)
    due_on = serializers.DateField(label=_("整改时限"), required=False, allow_null=True)
    review_on = serializers.DateField(label=_("复查日期"), required=False, allow_null=True)
    lead_leaders = serializers.ListField(label=_("牵头领导"), child=serializers.IntegerField(), required=False)
    responsible_units = serializers.ListField(label=_("责任单位"), child=serializers.IntegerField(), required=False)
    special_task = serializers.IntegerField(label=_("专项整治任务"), required=False, allow_null=True)
    category = serializers.CharField(label=_("类别"), required=False, allow_blank=True)
    institution_action = _blank("institution_action")


def _item_for(request, pk, action: Action):
    """The item, if the caller may read it (404) and may take `action` on it (403), before any input is read."""
    item = selectors.item_get_for(user=request.user, pk=pk)
    workflow.authorize(request.user, action, workflow.ItemSubject.of(item, has_progress=True))
    return item


def _resolve_item_input(request, ledger, data: dict) -> dict:
    """Ids to objects, each checked against the user's scope (404 like an absent object)."""
    if "lead_leaders" in data:
        data["lead_leaders"] = [org_selectors.person_get_for(user=request.user, pk=pk) for pk in data["lead_leaders"]]
    if "responsible_units" in data:
        data["responsible_units"] = [org_selectors.unit_get_for(user=request.user, pk=pk)
                                     for pk in data["responsible_units"]]
    if data.get("special_task") is not None:
        task = selectors.special_tasks_for(unit=ledger.unit).filter(pk=data["special_task"]).first()
        if task is None:
            raise invalid_input({"special_task": [_("不在本单位可用的专项整治任务目录中。")]}, ItemInputSerializer().fields)
        data["special_task"] = task
    return data


class LedgerListApi(APIView):
    pagination_class = Pagination

    @extend_schema_serializer(component_name="LedgerOpen")
    class InputSerializer(serializers.Serializer):
        campaign = serializers.IntegerField(label=_("活动"))
        unit = serializers.IntegerField(label=_("单位"))
        kind = serializers.ChoiceField(label=_("台账类型"), choices=LedgerKind.choices)
        person = serializers.IntegerField(label=_("姓名"), required=False, allow_null=True)

    @extend_schema(operation_id="ledgers_list", summary=_("台账列表"), responses=LedgerSerializer(many=True))
    def get(self, request):
        policy.require_somewhere(request.user, Perm.WORK_VIEW)
        ledgers = selectors.ledgers_visible_to(user=request.user).order_by("unit__path", "kind", "id")
        if request.query_params.get("campaign"):
            campaign = campaign_selectors.campaign_get_for(user=request.user, pk=request.query_params["campaign"])
            ledgers = ledgers.filter(campaign=campaign)
        if request.query_params.get("kind") in LedgerKind.values:
            ledgers = ledgers.filter(kind=request.query_params["kind"])
        if request.query_params.get("unit"):
            unit = org_selectors.unit_get_for(user=request.user, pk=request.query_params["unit"], perm=Perm.WORK_VIEW)
            ledgers = ledgers.filter(unit=unit)
        return paginated(self, ledgers, LedgerSerializer)

    @extend_schema(operation_id="ledgers_open", summary=_("建立台账（已有则返回已有的）"), request=InputSerializer,
                   responses={201: LedgerSerializer})
    def post(self, request):
        data, unit = parse_on_named_unit(request, self.InputSerializer, "unit", Perm.LEDGER_EDIT)
        campaign = campaign_selectors.campaign_get_for(user=request.user, pk=data["campaign"])
        person = org_selectors.person_get_for(user=request.user, pk=data["person"]) if data.get("person") else None
        ledger = services.ledger_open(actor=request.user, campaign=campaign, unit=unit, kind=data["kind"],
                                      person=person)
        return created(LedgerSerializer, ledger, request)


class LedgerDetailApi(APIView):
    get = scoped_detail(operation_id="ledgers_retrieve", summary=_("台账"), get_for=selectors.ledger_get_for,
                        output=LedgerSerializer)


class LedgerItemsApi(APIView):
    pagination_class = Pagination

    @extend_schema(operation_id="ledger_items_list", summary=_("台账的整改事项（含最新进展）"),
                   responses=ItemSerializer(many=True))
    def get(self, request, pk: int):
        ledger = selectors.ledger_get_for(user=request.user, pk=pk)
        params = request.query_params
        filters = selectors.ItemFilters(
            status=params.get("status", ""), four_winds=params.get("four_winds", ""),
            overdue=params.get("overdue") in ("1", "true"), text=params.get("q", ""),
        )
        return paginated(self, selectors.items_of_ledger(ledger=ledger, filters=filters), ItemSerializer)

    @extend_schema(operation_id="ledger_items_create", summary=_("新增整改事项"), request=ItemInputSerializer,
                   responses={201: ItemSerializer})
    def post(self, request, pk: int):
        ledger = selectors.ledger_get_for(user=request.user, pk=pk, perm=Perm.LEDGER_EDIT)
        data = _resolve_item_input(request, ledger, parse(ItemInputSerializer, request.data))
        if not data.get("problem"):
            raise invalid_input({"problem": [_("不能为空。")]}, ItemInputSerializer().fields)
        item = services.item_create(actor=request.user, ledger=ledger, **data)
        return Response(ItemSerializer(item).data, status=status.HTTP_201_CREATED)


class ItemDetailApi(APIView):
    class OutputSerializer(ItemSerializer):
        actions = serializers.SerializerMethodField()

        class Meta(ItemSerializer.Meta):
            fields = (*ItemSerializer.Meta.fields, "actions")

        @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=[a.value for a in Action])))
        def get_actions(self, item) -> list[str]:
            """What the caller may do now: the very actions the item page offers."""
            allowed = workflow.actions_for(self.context["request"].user, workflow.ItemSubject.of(item))
            return sorted(str(a) for a in allowed if a != Action.PLAN)  # a plan comes only from an import

    @extend_schema(operation_id="items_retrieve", summary=_("整改事项（含当前用户可进行的操作）"),
                   responses=OutputSerializer)
    def get(self, request, pk: int):
        item = selectors.item_get_for(user=request.user, pk=pk)
        return Response(self.OutputSerializer(item, context={"request": request}).data)

    @extend_schema(operation_id="items_partial_update", summary=_("修改整改事项"), request=ItemInputSerializer,
                   responses=ItemSerializer)
    def patch(self, request, pk: int):
        item = _item_for(request, pk, Action.EDIT)
        data = _resolve_item_input(request, item.ledger, parse(ItemInputSerializer, request.data, partial=True))
        item = services.item_update(actor=request.user, item=item, **data)
        return Response(ItemSerializer(item).data)


class ItemProgressApi(APIView):
    pagination_class = Pagination

    @extend_schema_serializer(component_name="ProgressCreate")
    class InputSerializer(serializers.Serializer):
        progress = serializers.CharField(label=_("整改落实情况"))
        next_steps = serializers.CharField(label=_("后段工作措施"), required=False, allow_blank=True)
        strict_execution = serializers.CharField(label=_("严格制度执行情况"), required=False, allow_blank=True)
        reported_on = serializers.DateField(label=_("填报日期"), required=False)
        status_after = serializers.ChoiceField(label=_("填报后状态"), required=False,
                                               choices=[ItemStatus.IN_PROGRESS, ItemStatus.BASICALLY_DONE])
        leader = serializers.IntegerField(label=_("填报领导（代填时）"), required=False)

    @extend_schema(operation_id="item_progress_list", summary=_("整改进展（全部，最新在前）"),
                   responses=ProgressSerializer(many=True))
    def get(self, request, pk: int):
        item = selectors.item_get_for(user=request.user, pk=pk)
        entries = item.progress.select_related("leader").order_by("-reported_on", "-id")
        return paginated(self, entries, ProgressSerializer)

    @extend_schema(operation_id="item_progress_create", summary=_("填报进展（牵头领导，或活动办代填）"),
                   request=InputSerializer, responses={201: ProgressSerializer})
    def post(self, request, pk: int):
        item = _item_for(request, pk, Action.PROGRESS)
        data = parse(self.InputSerializer, request.data)
        if "leader" in data:
            data["leader"] = org_selectors.person_get_for(user=request.user, pk=data["leader"])
        entry = services.progress_add(actor=request.user, item=item, **data)
        return Response(ProgressSerializer(entry).data, status=status.HTTP_201_CREATED)


class ItemEvidenceApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema_serializer(component_name="EvidenceUpload")
    class InputSerializer(serializers.Serializer):
        file = serializers.FileField(label=_("佐证材料"))

    @extend_schema_serializer(component_name="Evidence")
    class OutputSerializer(ModelOutput):
        class Meta:
            model = Evidence
            fields = ("id", "original_name", "size", "sha256")

    @extend_schema(operation_id="item_evidence_upload", summary=_("上传佐证材料（销号前须有）"),
                   request={"multipart/form-data": InputSerializer}, responses={201: OutputSerializer})
    def post(self, request, pk: int):
        item = _item_for(request, pk, Action.EVIDENCE)
        data = parse(self.InputSerializer, request.data)
        evidence = services.evidence_add(actor=request.user, item=item, files=[data["file"]])
        return Response(self.OutputSerializer(evidence[0]).data, status=status.HTTP_201_CREATED)


class ClosingSerializer(ModelOutput):
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, read_only=True)

    class Meta:
        model = ClosingRequest
        fields = ("id", "item_id", "summary", "state", "requested_by", "requested_at", "decided_by", "decision_note")


class ItemClosingApi(APIView):
    @extend_schema_serializer(component_name="ClosingCreate")
    class InputSerializer(serializers.Serializer):
        summary = serializers.CharField(label=_("完成情况说明"))

    @extend_schema(operation_id="item_closing_request", summary=_("申请销号（须先上传佐证材料）"),
                   request=InputSerializer, responses={201: ClosingSerializer})
    def post(self, request, pk: int):
        item = _item_for(request, pk, Action.REQUEST_CLOSE)
        data = parse(self.InputSerializer, request.data)
        closing = services.closing_request(actor=request.user, item=item, summary=data["summary"])
        return Response(ClosingSerializer(closing).data, status=status.HTTP_201_CREATED)


def _closing_for(request, pk, action: Action) -> ClosingRequest:
    closing = selectors.closing_get_for(user=request.user, pk=pk)
    workflow.authorize(request.user, action, workflow.ItemSubject.of(closing.item, pending=closing,
                                                                     has_progress=True))
    return closing


@extend_schema_serializer(component_name="ClosingDecision")
class ClosingDecisionInput(serializers.Serializer):
    note = serializers.CharField(label=_("核验意见/退回理由"), required=False, allow_blank=True)


def _decide(request, pk, action: Action) -> Response:
    """核验 (VERIFY_CLOSE) or 退回 (RETURN_CLOSE) a closing request; the answer is the item as it is then."""
    closing = _closing_for(request, pk, action)
    note = parse(ClosingDecisionInput, request.data).get("note", "")
    if action == Action.VERIFY_CLOSE:
        item = services.closing_verify(actor=request.user, request=closing, note=note)
    else:
        item = services.closing_return(actor=request.user, request=closing, reason=note)
    return Response(ItemSerializer(item).data)


class ClosingVerifyApi(APIView):
    @extend_schema(operation_id="closing_verify", summary=_("核验销号（申请人以外的活动办或主要负责同志）"),
                   request=ClosingDecisionInput, responses=ItemSerializer)
    def post(self, request, pk: int):
        return _decide(request, pk, Action.VERIFY_CLOSE)


class ClosingReturnApi(APIView):
    @extend_schema(operation_id="closing_return", summary=_("退回销号申请（须写理由）"),
                   request=ClosingDecisionInput, responses=ItemSerializer)
    def post(self, request, pk: int):
        return _decide(request, pk, Action.RETURN_CLOSE)


@extend_schema_serializer(component_name="ItemReopen")
class ItemReopenInput(serializers.Serializer):
    reason = serializers.CharField(label=_("理由"))
    due_on = serializers.DateField(label=_("新的整改时限"), required=False)


class ItemSendBackApi(APIView):
    @extend_schema(operation_id="item_send_back", summary=_("回炉：退回重新整改（可定新时限）"),
                   request=ItemReopenInput, responses=ItemSerializer)
    def post(self, request, pk: int):
        item = _item_for(request, pk, Action.SEND_BACK)
        data = parse(ItemReopenInput, request.data)
        return Response(ItemSerializer(services.item_send_back(actor=request.user, item=item, **data)).data)


class ItemRelapseApi(APIView):
    @extend_schema(operation_id="item_relapse", summary=_("反弹：重新打开已销号事项"), request=ItemReopenInput,
                   responses=ItemSerializer)
    def post(self, request, pk: int):
        item = _item_for(request, pk, Action.RELAPSE)
        data = parse(ItemReopenInput, request.data)
        return Response(ItemSerializer(services.item_relapse(actor=request.user, item=item,
                                                             reason=data["reason"])).data)


class MyItemsApi(APIView):
    pagination_class = Pagination

    get = visible_list(operation_id="my_items_list", summary=_("我牵头的整改事项"), perm=Perm.WORK_VIEW,
                       rows=selectors.items_led_by, output=ItemSerializer)
