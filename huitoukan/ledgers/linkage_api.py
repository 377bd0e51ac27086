"""REST endpoints of 上下联动 (ledgers.linkage): the links the caller sees, one link, and hand up, withdraw, claim,
decline and 主动认领. Checks are the pages': fetch through the selector, authorize before the input is read, one
service."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from huitoukan.access.policy import Perm
from huitoukan.core.api import ModelOutput, Pagination, parse, scoped_detail
from huitoukan.ledgers import linkage, selectors
from huitoukan.ledgers.errors import LedgerError, LinkErrorCode
from huitoukan.ledgers.linkage import LinkAction, LinkSubject
from huitoukan.ledgers.models import ItemLink
from huitoukan.orgs.api import visible_list
from huitoukan.orgs.models import Person


class LinkSerializer(ModelOutput):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    kind_display = serializers.SerializerMethodField()
    lead_leader_ids = serializers.SerializerMethodField()

    class Meta:
        model = ItemLink
        fields = ("id", "item_id", "from_unit_id", "to_unit_id", "state", "state_display", "kind_display", "from_above",
                  "reason", "handed_at", "claimed_at", "measures", "due_on", "lead_leader_ids", "declined_at",
                  "decline_reason")

    def get_kind_display(self, link) -> str:
        return linkage.kind_label(link)

    def get_lead_leader_ids(self, link) -> list[int]:
        return [p.pk for p in link.lead_leaders.all()]


@extend_schema_serializer(component_name="LinkHandUp")
class HandUpInput(serializers.Serializer):
    to_unit = serializers.IntegerField(label=_("提请牵头单位"))
    reason = serializers.CharField(label=_("上报理由"))


@extend_schema_serializer(component_name="LinkClaim")
class ClaimInput(serializers.Serializer):
    measures = serializers.CharField(label=_("牵头整改措施"))
    due_on = serializers.DateField(label=_("牵头时限"))
    lead_leaders = serializers.ListField(label=_("牵头单位领导"), child=serializers.IntegerField())


@extend_schema_serializer(component_name="LinkClaimFromBelow")
class ClaimFromBelowInput(ClaimInput):
    unit = serializers.IntegerField(label=_("牵头单位"))


@extend_schema_serializer(component_name="LinkDecline")
class DeclineInput(serializers.Serializer):
    reason = serializers.CharField(label=_("不予认领理由"))


def _leaders(unit, ids: list[int]) -> list[Person]:
    """The people named, each of the leading unit (else the service's message names the one that is not)."""
    found = Person.objects.in_bulk([pk for pk in ids if isinstance(pk, int)])
    for pk in ids:
        if pk not in found:
            raise LedgerError(LinkErrorCode.LEADER_OUTSIDE, person=str(pk), unit=unit.name)
    return [found[pk] for pk in ids]


def _answer(link, code=status.HTTP_200_OK) -> Response:
    return Response(LinkSerializer(ItemLink.objects.prefetch_related("lead_leaders").select_related(
        "from_unit", "to_unit").get(pk=link.pk)).data, status=code)


class LinkListApi(APIView):
    pagination_class = Pagination

    get = visible_list(operation_id="links_list", summary=_("上下联动事项"), perm=Perm.WORK_VIEW,
                       rows=linkage.links_visible_to, output=LinkSerializer)


class LinkDetailApi(APIView):
    get = scoped_detail(operation_id="links_retrieve", summary=_("上下联动"), get_for=linkage.link_get_for,
                        output=LinkSerializer)


class ItemHandUpApi(APIView):
    @extend_schema(operation_id="item_hand_up", summary=_("提请上级牵头（上级单位或行业主管部门）"), request=HandUpInput,
                   responses={201: LinkSerializer})
    def post(self, request, pk: int):
        item = selectors.item_get_for(user=request.user, pk=pk)
        linkage.authorize(request.user, LinkAction.HAND_UP, LinkSubject.of(item))
        data = parse(HandUpInput, request.data)
        receivers = {u.pk: u for u in linkage.receivers_for(item.ledger.unit)}
        if data["to_unit"] not in receivers:
            raise LedgerError(LinkErrorCode.RECEIVER_NOT_ALLOWED, unit=str(data["to_unit"]), own=item.ledger.unit.name)
        link = linkage.link_hand_up(actor=request.user, item=item, to_unit=receivers[data["to_unit"]],
                                    reason=data["reason"])
        return _answer(link, status.HTTP_201_CREATED)


class ItemClaimFromBelowApi(APIView):
    @extend_schema(operation_id="item_claim_from_below", summary=_("上级主动认领"), request=ClaimFromBelowInput,
                   responses={201: LinkSerializer})
    def post(self, request, pk: int):
        item = selectors.item_get_for(user=request.user, pk=pk)
        linkage.authorize(request.user, LinkAction.CLAIM_FROM_BELOW, LinkSubject.of(item))
        data = parse(ClaimFromBelowInput, request.data)
        units = {u.pk: u for u in linkage.claim_units_for(request.user, item.ledger.unit)}
        if data["unit"] not in units:
            raise LedgerError(LinkErrorCode.NOT_ABOVE)
        unit = units[data["unit"]]
        link = linkage.link_claim_from_below(actor=request.user, item=item, unit=unit, measures=data["measures"],
                                             due_on=data["due_on"], lead_leaders=_leaders(unit, data["lead_leaders"]))
        return _answer(link, status.HTTP_201_CREATED)


def _link_for(request, pk, action: LinkAction):
    link = linkage.link_get_for(user=request.user, pk=pk)
    linkage.authorize(request.user, action, LinkSubject(link.item, link, link))
    return link


class LinkWithdrawApi(APIView):
    @extend_schema(operation_id="link_withdraw", summary=_("撤回提请"), request=None, responses=LinkSerializer)
    def post(self, request, pk: int):
        link = _link_for(request, pk, LinkAction.WITHDRAW)
        return _answer(linkage.link_withdraw(actor=request.user, link=link))


class LinkClaimApi(APIView):
    @extend_schema(operation_id="link_claim", summary=_("认领牵头"), request=ClaimInput, responses=LinkSerializer)
    def post(self, request, pk: int):
        link = _link_for(request, pk, LinkAction.CLAIM)
        data = parse(ClaimInput, request.data)
        return _answer(linkage.link_claim(actor=request.user, link=link, measures=data["measures"],
                                          due_on=data["due_on"],
                                          lead_leaders=_leaders(link.to_unit, data["lead_leaders"])))


class LinkDeclineApi(APIView):
    @extend_schema(operation_id="link_decline", summary=_("不予认领（须写理由）"), request=DeclineInput,
                   responses=LinkSerializer)
    def post(self, request, pk: int):
        link = _link_for(request, pk, LinkAction.DECLINE)
        data = parse(DeclineInput, request.data)
        return _answer(linkage.link_decline(actor=request.user, link=link, reason=data["reason"]))


ENDPOINTS: list = [
    ("links/", LinkListApi, "api-links"),
    ("links/<int:pk>/", LinkDetailApi, "api-link"),
    ("items/<int:pk>/hand-up/", ItemHandUpApi, "api-item-hand-up"),
    ("items/<int:pk>/claim-from-below/", ItemClaimFromBelowApi, "api-item-claim-from-below"),
    ("links/<int:pk>/withdraw/", LinkWithdrawApi, "api-link-withdraw"),
    ("links/<int:pk>/claim/", LinkClaimApi, "api-link-claim"),
    ("links/<int:pk>/decline/", LinkDeclineApi, "api-link-decline"),
]
