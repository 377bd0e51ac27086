"""Signing in to the API: tokens through the login safety net, and nothing open to the anonymous."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from huitoukan import api_urls
from huitoukan.access.models import Role
from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from tests.conftest import PASSWORD

# The only endpoints an anonymous caller may reach; a new entry here needs a reason.
PUBLIC_ENDPOINTS = {"api-token"}


def _routes():
    """Every (route name, HTTP method) of /api/v1/, read from the URL patterns themselves."""
    for pattern in api_urls.urlpatterns:
        view_class = pattern.callback.cls
        for method in ("get", "post", "patch", "put", "delete"):
            if hasattr(view_class, method):
                yield pattern.name, method


def _url(name: str) -> str:
    pattern = next(p for p in api_urls.urlpatterns if p.name == name)
    return reverse(name, kwargs={key: 1 for key in pattern.pattern.converters} or None)


@pytest.mark.django_db
def test_token_from_password_authenticates_later_requests(tree, make_user, anonymous):
    # given a campaign office user of 涟源市
    user = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="lianyuan_api")

    # when they exchange their password for a token and call the API with it
    response = anonymous.post(
        reverse("api-token"), {"username": "lianyuan_api", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = client.get(reverse("api-me"))

    # then the API knows who they are, and the token's issue is in the security log
    assert me.status_code == 200
    assert me.json() == {
        "username": "lianyuan_api",
        "roles": [
            {
                "role": "campaign_office",
                "role_display": "活动办管理员",
                "unit_id": tree.lianyuan.pk,
                "unit_full_name": "娄底市/涟源市",
                "supervision_group_id": None,
                "person_id": None,
            }
        ],
    }
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.TOKEN_ISSUED, user=user).count() == 1


@pytest.mark.django_db
def test_asking_twice_returns_the_same_token(make_user, anonymous):
    make_user(username="twice")
    credentials = {"username": "twice", "password": PASSWORD}

    first = anonymous.post(reverse("api-token"), credentials, format="json").json()["token"]
    second = anonymous.post(reverse("api-token"), credentials, format="json").json()["token"]

    assert first == second


@pytest.mark.django_db
def test_a_second_client_gets_the_token_with_its_full_lifetime(make_user, anonymous):
    # given a token issued long ago, a minute from its end
    user = make_user(username="two_clients")
    credentials = {"username": "two_clients", "password": PASSWORD}
    first = anonymous.post(reverse("api-token"), credentials, format="json").json()["token"]
    Token.objects.filter(key=first).update(
        created=timezone.now() - timedelta(seconds=settings.API_TOKEN_SECONDS - 60))

    # when a second client signs in
    second = anonymous.post(reverse("api-token"), credentials, format="json").json()["token"]

    # then it gets the user's one token, good for the whole lifetime again (an hour from now too)
    token = Token.objects.get(user=user)
    assert second == first == token.key
    assert token.created + timedelta(seconds=settings.API_TOKEN_SECONDS) > timezone.now() + timedelta(hours=1)


@pytest.mark.django_db
def test_signing_out_of_the_web_ends_the_api_token(tree, make_user, anonymous):
    # given a user signed in on the web and holding an API token
    user = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="leaves_work")
    credentials = {"username": "leaves_work", "password": PASSWORD}
    key = anonymous.post(reverse("api-token"), credentials, format="json").json()["token"]
    browser = Client()
    browser.force_login(user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api-me")).status_code == 200

    # when they sign out of the web
    assert browser.post(reverse("logout")).status_code == 302

    # then the token no longer works either
    assert api.get(reverse("api-me")).status_code in (401, 403)
    assert not Token.objects.filter(key=key).exists()


@pytest.mark.django_db
def test_wrong_password_gets_no_token_and_is_logged(make_user, anonymous):
    make_user(username="someone")

    response = anonymous.post(
        reverse("api-token"), {"username": "someone", "password": "wrong"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_CREDENTIALS"
    assert "token" not in response.json()
    assert SecurityEvent.objects.filter(
        kind=SecurityEventKind.LOGIN_FAILED, username="someone"
    ).exists()


@pytest.mark.django_db
def test_missing_password_names_the_field_in_chinese(anonymous):
    response = anonymous.post(reverse("api-token"), {"username": "someone"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_INPUT"
    assert response.json()["detail"].startswith("密码（password）：")


@pytest.mark.django_db
def test_repeated_failures_lock_the_api_sign_in_like_the_login_page(make_user, anonymous):
    # given a user whose password was guessed wrong as often as the lockout allows
    make_user(username="target")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        anonymous.post(
            reverse("api-token"), {"username": "target", "password": "guess"}, format="json"
        )

    # when the right password comes next
    response = anonymous.post(
        reverse("api-token"), {"username": "target", "password": PASSWORD}, format="json"
    )

    # then it is refused as locked out, in JSON
    assert response.status_code == 429
    assert response.json()["code"] == "LOCKED_OUT"
    assert SecurityEvent.objects.filter(
        kind=SecurityEventKind.LOCKED_OUT, username="target"
    ).exists()


@pytest.mark.django_db
def test_a_successful_sign_in_clears_earlier_failures(make_user, anonymous):
    make_user(username="forgetful")
    wrong = {"username": "forgetful", "password": "guess"}
    right = {"username": "forgetful", "password": PASSWORD}

    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        anonymous.post(reverse("api-token"), wrong, format="json")
    assert anonymous.post(reverse("api-token"), right, format="json").status_code == 200
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        anonymous.post(reverse("api-token"), wrong, format="json")

    assert anonymous.post(reverse("api-token"), right, format="json").status_code == 200
    assert (
        SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN, username="forgetful").count()
        == 2
    )


@pytest.mark.django_db
def test_inactive_user_gets_no_token_and_their_token_stops_working(
    tree, make_user, anonymous, client_for
):
    user = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="leaver")
    client = client_for(user)
    user.is_active = False
    user.save()

    refused = anonymous.post(
        reverse("api-token"), {"username": "leaver", "password": PASSWORD}, format="json"
    )

    assert refused.status_code == 400
    assert client.get(reverse("api-me")).status_code in (401, 403)


@pytest.mark.django_db
def test_a_signed_in_browser_session_also_works(tree, make_user):
    client = APIClient()
    client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))

    assert client.get(reverse("api-unit-list")).status_code == 200


def test_only_the_token_endpoint_is_public():
    names = {name for name, _ in _routes()}
    assert PUBLIC_ENDPOINTS <= names


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "method"), sorted(set(_routes()) - {(n, "post") for n in PUBLIC_ENDPOINTS})
)
def test_anonymous_is_refused_on_every_endpoint(anonymous, name, method):
    response = getattr(anonymous, method)(_url(name), {}, format="json")

    assert response.status_code in (401, 403), response.content
    if name not in {"api-docs", "api-schema"}:  # HTML and YAML documents
        assert "detail" in response.json()


@pytest.mark.django_db
def test_signed_in_user_gets_the_swagger_page_and_its_script(tree, make_user):
    client = APIClient()
    client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))

    page = client.get(reverse("api-docs"))
    script = client.get(reverse("api-docs") + "?script=")

    assert page.status_code == 200
    assert b"<script>" not in page.content  # the CSP allows no inline script
    assert script.status_code == 200
    assert reverse("api-schema").encode() in script.content


@pytest.mark.django_db
def test_unknown_api_path_answers_json_404(tree, make_user, client_for):
    client = client_for(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))

    response = client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json() == {"detail": "不存在或不在权限范围内"}


def test_an_expired_token_is_refused_and_signing_in_again_gives_a_fresh_one(db, settings):
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    get_user_model().objects.create_user(username="clerk", password="Clerk#2015pw")
    client = APIClient()
    key = client.post("/api/v1/auth/token/", {"username": "clerk", "password": "Clerk#2015pw"}, format="json").data["token"]
    Token.objects.filter(key=key).update(created=Token.objects.get(key=key).created - timedelta(
        seconds=settings.API_TOKEN_SECONDS + 1))
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/v1/me/")
    assert response.status_code in (401, 403) and "过期" in response.json()["detail"]
    client.credentials()
    fresh = client.post("/api/v1/auth/token/", {"username": "clerk", "password": "Clerk#2015pw"}, format="json").data["token"]
    assert fresh != key


def test_revoking_the_token_signs_the_client_out(db):
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    get_user_model().objects.create_user(username="clerk", password="Clerk#2015pw")
    client = APIClient()
    key = client.post("/api/v1/auth/token/", {"username": "clerk", "password": "Clerk#2015pw"}, format="json").data["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.post("/api/v1/auth/token/revoke/").status_code == 204
    assert client.get("/api/v1/me/").status_code in (401, 403)
