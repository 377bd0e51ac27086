"""Pickers of units and people search the server: no page lists (or silently cuts) a province's units."""

import datetime as dt
import re

import pytest

from huitoukan.access.models import Role
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import Unit, UnitKind, UnitLevel

pytestmark = pytest.mark.django_db


def _villages(tree, n):
    return [org_services.unit_create(actor=None, parent=tree.qiaotouhe, name=f"第{i}村", level=UnitLevel.VILLAGE,
                                     kind=UnitKind.GRASSROOTS, established_on=dt.date(2013, 6, 18))
            for i in range(n)]


def test_the_move_page_lists_no_units_and_searches_a_scoped_list(tree, make_user, client):
    villages = _villages(tree, 30)
    client.force_login(make_user(Role.SYSTEM_ADMIN, tree.lianyuan))
    page = client.get(f"/units/{villages[0].pk}/move/").content.decode()
    select = re.search(r'<select name="new_parent"[^>]*>(.*?)</select>', page, re.S)
    assert select and 'data-remote="/api/v1/units/?include_abolished=false"' in select.group(0)
    assert "<option" not in select.group(1)  # nothing listed up front
    # the list the picker asks is the reader's scope, searched by name
    found = client.get("/api/v1/units/", {"include_abolished": "false", "q": "第2", "limit": 50}).json()
    assert {u["name"] for u in found["results"]} == {"第2村", "第20村", "第21村", "第22村", "第23村", "第24村", "第25村",
                                                     "第26村", "第27村", "第28村", "第29村"}
    # any unit in scope can be chosen, however many there are; the choice is shown again on an error
    target = villages[-1]
    response = client.post(f"/units/{villages[0].pk}/move/", {"new_parent": target.pk})
    assert response.status_code == 302
    assert Unit.objects.get(pk=villages[0].pk).full_name == f"{target.full_name}/第0村"


def test_the_grant_page_shows_the_chosen_person_and_unit_only(tree, make_user, client):
    person = org_services.person_create(actor=None, unit=tree.qiaotouhe, name="彭光辉", is_party_leader=True)
    client.force_login(make_user(Role.SECURITY_ADMIN, tree.lianyuan))
    page = client.post("/roles/grant/", {"username": "nobody", "role": Role.RESPONSIBLE_LEADER,
                                         "unit": tree.qiaotouhe.pk, "person": person.pk}).content.decode()
    assert "找不到用户" in page
    assert page.count(f"<option value=\"{tree.qiaotouhe.pk}\" selected>") == 1
    assert "彭光辉（桥头河镇）" in page
    assert 'data-remote="/api/v1/people/"' in page
