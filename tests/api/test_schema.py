"""The OpenAPI document: complete, and true to what the endpoints answer (schemathesis, in-process)."""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import checks

from huitoukan import api_urls
from huitoukan.access.models import Role, RoleAssignment
from huitoukan.campaigns.models import Campaign
from huitoukan.ledgers.models import Item, Ledger
from huitoukan.orgs.models import Person, SupervisionGroup, Unit
from huitoukan.portal.demo import demo_load
from huitoukan.wsgi import application

DOCUMENT_ROUTES = {"api-schema", "api-docs"}


def _documented_path(route: str) -> str:
    return "/api/v1/" + re.sub(r"<int:pk>", "{id}", route)


@pytest.mark.django_db
def test_schema_documents_every_api_route(tree, make_user, client_for):
    client = client_for(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))

    response = client.get(reverse("api-schema"), {"format": "json"})

    assert response.status_code == 200
    documented = set(response.json()["paths"])
    expected = {
        _documented_path(str(p.pattern))
        for p in api_urls.urlpatterns
        if p.name not in DOCUMENT_ROUTES
    }
    assert documented == expected
    for path_item in response.json()["paths"].values():
        for operation in path_item.values():
            assert {"401", "403", "404"} <= set(operation["responses"])
            assert operation.get("summary"), operation["operationId"]


@pytest.fixture
def in_process_requests():
    """Schemathesis calls the WSGI app directly, whose request signals would close the test's
    connection (and its transaction) on PostgreSQL; Django's test client avoids that the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def demo_token(db):
    demo_load()
    token, _ = Token.objects.get_or_create(
        user=RoleAssignment.objects.get(user__username="lianyuan_office").user
    )
    return token.key


@pytest.fixture
def api_schema(in_process_requests, demo_token):
    headers = {"Authorization": f"Token {demo_token}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", application, headers=headers
    )

    # Real ids (inside and outside the caller's scope) beside the generated ones, so calls reach objects.
    ids = {
        "units": list(Unit.objects.values_list("pk", flat=True)),
        "people": list(Person.objects.values_list("pk", flat=True)),
        "groups": list(SupervisionGroup.objects.values_list("pk", flat=True)),
        "campaigns": list(Campaign.objects.values_list("pk", flat=True)),
        "ledgers": list(Ledger.objects.values_list("pk", flat=True)),
        "items": list(Item.objects.values_list("pk", flat=True)),
    }

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        known = ids.get(context.operation.path.split("/")[3], [])
        if not path_parameters or "id" not in path_parameters or not known:
            return st.just(path_parameters)
        return st.sampled_from([*known, path_parameters["id"]]).map(
            lambda pk: {**path_parameters, "id": pk}
        )

    @schema.hook
    def flatmap_query(context, query):
        if not query or not ({"under", "unit"} & set(query)):
            return st.just(query)
        key = "under" if "under" in query else "unit"
        return st.sampled_from([*ids["units"], query[key]]).map(lambda pk: {**query, key: pk})

    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.django_db
@schema.include(method="GET").parametrize()
# The coverage phase already sends each operation its boundary and missing-parameter cases, and the hooks
# above feed real ids in and out of scope: ten random cases per operation on top of those are enough.
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_get_answers_as_documented(case, demo_token):
    response = case.call(headers={"Authorization": f"Token {demo_token}"})

    case.validate_response(
        response,
        checks=[
            checks.not_a_server_error,
            checks.status_code_conformance,
            checks.content_type_conformance,
            checks.response_schema_conformance,
        ],
    )
