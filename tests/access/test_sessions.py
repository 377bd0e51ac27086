"""Idle and absolute session timeouts."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from huitoukan.access import middleware
from huitoukan.access.models import Role
from huitoukan.security.models import SecurityPolicy
from huitoukan.security.selectors import policy_current

pytestmark = pytest.mark.django_db
IDLE = 30 * 60  # the policy's initial idle timeout


@pytest.fixture
def clock(monkeypatch):
    now = {"t": 1_000_000}
    monkeypatch.setattr(middleware.time, "time", lambda: now["t"])
    return now


def test_a_session_idle_for_more_than_30_minutes_ends(tree, make_user, client, clock):
    client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))
    assert client.get("/").status_code == 200
    clock["t"] += 29 * 60
    assert client.get("/").status_code == 200
    clock["t"] += 29 * 60  # still active: the last visit refreshed the idle clock
    assert client.get("/").status_code == 200
    clock["t"] += 32 * 60  # more than the timeout and the minute the idle clock may lag by
    response = client.get("/units/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/").status_code == 302


def test_an_active_session_is_not_ended_before_it_has_been_idle_for_the_timeout(tree, make_user, client, clock):
    # given a session whose idle clock was set at its first page, and a second page half a minute
    # later (too soon to refresh the clock)
    client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))
    assert client.get("/").status_code == 200
    clock["t"] += 30
    assert client.get("/").status_code == 200

    # when the next page comes exactly the idle timeout after that second page
    clock["t"] += IDLE

    # then the session is still open: it was never idle for longer than the timeout
    assert client.get("/").status_code == 200

    # and once idle for longer than the timeout and the clock's lag, it ends
    clock["t"] += IDLE + middleware.SEEN_REFRESH_SECONDS + 1
    assert client.get("/").status_code == 302


def test_a_session_that_times_out_leaves_the_api_token_working(tree, make_user, client, clock):
    # given a user with an API token whose browser session sits idle past the timeout
    user = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    token = Token.objects.create(user=user)
    client.force_login(user)
    client.get("/")
    clock["t"] += 32 * 60

    # when the next page ends the session
    assert client.get("/").status_code == 302

    # then the token, which has its own lifetime, still works: only signing out ends it
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/me/").status_code == 200


def test_a_busy_session_still_ends_after_the_absolute_lifetime(tree, make_user, client, clock):
    client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))
    client.get("/")
    for _ in range(20):
        clock["t"] += 25 * 60
        client.get("/")
    assert client.get("/").status_code == 302


def test_reading_pages_does_not_write_the_session_each_time(tree, make_user, client, clock, django_assert_max_num_queries):
    client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))
    client.get("/")
    clock["t"] += 5
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/units/")
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def test_the_timeouts_are_the_security_policys_and_apply_to_open_sessions_at_once(tree, make_user, client, clock):
    # given an open session, and the 安全管理员 shortening the idle timeout to 10 minutes
    client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))
    assert client.get("/").status_code == 200
    SecurityPolicy.objects.filter(pk=policy_current().pk).update(session_idle_minutes=10)

    # when the session sits idle for 12 minutes
    clock["t"] += 12 * 60

    # then it has ended
    assert client.get("/").status_code == 302


def test_the_absolute_lifetime_is_the_security_policys(tree, make_user, client, clock):
    client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))
    client.get("/")
    SecurityPolicy.objects.filter(pk=policy_current().pk).update(session_absolute_minutes=60)
    for _ in range(3):
        clock["t"] += 20 * 60
        assert client.get("/").status_code == 200
    clock["t"] += 20 * 60
    assert client.get("/").status_code == 302
