"""System checks of the security profile."""

import pytest
from django.contrib.auth import get_user_model

from huitoukan.access.checks import no_superuser_outside_development

pytestmark = pytest.mark.django_db


def test_a_superuser_fails_the_check_outside_development(settings):
    settings.DEBUG = False
    get_user_model().objects.create_superuser(username="root", password="Root#2015x")
    errors = no_superuser_outside_development(None, databases=["default"])
    assert [e.id for e in errors] == ["huitoukan.E001"]


def test_no_superuser_passes(settings):
    settings.DEBUG = False
    assert no_superuser_outside_development(None, databases=["default"]) == []


DEPLOYMENT_KEY = "a-deployment-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def _deploy_check_ids():
    from huitoukan.access.checks import keys_are_not_the_demo_key

    return sorted(e.id for e in keys_are_not_the_demo_key(None))


def test_the_demo_secret_key_is_refused_outside_development(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY
    settings.AUDIT_HMAC_KEY = DEPLOYMENT_KEY
    assert _deploy_check_ids() == ["huitoukan.E003"]


def test_the_demo_audit_key_is_refused_outside_development(settings):
    # AUDIT_HMAC_KEY defaults to SECRET_KEY: setting only the secret key leaves the log on the demo key.
    settings.DEBUG = False
    settings.SECRET_KEY = DEPLOYMENT_KEY
    settings.AUDIT_HMAC_KEY = settings.DEMO_SECRET_KEY
    assert _deploy_check_ids() == ["huitoukan.E004"]


def test_both_keys_set_pass(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = DEPLOYMENT_KEY
    settings.AUDIT_HMAC_KEY = DEPLOYMENT_KEY + "-audit"
    assert _deploy_check_ids() == []


def test_in_development_the_demo_keys_only_warn(settings):
    settings.DEBUG = True
    settings.SECRET_KEY = settings.AUDIT_HMAC_KEY = settings.DEMO_SECRET_KEY
    assert _deploy_check_ids() == ["huitoukan.W003", "huitoukan.W004"]


def test_check_deploy_fails_with_the_demo_keys(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.DEBUG = False
    settings.SECRET_KEY = settings.AUDIT_HMAC_KEY = settings.DEMO_SECRET_KEY
    with pytest.raises(SystemCheckError, match="HUITOUKAN_AUDIT_KEY"):
        call_command("check", "--deploy", databases=["default"])


@pytest.mark.django_db
def test_a_login_with_the_demo_password_is_refused_outside_development(settings, tree):
    from huitoukan.access.checks import no_login_keeps_the_demo_password
    from tests.conftest import user_create

    settings.DEBUG = False
    login = user_create(username="demo_like")
    login.set_password(settings.DEMO_PASSWORD)
    login.save()
    [error] = no_login_keeps_the_demo_password(None, databases=["default"])
    assert error.id == "huitoukan.E005" and "demo_like" in error.msg
    # changed, or disabled, it passes
    login.set_password("Another#Pass2026")
    login.save()
    assert no_login_keeps_the_demo_password(None, databases=["default"]) == []
    settings.DEBUG = True
    login.set_password(settings.DEMO_PASSWORD)
    login.save()
    assert no_login_keeps_the_demo_password(None, databases=["default"]) == []
