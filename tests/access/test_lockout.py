"""Login lockout that cannot be turned against users (issue 11, item 7)."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from captcha.models import CaptchaStore
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import Client

from huitoukan.access import lockout
from huitoukan.access.models import Role
from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from huitoukan.security.models import SecurityPolicy
from huitoukan.security.selectors import policy_current
from tests.access.logins import LOGIN, sign_in, signed_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "wrong-Password1"
SHARED_ADDRESS = "10.1.2.3"  # an office's NAT: every clerk behind it signs in from here


def _time_passes(minutes: int) -> None:
    """Move every recorded failure `minutes` into the past, as if that much time had gone by."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def _lock(username: str, address: str = SHARED_ADDRESS) -> None:
    for _ in range(5):
        sign_in(Client(), username, WRONG, address=address)
    assert sign_in(Client(), username, PASSWORD, address=address).status_code == 429


def test_a_flood_against_one_account_leaves_the_other_accounts_behind_the_address_signing_in(make_user):
    # given two clerks behind one address, and an attacker there who solves every captcha
    make_user(username="target")
    make_user(username="colleague")

    # when the attacker fails 100 times against one account
    answers = [sign_in(Client(), "target", WRONG, address=SHARED_ADDRESS).status_code for _ in range(100)]

    # then the fifth failure locked that account from that address, and no later one was counted
    assert answers[:4] == [200] * 4 and set(answers[4:]) == {429}
    assert lockout.account_failures("target") == 5
    assert sign_in(Client(), "target", PASSWORD, address=SHARED_ADDRESS).status_code == 429
    # and the colleague behind the same address signs in
    assert signed_in(sign_in(Client(), "colleague", PASSWORD, address=SHARED_ADDRESS))
    # and so does the target's owner from another address (the account-wide limit is higher)
    assert signed_in(sign_in(Client(), "target", PASSWORD, address="10.9.9.9"))


def test_failures_from_many_addresses_lock_the_account_at_the_account_limit(make_user):
    # given an account guessed at from four addresses, four times each (under the per-address limit)
    make_user(username="target")
    SecurityPolicy.objects.filter(pk=policy_current().pk).update(lockout_account_failures=16)
    for n in range(4):
        for _ in range(4):
            sign_in(Client(), "target", WRONG, address=f"10.0.0.{n}")

    # then the account is locked from every address, a new one included
    assert sign_in(Client(), "target", PASSWORD, address="10.0.0.99").status_code == 429


def test_a_lock_ends_on_time_although_attempts_continued(make_user):
    # given an account locked from an address
    make_user(username="target")
    _lock("target")

    # when the attacker keeps trying through the lock, and the owner too
    _time_passes(10)
    for _ in range(3):
        assert sign_in(Client(), "target", WRONG, address=SHARED_ADDRESS).status_code == 429
    assert sign_in(Client(), "target", PASSWORD, address=SHARED_ADDRESS).status_code == 429

    # then the lock ends 15 minutes after the failure that set it, not after the latest attempt
    _time_passes(6)
    assert signed_in(sign_in(Client(), "target", PASSWORD, address=SHARED_ADDRESS))


def test_the_security_admin_unlocks_an_account_and_the_log_says_so(tree, make_user, capsys):
    # given a locked clerk of 涟源市 and the city's 安全管理员
    make_user(Role.UNIT_FILLER, tree.lianyuan, username="target")
    make_user(Role.SECURITY_ADMIN, tree.city, username="secadmin")
    _lock("target")

    # when the 安全管理员 unlocks the account
    call_command("unlock", "target", "--as", "secadmin")

    # then the clerk signs in at once, and the security log names who unlocked whom
    assert "已解除 target 的登录锁定" in capsys.readouterr().out
    assert signed_in(sign_in(Client(), "target", PASSWORD, address=SHARED_ADDRESS))
    event = SecurityEvent.objects.get(kind=SecurityEventKind.UNLOCKED)
    assert event.username == "secadmin" and event.detail["to"] == "target"


