"""How the API knows its caller: API tokens that expire like sessions do (the 等保 profile has no
everlasting credentials), and the browser's session with its CSRF check refused in Chinese."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication


def token_expired(token) -> bool:
    return token.created + timedelta(seconds=settings.API_TOKEN_SECONDS) < timezone.now()


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise exceptions.AuthenticationFailed(_("接口令牌已过期，请重新获取。"))
        return user, token


class CsrfCheckedSessionAuthentication(SessionAuthentication):
    """DRF's session authentication; its CSRF refusal ("CSRF Failed: …") says the same in Chinese."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as e:
            raise exceptions.PermissionDenied(_(
                "CSRF 校验失败：以浏览器登录状态调用接口时，写操作须带 X-CSRFToken 请求头；"
                "程序调用请改用接口令牌（Authorization: Token …）。"
            )) from e
