"""The security log is a chain: any change, insertion or deletion is detected."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from huitoukan.access.models import Role
from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from huitoukan.audit.services import security_event_record, security_log_verify
from huitoukan.audit.tasks import anchor_security_log_at_start
from tests.access.logins import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _three_events():
    return [security_event_record(kind=SecurityEventKind.EXPORT, username=f"u{i}", detail={"n": i}) for i in range(3)]


def test_an_untouched_chain_verifies():
    _three_events()
    report = security_log_verify()
    assert report.ok and report.checked == 3


def test_a_changed_row_is_detected():
    events = _three_events()
    SecurityEvent.objects.filter(pk=events[1].pk).update(username="someone-else")
    report = security_log_verify()
    assert not report.ok and report.first_bad_id == events[1].pk


def test_a_deleted_row_in_the_middle_is_detected():
    events = _three_events()
    SecurityEvent.objects.filter(pk=events[1].pk).delete()
    report = security_log_verify()
    assert not report.ok and report.first_bad_id == events[2].pk


def test_a_deleted_last_row_is_detected():
    events = _three_events()
    SecurityEvent.objects.filter(pk=events[2].pk).delete()
    assert not security_log_verify().ok


def test_login_success_and_failure_are_logged(tree):
    get_user_model().objects.create_user(username="clerk", password=PASSWORD)
    client = Client()
    client.post("/accounts/login/", {"username": "clerk", "password": "wrong-Password1"})
    client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    kinds = list(SecurityEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [SecurityEventKind.LOGIN_FAILED, SecurityEventKind.LOGIN]


def test_five_failures_lock_the_account(tree):
    get_user_model().objects.create_user(username="clerk", password=PASSWORD)
    client = Client()
    for _ in range(5):
        sign_in(client, "clerk", "wrong-Password1")
    response = sign_in(client, "clerk", PASSWORD)
    assert response.status_code == 429
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOCKED_OUT).exists()


def test_a_refused_request_is_logged_as_a_denial(tree, make_user, client):
    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    client.force_login(office)
    response = client.get(f"/units/{tree.louxing.pk}/")
    assert response.status_code == 404
    denial = SecurityEvent.objects.get(kind=SecurityEventKind.DENIED)
    assert denial.user == office and denial.detail["unit"] == "娄底市/娄星区"


def test_only_the_audit_admin_reads_the_log(tree, make_user, client):
    client.force_login(make_user(Role.SECURITY_ADMIN, tree.city))
    assert client.get("/audit/").status_code == 404
    client.force_login(make_user(Role.AUDIT_ADMIN, tree.city))
    anchor_security_log_at_start()  # as the consumer `huitoukan serve` starts does
    response = client.get("/audit/?verify=1")
    assert response.status_code == 200
    assert "校验通过" in response.content.decode()


def test_rewinding_the_chain_head_is_caught_by_an_anchor_kept_elsewhere(tmp_path):
    from huitoukan.audit.models import ChainHead
    from huitoukan.audit.services import security_log_anchor, security_log_check

    anchors = tmp_path / "anchors.jsonl"
    events = _three_events()
    security_log_anchor(anchors)
    assert security_log_check(anchors).ok
    # someone with database access deletes the newest row and rewinds the head to match
    SecurityEvent.objects.filter(pk=events[2].pk).delete()
    ChainHead.objects.filter(pk=1).update(digest=events[1].digest, count=2, last_event_id=events[1].pk)
    assert security_log_verify().ok  # the chain alone cannot tell
    report = security_log_check(anchors)
    assert not report.ok and "末尾记录" in report.problem


def test_a_forged_anchor_line_is_detected(tmp_path):
    import json

    from huitoukan.audit.services import security_log_anchor, security_log_check

    anchors = tmp_path / "anchors.jsonl"
    _three_events()
    anchor = security_log_anchor(anchors)
    anchor["count"] = 1
    anchors.write_text(json.dumps(anchor) + "\n", encoding="utf-8")
    assert "锚点记录被改动" in security_log_check(anchors).problem


def test_behind_a_proxy_the_client_address_is_read_from_the_right_of_x_forwarded_for(settings, rf):
    from huitoukan.audit.services import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3", REMOTE_ADDR="127.0.0.1")
    settings.PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"
    settings.PROXY_COUNT = 1
    assert client_ip(request) == "10.1.2.3"  # not the spoofable left-most entry


def test_a_denial_is_written_after_the_response_so_absent_and_refused_ids_answer_alike(tree, make_user):
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test.client import RequestFactory

    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    handler = WSGIHandler()

    def served(path):
        """A request through the real handler, the response not yet closed by the server."""
        environ = RequestFactory().get(path).environ
        client = Client()
        client.force_login(office)
        environ["HTTP_COOKIE"] = client.cookies.output(header="", sep=";").strip()
        return handler(environ, lambda status, headers: None)

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        absent, refused = served("/units/999999/"), served(f"/units/{tree.louxing.pk}/")
        # while the response is being sent, neither request has written anything
        assert (absent.status_code, refused.status_code) == (404, 404)
        assert not SecurityEvent.objects.filter(kind=SecurityEventKind.DENIED).exists()
        absent.close()
        refused.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    # once the server closed the responses, the refusal (and only it) is in the log
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.DENIED).count() == 1


def test_the_log_page_names_people_and_speaks_chinese(tree, make_user, client):
    from huitoukan.orgs import services as org_services

    office = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="lianyuan_office")
    org_services.person_create(actor=None, unit=tree.lianyuan, name="李明", user=office)
    client.force_login(office)
    client.get(f"/units/{tree.louxing.pk}/edit/")  # out of scope: a denial
    client.force_login(make_user(Role.AUDIT_ADMIN, tree.city))
    page = client.get("/audit/?kind=denied").content.decode()
    assert "李明（lianyuan_office）" in page
    assert "权限：</span>管理单位" in page and "perm=" not in page
