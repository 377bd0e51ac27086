"""重点抽查 pages and API: define → the commitment shown, the seed not; draw → the seed, the sample with reasons
and inspectors, the inspection; verify → 一致; coverage per county; refusals 403/404; bad input named."""

from __future__ import annotations

import json

import pytest

from huitoukan.orgs.models import UnitLevel
from huitoukan.supervision import sampling, spotchecks
from huitoukan.supervision.models import SpotCheck, SpotCheckState
from tests.conftest import built_once
from tests.supervision.test_spotchecks import TODAY, build_spot_world, define


@pytest.fixture(scope="module")
def spot_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        yield build_spot_world()


@pytest.fixture
def sw(spot_world, db):
    return spot_world


def _as(client, user):
    client.force_login(user)
    return client


def _form(sw, **changes) -> dict:
    body = {"title": "第一轮重点抽查", "root": sw.tree.city.pk, "campaign": sw.campaign.pk, "starts_on": "2015-03-02",
            "levels": [UnitLevel.TOWNSHIP], "at_least_one_per_county": "on", "size": "3", "keys_always_in": "on",
            "key_units": [sw.townships["蓝田街道"].pk], "team": "sc_outside sc_local sc_louxing",
            "min_share_percent": "10", "min_overdue": "0"}
    return {**body, **changes}


def test_the_office_defines_draws_and_verifies_through_the_pages(sw, client):
    _as(client, sw.office)
    url = f"/supervision/spot-checks/new/?unit={sw.tree.city.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, _form(sw))
    assert response.status_code == 302, response.content.decode()[:2000]
    sc = SpotCheck.objects.get(title="第一轮重点抽查")
    assert response["Location"] == f"/supervision/spot-checks/{sc.pk}/"
    # Before the draw: the commitment, never the seed
    page = client.get(response["Location"]).content.decode()
    assert sc.commitment in page and sc.digest in page and sc.secret_seed not in page and "抽取时公布" in page
    assert "变更历史" in page  # the history, without the seed
    assert "data-confirm" in page
    assert sc.secret_seed not in client.get(f"/supervision/spot-checks/{sc.pk}/verify/").content.decode()
    # The draw
    assert client.post(f"/supervision/spot-checks/{sc.pk}/draw/").status_code == 302
    sc.refresh_from_db()
    page = client.get(f"/supervision/spot-checks/{sc.pk}/").content.decode()
    assert sc.seed in page and "重点单位必抽" in page and "sc_outside" in page and "抽取说明" in page
    assert f"/supervision/inspections/{sc.inspection_id}/" in page
    assert "变更历史" in page and "sc_office" in page.split("变更历史")[1]
    page = client.get(f"/supervision/spot-checks/{sc.pk}/verify/").content.decode()
    assert "一致" in page and "不一致" not in page
    # Listed
    assert "第一轮重点抽查" in client.get("/supervision/spot-checks/").content.decode()


def test_a_bad_definition_is_refused_naming_the_field(sw, client):
    _as(client, sw.office)
    url = f"/supervision/spot-checks/new/?unit={sw.tree.city.pk}"
    page = client.post(url, _form(sw, min_share_percent="150", team="nobody")).content.decode()
    assert "抽取比例须在 0 到 100 之间" in page and "登录名不存在：nobody" in page
    page = client.post(url, _form(sw, size="30")).content.decode()
    assert "要求抽取 30 个单位" in page
    assert not SpotCheck.objects.exists()


def test_readers_see_but_may_not_draw_and_others_get_404(sw, client):
    sc = define(sw)
    _as(client, sw.filler)
    assert client.get(f"/supervision/spot-checks/{sc.pk}/").status_code == 200
    assert client.post(f"/supervision/spot-checks/{sc.pk}/draw/").status_code == 403
    assert client.get(f"/supervision/spot-checks/new/?unit={sw.tree.city.pk}").status_code == 403
    _as(client, sw.county_office)
    for url in (f"/supervision/spot-checks/{sc.pk}/", f"/supervision/spot-checks/{sc.pk}/verify/",
                f"/api/v1/supervision/spot-checks/{sc.pk}/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/supervision/spot-checks/{sc.pk}/draw/").status_code == 404
    assert client.get(f"/supervision/spot-checks/new/?unit={sw.tree.city.pk}").status_code == 404
    assert SpotCheck.objects.get(pk=sc.pk).state == SpotCheckState.COMMITTED


def test_the_coverage_page_per_county_and_drill_down(sw, client):
    spotchecks.spotcheck_draw(actor=sw.office, spot_check=define(sw))
    _as(client, sw.office)
    page = client.get(f"/supervision/spot-checks/coverage/?unit={sw.tree.city.pk}&campaign={sw.campaign.pk}")
    text = page.content.decode()
    assert page.status_code == 200 and "涟源市" in text and "娄星区" in text and "已抽取 1 次" in text
    drill = client.get(f"/supervision/spot-checks/coverage/?unit={sw.tree.city.pk}&county={sw.tree.lianyuan.path}")
    assert "桥头河镇" in drill.content.decode() and "返回各县" in drill.content.decode()
    towns = client.get(f"/supervision/spot-checks/coverage/?unit={sw.tree.city.pk}&level=township").content.decode()
    assert "7 个单位中 3 个被抽查过" in towns and f"level=township&amp;county={sw.tree.lianyuan.path}" in towns
    api = client.get(f"/api/v1/supervision/spot-checks/coverage/?unit={sw.tree.city.pk}&level=township").json()
    assert api["units_total"] == 7 and api["units_sampled"] == 3
    assert client.get("/supervision/spot-checks/coverage/?county=nowhere").status_code == 404
    _as(client, sw.county_office)
    assert client.get(f"/supervision/spot-checks/coverage/?unit={sw.tree.city.pk}").status_code == 404
    assert client.get("/supervision/spot-checks/coverage/").status_code == 200  # their own county


