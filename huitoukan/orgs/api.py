"""REST endpoints of units, people and supervision groups: parse, call one selector or service, serialize.

The permission checks are the web pages': a list needs its permission somewhere, an object
out of scope answers 404 like an absent one.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core.api import (
    ModelOutput,
    Pagination,
    created,
    paginated,
    parse,
    scoped_detail,
    scoped_update,
)
from huitoukan.core.paths import path_range_q
from huitoukan.orgs import selectors, services
from huitoukan.orgs.models import Batch, Person, SupervisionGroup, Unit, UnitKind, UnitLevel

UNIT_EDITABLE_FIELDS = services.UNIT_EDITABLE_FIELDS


def _with_parent_id(units):
    """The parent's id in the same query: a tree node has no parent column, only its path."""
    parent = Unit.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Unit.steplen)
    )
    return units.annotate(parent_pk=Subquery(parent.values("pk")[:1]))


def parse_on_named_unit(request, serializer_class, field: str, perm: Perm) -> tuple[dict, Unit]:
    """The input of a write on the unit named in `field`, and that unit. The write is refused on
    the unit before the rest is read: 404 outside the caller's scope, 403 inside it without `perm`."""
    named = request.data.get(field) if hasattr(request.data, "get") else None
    selectors.require_on_named_unit(user=request.user, perm=perm, pk=named)
    data = parse(serializer_class, request.data)
    return data, selectors.unit_get_for(user=request.user, pk=data.pop(field), perm=perm)


def create_on_named_unit(*, operation_id: str, summary, input, output, field: str, perm: Perm, create):
    """The POST of an API that makes an object on the unit its input names in `field` (refused on
    that unit first, see parse_on_named_unit); `create(actor=…, <field>=unit, **input)` makes it."""

    @extend_schema(operation_id=operation_id, summary=summary, request=input, responses={201: output})
    def post(view, request):
        data, unit = parse_on_named_unit(request, input, field, perm)
        return created(output, create(actor=request.user, **{field: unit}, **data), request)

    return post


def visible_list(*, operation_id: str, summary, perm: Perm, rows, output):
    """The GET of an API that lists what the caller may see: `rows(user=…)`, paged. Refused
    (403, or 404 to one who reads nothing there) when the caller holds `perm` nowhere."""

    @extend_schema(operation_id=operation_id, summary=summary, responses=output(many=True))
    def get(view, request):
        policy.require_somewhere(request.user, perm)
        return paginated(view, rows(user=request.user), output)

    return get


class UnitSerializer(ModelOutput):
    level_display = serializers.CharField(source="get_level_display")
    kind_display = serializers.CharField(source="get_kind_display")
    parent_id = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = ("id", "name", "full_name", "level", "level_display", "kind", "kind_display", "batch", "sector", "parent_id",
                  "depth", "numchild", "established_on", "abolished_on", "merged_into_id")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_parent_id(self, unit: Unit) -> int | None:
        if hasattr(unit, "parent_pk"):
            return unit.parent_pk
        if unit.depth <= 1:
            return None
        return (
            Unit.objects.filter(path=unit.path[: -Unit.steplen])
            .values_list("pk", flat=True)
            .first()
        )


