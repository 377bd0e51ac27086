"""REST endpoints of a login's own notifications and channels; ENDPOINTS is merged into huitoukan.api_urls."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from huitoukan.core.api import ModelOutput, Pagination, parse
from huitoukan.notifications import selectors, services
from huitoukan.notifications.models import Notification


class NotificationSerializer(ModelOutput):
    class Meta:
        model = Notification
        fields = ("id", "kind", "title", "body", "link", "key", "created_at", "read_at")


class NotificationListApi(APIView):
    @extend_schema(
        operation_id="notifications_list", summary=_("我的消息（最新在前），含未读条数"),
        parameters=[inline_serializer("NotificationListQuery", {
            "unread": serializers.BooleanField(required=False, help_text=_("只看未读")),
            "limit": serializers.IntegerField(required=False, min_value=1),
            "offset": serializers.IntegerField(required=False, min_value=0)})],
        responses=inline_serializer("NotificationPage", {
            "count": serializers.IntegerField(), "unread": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True), "previous": serializers.URLField(allow_null=True),
            "results": NotificationSerializer(many=True)}))
    def get(self, request):
        unread_only = request.query_params.get("unread") in ("1", "true")
        paginator = Pagination()
        page = paginator.paginate_queryset(
            selectors.notifications_of(user=request.user, unread_only=unread_only), request, view=self)
        response = paginator.get_paginated_response(NotificationSerializer(page, many=True).data)
        response.data["unread"] = selectors.unread_count(user=request.user)
        return response


class NotificationReadApi(APIView):
    @extend_schema(operation_id="notifications_read", summary=_("将一条消息标为已读"), request=None,
                   responses=NotificationSerializer)
    def post(self, request, pk: int):
        notification = selectors.notification_get_for(user=request.user, pk=pk)
        notification = services.notification_read(actor=request.user, notification=notification)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllApi(APIView):
    @extend_schema(operation_id="notifications_read_all", summary=_("将我的全部消息标为已读"), request=None,
                   responses=inline_serializer("NotificationReadAll", {"marked": serializers.IntegerField()}))
    def post(self, request):
        return Response({"marked": services.notifications_read_all(actor=request.user)})


class ChannelsSerializer(serializers.Serializer):
    in_app = serializers.BooleanField(read_only=True, help_text=_("站内消息：始终开启"))
    email = serializers.BooleanField(help_text=_("邮件提醒"))
    email_address = serializers.CharField(read_only=True, help_text=_("邮件发往的地址（账号的邮件地址）"))
    email_configured = serializers.BooleanField(read_only=True, help_text=_("系统是否已配置邮件服务器"))


@extend_schema_serializer(component_name="NotificationSettingsUpdate")
class ChannelsInputSerializer(serializers.Serializer):
    email = serializers.BooleanField(label=_("邮件提醒"))


class NotificationSettingsApi(APIView):
    @extend_schema(operation_id="notification_settings_retrieve", summary=_("我的提醒方式"),
                   responses=ChannelsSerializer)
    def get(self, request):
        return Response(ChannelsSerializer(selectors.channels_of(user=request.user)).data)

    @extend_schema(operation_id="notification_settings_update", summary=_("修改我的提醒方式"),
                   request=ChannelsInputSerializer, responses=ChannelsSerializer)
    def patch(self, request):
        data = parse(ChannelsInputSerializer, request.data, partial=True)
        if "email" in data:
            services.channel_preference_set(actor=request.user, email=data["email"])
        return Response(ChannelsSerializer(selectors.channels_of(user=request.user)).data)


# (route under /api/v1/, view class, name)
ENDPOINTS: list = [
    ("notifications/", NotificationListApi, "api-notification-list"),
    ("notifications/<int:pk>/read/", NotificationReadApi, "api-notification-read"),
    ("notifications/read-all/", NotificationReadAllApi, "api-notification-read-all"),
    ("notification-settings/", NotificationSettingsApi, "api-notification-settings"),
]
