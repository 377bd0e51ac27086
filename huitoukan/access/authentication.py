"""API tokens expire like sessions do: the 等保 profile has no everlasting credentials."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


def token_expired(token) -> bool:
    return token.created + timedelta(seconds=settings.API_TOKEN_SECONDS) < timezone.now()


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise exceptions.AuthenticationFailed(_("接口令牌已过期，请重新获取。"))
        return user, token
