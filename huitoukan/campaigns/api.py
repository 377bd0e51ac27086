"""REST endpoints of campaigns with their phases and deadlines. The checks are the web pages'."""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns import selectors, services
from huitoukan.campaigns.models import Campaign, Deadline, Phase
from huitoukan.core.api import ModelOutput, Pagination, created, light_schema, paginated
from huitoukan.orgs.api import parse_on_named_unit
from huitoukan.orgs.models import Batch, UnitLevel


class PhaseSerializer(ModelOutput):
    class Meta:
        model = Phase
        fields = ("id", "order", "name", "starts_on", "ends_on", "tasks")


class DeadlineSerializer(ModelOutput):
    levels = serializers.ListField(child=serializers.ChoiceField(choices=UnitLevel.choices))
    light = serializers.SerializerMethodField()
    expected_units = serializers.SerializerMethodField(help_text=_("须报送且在您权限范围内的单位数"))

    class Meta:
        model = Deadline
        fields = ("id", "name", "phase_id", "due_on", "levels", "basis", "light", "expected_units")

    @extend_schema_field(light_schema())
    def get_light(self, deadline) -> str:
        return str(selectors.light_for(due_on=deadline.due_on, today=timezone.localdate()))

    def get_expected_units(self, deadline) -> int:
        return selectors.deadline_expected_units_for(
            user=self.context["request"].user, deadline=deadline
        ).count()


class CampaignSerializer(ModelOutput):
    owner_unit_full_name = serializers.CharField(source="owner_unit.full_name")
    phases = PhaseSerializer(many=True)

    class Meta:
        model = Campaign
        fields = ("id", "name", "owner_unit_id", "owner_unit_full_name", "batch", "starts_on", "ends_on", "basis",
                  "description", "phases")


class CampaignDetailSerializer(CampaignSerializer):
    deadlines = DeadlineSerializer(many=True)

    class Meta(CampaignSerializer.Meta):
        fields = (*CampaignSerializer.Meta.fields, "deadlines")


class CampaignListApi(APIView):
    pagination_class = Pagination

    @extend_schema_serializer(component_name="CampaignCreate")
    class InputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="CampaignCreatePhase")
        class PhaseInputSerializer(serializers.Serializer):
            name = serializers.CharField(label=_("阶段名称"), max_length=100)
            starts_on = serializers.DateField(label=_("开始日期"))
            ends_on = serializers.DateField(label=_("结束日期"))
            tasks = serializers.CharField(
                label=_("主要任务"), allow_blank=True, required=False, default=""
            )

        @extend_schema_serializer(component_name="CampaignCreateDeadline")
        class DeadlineInputSerializer(serializers.Serializer):
            name = serializers.CharField(label=_("报送事项"), max_length=200)
            due_on = serializers.DateField(label=_("截止日期"))
            levels = serializers.ListField(
                label=_("适用层级"),
                child=serializers.ChoiceField(choices=UnitLevel.choices),
                allow_empty=False,
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
        campaign = services.campaign_create(
            actor=request.user, owner_unit=owner,
            phases=[services.PhaseSpec(**phase) for phase in data.pop("phases")],
            deadlines=[services.DeadlineSpec(**deadline) for deadline in data.pop("deadlines")], **data,
        )
        return created(CampaignDetailSerializer, campaign, request)


class CampaignDetailApi(APIView):
    @extend_schema(operation_id="campaigns_retrieve", summary=_("活动详情：阶段、报送时限、红黄绿灯"),
                   responses=CampaignDetailSerializer)
    def get(self, request, pk: int):
        campaign = selectors.campaign_get_for(user=request.user, pk=pk)
        return Response(CampaignDetailSerializer(campaign, context={"request": request}).data)
