"""REST endpoints of campaigns with their phases and deadlines. The checks are the web pages'."""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns import selectors, services
from huitoukan.campaigns.models import (
    DEFAULT_RECHECK_MONTHS,
    Campaign,
    Deadline,
    PackagePart,
    Phase,
    ReminderRecipient,
    TargetRule,
    default_reminder_steps,
)
from huitoukan.core.api import (
    ModelOutput,
    Pagination,
    created,
    invalid_input,
    light_schema,
    paginated,
    parse,
    scoped_update,
)
from huitoukan.orgs.api import parse_on_named_unit
from huitoukan.orgs.models import Batch, UnitKind, UnitLevel


@extend_schema_serializer(component_name="ReminderStep")
class ReminderStepSerializer(serializers.Serializer):
    days = serializers.IntegerField(label=_("天数"), help_text=_("负数为到期前，0为到期当日，正数为逾期后；-60至60"))
    to = serializers.ListField(label=_("催办对象"), child=serializers.ChoiceField(choices=ReminderRecipient.choices))


def _steps_field(label, **kwargs):
    return ReminderStepSerializer(label=label, many=True, **kwargs)


class DeadlineRulesInput(serializers.Serializer):
    """A deadline's targets, contents and reminder steps as input (create, add, patch)."""

    target_rule = serializers.ChoiceField(label=_("报送单位范围"), choices=TargetRule.choices, default=TargetRule.LEVELS)
    kinds = serializers.ListField(label=_("适用单位类型"), child=serializers.ChoiceField(choices=UnitKind.choices),
                                  default=list, help_text=_("不填则为各类单位"))
    contents = serializers.ListField(label=_("报送内容"), child=serializers.ChoiceField(choices=PackagePart.choices),
                                     default=lambda: list(services.LEDGER_PARTS))
    reminder_steps = _steps_field(_("催办步骤"), default=default_reminder_steps)


class CampaignRulesCreateInput(serializers.Serializer):
    """A new campaign's parent, review levels, group audit and item reminder steps."""

    parent = serializers.IntegerField(label=_("上级活动"), allow_null=True, default=None)
    review_levels = serializers.ListField(label=_("逐级审阅层级"), child=serializers.ChoiceField(
        choices=UnitLevel.choices), default=list)
    group_audit = serializers.BooleanField(label=_("须督导组审核"), default=False)
    item_reminder_steps = _steps_field(_("整改时限催办步骤"), default=default_reminder_steps)
    recheck_months = serializers.CharField(label=_("复查时间（销号后月数）"), max_length=50, allow_blank=True,
                                           default=DEFAULT_RECHECK_MONTHS, help_text=_("如“3,6,12”；空则不复查"))
    recheck_ask_public = serializers.BooleanField(label=_("复查时征询反映问题的群众"), default=False)


class CampaignRulesUpdateInput(serializers.Serializer):
    parent = serializers.IntegerField(label=_("上级活动"), allow_null=True, required=False)
    review_levels = serializers.ListField(label=_("逐级审阅层级"), child=serializers.ChoiceField(
        choices=UnitLevel.choices), required=False)
    group_audit = serializers.BooleanField(label=_("须督导组审核"), required=False)
    item_reminder_steps = _steps_field(_("整改时限催办步骤"), required=False)
    recheck_months = serializers.CharField(label=_("复查时间（销号后月数）"), max_length=50, allow_blank=True,
                                           required=False)
    recheck_ask_public = serializers.BooleanField(label=_("复查时征询反映问题的群众"), required=False)


def _parent(request, pk) -> Campaign | None:
    """The parent campaign an input names: one the caller sees, else a 400 naming the field."""
    if pk is None:
        return None
    found = next((c for c in selectors.campaigns_visible(user=request.user) if c.pk == pk), None)
    if found is None:
        raise invalid_input({"parent": [_("上级活动：所选活动不存在或不在您的权限范围内。")]})
    return found


def _steps(steps) -> list[dict]:
    return [{"days": step["days"], "to": list(step["to"])} for step in steps]


class PhaseSerializer(ModelOutput):
    class Meta:
        model = Phase
        fields = ("id", "order", "name", "starts_on", "ends_on", "tasks")