class UnitListApi(APIView):
    pagination_class = Pagination

    class FilterSerializer(serializers.Serializer):
        under = serializers.IntegerField(
            label=_("上级单位"), required=False, help_text=_("只列出该单位及其下级")
        )
        level = serializers.ChoiceField(label=_("层级"), choices=UnitLevel.choices, required=False)
        kind = serializers.ChoiceField(label=_("类型"), choices=UnitKind.choices, required=False)
        q = serializers.CharField(
            label=_("名称"),
            required=False,
            allow_blank=True,
            max_length=100,
            help_text=_("单位全称路径包含的文字"),
        )
        include_abolished = serializers.BooleanField(
            label=_("包括已撤销单位"), required=False, default=True
        )

    @extend_schema_serializer(component_name="UnitCreate")
    class InputSerializer(serializers.Serializer):
        parent = serializers.IntegerField(label=_("上级单位"))
        name = serializers.CharField(label=_("单位名称"), max_length=100)
        level = serializers.ChoiceField(label=_("层级"), choices=UnitLevel.choices)
        kind = serializers.ChoiceField(label=_("类型"), choices=UnitKind.choices)
        batch = serializers.ChoiceField(
            label=_("批次"), choices=Batch.choices, allow_blank=True, required=False, default=""
        )
        sector = serializers.CharField(label=_("行业系统"), max_length=50, allow_blank=True, required=False, default="")
        established_on = serializers.DateField(
            label=_("成立日期"), required=False, allow_null=True, default=None
        )

    @extend_schema(operation_id="units_list", summary=_("单位列表（按权限范围）"), parameters=[FilterSerializer],
                   responses=UnitSerializer(many=True))
    def get(self, request):
        policy.require_somewhere(request.user, Perm.UNIT_VIEW)
        data = parse(self.FilterSerializer, request.query_params.dict())
        under = (
            selectors.unit_get_for(user=request.user, pk=data["under"]) if "under" in data else None
        )
        units = selectors.unit_search(
            user=request.user,
            text=data.get("q", ""),
            level=data.get("level", ""),
            kind=data.get("kind", ""),
            under=under,
            include_abolished=data["include_abolished"],
        )
        return paginated(self, _with_parent_id(units), UnitSerializer)

    post = create_on_named_unit(operation_id="units_create", summary=_("新增下级单位"), input=InputSerializer,
                                output=UnitSerializer, field="parent", perm=Perm.UNIT_MANAGE, create=services.unit_create)


def _unit_update(request, unit: Unit, data: dict) -> Unit:
    fields = {name: getattr(unit, name) for name in UNIT_EDITABLE_FIELDS} | data
    return services.unit_update(actor=request.user, unit=unit, **fields)


class UnitDetailApi(APIView):
    @extend_schema_serializer(component_name="UnitUpdate")
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(label=_("单位名称"), max_length=100, required=False)
        level = serializers.ChoiceField(label=_("层级"), choices=UnitLevel.choices, required=False)
        kind = serializers.ChoiceField(label=_("类型"), choices=UnitKind.choices, required=False)
        batch = serializers.ChoiceField(
            label=_("批次"), choices=Batch.choices, allow_blank=True, required=False
        )
        sector = serializers.CharField(label=_("行业系统"), max_length=50, allow_blank=True, required=False)
        established_on = serializers.DateField(label=_("成立日期"), required=False, allow_null=True)

    get = scoped_detail(operation_id="units_retrieve", summary=_("单位详情"), get_for=selectors.unit_get_for, output=UnitSerializer)

    patch = scoped_update(operation_id="units_update", summary=_("修改单位"), input=InputSerializer, output=UnitSerializer, get_for=selectors.unit_get_for, perm=Perm.UNIT_MANAGE, update=_unit_update)


class UnitChildrenApi(APIView):
    pagination_class = Pagination

    @extend_schema(operation_id="units_children", summary=_("直属下级单位"), responses=UnitSerializer(many=True))
    def get(self, request, pk: int):
        unit = selectors.unit_get_for(user=request.user, pk=pk)
        return paginated(self, _with_parent_id(selectors.children(unit)), UnitSerializer)


class UnitMoveApi(APIView):
    @extend_schema_serializer(component_name="UnitMove")
    class InputSerializer(serializers.Serializer):
        new_parent = serializers.IntegerField(label=_("新的上级单位"))

    @extend_schema(operation_id="units_move", summary=_("移动单位及其下级"), request=InputSerializer,
                   responses=UnitSerializer)
    def post(self, request, pk: int):
        unit = selectors.unit_get_for(user=request.user, pk=pk, perm=Perm.UNIT_MANAGE)
        data = parse(self.InputSerializer, request.data)
        target = selectors.unit_get_for(
            user=request.user, pk=data["new_parent"], perm=Perm.UNIT_MANAGE
        )
        unit = services.unit_move(actor=request.user, unit=unit, new_parent=target)
        return Response(UnitSerializer(unit).data)


class UnitAbolishApi(APIView):
    @extend_schema_serializer(component_name="UnitAbolish")
    class InputSerializer(serializers.Serializer):
        on = serializers.DateField(label=_("撤销日期"))
        merged_into = serializers.IntegerField(label=_("并入单位"), required=False, allow_null=True)

    @extend_schema(operation_id="units_abolish", summary=_("撤销或合并单位"), request=InputSerializer,
                   responses=UnitSerializer)
    def post(self, request, pk: int):
        unit = selectors.unit_get_for(user=request.user, pk=pk, perm=Perm.UNIT_MANAGE)
        data = parse(self.InputSerializer, request.data)
        merged_into = None
        if data.get("merged_into") is not None:
            merged_into = selectors.unit_get_for(
                user=request.user, pk=data["merged_into"], perm=Perm.UNIT_MANAGE
            )
        unit = services.unit_abolish(
            actor=request.user, unit=unit, on=data["on"], merged_into=merged_into
        )
        return Response(UnitSerializer(unit).data)


