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
