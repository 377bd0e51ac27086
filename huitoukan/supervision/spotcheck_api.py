"""REST endpoints of the spot checks (重点抽查). The checks are the pages': the same rules, selectors and
services, and a write is refused (403/404) before its input is judged."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core import sql
from huitoukan.core.api import ModelOutput, created, invalid_input, parse
from huitoukan.core.lights import Light
from huitoukan.ledgers.models import FourWinds, ItemStatus
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.models import Batch, Unit, UnitKind, UnitLevel
from huitoukan.supervision import spotchecks
from huitoukan.supervision.models import PopulationKind, SpotCheck
from huitoukan.supervision.spotcheck_views import coverage_scope


class SpotCheckSerializer(ModelOutput):
    key_unit_ids = serializers.SerializerMethodField(help_text=_("重点单位"))
    team = serializers.SerializerMethodField(help_text=_("检查组成员的登录名"))
    sample = serializers.SerializerMethodField(help_text=_("抽中的单位（抽取顺序），抽中理由和检查人员（登录名）"))

    class Meta:
        model = SpotCheck
        fields = ("id", "title", "campaign_id", "ordering_unit_id", "root_id", "population_kind", "item_statuses",
                  "item_four_winds", "inspected_units", "levels", "kinds", "batches", "sectors",
                  "lights", "min_overdue", "at_least_one_per_county", "min_share_percent", "size", "keys_always_in",
                  "key_unit_ids", "exclude_sampled_last_time", "team", "per_inspector_max", "starts_on", "state",
                  "previous_id", "commitment", "digest", "seed", "sample", "explanation", "inspection_id",
                  "created_by_id", "created_at", "drawn_by_id", "drawn_at")

    def get_key_unit_ids(self, spot_check) -> list[int]:
        return [u.pk for u in spot_check.key_units.all()]

    def get_team(self, spot_check) -> list[str]:
        return [u.get_username() for u in spot_check.team.all()]

    def get_sample(self, spot_check) -> list[dict]:
        return [{"unit": row.unit.get("unit"), "name": row.unit.get("name", ""), "reason": spot_check.reasons.get(
            str(row.unit.get("unit")), ""), "reason_label": row.reason, "inspector": row.inspector}
            for row in spotchecks.sample_rows(spot_check)]


class SpotCheckDetailSerializer(SpotCheckSerializer):
    definition = serializers.SerializerMethodField(help_text=_("承诺时存档的抽查定义（规范 JSON，含检查组的所在单位和上次检查的单位）"))
    population = serializers.SerializerMethodField(help_text=_("承诺时存档的抽查范围（规范 JSON）"))

    class Meta(SpotCheckSerializer.Meta):
        fields = (*SpotCheckSerializer.Meta.fields, "definition", "population")

    def get_definition(self, spot_check) -> dict:
        return json.loads(spot_check.definition_json)

    def get_population(self, spot_check) -> list[dict]:
        return json.loads(spot_check.population_json)


def _choices(enum) -> serializers.ListField:
    return serializers.ListField(child=serializers.ChoiceField(choices=enum), required=False, default=list)


class SpotCheckInput(serializers.Serializer):
    ordering_unit = serializers.IntegerField(label=_("组织单位"))
    root = serializers.IntegerField(label=_("抽查范围"))
    title = serializers.CharField(label=_("抽查名称"), max_length=200)
    campaign = serializers.IntegerField(label=_("活动"), required=False, allow_null=True, default=None)
    starts_on = serializers.DateField(label=_("检查开始日期"))
    population_kind = serializers.ChoiceField(label=_("抽查对象"), choices=PopulationKind.choices, required=False,
                                              default=PopulationKind.UNITS)
    item_statuses = _choices(ItemStatus.choices)
    item_four_winds = _choices(FourWinds.choices)
    levels = _choices(UnitLevel.choices)
    kinds = _choices(UnitKind.choices)
    batches = _choices(Batch.choices)
    sectors = serializers.ListField(label=_("行业系统"), child=serializers.CharField(max_length=100), required=False,
                                    default=list)
    lights = _choices([(str(light), str(light)) for light in Light])
    min_overdue = serializers.IntegerField(label=_("逾期事项不少于"), min_value=0, max_value=100_000, required=False,
                                           default=0)
    at_least_one_per_county = serializers.BooleanField(label=_("每县至少一个"), required=False, default=False)
    min_share_percent = serializers.DecimalField(label=_("至少抽取比例（%）"), max_digits=5, decimal_places=2,
                                                 min_value=0, max_value=100, required=False, default=0)
    size = serializers.IntegerField(label=_("抽取数量"), min_value=0, max_value=100_000, required=False, allow_null=True,
                                    default=None)
    keys_always_in = serializers.BooleanField(label=_("重点单位必抽"), required=False, default=True)
    key_units = serializers.ListField(label=_("重点单位"), child=serializers.IntegerField(), required=False,
                                      default=list)
    exclude_sampled_last_time = serializers.BooleanField(label=_("排除上次已抽查的单位"), required=False,
                                                         default=False)
    team = serializers.ListField(label=_("检查组成员（登录名）"), child=serializers.CharField(max_length=150),
                                 allow_empty=False)
    per_inspector_max = serializers.IntegerField(label=_("每人最多检查数"), min_value=1, max_value=100_000, required=False,
                                                 allow_null=True, default=None)


def _key(request, name):
    return sql.key_or_none(request.data.get(name) if isinstance(request.data, dict) else None)


def _resolved(data: dict, ordering_unit: Unit) -> dict:
    """Ids and names of the input as objects; an unknown one is bad input naming the field."""
    fields = SpotCheckInput().fields
    root = Unit.objects.filter(pk=data["root"], path__startswith=ordering_unit.path).first()
    if root is None:
        raise invalid_input({"root": [_("抽查范围须在组织单位范围内。")]}, fields)
    keys = list(Unit.objects.filter(pk__in=data["key_units"], path__startswith=root.path))
    if len(keys) != len(set(data["key_units"])):
        raise invalid_input({"key_units": [_("重点单位须在抽查范围内。")]}, fields)
    campaign = None
    if data["campaign"] is not None:
        campaign = spotchecks.campaigns_of(ordering_unit).filter(pk=data["campaign"]).first()
        if campaign is None:
            raise invalid_input({"campaign": [_("活动不存在或与组织单位无关。")]}, fields)
    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=data["team"], is_active=True)}
    unknown = [n for n in data["team"] if n not in users]
    if unknown:
        raise invalid_input({"team": [_("登录名不存在：%(names)s") % {"names": "、".join(unknown)}]}, fields)
    rest = {k: data[k] for k in ("title", "starts_on", "levels", "kinds", "batches", "sectors", "lights", "min_overdue",
                                 "at_least_one_per_county", "min_share_percent", "size", "keys_always_in",
                                 "exclude_sampled_last_time", "per_inspector_max", "population_kind",
                                 "item_statuses", "item_four_winds")}
    return {**rest, "root": root, "campaign": campaign, "key_units": keys,
            "team": [users[n] for n in dict.fromkeys(data["team"])]}


class SpotChecksApi(APIView):
    @extend_schema(operation_id="supervision_spot_checks_list", summary=_("重点抽查列表"),
                   responses=SpotCheckSerializer(many=True))
    def get(self, request):
        policy.require_somewhere(request.user, Perm.WORK_VIEW)
        found = spotchecks.spot_checks_for(user=request.user).prefetch_related("team", "key_units")[:500]
        return Response(SpotCheckSerializer(found, many=True).data)

    @extend_schema(operation_id="supervision_spot_checks_create", summary=_("定义重点抽查（承诺种子）"),
                   request=SpotCheckInput, responses={201: SpotCheckDetailSerializer})
    def post(self, request):
        ordering_unit = org_selectors.unit_get_for(user=request.user, pk=_key(request, "ordering_unit"),
                                                   perm=Perm.WORK_VIEW)
        policy.require(request.user, Perm.INSPECTION_ORDER, ordering_unit)
        data = parse(SpotCheckInput, request.data)
        spot_check = spotchecks.spotcheck_define(actor=request.user, ordering_unit=ordering_unit,
                                                 **_resolved(data, ordering_unit))
        return created(SpotCheckDetailSerializer, spot_check, request)


class SpotCheckDetailApi(APIView):
    @extend_schema(operation_id="supervision_spot_checks_retrieve",
                   summary=_("一次重点抽查（含存档的定义和范围，抽取后含种子）"), responses=SpotCheckDetailSerializer)
    def get(self, request, pk: int):
        return Response(SpotCheckDetailSerializer(spotchecks.spot_check_get_for(user=request.user, pk=pk)).data)


class SpotCheckDrawApi(APIView):
    @extend_schema(operation_id="supervision_spot_checks_draw", summary=_("抽取（公布种子并安排督查）"), request=None,
                   responses=SpotCheckDetailSerializer)
    def post(self, request, pk: int):
        spot_check = spotchecks.spot_check_get_for(user=request.user, pk=pk)
        spotchecks.raise_if(spotchecks.draw_refusal(request.user, spot_check))
        spotchecks.spotcheck_draw(actor=request.user, spot_check=spot_check)
        return Response(SpotCheckDetailSerializer(spotchecks.spot_check_get_for(user=request.user, pk=pk)).data)


class VerificationSerializer(serializers.Serializer):
    result = serializers.CharField(help_text=_("一致、不一致或尚未抽取"))
    drawn = serializers.BooleanField()
    consistent = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField(), help_text=_("不一致的原因"))


class SpotCheckVerifyApi(APIView):
    @extend_schema(operation_id="supervision_spot_checks_verify", summary=_("核验抽取结果"),
                   responses=VerificationSerializer)
    def get(self, request, pk: int):
        result = spotchecks.spotcheck_verify(spotchecks.spot_check_get_for(user=request.user, pk=pk))
        return Response({"result": result.label, "drawn": result.drawn, "consistent": result.consistent,
                         "problems": result.problems})


class SpotCheckCoverageApi(APIView):
    @extend_schema(operation_id="supervision_spot_checks_coverage", summary=_("抽查覆盖情况"),
                   parameters=[OpenApiParameter("unit", int, description=str(_("单位（默认为本人的第一个单位）"))),
                               OpenApiParameter("campaign", int, description=str(_("活动"))),
                               OpenApiParameter("county", str, description=str(_("县（路径），逐个单位列出"))),
                               OpenApiParameter("level", str, many=True, enum=UnitLevel.values,
                                                description=str(_("只计这些层级的单位")))],
                   responses={200: dict})
    def get(self, request):
        root, campaign = coverage_scope(request.user, request.query_params)
        cov = spotchecks.coverage_map(user=request.user, root=root, campaign=campaign,
                                      county=request.query_params.get("county") or None,
                                      levels=request.query_params.getlist("level"))
        return Response({
            "unit": root.pk, "campaign": campaign.pk if campaign else None, "draws": cov.draws,
            "units_total": cov.units_total, "units_sampled": cov.units_sampled, "share": cov.share,
            "counties": [{"county": r.key, "unit": r.unit_id, "name": r.name, "units": r.units,
                          "units_sampled": r.units_sampled, "share": r.share, "times": r.times, "last": r.last,
                          "never_sampled": r.never} for r in cov.counties],
            "units": [{"unit": u.unit_id, "name": u.name, "times": u.times, "last": u.last} for u in cov.units[:2000]],
        })


# (route under /api/v1/, view class, name)
ENDPOINTS: list = [
    ("supervision/spot-checks/", SpotChecksApi, "api-spotchecks"),
    ("supervision/spot-checks/coverage/", SpotCheckCoverageApi, "api-spotcheck-coverage"),
    ("supervision/spot-checks/<int:pk>/", SpotCheckDetailApi, "api-spotcheck"),
    ("supervision/spot-checks/<int:pk>/draw/", SpotCheckDrawApi, "api-spotcheck-draw"),
    ("supervision/spot-checks/<int:pk>/verify/", SpotCheckVerifyApi, "api-spotcheck-verify"),
]
