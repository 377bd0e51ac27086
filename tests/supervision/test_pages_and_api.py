"""督查督办 through its pages and its API: the happy paths, end to end."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from huitoukan.ledgers.models import ItemStatus, Source
from huitoukan.supervision import services
from huitoukan.supervision.models import (
    Finding,
    FindingState,
    Inspection,
    InspectionEvidence,
    InspectionKind,
    InspectionState,
    LinkKind,
)
from tests.supervision.conftest import upload


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _inspection(w):
    return services.inspection_create(actor=w.city_office, kind=InspectionKind.SPOT_CHECK, title="重点抽查涟源市",
                                      ordering_unit=w.tree.city, group=w.group, team=[w.supervisor],
                                      units=[w.tree.lianyuan], starts_on=dt.date(2015, 3, 2))


def test_an_office_orders_an_inspection_through_the_page(w):
    client = _client(w.city_office)
    # given the form of the city's office
    page = client.get(f"/supervision/inspections/new/?unit={w.tree.city.pk}")
    assert page.status_code == 200 and "安排督查" in page.content.decode()
    # when it orders an inspection of 涟源市 with the group member on the team
    response = client.post(f"/supervision/inspections/new/?unit={w.tree.city.pk}", {
        "kind": InspectionKind.LEVEL_BY_LEVEL, "title": "逐级督查涟源市", "units": [w.tree.lianyuan.pk],
        "group": w.group.pk, "team": "supervisor2", "starts_on": "2015-03-02", "methods": ["briefing", "site"]})
    # then it is there, and the member finds it in the work list
    inspection = Inspection.objects.get(title="逐级督查涟源市")
    assert response.status_code == 302 and response["Location"] == f"/supervision/inspections/{inspection.pk}/"
    assert list(inspection.team.all()) == [w.supervisor]
    assert "逐级督查涟源市" in _client(w.supervisor).get("/supervision/").content.decode()


def test_the_form_names_an_unknown_team_member(w):
    response = _client(w.city_office).post(f"/supervision/inspections/new/?unit={w.tree.city.pk}", {
        "kind": InspectionKind.OPEN, "title": "x", "units": [w.tree.lianyuan.pk], "team": "nobody",
        "starts_on": "2015-03-02"})
    assert response.status_code == 200 and "登录名不存在：nobody" in response.content.decode()


def test_the_loop_through_the_pages(w):
    inspection = _inspection(w)
    member, office = _client(w.supervisor), _client(w.office)
    # the member uploads a photo and records a finding about an item
    member.post(f"/supervision/inspections/{inspection.pk}/evidence/", {"files": upload()})
    assert InspectionEvidence.objects.filter(inspection=inspection, kind="photo").exists()
    response = member.post(f"/supervision/findings/new/?inspection={inspection.pk}", {
        "unit": w.tree.lianyuan.pk, "description": "会议仍然偏多", "severity": "serious",
        "item": w.items[0].pk, "files": upload("录像.mp4", b"\0\0\0\x18ftypmp42" + b"\0" * 8)})
    finding = Finding.objects.get(description="会议仍然偏多")
    assert response.status_code == 302 and finding.evidence.get().kind == "video"
    # the unit's office sees the answer form and answers
    page = office.get(f"/supervision/findings/{finding.pk}/").content.decode()
    assert "提交答复" in page and "转为台账问题" not in page
    office.post(f"/supervision/findings/{finding.pk}/answer/", {"answer": "已压缩会议"})
    # the member sends the item back, then closes the finding
    member.post(f"/supervision/findings/{finding.pk}/send-back/", {"reason": "整改不到位"})
    member.post(f"/supervision/findings/{finding.pk}/close/", {"note": "已回炉"})
    finding.refresh_from_db()
    assert (finding.state, finding.link_kind) == (FindingState.CLOSED, LinkKind.SENT_BACK)
    assert finding.linked_item.status == ItemStatus.SENT_BACK
    page = member.get(f"/supervision/findings/{finding.pk}/").content.decode()
    assert "已压缩会议" in page and "回炉" in page and "已整改一部分" in page
    # and completes the inspection
    member.post(f"/supervision/inspections/{inspection.pk}/complete/", {"record": "听取汇报"})
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.DONE


def test_a_bad_upload_is_named_on_the_page(w):
    inspection = _inspection(w)
    response = _client(w.supervisor).post(f"/supervision/inspections/{inspection.pk}/evidence/",
                                          {"files": upload("病毒.exe", b"MZ")}, follow=True)
    assert "病毒.exe" in response.content.decode()
    assert not InspectionEvidence.objects.filter(inspection=inspection).exists()


def test_the_office_puts_a_finding_in_its_ledger_through_the_api(w):
    inspection = _inspection(w)
    member, city = _client(w.supervisor), _client(w.city_office)
    created = member.post("/api/v1/supervision/findings/", {
        "inspection": inspection.pk, "unit": w.tree.lianyuan.pk, "description": "调研走过场"},
        content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    answered = _client(w.office).post(f"/api/v1/supervision/findings/{pk}/answer/", {"answer": "正在整改"},
                                      content_type="application/json")
    assert answered.json()["state"] == FindingState.ANSWERED
    linked = city.post(f"/api/v1/supervision/findings/{pk}/to-item/", {"ledger": w.ledger.pk, "measures": "每月调研"},
                       content_type="application/json")
    assert linked.status_code == 200, linked.content
    chain = linked.json()["chain"]
    assert chain["ledger"] == w.ledger.pk and chain["status"] == ItemStatus.NOT_STARTED
    assert Finding.objects.get(pk=pk).linked_item.source == Source.HIGHER_LEVEL
    # the unit's findings list it
    listed = city.get(f"/api/v1/supervision/units/{w.tree.lianyuan.pk}/findings/").json()
    assert [f["id"] for f in listed] == [pk]


def test_the_api_orders_and_edits_an_inspection(w):
    city = _client(w.city_office)
    body = {"ordering_unit": w.tree.city.pk, "kind": InspectionKind.FOLLOW_UP, "title": "跟踪问效",
            "units": [w.tree.lianyuan.pk], "team": ["supervisor2"], "starts_on": "2015-04-01",
            "methods": ["interview"]}
    created = city.post("/api/v1/supervision/inspections/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["team"] == ["supervisor2"]
    pk = created.json()["id"]
    edited = city.put(f"/api/v1/supervision/inspections/{pk}/", {**body, "title": "跟踪问效（二）",
                                                                 "state": "ongoing"},
                      content_type="application/json")
    assert edited.json()["title"] == "跟踪问效（二）" and edited.json()["state"] == "ongoing"
    bad = city.post("/api/v1/supervision/inspections/", {**body, "methods": ["喝茶"]}, content_type="application/json")
    assert bad.status_code == 400 and "督查方法" in bad.json()["detail"]


def test_date_fields_show_their_dates_as_the_browser_reads_them(w):
    """An <input type=date> takes only YYYY-MM-DD: another format shows an empty field a clerk must retype."""
    inspection = _inspection(w)
    page = _client(w.city_office).get(f"/supervision/inspections/{inspection.pk}/edit/").content.decode()
    assert 'value="2015-03-02"' in page


def test_an_office_finds_where_to_order_an_inspection(w):
    page = _client(w.city_office).get("/supervision/").content.decode()
    assert f"/supervision/inspections/new/?unit={w.tree.city.pk}" in page
    assert "/supervision/inspections/new/" not in _client(w.supervisor).get("/supervision/").content.decode()
