"""REST endpoints of plans with their 路线图 steps and 任务书 tasks. The checks are the pages' (the services')."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns.selectors import campaign_get_for
from huitoukan.core.api import ModelOutput, Pagination, created, paginated, parse
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.api import parse_on_named_unit
from huitoukan.plans import selectors, services
from huitoukan.plans.models import Plan, PlanKind, PlanStep, PlanTask


class PlanStepSerializer(ModelOutput):
    class Meta:
        model = PlanStep
        fields = ("id", "plan_id", "order", "title", "description")


class PlanTaskSerializer(ModelOutput):
    owner_name = serializers.CharField(source="owner_label", help_text=_("责任人：系统中的人员姓名，或所填文字"))

    class Meta:
        model = PlanTask
        fields = ("id", "plan_id", "order", "task", "lead", "owner_id", "owner_text", "owner_name", "due_on", "done",
                  "notes")


class PlanSerializer(ModelOutput):
    item_ids = serializers.SerializerMethodField(help_text=_("关联的整改事项编号"))

    class Meta:
        model = Plan
        fields = ("id", "unit_id", "campaign_id", "kind", "title", "body", "file_name", "file_sha256", "file_size",
                  "item_ids", "created_at", "updated_at")

    def get_item_ids(self, plan) -> list[int]:
        return sorted(item.pk for item in plan.items.all())


class PlanDetailSerializer(PlanSerializer):
    steps = PlanStepSerializer(many=True)
    tasks = PlanTaskSerializer(many=True)

    class Meta(PlanSerializer.Meta):
        fields = (*PlanSerializer.Meta.fields, "steps", "tasks")


def _detail(plan_pk: int, request) -> dict:
    plan = selectors.plan_get_for(user=request.user, pk=plan_pk, children=True)
    return PlanDetailSerializer(plan, context={"request": request}).data


class PlanListApi(APIView):
    pagination_class = Pagination

    class FilterSerializer(serializers.Serializer):
        unit = serializers.IntegerField(label=_("单位"), required=False)
        campaign = serializers.IntegerField(label=_("活动"), required=False)

    @extend_schema_serializer(component_name="PlanCreate")
    class InputSerializer(serializers.Serializer):
        unit = serializers.IntegerField(label=_("单位"))
        campaign = serializers.IntegerField(label=_("活动"))
        kind = serializers.ChoiceField(label=_("类型"), choices=PlanKind.choices)
        title = serializers.CharField(label=_("标题"), max_length=200)
        body = serializers.CharField(label=_("正文"), allow_blank=True, required=False, default="",
                                     help_text=_("HTML 或纯文本；保存时去除脚本和样式"))

    @extend_schema(operation_id="plans_list", summary=_("方案计划列表"), parameters=[FilterSerializer],
                   responses=PlanSerializer(many=True))
    def get(self, request):
        policy.require_somewhere(request.user, Perm.WORK_VIEW)
        data = parse(self.FilterSerializer, request.query_params.dict())
        unit = (org_selectors.unit_get_for(user=request.user, pk=data["unit"], perm=Perm.WORK_VIEW)
                if "unit" in data else None)
        campaign = campaign_get_for(user=request.user, pk=data["campaign"]) if "campaign" in data else None
        plans = selectors.plans_visible_to(user=request.user, unit=unit, campaign=campaign).prefetch_related("items")
        return paginated(self, plans, PlanSerializer)

    @extend_schema(operation_id="plans_create", summary=_("新建方案、计划或情况报告"), request=InputSerializer,
                   responses={201: PlanDetailSerializer})
    def post(self, request):
        data, unit = parse_on_named_unit(request, self.InputSerializer, "unit", Perm.LEDGER_EDIT)
        campaign = campaign_get_for(user=request.user, pk=data.pop("campaign"))
        plan = services.plan_create(actor=request.user, unit=unit, campaign=campaign, **data)
        return Response(_detail(plan.pk, request), status=status.HTTP_201_CREATED)


@extend_schema_serializer(component_name="PlanUpdate")
class PlanUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(label=_("标题"), max_length=200, required=False)
    body = serializers.CharField(label=_("正文"), allow_blank=True, required=False)
    item_ids = serializers.ListField(label=_("关联的整改事项"), child=serializers.IntegerField(), required=False,
                                     help_text=_("本单位在本活动中的整改事项编号；给出即整体替换"))


class PlanDetailApi(APIView):
    @extend_schema(operation_id="plans_retrieve", summary=_("方案详情：正文、路线图、任务书、关联问题"),
                   responses=PlanDetailSerializer)
    def get(self, request, pk: int):
        return Response(_detail(pk, request))

    @extend_schema(operation_id="plans_update", summary=_("修改方案（标题、正文、关联问题）"), request=PlanUpdateSerializer,
                   responses=PlanDetailSerializer)
    def patch(self, request, pk: int):
        plan = selectors.plan_get_for(user=request.user, pk=pk, perm=Perm.LEDGER_EDIT)
        data = parse(PlanUpdateSerializer, request.data, partial=True)
        if "title" in data or "body" in data:
            services.plan_update(actor=request.user, plan=plan, title=data.get("title", plan.title),
                                 body=data.get("body", plan.body))
        if "item_ids" in data:
            items = selectors.items_named_for(user=request.user, plan=plan, ids=data["item_ids"])
            services.plan_link_items(actor=request.user, plan=plan, items=items)
        return Response(_detail(plan.pk, request))


@extend_schema_serializer(component_name="PlanTaskInput")
class PlanTaskInputSerializer(serializers.Serializer):
    order = serializers.IntegerField(label=_("序号"), min_value=1, required=False)
    task = serializers.CharField(label=_("任务"))
    lead = serializers.CharField(label=_("牵头单位"), max_length=200, allow_blank=True, required=False, default="")
    owner = serializers.IntegerField(label=_("责任人（人员编号）"), allow_null=True, required=False, default=None)
    owner_text = serializers.CharField(label=_("责任人（文字）"), max_length=100, allow_blank=True, required=False,
                                       default="")
    due_on = serializers.DateField(label=_("完成时限"), allow_null=True, required=False, default=None)
    done = serializers.BooleanField(label=_("已完成"), required=False, default=False)
    notes = serializers.CharField(label=_("备注"), allow_blank=True, required=False, default="")


def _owner(request, pk):
    return org_selectors.person_get_for(user=request.user, pk=pk) if pk is not None else None


TASK_FIELDS = ("task", "lead", "owner", "owner_text", "due_on", "done", "notes")


class PlanTasksApi(APIView):
    @extend_schema(operation_id="plans_tasks_create", summary=_("添加任务书中的任务"), request=PlanTaskInputSerializer,
                   responses={201: PlanTaskSerializer})
    def post(self, request, pk: int):
        plan = selectors.plan_get_for(user=request.user, pk=pk, perm=Perm.LEDGER_EDIT)
        data = parse(PlanTaskInputSerializer, request.data)
        order = data.pop("order", None)
        data["owner"] = _owner(request, data["owner"])
        task = services.task_add(actor=request.user, plan=plan, spec=services.TaskSpec(**data), order=order)
        return created(PlanTaskSerializer, task, request)


class PlanTaskDetailApi(APIView):
    @extend_schema(operation_id="plans_tasks_update", summary=_("修改任务"), request=PlanTaskInputSerializer,
                   responses=PlanTaskSerializer)
    def patch(self, request, pk: int):
        task = selectors.task_get_for(user=request.user, pk=pk, perm=Perm.LEDGER_EDIT)
        data = parse(PlanTaskInputSerializer, request.data, partial=True)
        values = {name: getattr(task, name) for name in TASK_FIELDS}
        if "owner" in data:
            values["owner"] = _owner(request, data.pop("owner"))
            if "owner_text" not in data:
                values["owner_text"] = ""
        values.update({k: v for k, v in data.items() if k in TASK_FIELDS})
        task = services.task_update(actor=request.user, task=task, spec=services.TaskSpec(**values),
                                    order=data.get("order"))
        return Response(PlanTaskSerializer(task).data)

    @extend_schema(operation_id="plans_tasks_destroy", summary=_("删除任务"), request=None,
                   responses={204: OpenApiResponse(description=_("已删除"))})
    def delete(self, request, pk: int):
        task = selectors.task_get_for(user=request.user, pk=pk, perm=Perm.LEDGER_EDIT)
        services.task_delete(actor=request.user, task=task)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_serializer(component_name="PlanStepInput")
class PlanStepInputSerializer(serializers.Serializer):
    order = serializers.IntegerField(label=_("序号"), min_value=1, required=False)
    title = serializers.CharField(label=_("步骤"), max_length=200)
    description = serializers.CharField(label=_("说明"), allow_blank=True, required=False, default="")


class PlanStepsApi(APIView):
    @extend_schema(operation_id="plans_steps_create", summary=_("添加路线图步骤"), request=PlanStepInputSerializer,
                   responses={201: PlanStepSerializer})
    def post(self, request, pk: int):
        plan = selectors.plan_get_for(user=request.user, pk=pk, perm=Perm.LEDGER_EDIT)
        data = parse(PlanStepInputSerializer, request.data)
        step = services.step_add(actor=request.user, plan=plan, title=data["title"],
                                 description=data["description"], order=data.get("order"))
        return created(PlanStepSerializer, step, request)


class PlanStepDetailApi(APIView):
    @extend_schema(operation_id="plans_steps_update", summary=_("修改路线图步骤"), request=PlanStepInputSerializer,
                   responses=PlanStepSerializer)
    def patch(self, request, pk: int):
        step = selectors.step_get_for(user=request.user, pk=pk, perm=Perm.LEDGER_EDIT)
        data = parse(PlanStepInputSerializer, request.data, partial=True)
        step = services.step_update(actor=request.user, step=step, title=data.get("title", step.title),
                                    description=data.get("description", step.description),
                                    order=data.get("order", step.order))
        return Response(PlanStepSerializer(step).data)

    @extend_schema(operation_id="plans_steps_destroy", summary=_("删除路线图步骤"), request=None,
                   responses={204: OpenApiResponse(description=_("已删除"))})
    def delete(self, request, pk: int):
        step = selectors.step_get_for(user=request.user, pk=pk, perm=Perm.LEDGER_EDIT)
        services.step_delete(actor=request.user, step=step)
        return Response(status=status.HTTP_204_NO_CONTENT)


# (route under /api/v1/, view class, name)
ENDPOINTS: list = [
    ("plans/", PlanListApi, "api-plan-list"),
    ("plans/<int:pk>/", PlanDetailApi, "api-plan-detail"),
    ("plans/<int:pk>/tasks/", PlanTasksApi, "api-plan-tasks"),
    ("plan-tasks/<int:pk>/", PlanTaskDetailApi, "api-plan-task-detail"),
    ("plans/<int:pk>/steps/", PlanStepsApi, "api-plan-steps"),
    ("plan-steps/<int:pk>/", PlanStepDetailApi, "api-plan-step-detail"),
]
