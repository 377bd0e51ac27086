"""群众意见's protections: the contact unreadable in the database and its file, decrypted only for the office
and discipline staff with each reveal logged, the key's system check, and a flood of posts from one address
throttled without a server error."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.test import Client

from huitoukan.access.models import Role
from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from huitoukan.notifications.models import Notification
from huitoukan.publicity import contact as contact_module
from huitoukan.publicity.contact import Contact, ContactUnreadable, contact_decrypt, contact_encrypt
from huitoukan.publicity.models import Opinion, PublicThrottle
from tests.conftest import built_once, user_create
from tests.publicity.test_opinions import FORM, build_world, form_data, logged_in, submit

NAME, PHONE = "欧阳春花", "13975812345"


@pytest.fixture(scope="module")
def security_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        yield build_world()


@pytest.fixture
def w(security_world, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PUBLIC_POSTS_PER_WINDOW = 5
    settings.PUBLIC_POST_WINDOW_SECONDS = 10 ** 9  # one window for the whole test: never split at a boundary
    return security_world


def test_a_ciphertext_moved_to_another_opinion_or_altered_does_not_decrypt(w):
    stored = contact_encrypt(Contact(name=NAME, means=PHONE), number="JB20261201-0001")
    assert contact_decrypt(stored, number="JB20261201-0001").means == PHONE
    with pytest.raises(ContactUnreadable):
        contact_decrypt(stored, number="JB20261201-0002")
    altered = bytearray(stored)
    altered[20] ^= 1
    with pytest.raises(ContactUnreadable):
        contact_decrypt(bytes(altered), number="JB20261201-0001")
    # two encryptions of the same contact differ (a fresh nonce each time)
    assert stored != contact_encrypt(Contact(name=NAME, means=PHONE), number="JB20261201-0001")


def test_a_configured_key_is_used_and_a_changed_key_cannot_read_old_rows(w, settings):
    settings.CONTACT_KEY = "00112233445566778899aabbccddeeff"
    stored = contact_encrypt(Contact(means=PHONE), number="YJ1")
    settings.CONTACT_KEY = ""
    with pytest.raises(ContactUnreadable):
        contact_decrypt(stored, number="YJ1")
    settings.CONTACT_KEY = "00112233445566778899aabbccddeeff"
    assert contact_decrypt(stored, number="YJ1").means == PHONE


def test_each_reveal_is_in_the_security_log_and_only_readers_may_reveal(w):
    opinion = submit(w, anonymous=False, contact=Contact(name=NAME, means=PHONE)).opinion
    url = f"/publicity/opinions/{opinion.pk}/contact/"

    # the detail page alone shows no contact
    assert PHONE not in logged_in(w.office).get(f"/publicity/opinions/{opinion.pk}/").content.decode()
    # the office and the city's discipline staff reveal it, each reveal a line of the log
    for user in (w.office, w.city_discipline):
        page = logged_in(user).post(url)
        assert page.status_code == 200 and PHONE in page.content.decode() and NAME in page.content.decode()
    logged = SecurityEvent.objects.filter(kind=SecurityEventKind.CONTACT_VIEW, detail__opinion=opinion.number)
    assert sorted(logged.values_list("username", flat=True)) == ["op_city_discipline", "op_office"]
    # nobody else, and the refusals reveal nothing
    for user in (w.head, w.filler, w.township_office, w.outsider):
        response = logged_in(user).post(url)
        assert response.status_code == 404 and PHONE not in response.content.decode()
    # the city's office reads the opinion but not the contact: a report may be about leaders it answers to
    city_office = user_create(Role.CAMPAIGN_OFFICE, w.tree.city)
    assert logged_in(city_office).get(f"/publicity/opinions/{opinion.pk}/").status_code == 200
    refused = logged_in(city_office).post(url)
    assert refused.status_code == 403 and PHONE not in refused.content.decode()
    assert logged.count() == 2
    # nor do the office's notifications carry it
    assert not Notification.objects.filter(body__contains=PHONE).exists()


def test_the_key_check_warns_without_a_key_outside_debug_and_refuses_a_malformed_one(settings):
    settings.DEBUG, settings.CONTACT_KEY = False, ""
    assert "publicity.W001" in {m.id for m in contact_module.contact_key_check()}
    settings.DEBUG = True
    assert contact_module.contact_key_check() == []
    settings.DEBUG, settings.CONTACT_KEY = False, "00112233445566778899aabbccddeeff"
    assert contact_module.contact_key_check() == []
    assert contact_module.contact_key_form_check() == []
    settings.CONTACT_KEY = "not-hex"
    assert [m.id for m in contact_module.contact_key_form_check()] == ["publicity.E001"]
    assert "publicity.E001" in {m.id for m in run_checks(include_deployment_checks=False)}
    settings.CONTACT_KEY = ""
    assert "publicity.W001" in {m.id for m in run_checks(include_deployment_checks=True)}
    assert "publicity.W001" not in {m.id for m in run_checks(include_deployment_checks=False)}


def test_a_flood_of_a_thousand_posts_from_one_address_is_throttled_without_a_server_error(w, settings):
    # given one address posting the form a thousand times, each post valid (captcha solved)
    settings.PUBLIC_POSTS_PER_WINDOW = 5
    client = Client(raise_request_exception=False)
    statuses = []
    for n in range(1000):
        response = client.post(FORM.format(pk=w.tree.lianyuan.pk), form_data(subject=f"刷屏{n}"),
                               REMOTE_ADDR="203.0.113.9")
        statuses.append(response.status_code)

    # then the first five are filed, every later one answers 429 with the Chinese page, none 5xx
    assert statuses[:5] == [200] * 5
    assert set(statuses[5:]) == {429}
    assert "提交过于频繁，请稍后再试" in response.content.decode() and response["Retry-After"]
    assert Opinion.objects.filter(subject__startswith="刷屏").count() == 5
    assert PublicThrottle.objects.get(key__startswith="opinion:").n == 1000
    # and another address still gets through
    other = client.post(FORM.format(pk=w.tree.lianyuan.pk), form_data(subject="正常提交"), REMOTE_ADDR="203.0.113.10")
    assert other.status_code == 200