class DeadlineSerializer(ModelOutput):
    levels = serializers.ListField(child=serializers.ChoiceField(choices=UnitLevel.choices))
    kinds = serializers.ListField(child=serializers.ChoiceField(choices=UnitKind.choices))
    contents = serializers.ListField(child=serializers.ChoiceField(choices=PackagePart.choices))
    reminder_steps = ReminderStepSerializer(many=True)
    light = serializers.SerializerMethodField()
    expected_units = serializers.SerializerMethodField(help_text=_("须报送且在您权限范围内的单位数"))

    class Meta:
        model = Deadline
        fields = ("id", "name", "phase_id", "due_on", "target_rule", "levels", "kinds", "contents", "reminder_steps",
                  "basis", "light", "expected_units")

    @extend_schema_field(light_schema())
    def get_light(self, deadline) -> str:
        return str(selectors.light_for(due_on=deadline.due_on, today=timezone.localdate()))

    def get_expected_units(self, deadline) -> int:
        return selectors.deadline_expected_units_for(
            user=self.context["request"].user, deadline=deadline
        ).count()


class CampaignSerializer(ModelOutput):
    owner_unit_full_name = serializers.CharField(source="owner_unit.full_name")
    review_levels = serializers.ListField(child=serializers.ChoiceField(choices=UnitLevel.choices))
    item_reminder_steps = ReminderStepSerializer(many=True)
    phases = PhaseSerializer(many=True)

    class Meta:
        model = Campaign
        fields = ("id", "name", "owner_unit_id", "owner_unit_full_name", "batch", "starts_on", "ends_on", "basis",
                  "description", "parent_id", "review_levels", "group_audit", "item_reminder_steps", "recheck_months",
                  "recheck_ask_public", "phases")


class CampaignDetailSerializer(CampaignSerializer):
    deadlines = DeadlineSerializer(many=True)

    class Meta(CampaignSerializer.Meta):
        fields = (*CampaignSerializer.Meta.fields, "deadlines")


class CampaignListApi(APIView):
    pagination_class = Pagination

    @extend_schema_serializer(component_name="CampaignCreate")
    class InputSerializer(CampaignRulesCreateInput):
        @extend_schema_serializer(component_name="CampaignCreatePhase")
        class PhaseInputSerializer(serializers.Serializer):
            name = serializers.CharField(label=_("阶段名称"), max_length=100)
            starts_on = serializers.DateField(label=_("开始日期"))
            ends_on = serializers.DateField(label=_("结束日期"))
            tasks = serializers.CharField(
                label=_("主要任务"), allow_blank=True, required=False, default=""
            )

        @extend_schema_serializer(component_name="CampaignCreateDeadline")
        class DeadlineInputSerializer(DeadlineRulesInput):
            name = serializers.CharField(label=_("报送事项"), max_length=200)
            due_on = serializers.DateField(label=_("截止日期"))
            levels = serializers.ListField(
                label=_("适用层级"),
                child=serializers.ChoiceField(choices=UnitLevel.choices),
                default=list,
                help_text=_("报送单位范围为“下辖各级单位”时必填"),
            )
            phase_name = serializers.CharField(
                label=_("所属阶段"), max_length=100, allow_blank=True, required=False, default=""
            )
            basis = serializers.CharField(
                label=_("依据"), max_length=300, allow_blank=True, required=False, default=""
            )

        owner_unit = serializers.IntegerField(label=_("组织单位"))
        name = serializers.CharField(label=_("活动名称"), max_length=200)
        batch = serializers.ChoiceField(
            label=_("批次"), choices=Batch.choices, allow_blank=True, required=False, default=""
        )
        starts_on = serializers.DateField(label=_("开始日期"))
        ends_on = serializers.DateField(label=_("结束日期"))
        basis = serializers.CharField(
            label=_("依据文件"), max_length=300, allow_blank=True, required=False, default=""
        )
        description = serializers.CharField(
            label=_("说明"), allow_blank=True, required=False, default=""
        )
        phases = PhaseInputSerializer(label=_("阶段"), many=True, required=False, default=list)
        deadlines = DeadlineInputSerializer(
            label=_("报送时限"), many=True, required=False, default=list
        )

        def validate(self, data):
            phase_names = {phase["name"] for phase in data["phases"]}
            for deadline in data["deadlines"]:
                if deadline["phase_name"] and deadline["phase_name"] not in phase_names:
                    raise serializers.ValidationError(
                        {
                            "deadlines": _(
                                "报送事项“%(name)s”所属的阶段“%(phase)s”不在本活动的阶段中。"
                            )
                            % {"name": deadline["name"], "phase": deadline["phase_name"]}
                        }
                    )
            return data

    @extend_schema(operation_id="campaigns_list", summary=_("活动列表"), responses=CampaignSerializer(many=True))
    def get(self, request):
        policy.require_somewhere(request.user, Perm.CAMPAIGN_VIEW)
        campaigns = selectors.campaigns_visible(user=request.user)
        prefetch_related_objects(campaigns, "phases")
        return paginated(self, campaigns, CampaignSerializer)

    @extend_schema(operation_id="campaigns_create", summary=_("新建活动（含阶段和报送时限）"),
                   request=InputSerializer, responses={201: CampaignDetailSerializer})
    def post(self, request):
        data, owner = parse_on_named_unit(request, self.InputSerializer, "owner_unit", Perm.CAMPAIGN_MANAGE)
        data["parent"] = _parent(request, data["parent"])
        data["item_reminder_steps"] = _steps(data["item_reminder_steps"])
        campaign = services.campaign_create(
            actor=request.user, owner_unit=owner,
            phases=[services.PhaseSpec(**phase) for phase in data.pop("phases")],
            deadlines=[services.DeadlineSpec(**{**d, "reminder_steps": _steps(d["reminder_steps"])})
                       for d in data.pop("deadlines")], **data,
        )
        return created(CampaignDetailSerializer, campaign, request)


