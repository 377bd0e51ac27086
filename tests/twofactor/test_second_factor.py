"""The second factor (issue 11, item 5; 等保 2.0 8.1.4.1 d): TOTP after the password for the 三员
and the roles the security policy names, ten recovery codes, enrolment shown once."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from huitoukan.access.models import Role
from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from huitoukan.security.selectors import policy_current
from huitoukan.twofactor.rules import second_factor_required
from tests.access.logins import sign_in, signed_in
from tests.conftest import PASSWORD, SECOND_FACTOR_TEST_KEY
from tests.twofactor.helpers import OTP, SETUP, enrol, throttle_waited, totp_code, totp_code_for_key

pytestmark = pytest.mark.django_db

HOME = "/"


def _kinds(user) -> list[str]:
    return list(SecurityEvent.objects.filter(user=user).order_by("id").values_list("kind", flat=True))


def _in(client) -> bool:
    return client.get(HOME).status_code == 200


def _sent_to(response, where: str) -> bool:
    return response.status_code == 302 and response["Location"].startswith(where)


def test_an_administrator_needs_a_code_after_the_password_and_a_recovery_code_works_once(tree, make_user):
    # given a 系统管理员 who has enrolled an authenticator app and kept the ten recovery codes
    admin = make_user(Role.SYSTEM_ADMIN, tree.city, username="sysadmin")
    client = Client()
    assert signed_in(sign_in(client, "sysadmin", PASSWORD))
    codes = enrol(client, "sysadmin")
    assert len(codes) == 10 and len(set(codes)) == 10
    client.post("/accounts/logout/")

    # when they sign in with the password alone
    client = Client()
    assert signed_in(sign_in(client, "sysadmin", PASSWORD))
    # then the password is not enough: every page sends them to the code
    assert _sent_to(client.get(HOME), OTP)
    assert _sent_to(client.get("/units/"), OTP)
    # and a wrong recovery code does not let them in
    refused = client.post(OTP, {"code": "aaaa-bbbb"})
    assert refused.status_code == 200 and "不正确" in refused.content.decode()
    assert _sent_to(client.get(HOME), OTP)

    # when they type the code their app computes now
    device = TOTPDevice.objects.get(user=admin, confirmed=True)
    response = client.post(OTP, {"code": totp_code(device), "next": "/units/"})
    # then they are in, where they were going
    assert _sent_to(response, "/units/")
    assert _in(client)

    # when they sign in again and give a recovery code instead (typed with a space, in capitals)
    client.post("/accounts/logout/")
    throttle_waited(StaticDevice.objects.get(user=admin))  # the pause after the wrong recovery code
    client = Client()
    sign_in(client, "sysadmin", PASSWORD)
    assert _sent_to(client.post(OTP, {"code": codes[3].upper().replace("-", " ")}), HOME)
    # then they are in, and that code is used up: nine are left
    assert _in(client)
    assert StaticToken.objects.filter(device__user=admin).count() == 9

    # when the same recovery code is given a second time
    client.post("/accounts/logout/")
    client = Client()
    sign_in(client, "sysadmin", PASSWORD)
    again = client.post(OTP, {"code": codes[3]})
    # then it is refused, and the session stays half signed in
    assert again.status_code == 200 and "不正确" in again.content.decode()
    assert _sent_to(client.get(HOME), OTP)
    # and the security log tells each step
    kinds = _kinds(admin)
    assert kinds.count(SecurityEventKind.OTP_VERIFIED) == 2
    assert kinds.count(SecurityEventKind.OTP_FAILED) == 2
    assert SecurityEventKind.OTP_ENROLLED in kinds


def test_a_business_login_without_a_policy_role_is_not_asked(tree, make_user):
    make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="office")
    client = Client()
    assert signed_in(sign_in(client, "office", PASSWORD))
    assert _in(client)
    assert client.get("/ledgers/").status_code == 200
    # and there is nothing for them to enrol
    assert client.get(SETUP).status_code == 404


def test_a_role_the_security_policy_names_needs_it(tree, make_user):
    # given the security policy in force naming the 活动办管理员 among the roles with a second factor
    policy = policy_current()
    policy.second_factor_roles = [*policy.second_factor_roles, Role.CAMPAIGN_OFFICE.value]
    policy.save()
    make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="office")
    make_user(Role.UNIT_FILLER, tree.lianyuan, username="clerk")

    # when an office signs in with the password
    client = Client()
    assert signed_in(sign_in(client, "office", PASSWORD))
    # then it is sent to enrol, and reaches no page before it has
    assert _sent_to(client.get(HOME), SETUP)
    assert _sent_to(client.get("/ledgers/"), SETUP)
    enrol(client, "office")
    assert _in(client)
    # and a role the policy does not name still signs in with the password alone
    clerk = Client()
    assert signed_in(sign_in(clerk, "clerk", PASSWORD))
    assert _in(clerk)

    # when the policy no longer names it, the office's next sign-in needs only the password
    policy.second_factor_roles = [r for r in policy.second_factor_roles if r != Role.CAMPAIGN_OFFICE]
    policy.save()
    again = Client()
    sign_in(again, "office", PASSWORD)
    assert _in(again)


def test_the_three_administrators_need_it_whatever_the_policy_says(tree, make_user):
    policy = policy_current()
    policy.second_factor_roles = []
    policy.save()
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        assert second_factor_required(make_user(role, tree.city))
    assert not second_factor_required(make_user(Role.DISCIPLINE, tree.city))


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_each_administrator_role_needs_it(tree, make_user, role):
    assert second_factor_required(make_user(role, tree.city))


def test_enrolment_shows_the_qr_code_and_secret_until_the_first_correct_code(tree, make_user):
    # given a 安全管理员 with no device, half signed in
    admin = make_user(Role.SECURITY_ADMIN, tree.city, username="secadmin")
    client = Client()
    sign_in(client, "secadmin", PASSWORD)

    # when they open any page
    # then they are sent to the enrolment, which shows a QR code drawn on the server and the secret
    assert _sent_to(client.get(HOME), SETUP)
    page = client.get(SETUP)
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "http" not in html.split("<svg", 1)[1].split("</svg>")[0]
    device = TOTPDevice.objects.get(user=admin)
    assert not device.confirmed
    assert page.context["secret"].replace(" ", "") in html.replace(" ", "")
    assert "no-store" in page["Cache-Control"]  # the secret stays in no cache
    # and an unconfirmed device lets nobody in
    assert _sent_to(client.get("/roles/"), SETUP)

    # when they type a wrong code
    wrong = client.post(SETUP, {"code": "000000" if totp_code(device) != "000000" else "111111"})
    # then the same QR code is shown again, the device is still unconfirmed, and no recovery code exists
    assert wrong.status_code == 200 and "不正确" in wrong.content.decode()
    assert wrong.context["secret"] == page.context["secret"]
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed and not StaticToken.objects.exists()

    # when they type the code their app shows
    throttle_waited(device)
    done = client.post(SETUP, {"code": totp_code(device)})
    # then the device is confirmed, the ten recovery codes are shown once, and they are in
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert all(code in done.content.decode() for code in done.context["codes"])
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert StaticToken.objects.filter(device__user=admin).count() == 10
    assert _in(client)

    # and the QR code is never shown again: not to them, nor to a session with only the password
    assert _sent_to(client.get(SETUP), "/accounts/otp/devices/")
    other = Client()
    sign_in(other, "secadmin", PASSWORD)
    assert _sent_to(other.get(SETUP), "/accounts/otp/devices/")
    assert _sent_to(other.get("/accounts/otp/devices/"), OTP)
    assert TOTPDevice.objects.filter(user=admin).count() == 1


def test_a_half_signed_in_session_reaches_no_business_or_admin_page(tree, make_user):
    # given a 安全管理员 with a device, past the password only
    admin = make_user(Role.SECURITY_ADMIN, tree.city, username="secadmin")
    TOTPDevice.objects.create(user=admin, name="动态口令")
    client = Client()
    sign_in(client, "secadmin", PASSWORD)

    # when it asks for pages of every area, reads and writes
    for path in [HOME, "/units/", f"/units/{tree.lianyuan.pk}/", "/people/", "/groups/", "/roles/",
                 "/roles/grant/", "/audit/", "/ledgers/", "/campaigns/", "/rollups/", "/jobs/",
                 "/accounts/otp/devices/", "/accounts/otp/reset/", "/accounts/login/"]:
        # then each sends it to the code page
        assert _sent_to(client.get(path), OTP), path
    assert _sent_to(client.post("/roles/grant/", {"username": "x", "role": Role.DISCIPLINE, "unit": tree.city.pk}),
                    OTP)
    assert _sent_to(client.post("/accounts/otp/reset/", {"username": "secadmin"}), OTP)
    # and the API answers JSON with a Chinese detail
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and "二次验证" in api.json()["detail"]
    # and it may sign out
    assert _sent_to(client.post("/accounts/logout/"), "/accounts/login/")


def test_wrong_codes_count_towards_the_lockout_and_a_locked_account_is_signed_out(tree, make_user):
    # given a 审计管理员 with a device, past the password
    admin = make_user(Role.AUDIT_ADMIN, tree.city, username="auditor")
    device = TOTPDevice.objects.create(user=admin, name="动态口令")
    client = Client()
    sign_in(client, "auditor", PASSWORD)
    wrong = "000000" if totp_code(device) != "000000" else "111111"

    # when someone who has the password guesses codes
    answers = []
    for _ in range(5):
        throttle_waited(device)
        answers.append(client.post(OTP, {"code": wrong}).status_code)

    # then each failure counted as a failed sign-in, the fifth locked the account and ended the session
    assert answers == [200, 200, 200, 200, 429]
    assert AccessAttempt.objects.get(username="auditor").failures_since_start == 5
    assert _sent_to(client.get(HOME), "/accounts/login/")
    # and even the right password and code do not get in while the lock lasts
    assert sign_in(Client(), "auditor", PASSWORD).status_code == 429
    kinds = _kinds(admin)
    assert kinds.count(SecurityEventKind.OTP_FAILED) == 5
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOCKED_OUT, username="auditor").exists()


def test_a_wrong_code_slows_the_next_attempt_down(tree, make_user):
    admin = make_user(Role.SYSTEM_ADMIN, tree.city, username="sysadmin")
    device = TOTPDevice.objects.create(user=admin, name="动态口令")
    client = Client()
    sign_in(client, "sysadmin", PASSWORD)
    client.post(OTP, {"code": "000000" if totp_code(device) != "000000" else "111111"})
    # the right code at once after a wrong one waits its turn
    response = client.post(OTP, {"code": totp_code(device)})
    assert response.status_code == 200 and "秒后再试" in response.content.decode()


def test_the_api_token_needs_the_code_too(tree, make_user):
    admin = make_user(Role.SYSTEM_ADMIN, tree.city, username="sysadmin")
    make_user(Role.UNIT_FILLER, tree.lianyuan, username="clerk")
    api = Client()

    def token(username, **extra):
        return api.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD, **extra},
                        content_type="application/json")

    # a business login without a policy role: the password is enough
    assert token("clerk").status_code == 200
    # an administrator without a device: enrol on the web first
    response = token("sysadmin", otp="123456")
    assert response.status_code == 400 and response.json()["code"] == "OTP_NOT_ENROLLED"
    assert "绑定" in response.json()["detail"]
    device = TOTPDevice.objects.create(user=admin, name="动态口令")
    # no code: refused, naming the field
    response = token("sysadmin")
    assert response.status_code == 400 and response.json()["code"] == "OTP_REQUIRED"
    assert "otp" in response.json()["detail"]
    # a wrong code: refused, and counted as a failed sign-in
    wrong = "000000" if totp_code(device) != "000000" else "111111"
    response = token("sysadmin", otp=wrong)
    assert response.status_code == 400 and response.json()["code"] == "OTP_INVALID"
    assert AccessAttempt.objects.get(username="sysadmin").failures_since_start == 1
    # the right code: the token
    throttle_waited(device)
    response = token("sysadmin", otp=totp_code(device))
    assert response.status_code == 200 and response.json()["token"]
    assert SecurityEventKind.OTP_VERIFIED in _kinds(admin)


def test_the_api_refuses_once_the_code_guesses_lock_the_account(tree, make_user):
    admin = make_user(Role.SYSTEM_ADMIN, tree.city, username="sysadmin")
    device = TOTPDevice.objects.create(user=admin, name="动态口令")
    wrong = "000000" if totp_code(device) != "000000" else "111111"
    answers = []
    for _ in range(6):
        throttle_waited(device)
        answers.append(Client().post("/api/v1/auth/token/", {"username": "sysadmin", "password": PASSWORD,
                                                              "otp": wrong}, content_type="application/json"))
    assert [a.status_code for a in answers] == [400, 400, 400, 400, 429, 429]
    assert all(a.json()["detail"] for a in answers)


def test_a_login_sees_its_devices_and_regenerates_its_recovery_codes_with_a_fresh_code(tree, make_user, client):
    # given a 系统管理员 signed in with their code (the test's force_login: a device with the test key)
    admin = make_user(Role.SYSTEM_ADMIN, tree.city)
    client.force_login(admin)
    page = client.get("/accounts/otp/devices/")
    assert page.status_code == 200 and "已绑定" in page.content.decode()

    # when they ask for new recovery codes with a wrong code
    refused = client.post("/accounts/otp/recovery-codes/", {"code": "12345"})
    # then none are made, and the failure is logged
    assert refused.status_code == 200 and "不正确" in refused.content.decode()
    assert not StaticToken.objects.filter(device__user=admin).exists()
    assert _kinds(admin)[-1] == SecurityEventKind.OTP_FAILED

    # when they give the code their app shows
    throttle_waited(TOTPDevice.objects.get(user=admin))
    first = client.post("/accounts/otp/recovery-codes/", {"code": totp_code(TOTPDevice.objects.get(user=admin))})
    assert first.status_code == 200 and len(first.context["codes"]) == 10
    # then a second regeneration replaces them all
    second = client.post("/accounts/otp/recovery-codes/", {"code": totp_code(TOTPDevice.objects.get(user=admin))})
    assert set(second.context["codes"]).isdisjoint(first.context["codes"])
    assert StaticToken.objects.filter(device__user=admin).count() == 10
    assert _kinds(admin).count(SecurityEventKind.OTP_RECOVERY_CODES) == 2
    assert StaticDevice.objects.filter(user=admin).count() == 1
    # and a recovery code cannot stand in for the fresh code
    throttle_waited(TOTPDevice.objects.get(user=admin))
    assert "codes" not in (client.post("/accounts/otp/recovery-codes/", {"code": second.context["codes"][0]})
                           .context or {})


def test_a_session_signed_in_with_a_recovery_code_stays_in_after_new_codes(tree, make_user):
    make_user(Role.SYSTEM_ADMIN, tree.city, username="sysadmin")
    client = Client()
    sign_in(client, "sysadmin", PASSWORD)
    codes = enrol(client, "sysadmin")
    client.post("/accounts/logout/")
    client = Client()
    sign_in(client, "sysadmin", PASSWORD)
    assert _sent_to(client.post(OTP, {"code": codes[0]}), HOME)
    device = TOTPDevice.objects.get(user__username="sysadmin")
    fresh = client.post("/accounts/otp/recovery-codes/", {"code": totp_code(device)})
    assert len(fresh.context["codes"]) == 10
    # the session is still signed in, and the old codes are void
    assert _in(client)
    other = Client()
    sign_in(other, "sysadmin", PASSWORD)
    assert other.post(OTP, {"code": codes[1]}).status_code == 200
    assert _sent_to(other.get(HOME), OTP)


def test_a_business_login_sees_it_needs_no_second_factor(tree, make_user, client):
    client.force_login(make_user(Role.UNIT_FILLER, tree.lianyuan))
    assert "无需二次验证" in client.get("/accounts/otp/devices/").content.decode()
    assert client.post("/accounts/otp/recovery-codes/", {"code": "123456"}).status_code == 404


def test_the_security_admin_resets_a_second_factor_in_scope_and_it_is_logged(tree, make_user, client):
    # given a county's 安全管理员, and a 系统管理员 of a township under it who lost their phone
    secadmin = make_user(Role.SECURITY_ADMIN, tree.lianyuan)
    target = make_user(Role.SYSTEM_ADMIN, tree.qiaotouhe, username="town_admin")
    TOTPDevice.objects.create(user=target, name="动态口令")
    StaticDevice.objects.create(user=target, name="恢复码").token_set.create(token="abcdefgh")
    outside = make_user(Role.SYSTEM_ADMIN, tree.louxing, username="louxing_admin")
    TOTPDevice.objects.create(user=outside, name="动态口令")
    client.force_login(secadmin)
    assert client.get("/accounts/otp/reset/").status_code == 200

    # when they reset the township's administrator
    response = client.post("/accounts/otp/reset/", {"username": "town_admin"})
    # then its devices are gone, the security log names both, and its next sign-in enrols anew
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists() and not StaticDevice.objects.filter(user=target).exists()
    event = SecurityEvent.objects.get(kind=SecurityEventKind.OTP_RESET)
    assert event.user == secadmin and event.detail["target"] == "town_admin"
    again = Client()
    sign_in(again, "town_admin", PASSWORD)
    assert _sent_to(again.get(HOME), SETUP)

    # when they name a login outside their county, or one that does not exist
    out = client.post("/accounts/otp/reset/", {"username": "louxing_admin"})
    absent = client.post("/accounts/otp/reset/", {"username": "nobody"})
    # then both answer alike, 404, and nothing is deleted
    assert out.status_code == absent.status_code == 404
    assert out.context["form"].errors == absent.context["form"].errors
    assert TOTPDevice.objects.filter(user=outside).exists()
    # and the attempt on the outside login is logged as a denial
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.DENIED, user=secadmin).exists()

    # and they cannot reset their own
    own = client.post("/accounts/otp/reset/", {"username": secadmin.username})
    assert own.status_code == 200 and "自己" in own.content.decode()


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.CAMPAIGN_OFFICE])
def test_nobody_else_resets_a_second_factor(tree, make_user, client, role):
    target = make_user(Role.UNIT_FILLER, tree.lianyuan, username="clerk")
    TOTPDevice.objects.create(user=target, name="动态口令")
    client.force_login(make_user(role, tree.city))
    assert client.get("/accounts/otp/reset/").status_code == 404
    assert client.post("/accounts/otp/reset/", {"username": "clerk"}).status_code == 404
    assert TOTPDevice.objects.filter(user=target).exists()


def test_a_forced_test_login_is_verified_with_the_test_key(tree, make_user, client):
    # the shortcut of tests/conftest.py: force_login of an administrator passes its second factor
    admin = make_user(Role.AUDIT_ADMIN, tree.city)
    client.force_login(admin)
    assert client.get("/audit/").status_code == 200
    assert TOTPDevice.objects.get(user=admin).key == SECOND_FACTOR_TEST_KEY
    assert totp_code_for_key(SECOND_FACTOR_TEST_KEY) == totp_code(TOTPDevice.objects.get(user=admin))
