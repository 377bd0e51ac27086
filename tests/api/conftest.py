"""API clients: anonymous, and one authenticated with a token the way a script would be."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def client_for(db):
    """client_for(user) -> an APIClient sending `Authorization: Token <key>` for that user."""

    def make(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make

# The ledger tests' world, for the ledger endpoints.
from tests.ledgers.conftest import lw  # noqa: E402, F401