CAMPAIGN_FIELDS = ("name", "batch", "starts_on", "ends_on", "basis", "description", "parent", "review_levels",
                   "group_audit", "item_reminder_steps", "recheck_months", "recheck_ask_public")
PHASE_FIELDS = ("name", "starts_on", "ends_on", "tasks")
DEADLINE_FIELDS = ("name", "due_on", "levels", "basis", "target_rule", "kinds", "contents", "reminder_steps")


def _merged(obj, data: dict, fields) -> dict:
    """A PATCH: the fields given, the others as they are."""
    return {name: data[name] if name in data else getattr(obj, name) for name in fields}


def _campaign_update(request, campaign, data):
    if "parent" in data:
        data["parent"] = _parent(request, data["parent"])
    if "item_reminder_steps" in data:
        data["item_reminder_steps"] = _steps(data["item_reminder_steps"])
    return services.campaign_update(actor=request.user, campaign=campaign, **_merged(campaign, data, CAMPAIGN_FIELDS))


@extend_schema_serializer(component_name="CampaignUpdate")
class CampaignUpdateSerializer(CampaignRulesUpdateInput):
    name = serializers.CharField(label=_("活动名称"), max_length=200, required=False)
    batch = serializers.ChoiceField(label=_("批次"), choices=Batch.choices, allow_blank=True, required=False)
    starts_on = serializers.DateField(label=_("开始日期"), required=False)
    ends_on = serializers.DateField(label=_("结束日期"), required=False)
    basis = serializers.CharField(label=_("依据文件"), max_length=300, allow_blank=True, required=False)
    description = serializers.CharField(label=_("说明"), allow_blank=True, required=False)


class CampaignDetailApi(APIView):
    @extend_schema(operation_id="campaigns_retrieve", summary=_("活动详情：阶段、报送时限、红黄绿灯"),
                   responses=CampaignDetailSerializer)
    def get(self, request, pk: int):
        campaign = selectors.campaign_get_for(user=request.user, pk=pk)
        return Response(CampaignDetailSerializer(campaign, context={"request": request}).data)

    patch = scoped_update(operation_id="campaigns_update", summary=_("修改活动（名称、批次、起止日期、依据、说明）"),
                          input=CampaignUpdateSerializer, output=CampaignDetailSerializer,
                          get_for=selectors.campaign_get_for, perm=Perm.CAMPAIGN_MANAGE, update=_campaign_update)


@extend_schema_serializer(component_name="PhaseInput")
class PhaseInputSerializer(serializers.Serializer):
    name = serializers.CharField(label=_("阶段名称"), max_length=100)
    starts_on = serializers.DateField(label=_("开始日期"))
    ends_on = serializers.DateField(label=_("结束日期"))
    tasks = serializers.CharField(label=_("主要任务"), allow_blank=True, required=False, default="")


@extend_schema_serializer(component_name="DeadlineInput")
class DeadlineInputSerializer(DeadlineRulesInput):
    name = serializers.CharField(label=_("报送事项"), max_length=200)
    due_on = serializers.DateField(label=_("截止日期"))
    levels = serializers.ListField(label=_("适用层级"), child=serializers.ChoiceField(choices=UnitLevel.choices),
                                   default=list, help_text=_("报送单位范围为“下辖各级单位”时必填"))
    phase_name = serializers.CharField(label=_("所属阶段"), max_length=100, allow_blank=True, required=False,
                                       default="")
    basis = serializers.CharField(label=_("依据"), max_length=300, allow_blank=True, required=False, default="")


def _managed(request, pk):
    return selectors.campaign_get_for(user=request.user, pk=pk, perm=Perm.CAMPAIGN_MANAGE)


def _managed_part(request, model, pk):
    """A phase or deadline whose campaign the caller manages: 404 as absent out of scope, 403 in it."""
    part = get_object_or_404(model, pk=pk)
    part.campaign = _managed(request, part.campaign_id)
    return part


