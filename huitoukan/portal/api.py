"""API sign-in (tokens), "who am I", and the input parsing and paging every app's api.py shares."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from huitoukan.access import services as access_services
from huitoukan.access.models import Role

# --- shared by every app's api.py ------------------------------------------------------------


class InvalidInput(APIException):
    """Bad input: the same {code, detail} shape as a domain error, plus the errors per field."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "INVALID_INPUT"


def _subfields(field):
    field = getattr(field, "child", field)
    return getattr(field, "fields", None)


def _lines(errors, fields, key_path: str = "", label_path: str = ""):
    """One Chinese line per error, naming the field by its label and its key: "单位名称（name）：…"."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            if key == "non_field_errors":
                yield from _lines(value, None, key_path, label_path)
            elif isinstance(key, int):
                yield from _lines(value, fields, f"{key_path}[{key}]", f"{label_path}第{key + 1}项")
            else:
                field = (fields or {}).get(key)
                label = str(getattr(field, "label", None) or key)
                yield from _lines(
                    value,
                    _subfields(field),
                    f"{key_path}.{key}" if key_path else key,
                    label_path + label,
                )
    elif isinstance(errors, list) and any(isinstance(item, dict) for item in errors):
        for index, item in enumerate(errors):
            if item:
                yield from _lines(
                    item, fields, f"{key_path}[{index}]", f"{label_path}第{index + 1}项"
                )
    else:
        messages = "".join(str(m) for m in (errors if isinstance(errors, list) else [errors]))
        yield f"{label_path}（{key_path}）：{messages}" if key_path else messages


def parse(
    serializer_class: type[serializers.Serializer], data, *, partial: bool = False, **context
) -> dict:
    """Validate request input; a refusal answers 400 naming each field in Chinese.

    `partial` for PATCH: absent fields stay absent (a form-encoded body would otherwise
    read an absent boolean as false).
    """
    serializer = serializer_class(data=data, partial=partial, context=context)
    if not serializer.is_valid():
        lines = [line.rstrip("。") for line in _lines(serializer.errors, serializer.fields)]
        raise InvalidInput(
            {
                "code": "INVALID_INPUT",
                "detail": "；".join(lines) + "。",
                "fields": serializer.errors,
            }
        )
    return serializer.validated_data


class Pagination(LimitOffsetPagination):
    max_limit = 500


def paginated(view: APIView, queryset, serializer_class: type[serializers.Serializer]) -> Response:
    paginator = Pagination()
    page = paginator.paginate_queryset(queryset, view.request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


# The Error component is added by huitoukan.api.add_error_responses.
ERROR_REF = {"$ref": "#/components/schemas/Error"}


# --- tokens and "me" -------------------------------------------------------------------------


class TokenObtainApi(APIView):
    """Exchange a username and password for an API token. Failures count towards the lockout."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema_serializer(component_name="TokenObtain")
    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(label=_("用户名"), max_length=150)
        password = serializers.CharField(label=_("密码"), max_length=128, trim_whitespace=False)

    @extend_schema_serializer(component_name="Token")
    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField(source="key")

    @extend_schema(
        operation_id="auth_token_obtain",
        summary=_("用用户名和密码换取接口令牌"),
        description=_("请求头写 Authorization: Token <令牌>。登录失败计入账号锁定次数。"),
        request=InputSerializer,
        responses={
            200: OutputSerializer,
            429: OpenApiResponse(response=ERROR_REF, description=_("登录失败次数过多，已锁定")),
        },
        auth=[],
    )
    def post(self, request):
        data = parse(self.InputSerializer, request.data)
        # Through authenticate() with the request, so django-axes counts failures and locks out.
        user = authenticate(request=request, username=data["username"], password=data["password"])
        if user is None:
            if getattr(request, "axes_locked_out", False):
                return Response(
                    {
                        "code": "LOCKED_OUT",
                        "detail": _("登录失败次数过多，账号已被暂时锁定，请稍后再试。"),
                    },
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            return Response(
                {"code": "INVALID_CREDENTIALS", "detail": _("用户名或密码错误。")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token = access_services.api_token_issue(user=user, request=request)
        return Response(self.OutputSerializer(token).data)


class TokenRevokeApi(APIView):
    """Sign out of the API: the caller's token stops working at once."""

    @extend_schema(operation_id="auth_token_revoke", summary=_("注销接口令牌"), request=None,
                   responses={204: None})
    def post(self, request):
        access_services.api_token_revoke(user=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    @extend_schema_serializer(component_name="Me")
    class OutputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="MeRole")
        class RoleSerializer(serializers.Serializer):
            role = serializers.ChoiceField(choices=Role.choices)
            role_display = serializers.CharField(source="get_role_display")
            unit_id = serializers.IntegerField()
            unit_full_name = serializers.CharField(source="unit.full_name")
            supervision_group_id = serializers.IntegerField(allow_null=True)
            person_id = serializers.IntegerField(allow_null=True)

        username = serializers.CharField()
        roles = RoleSerializer(many=True)

    @extend_schema(operation_id="me", summary=_("当前用户及其角色"), responses=OutputSerializer)
    def get(self, request):
        roles = request.user.role_assignments.select_related("unit").order_by("unit__path", "role")
        return Response(
            self.OutputSerializer({"username": request.user.get_username(), "roles": roles}).data
        )