class PersonSerializer(ModelOutput):
    unit_full_name = serializers.CharField(source="unit.full_name")

    class Meta:
        model = Person
        fields = ("id", "name", "position", "unit_id", "unit_full_name", "is_party_leader", "is_unit_head",
                  "is_active")


class PersonListApi(APIView):
    pagination_class = Pagination

    class FilterSerializer(serializers.Serializer):
        unit = serializers.IntegerField(
            label=_("单位"), required=False, help_text=_("只列出该单位及其下级的人员")
        )
        q = serializers.CharField(label=_("姓名"), required=False, allow_blank=True, max_length=50)
        party_leader = serializers.BooleanField(label=_("只列党员领导干部"), required=False, default=False)

    @extend_schema_serializer(component_name="PersonCreate")
    class InputSerializer(serializers.Serializer):
        unit = serializers.IntegerField(label=_("所在单位"))
        name = serializers.CharField(label=_("姓名"), max_length=50)
        position = serializers.CharField(
            label=_("职务"), max_length=100, allow_blank=True, required=False, default=""
        )
        is_party_leader = serializers.BooleanField(
            label=_("党员领导干部"), required=False, default=False
        )
        is_unit_head = serializers.BooleanField(
            label=_("主要负责同志"), required=False, default=False
        )

    @extend_schema(operation_id="people_list", summary=_("人员列表"), parameters=[FilterSerializer],
                   responses=PersonSerializer(many=True))
    def get(self, request):
        policy.require_somewhere(request.user, Perm.PERSON_VIEW)
        data = parse(self.FilterSerializer, request.query_params.dict())
        people = selectors.people_visible_to(user=request.user)
        if "unit" in data:
            unit = selectors.unit_get_for(user=request.user, pk=data["unit"], perm=Perm.PERSON_VIEW)
            people = people.filter(path_range_q(unit.path, "unit__path"))
        if data.get("q"):
            people = people.filter(name__contains=data["q"])
        if data["party_leader"]:
            people = people.filter(is_party_leader=True, is_active=True)
        return paginated(
            self, people.order_by("unit__path", "-is_unit_head", "id"), PersonSerializer
        )

    post = create_on_named_unit(operation_id="people_create", summary=_("新增人员"), input=InputSerializer,
                                output=PersonSerializer, field="unit", perm=Perm.PERSON_MANAGE, create=services.person_create)


def _person_update(request, person: Person, data: dict) -> Person:
    """A move to another unit needs the right to manage people there too."""
    if "unit" in data:
        data["unit"] = selectors.unit_get_for(user=request.user, pk=data["unit"], perm=Perm.PERSON_MANAGE)
    return services.person_update(actor=request.user, person=person, **data)


class PersonDetailApi(APIView):
    @extend_schema_serializer(component_name="PersonUpdate")
    class InputSerializer(serializers.Serializer):
        unit = serializers.IntegerField(label=_("所在单位"), required=False)
        name = serializers.CharField(label=_("姓名"), max_length=50, required=False)
        position = serializers.CharField(
            label=_("职务"), max_length=100, allow_blank=True, required=False
        )
        is_party_leader = serializers.BooleanField(label=_("党员领导干部"), required=False)
        is_unit_head = serializers.BooleanField(label=_("主要负责同志"), required=False)
        is_active = serializers.BooleanField(label=_("在职"), required=False)

    get = scoped_detail(operation_id="people_retrieve", summary=_("人员详情"), get_for=selectors.person_get_for, output=PersonSerializer)

    patch = scoped_update(operation_id="people_update", summary=_("修改人员"), input=InputSerializer, output=PersonSerializer, get_for=selectors.person_get_for, perm=Perm.PERSON_MANAGE, update=_person_update)


