"""The OpenAPI document: complete, and true to what the endpoints answer (schemathesis, in-process).

Every operation of the API, reads and writes, is called as four callers of the demo: 涟源市's
活动办 and the three administrators (三员). None may answer 500, and every refusal is JSON with a
Chinese `detail` (a 400 of bad input still has one, naming each field, beside its `fields`).
"""

from __future__ import annotations

import itertools
import json
import re
from types import SimpleNamespace

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import checks

from huitoukan import api_urls
from huitoukan.access.models import Role, RoleAssignment
from huitoukan.campaigns.models import Campaign
from huitoukan.ledgers.models import ClosingRequest, Item, Ledger
from huitoukan.orgs.models import Person, SupervisionGroup, Unit
from huitoukan.portal.demo import demo_load
from huitoukan.twofactor.rules import second_factor_required
from huitoukan.wsgi import application
from tests.conftest import built_once
from tests.twofactor.helpers import totp_code

DOCUMENT_ROUTES = {"api-schema", "api-docs"}


def _documented_path(route: str) -> str:
    return "/api/v1/" + re.sub(r"<int:(\w+)>", lambda m: "{id}" if m[1] == "pk" else f"{{{m[1]}}}", route)


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


# What the runs below found, each mended at its one place and kept here.


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["null", "[]", '"text"', "3"])
def test_a_body_that_is_not_a_json_object_is_refused_in_chinese(body):
    # `null` reached DRF's serializer, whose refusal ("No data provided") is English and untranslatable.
    response = Client().post(reverse("api-token"), body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_INPUT"
    assert CJK.search(response.json()["detail"]), response.json()


@pytest.fixture
def in_process_requests():
    """Schemathesis calls the WSGI app directly, whose request signals would close the test's
    connection (and its transaction) on PostgreSQL; Django's test client avoids that the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The demo's logins the API is called as (huitoukan.portal.demo.LOGINS): a county's 活动办 and the 三员.
CALLERS = ["lianyuan_office", "sysadmin", "secadmin", "auditor"]
# The 安全审计员 reads the security log, which the API does not serve: the API refuses it everything.
REFUSED_EVERYWHERE = {"auditor"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the module; each test runs in a savepoint of it, rolled back at its end."""
    with built_once(django_db_blocker, tmp_path_factory):
        demo_load()
        yield


@pytest.fixture(params=CALLERS)
def caller(request, demo, db):
    """A demo login, signed in to the API the way a script is: its password, and for an administrator
    a code of its authenticator (a confirmed TOTP device made here, as an enrolment would)."""
    user = get_user_model().objects.get(username=request.param)
    credentials = {"username": user.username, "password": django_settings.DEMO_PASSWORD}
    if second_factor_required(user):
        credentials["otp"] = totp_code(TOTPDevice.objects.create(user=user, name="动态口令", confirmed=True))
    response = Client().post(reverse("api-token"), credentials, content_type="application/json")
    assert response.status_code == 200, response.content.decode()
    return user


def token_of(user) -> str:
    """The caller's token. A case may revoke it (POST auth/token/revoke/): the next case signs in afresh,
    given the token the sign-in above would give (a second code of the same 30 s would be refused)."""
    token, _ = Token.objects.get_or_create(user=user)
    return token.key


# Real ids (inside and outside the caller's scope) beside the generated ones, so calls reach objects:
# by the path's first segment after /api/v1/, and by the name of a body's field.
PATH_IDS = {"units": Unit, "people": Person, "groups": SupervisionGroup, "campaigns": Campaign, "ledgers": Ledger,
            "items": Item, "closings": ClosingRequest, "role-assignments": RoleAssignment}
BODY_IDS = {"parent": Unit, "new_parent": Unit, "merged_into": Unit, "unit": Unit, "owner_unit": Unit,
            "person": Person, "leader": Person, "campaign": Campaign, "supervision_group": SupervisionGroup,
            "lead_leaders": Person, "responsible_units": Unit}


def _known(model) -> list[int]:
    return list(model.objects.order_by("pk").values_list("pk", flat=True))


@pytest.fixture
def known_ids(caller) -> dict:
    """The demo's ids by path segment and by body field, and its usernames."""
    return {"path": {segment: _known(model) for segment, model in PATH_IDS.items()},
            "body": {field: _known(model) for field, model in BODY_IDS.items()},
            "usernames": list(get_user_model().objects.order_by("pk").values_list("username", flat=True))}


# The caller signs in first: Django's test client, on its way out, connects the request signals again.
@pytest.fixture
def api_schema(caller, known_ids, in_process_requests):
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", application, headers={"Authorization": f"Token {token_of(caller)}"}
    )
    path_ids, body_ids, usernames = known_ids["path"], known_ids["body"], known_ids["usernames"]
    if caller.username in REFUSED_EVERYWHERE:
        # Every call of this caller is refused before its input is read (tests/test_route_table.py holds the
        # refusal before the validation on every route): the coverage phase's boundary inputs, dozens per
        # operation, would all get the same refusal (~70 s of the run). Random cases still reach every operation.
        schema.config.phases.coverage.enabled = False

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        known = path_ids.get(context.operation.path.split("/")[3], [])
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
        return st.sampled_from([*path_ids["units"], query[key]]).map(lambda pk: {**query, key: pk})

    @schema.hook
    def flatmap_body(context, body):
        if not isinstance(body, dict):
            return st.just(body)
        chosen = {}
        for field, value in body.items():
            if field == "username" and isinstance(value, str):
                chosen[field] = st.sampled_from([*usernames, value])
            elif field in BODY_IDS and body_ids[field] and isinstance(value, int) and not isinstance(value, bool):
                chosen[field] = st.sampled_from([*body_ids[field], value])
            elif field in BODY_IDS and body_ids[field] and isinstance(value, list):
                chosen[field] = st.lists(st.sampled_from(body_ids[field]), max_size=3)
        if not chosen:
            return st.just(body)
        return st.fixed_dictionaries(chosen).map(lambda values: {**body, **values})

    return schema