@pytest.mark.parametrize("who", ["office", "county_secadmin"])
def test_only_a_security_admin_over_the_account_unlocks_it(tree, make_user, who):
    # given a locked clerk of 涟源市, a campaign office there and the 安全管理员 of another county
    make_user(Role.UNIT_FILLER, tree.lianyuan, username="target")
    make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="office")
    make_user(Role.SECURITY_ADMIN, tree.louxing, username="county_secadmin")
    _lock("target")

    # when either tries to unlock the clerk
    with pytest.raises(CommandError) as refused:
        call_command("unlock", "target", "--as", who)

    # then it is refused (exit code 4), logged as a denial, and the lock stays
    assert refused.value.returncode == 4
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.DENIED, username=who).exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.UNLOCKED).exists()
    assert sign_in(Client(), "target", PASSWORD, address=SHARED_ADDRESS).status_code == 429


def test_the_captcha_appears_after_two_failures_and_a_wrong_one_refuses_the_right_password(make_user):
    make_user(username="target")
    client = Client()

    # given one failure: no captcha yet
    first = sign_in(client, "target", WRONG)
    assert first.status_code == 200 and "captcha_1" not in first.content.decode()

    # when the second failure comes
    page = sign_in(client, "target", WRONG).content.decode()

    # then the form shows a captcha, labelled in Chinese, whose image the server draws for anyone
    assert "验证码" in page
    image = re.search(r'src="(/captcha/image/(\w+)/)"', page)
    assert image is not None
    drawn = client.get(image.group(1))
    assert drawn.status_code == 200 and drawn["Content-Type"] == "image/png"

    # when the right password comes with a wrong answer
    refused = sign_in(client, "target", PASSWORD, captcha="wrong")

    # then it is refused with a clear Chinese error, and nobody is signed in
    assert refused.status_code == 200
    assert "验证码不正确" in refused.content.decode()
    assert "_auth_user_id" not in client.session

    # and the right answer with the right password signs in
    key = image.group(2)
    answer = CaptchaStore.objects.get(hashkey=key).response
    response = client.post(LOGIN, {"username": "target", "password": PASSWORD, "captcha_0": key, "captcha_1": answer})
    assert signed_in(response)


def test_a_script_that_cannot_read_the_captcha_cannot_push_an_account_towards_its_lock(make_user):
    # given an account at the captcha's threshold
    make_user(username="target")
    for _ in range(2):
        sign_in(Client(), "target", WRONG)

    # when a script goes on guessing without the captcha, or with wrong answers
    for captcha in ["none", "wrong"] * 10:
        response = sign_in(Client(), "target", WRONG, captcha=captcha)
        assert response.status_code == 200 and "验证码" in response.content.decode()

    # then none of those guesses was counted, and the owner signs in
    assert lockout.account_failures("target") == 2
    assert signed_in(sign_in(Client(), "target", PASSWORD))
    assert get_user_model().objects.get(username="target").last_login is not None


def test_the_thresholds_and_the_duration_are_the_security_policys_at_once(make_user):
    # given the 安全管理员 lowered the lock to 3 failures and raised its duration to 30 minutes
    make_user(username="target")
    SecurityPolicy.objects.filter(pk=policy_current().pk).update(lockout_failures=3, lockout_minutes=30)

    # when the account fails three times from one address
    for _ in range(3):
        sign_in(Client(), "target", WRONG, address=SHARED_ADDRESS)

    # then the right password is refused as locked, still after 20 minutes, and accepted after 31
    assert sign_in(Client(), "target", PASSWORD, address=SHARED_ADDRESS).status_code == 429
    _time_passes(20)
    assert sign_in(Client(), "target", PASSWORD, address=SHARED_ADDRESS).status_code == 429
    _time_passes(11)
    assert signed_in(sign_in(Client(), "target", PASSWORD, address=SHARED_ADDRESS))


def test_the_login_page_warns_with_the_policys_numbers(make_user):
    make_user(username="target")
    SecurityPolicy.objects.filter(pk=policy_current().pk).update(lockout_failures=4, lockout_minutes=25)
    page = sign_in(Client(), "target", WRONG).content.decode()
    assert "连续失败4次将锁定25分钟" in page