class CampaignPhasesApi(APIView):
    @extend_schema(operation_id="campaigns_phases_create", summary=_("添加阶段"), request=PhaseInputSerializer,
                   responses={201: PhaseSerializer})
    def post(self, request, pk: int):
        campaign = _managed(request, pk)
        data = parse(PhaseInputSerializer, request.data)
        return created(PhaseSerializer, services.phase_add(actor=request.user, campaign=campaign,
                                                           spec=services.PhaseSpec(**data)), request)


class PhaseDetailApi(APIView):
    @extend_schema(operation_id="campaigns_phases_update", summary=_("修改阶段"), request=PhaseInputSerializer,
                   responses=PhaseSerializer)
    def patch(self, request, pk: int):
        phase = _managed_part(request, Phase, pk)
        data = parse(PhaseInputSerializer, request.data, partial=True)
        spec = services.PhaseSpec(**_merged(phase, data, PHASE_FIELDS))
        return Response(PhaseSerializer(services.phase_update(actor=request.user, phase=phase, spec=spec)).data)

    @extend_schema(operation_id="campaigns_phases_destroy", summary=_("删除阶段（其报送时限保留，不再属于任何阶段）"),
                   request=None, responses={204: OpenApiResponse(description=_("已删除"))})
    def delete(self, request, pk: int):
        phase = _managed_part(request, Phase, pk)
        services.phase_delete(actor=request.user, phase=phase)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _deadline_output(deadline, request):
    return DeadlineSerializer(deadline, context={"request": request}).data


class CampaignDeadlinesApi(APIView):
    @extend_schema(operation_id="campaigns_deadlines_create", summary=_("添加报送时限"),
                   request=DeadlineInputSerializer, responses={201: DeadlineSerializer})
    def post(self, request, pk: int):
        campaign = _managed(request, pk)
        data = parse(DeadlineInputSerializer, request.data)
        data["reminder_steps"] = _steps(data["reminder_steps"])
        return created(DeadlineSerializer, services.deadline_add(actor=request.user, campaign=campaign,
                                                                 spec=services.DeadlineSpec(**data)), request)


class DeadlineDetailApi(APIView):
    @extend_schema(operation_id="campaigns_deadlines_update", summary=_("修改报送时限"),
                   request=DeadlineInputSerializer, responses=DeadlineSerializer)
    def patch(self, request, pk: int):
        deadline = _managed_part(request, Deadline, pk)
        data = parse(DeadlineInputSerializer, request.data, partial=True)
        if "reminder_steps" in data:
            data["reminder_steps"] = _steps(data["reminder_steps"])
        values = _merged(deadline, data, DEADLINE_FIELDS)
        values["phase_name"] = data["phase_name"] if "phase_name" in data else (
            deadline.phase.name if deadline.phase else "")
        deadline = services.deadline_update(actor=request.user, deadline=deadline, spec=services.DeadlineSpec(**values))
        return Response(_deadline_output(deadline, request))

    @extend_schema(operation_id="campaigns_deadlines_destroy", summary=_("删除报送时限"), request=None,
                   responses={204: OpenApiResponse(description=_("已删除"))})
    def delete(self, request, pk: int):
        deadline = _managed_part(request, Deadline, pk)
        services.deadline_delete(actor=request.user, deadline=deadline)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_serializer(component_name="CampaignCopy")
class CampaignCopyInputSerializer(serializers.Serializer):
    owner_unit = serializers.IntegerField(label=_("组织单位"))
    name = serializers.CharField(label=_("活动名称"), max_length=200, required=False, allow_blank=True, default="")
    starts_on = serializers.DateField(label=_("开始日期"), required=False, allow_null=True, default=None,
                                      help_text=_("各阶段和报送时限的日期随之平移；不填则沿用原日期"))
    with_deadlines = serializers.BooleanField(label=_("同时复制报送时限"), required=False, default=False)


class CampaignCopyApi(APIView):
    @extend_schema(operation_id="campaigns_copy", summary=_("据此建立本单位活动（复制阶段安排，上级活动记为本活动的上级活动）"),
                   request=CampaignCopyInputSerializer, responses={201: CampaignDetailSerializer})
    def post(self, request, pk: int):
        source = selectors.campaign_get_for(user=request.user, pk=pk)
        data, owner = parse_on_named_unit(request, CampaignCopyInputSerializer, "owner_unit", Perm.CAMPAIGN_MANAGE)
        campaign = services.campaign_copy(actor=request.user, source=source, owner_unit=owner,
                                          name=data["name"] or None, starts_on=data["starts_on"],
                                          with_deadlines=data["with_deadlines"])
        return created(CampaignDetailSerializer, campaign, request)
