"""A unit's 行业系统 (sector): set on the page and through the API, kept in the history, read by the API."""

import pytest
from django.test import Client

from huitoukan.access.models import Role
from huitoukan.orgs.models import Unit
from tests.conftest import user_create

pytestmark = pytest.mark.django_db


def test_the_sector_is_set_on_the_page_and_through_the_api(tree):
    admin = user_create(Role.SYSTEM_ADMIN, tree.city, username="sector_admin")
    client = Client()
    client.force_login(admin)
    response = client.post(f"/units/{tree.education.pk}/edit/", {
        "name": "市教育局", "level": "city", "kind": tree.education.kind, "batch": "", "sector": " 教育 ",
        "established_on": ""})
    assert response.status_code == 302
    unit = Unit.objects.get(pk=tree.education.pk)
    assert unit.sector == "教育" and unit.history.first().sector == "教育"
    assert "行业系统" in client.get(f"/units/{unit.pk}/").content.decode()
    api = client.patch(f"/api/v1/units/{unit.pk}/", {"sector": "教育体育"}, content_type="application/json")
    assert api.status_code == 200 and api.json()["sector"] == "教育体育"
    assert Unit.objects.get(pk=unit.pk).name == "市教育局"  # the fields not given are kept