CJK = re.compile(r"[\u3400-\u9fff]")


def chinese_error_detail(ctx, response, case):
    """Every error (status >= 400) is a JSON object whose `detail` is a Chinese sentence; a 400 of bad
    input that lists its `fields` names each of them in that `detail` too."""
    if response.status_code < 400:
        return None
    where = f"{case.method} {case.formatted_path} answered {response.status_code}"
    assert response.headers.get("content-type", [""])[0].startswith("application/json"), (
        f"{where} as {response.headers.get('content-type')}: {response.text[:300]!r}")
    body = response.json()
    detail = body.get("detail") if isinstance(body, dict) else None
    assert isinstance(detail, str) and CJK.search(detail), f"{where} without a Chinese detail: {body!r}"
    fields = body.get("fields")
    if response.status_code == 400 and isinstance(fields, dict):
        unnamed = [key for key in fields if key != "non_field_errors" and f"（{key}" not in detail]
        assert not unnamed, f"{where}: the detail does not name {unnamed}: {detail!r}"
    return None


@pytest.mark.parametrize(("status", "content_type", "body", "passes"), [
    (404, "application/json", {"detail": "不存在或不在权限范围内"}, True),
    (200, "application/json", {"detail": "ok"}, True),
    (400, "application/json", {"detail": "No data provided。"}, False),
    (403, "application/json", {"code": "FORBIDDEN"}, False),
    (404, "text/html; charset=utf-8", "<h1>Not Found</h1>", False),
    (400, "application/json", {"detail": "单位名称（name）：不能为空。", "fields": {"name": ["不能为空。"]}}, True),
    (400, "application/json", {"detail": "请求有误。", "fields": {"name": ["不能为空。"]}}, False),
])
def test_the_chinese_detail_check_refuses_what_it_should(status, content_type, body, passes):
    response = SimpleNamespace(status_code=status, headers={"content-type": [content_type]},
                               text=json.dumps(body, ensure_ascii=False), json=lambda: body)
    case = SimpleNamespace(method="POST", formatted_path="/api/v1/units/")
    if passes:
        chinese_error_detail(None, response, case)
    else:
        with pytest.raises(AssertionError):
            chinese_error_detail(None, response, case)


_TURN = itertools.count()


def _real_id_for_coverage(case, known_ids):
    """The coverage phase's cases (which the hooks above don't reach) carry the schema's sample id, which no
    object has: all would stop at the 404 before their bodies are read. A whole-number id gets a real one,
    in turn (in and out of the caller's scope); the phase's ids of the wrong type are kept as they are."""
    known = known_ids["path"].get(case.path.split("/")[3], [])
    value = (case.path_parameters or {}).get("id")
    whole = (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, str) and value.isdigit())
    if case.meta and case.meta.phase.name.value == "coverage" and known and whole:
        case.path_parameters["id"] = known[next(_TURN) % len(known)]


def _call_and_check(case, caller, known_ids):
    # Not the data-acceptance checks: a schema-valid write may break a business rule (a relapse of an open
    # item: 400 with its code), and DRF reads 0 as false or as "0" where the schema says boolean or string.
    _real_id_for_coverage(case, known_ids)
    response = case.call(headers={"Authorization": f"Token {token_of(caller)}"})
    case.validate_response(
        response,
        checks=[
            checks.not_a_server_error,
            chinese_error_detail,
            checks.status_code_conformance,
            checks.content_type_conformance,
            checks.response_schema_conformance,
        ],
    )


schema = schemathesis.pytest.from_fixture("api_schema")

# The coverage phase already sends each operation its boundary and missing-parameter cases, and the hooks
# above feed real ids in and out of scope: a few random cases per operation on top of those are enough.
# Each caller's run is one test, in one savepoint of the demo: what its writes change is rolled back at its end.


@pytest.mark.django_db
@schema.include(method="GET").parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_read_answers_as_documented(case, caller, known_ids):
    _call_and_check(case, caller, known_ids)


@pytest.mark.django_db
@schema.exclude(method="GET").parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_write_answers_as_documented(case, caller, known_ids):
    _call_and_check(case, caller, known_ids)
