"""REST endpoints of role assignments (the 安全管理员 console): list, grant, revoke. The checks are the pages'."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from huitoukan.access import selectors, services
from huitoukan.access.models import Role, RoleAssignment
from huitoukan.access.policy import Perm
from huitoukan.core.api import ModelOutput, Pagination, created
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.api import parse_on_named_unit, visible_list


# A role assignment as its holder sees it (portal's "who am I"): the role, where, and as whom.
# (Comments, not docstrings: a serializer's docstring would become its description in the schema.)
class RoleHeldSerializer(ModelOutput):
    role_display = serializers.CharField(source="get_role_display")
    unit_full_name = serializers.CharField(source="unit.full_name")

    class Meta:
        model = RoleAssignment
        fields = ("role", "role_display", "unit_id", "unit_full_name", "supervision_group_id", "person_id")


# A role assignment as the 安全管理员 sees it: also whose it is, and who granted it when.
class RoleAssignmentSerializer(RoleHeldSerializer):
    username = serializers.CharField(source="user.username")
    granted_by = serializers.CharField(source="granted_by.username", allow_null=True, default=None)

    class Meta(RoleHeldSerializer.Meta):
        fields = (*RoleHeldSerializer.Meta.fields, "id", "user_id", "username", "granted_by", "granted_at")


class RoleAssignmentListApi(APIView):
    pagination_class = Pagination

    @extend_schema_serializer(component_name="RoleGrant")
    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(label=_("用户名"), max_length=150)
        # Every role is accepted here so that refusing 安全管理员 is the policy's answer, with its reason.
        role = serializers.ChoiceField(label=_("角色"), choices=Role.choices)
        unit = serializers.IntegerField(label=_("单位"))
        person = serializers.IntegerField(
            label=_("对应人员"), required=False, allow_null=True, help_text=_("责任领导必填")
        )
        supervision_group = serializers.IntegerField(
            label=_("督导组"), required=False, allow_null=True, help_text=_("督导组成员必填")
        )

        def validate_username(self, value):
            user = get_user_model().objects.filter(username=value.strip(), is_active=True).first()
            if user is None:
                raise serializers.ValidationError(
                    _("找不到用户“%(name)s”。") % {"name": value.strip()}
                )
            return user

    get = visible_list(operation_id="role_assignments_list", summary=_("角色授权列表"), perm=Perm.ROLE_VIEW,
                       rows=selectors.assignments_visible_to, output=RoleAssignmentSerializer)

    @extend_schema(operation_id="role_assignments_grant", summary=_("授予角色"), request=InputSerializer,
                   responses={201: RoleAssignmentSerializer})
    def post(self, request):
        data, unit = parse_on_named_unit(request, self.InputSerializer, "unit", Perm.ROLE_GRANT)
        person = None
        if data.get("person") is not None:
            person = org_selectors.person_get_for(user=request.user, pk=data["person"])
        group = None
        if data.get("supervision_group") is not None:
            group = (
                org_selectors.groups_visible_to(user=request.user)
                .filter(pk=data["supervision_group"])
                .first()
            )
            if group is None:
                raise Http404
        assignment = services.role_grant(
            actor=request.user,
            user=data["username"],
            role=data["role"],
            unit=unit,
            person=person,
            supervision_group=group,
            request=request,
        )
        return created(RoleAssignmentSerializer, assignment, request)


class RoleAssignmentDetailApi(APIView):
    @extend_schema(operation_id="role_assignments_revoke", summary=_("撤销角色授权"), request=None,
                   responses={204: OpenApiResponse(description=_("已撤销授权"))})
    def delete(self, request, pk: int):
        assignment = selectors.assignment_get_for(user=request.user, pk=pk, perm=Perm.ROLE_GRANT)
        services.role_revoke(actor=request.user, assignment=assignment, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)
