"""Every error of the API is JSON with a Chinese `detail`, however early the request is refused."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from rest_framework.exceptions import ValidationError
from rest_framework.test import APIClient

from huitoukan.api import exception_handler
from huitoukan.ledgers import services
from huitoukan.portal import api as portal_api
from tests.ledgers.conftest import PDF

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def assert_chinese_json(response, status: int) -> str:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert CHINESE.search(detail), detail
    return detail


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def item_of(lw):
    return services.item_create(actor=lw.office, ledger=lw.ledger, problem="文山会海", lead_leaders=[lw.leader_person])


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/no-such-thing"])
def test_unsafe_methods_on_unknown_api_paths_answer_the_json_404(tree, make_user, method, path):
    # a signed-in browser (whose writes need a CSRF token) and an anonymous caller alike
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(make_user())
    for client in (signed_in, Client(enforce_csrf_checks=True)):
        response = getattr(client, method)(path)

        assert response.status_code == 404
        assert response.json() == {"detail": "不存在或不在权限范围内"}


def test_a_browser_write_without_its_csrf_token_is_refused_in_chinese(lw):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(lw.leader)

    response = browser.post(f"/api/v1/items/{item_of(lw).pk}/progress/", {"progress": "x"},
                            content_type="application/json")

    assert "CSRF" in assert_chinese_json(response, 403)


def test_a_body_that_is_not_json_is_refused_in_chinese(lw):
    response = api(lw.leader).post(f"/api/v1/items/{item_of(lw).pk}/progress/", data='{"progress": ',
                                   content_type="application/json")

    assert "JSON" in assert_chinese_json(response, 400)


def test_a_multipart_filename_too_long_to_parse_is_refused_in_chinese(lw):
    # given an upload whose filename (1,200 bytes) makes its part's header longer than Django reads
    body = (b'--BoUnDaRy\r\nContent-Disposition: form-data; name="file"; filename="'
            + ("长" * 400 + ".pdf").encode() + b'"\r\nContent-Type: application/pdf\r\n\r\n'
            + PDF + b"\r\n--BoUnDaRy--\r\n")

    response = api(lw.leader).post(f"/api/v1/items/{item_of(lw).pk}/evidence/", data=body,
                                   content_type="multipart/form-data; boundary=BoUnDaRy")

    assert "文件名过长" in assert_chinese_json(response, 400)


def test_an_item_without_its_problem_answers_400_with_a_detail_naming_the_field(lw):
    response = api(lw.office).post(f"/api/v1/ledgers/{lw.ledger.pk}/items/", {"measures": "压缩会议"}, format="json")

    assert assert_chinese_json(response, 400) == "问题/项目/制度名称（problem）：不能为空。"
    assert response.json()["code"] == "INVALID_INPUT"


def test_a_validation_error_raised_outside_parse_gets_a_detail():
    response = exception_handler(ValidationError({"unit": ["请选择单位。"]}), {})

    assert response.status_code == 400
    assert response.data["detail"] == "unit（unit）：请选择单位。"
    assert response.data["fields"] == {"unit": ["请选择单位。"]}


def test_a_request_with_too_many_fields_is_refused_in_chinese_json(lw, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    fields = {f"f{i}": "x" for i in range(10)}

    response = api(lw.leader).post(f"/api/v1/items/{item_of(lw).pk}/evidence/", fields, format="multipart")

    assert "字段过多" in assert_chinese_json(response, 400)


def test_a_server_error_in_the_api_answers_chinese_json(make_user, monkeypatch):
    def broken(view, request):
        raise RuntimeError("boom")

    monkeypatch.setattr(portal_api.MeApi, "get", broken)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(make_user())

    assert_chinese_json(client.get("/api/v1/me/"), 500)


def test_pages_keep_their_own_error_pages(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5

    response = client.post("/accounts/login/", {f"f{i}": "x" for i in range(10)})

    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
