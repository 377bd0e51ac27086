"""API sign-in (tokens) and "who am I". The parsing and paging every api.py shares are in core.api."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from huitoukan.access import services as access_services
from huitoukan.administration.api import RoleHeldSerializer
from huitoukan.core.api import ERROR_REF, parse
from huitoukan.security.middleware import change_detail
from huitoukan.security.selectors import password_change_reason
from huitoukan.twofactor import rules as twofactor_rules
from huitoukan.twofactor import services as twofactor_services
from huitoukan.twofactor.errors import TwoFactorErrorCode

# The API's names of the second factor's refusals.
OTP_REFUSALS = {TwoFactorErrorCode.NOT_ENROLLED: "OTP_NOT_ENROLLED", TwoFactorErrorCode.CODE_MISSING: "OTP_REQUIRED"}


class TokenObtainApi(APIView):
    """Exchange a username and password for an API token. Failures count towards the lockout."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema_serializer(component_name="TokenObtain")
    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(label=_("用户名"), max_length=150)
        password = serializers.CharField(label=_("密码"), max_length=128, trim_whitespace=False)
        otp = serializers.CharField(label=_("动态口令或恢复码"), max_length=32, required=False, allow_blank=True,
                                    help_text=_("须二次验证的账号（三员及安全策略指定的角色）必填。"))

    @extend_schema_serializer(component_name="Token")
    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField(source="key")

    @extend_schema(operation_id="auth_token_obtain", summary=_("用用户名和密码换取接口令牌"),
                   description=_("请求头写 Authorization: Token <令牌>。登录失败计入账号锁定次数。"), request=InputSerializer,
                   responses={ 200: OutputSerializer, 429: OpenApiResponse(response=ERROR_REF, description=_("登录失败次数过多，已锁定")),
                              403: OpenApiResponse(response=ERROR_REF, description=_("须先在网页上修改密码")), },
                   auth=[])
    def post(self, request):
        data = parse(self.InputSerializer, request.data)
        # Through authenticate() with the request, so django-axes counts failures and locks out.
        user = authenticate(request=request, username=data["username"], password=data["password"])
        if user is not None and twofactor_rules.second_factor_required(user):
            # The second factor, as on the web: a wrong code counts towards the same lockout.
            checked = twofactor_services.token_second_factor_check(user=user, code=data.get("otp", ""),
                                                                   request=request)
            if checked.device is None and not checked.locked:
                return Response({"code": OTP_REFUSALS.get(checked.error.code, "OTP_INVALID"),
                                 "detail": checked.error.message}, status=status.HTTP_400_BAD_REQUEST)
            if checked.device is None:
                user = None
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
        if (reason := password_change_reason(user)) is not None:
            # An initial, reset or expired password buys no token: it is changed on the web first.
            return Response({"code": "PASSWORD_CHANGE_REQUIRED", "detail": change_detail(reason)},
                            status=status.HTTP_403_FORBIDDEN)
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
        @extend_schema_serializer(component_name="MeRole")  # the schema's name for it, as before
        class RoleSerializer(RoleHeldSerializer):
            pass

        username = serializers.CharField()
        roles = RoleSerializer(many=True)

    @extend_schema(operation_id="me", summary=_("当前用户及其角色"), responses=OutputSerializer)
    def get(self, request):
        roles = request.user.role_assignments.select_related("unit").order_by("unit__path", "role")
        return Response(
            self.OutputSerializer({"username": request.user.get_username(), "roles": roles}).data
        )