class GroupSerializer(ModelOutput):
    @extend_schema_serializer(component_name="GroupAssignedUnit")
    class AssignedUnitSerializer(ModelOutput):
        class Meta:
            model = Unit
            fields = ("id", "full_name")

    dispatched_by_full_name = serializers.CharField(source="dispatched_by.full_name")
    # What selectors.groups_shown_to lets the reader see: a leader or a unit out of their scope is not named.
    leader_id = serializers.IntegerField(source="shown_leader_id", allow_null=True)
    leader_name = serializers.CharField(source="shown_leader_name", allow_null=True)
    assigned_units = AssignedUnitSerializer(source="shown_units", many=True)

    class Meta:
        model = SupervisionGroup
        fields = ("id", "name", "dispatched_by_id", "dispatched_by_full_name", "leader_id", "leader_name",
                  "is_active", "assigned_units")


def _group_refs(user, *, leader=None, assigned_units=None) -> dict:
    """The people and units a group's input names, each fetched in the caller's scope (404 outside it)."""
    refs = {}
    if leader is not None:
        refs["leader"] = selectors.person_get_for(user=user, pk=leader)
    if assigned_units is not None:
        refs["assigned_units"] = [selectors.unit_get_for(user=user, pk=pk, perm=Perm.GROUP_MANAGE)
                                  for pk in dict.fromkeys(assigned_units)]
    return refs


def _group_create(*, actor, dispatched_by: Unit, name: str, leader=None, assigned_units=()) -> SupervisionGroup:
    refs = _group_refs(actor, leader=leader, assigned_units=list(assigned_units))
    group = services.supervision_group_create(actor=actor, dispatched_by=dispatched_by, name=name,
                                              leader=refs.get("leader"), assigned_units=refs["assigned_units"])
    return selectors.group_get_for(user=actor, pk=group.pk)


@transaction.atomic
def _group_update(request, group: SupervisionGroup, data: dict) -> SupervisionGroup:
    """Each field its service: name and leader, the units, the state; all or nothing."""
    user = request.user
    refs = _group_refs(user, leader=data.get("leader"), assigned_units=data.get("assigned_units"))
    if "name" in data or "leader" in data:
        leader = refs.get("leader") if "leader" in data else group.leader
        services.supervision_group_update(actor=user, group=group, name=data.get("name", group.name), leader=leader)
    if "assigned_units" in data:
        services.supervision_group_assign(actor=user, group=group, assigned_units=refs["assigned_units"])
    if "is_active" in data and data["is_active"] != group.is_active:
        switch = services.supervision_group_reactivate if data["is_active"] else services.supervision_group_deactivate
        switch(actor=user, group=group)
    return selectors.group_get_for(user=user, pk=group.pk)


class GroupListApi(APIView):
    pagination_class = Pagination

    @extend_schema_serializer(component_name="GroupCreate")
    class InputSerializer(serializers.Serializer):
        dispatched_by = serializers.IntegerField(label=_("派出单位"))
        name = serializers.CharField(label=_("督导组名称"), max_length=100)
        leader = serializers.IntegerField(label=_("组长"), required=False, allow_null=True, default=None)
        assigned_units = serializers.ListField(label=_("督导单位"), child=serializers.IntegerField(), required=False,
                                               default=list, max_length=500)

    get = visible_list(operation_id="groups_list", summary=_("督导组列表"), perm=Perm.GROUP_VIEW,
                       rows=selectors.groups_shown_to, output=GroupSerializer)

    post = create_on_named_unit(operation_id="groups_create", summary=_("组建督导组"), input=InputSerializer,
                                output=GroupSerializer, field="dispatched_by", perm=Perm.GROUP_MANAGE,
                                create=_group_create)


class GroupDetailApi(APIView):
    @extend_schema_serializer(component_name="GroupUpdate")
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(label=_("督导组名称"), max_length=100, required=False)
        leader = serializers.IntegerField(label=_("组长"), required=False, allow_null=True)
        assigned_units = serializers.ListField(label=_("督导单位"), child=serializers.IntegerField(), required=False,
                                               max_length=500)
        is_active = serializers.BooleanField(label=_("在用"), required=False,
                                             help_text=_("false 停用：成员的督导权限随之暂停；true 重新启用"))

    get = scoped_detail(operation_id="groups_retrieve", summary=_("督导组详情"), get_for=selectors.group_get_for, output=GroupSerializer)

    patch = scoped_update(operation_id="groups_update", summary=_("修改督导组"), input=InputSerializer,
                          output=GroupSerializer, get_for=selectors.group_get_for, perm=Perm.GROUP_MANAGE,
                          update=_group_update)