def _api_body(sw, **changes) -> dict:
    body = {"ordering_unit": sw.tree.city.pk, "root": sw.tree.city.pk, "title": "接口抽查", "campaign": sw.campaign.pk,
            "starts_on": "2015-03-02", "levels": ["township"], "at_least_one_per_county": True, "size": 3,
            "team": ["sc_outside", "sc_local", "sc_louxing"]}
    return {**body, **changes}


def test_the_api_defines_draws_verifies_and_maps_coverage(sw, client):
    _as(client, sw.office)
    response = client.post("/api/v1/supervision/spot-checks/", json.dumps(_api_body(sw)),
                           content_type="application/json")
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    sc = SpotCheck.objects.get(pk=body["id"])
    assert body["state"] == "committed" and body["seed"] == "" and body["commitment"] == sc.commitment
    assert sc.secret_seed not in response.content.decode()
    assert len(body["population"]) == len(spotchecks.candidates_from(sc.population_json))
    assert client.get(f"/api/v1/supervision/spot-checks/{sc.pk}/verify/").json()["result"] == "尚未抽取"
    drawn = client.post(f"/api/v1/supervision/spot-checks/{sc.pk}/draw/").json()
    assert drawn["state"] == "drawn" and drawn["seed"] and drawn["inspection_id"]
    assert {row["reason"] for row in drawn["sample"]} <= {"key", "county", "top_up"} and len(drawn["sample"]) == 3
    # Anyone with the answer re-draws it
    definition = spotchecks.definition_from(json.dumps(drawn["definition"]))
    candidates = spotchecks.candidates_from(json.dumps(drawn["population"]))
    again = sampling.draw(definition, candidates, drawn["seed"])
    assert list(again.unit_ids) == [row["unit"] for row in drawn["sample"]]
    verify = client.get(f"/api/v1/supervision/spot-checks/{sc.pk}/verify/").json()
    assert verify == {"result": "一致", "drawn": True, "consistent": True, "problems": []}
    again = client.post(f"/api/v1/supervision/spot-checks/{sc.pk}/draw/")
    assert again.status_code == 400 and "已经抽取" in again.json()["detail"]
    cov = client.get(f"/api/v1/supervision/spot-checks/coverage/?unit={sw.tree.city.pk}&campaign={sw.campaign.pk}")
    assert cov.status_code == 200 and cov.json()["draws"] == 1 and cov.json()["units_sampled"] == 3
    listed = client.get("/api/v1/supervision/spot-checks/").json()
    assert [row["id"] for row in listed] == [sc.pk] and "population" not in listed[0]


def test_the_api_names_bad_fields(sw, client):
    _as(client, sw.office)
    response = client.post("/api/v1/supervision/spot-checks/", json.dumps(_api_body(sw, team=["nobody"])),
                           content_type="application/json")
    assert response.status_code == 400 and "nobody" in response.json()["detail"]
    response = client.post("/api/v1/supervision/spot-checks/", json.dumps(_api_body(sw, min_share_percent=101)),
                           content_type="application/json")
    assert response.status_code == 400 and "至少抽取比例" in response.json()["detail"]


def test_define_on_the_api_refuses_before_reading_the_input(sw, client):
    _as(client, sw.filler)
    response = client.post("/api/v1/supervision/spot-checks/", json.dumps({"ordering_unit": sw.tree.city.pk}),
                           content_type="application/json")
    assert response.status_code == 403
    _as(client, sw.county_office)
    response = client.post("/api/v1/supervision/spot-checks/", json.dumps({"ordering_unit": sw.tree.city.pk}),
                           content_type="application/json")
    assert response.status_code == 404


def test_the_detail_page_reads_a_bounded_number_of_queries(sw, client, django_assert_max_num_queries):
    sc = spotchecks.spotcheck_draw(actor=sw.office, spot_check=define(sw, today=TODAY))
    _as(client, sw.office)
    client.get(f"/supervision/spot-checks/{sc.pk}/")  # warm the session
    with django_assert_max_num_queries(20):
        assert client.get(f"/supervision/spot-checks/{sc.pk}/").status_code == 200


def test_the_coverage_page_offers_each_part_of_the_readers_scope(sw):
    from django.test import Client

    client = Client()
    client.force_login(sw.outside)  # the group covers 涟源市 and 娄星区
    page = client.get("/supervision/spot-checks/coverage/").content.decode()
    assert f'value="{sw.tree.lianyuan.pk}"' in page and f'value="{sw.tree.louxing.pk}"' in page
