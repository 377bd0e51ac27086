"""The ledger API: the same rules as the services and pages, through JSON."""

import pytest
from rest_framework.test import APIClient

from huitoukan.access.models import Role
from huitoukan.ledgers import services
from huitoukan.ledgers.models import ItemStatus, ProgressEntry
from tests.ledgers.conftest import PDF, pdf

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_office_adds_an_item_and_a_leader_reports_and_closes_it_with_a_second_person(lw):
    office, leader, head = api(lw.office), api(lw.leader), api(lw.head)
    response = office.post(f"/api/v1/ledgers/{lw.ledger.pk}/items/", {
        "problem": "文山会海问题突出", "measures": "压缩会议", "four_winds": "formalism",
        "deadline_mode": "date", "due_on": "2015-03-31", "lead_leaders": [lw.leader_person.pk],
        "responsible_units": [lw.tree.qiaotouhe.pk],
    }, format="json")
    assert response.status_code == 201, response.json()
    item_id = response.json()["id"]
    assert response.json()["light"] in ("red", "amber", "green")

    response = leader.post(f"/api/v1/items/{item_id}/progress/", {"progress": "已压缩会议12个", "next_steps": "继续"},
                           format="json")
    assert response.status_code == 201 and not response.json()["by_office"]
    assert leader.post(f"/api/v1/items/{item_id}/closing/", {"summary": "已完成"}, format="json").status_code == 400
    upload = leader.post(f"/api/v1/items/{item_id}/evidence/", {"file": pdf()}, format="multipart")
    assert upload.status_code == 201, upload.json()
    closing = leader.post(f"/api/v1/items/{item_id}/closing/", {"summary": "已完成"}, format="json")
    assert closing.status_code == 201
    verified = head.post(f"/api/v1/closings/{closing.json()['id']}/verify/", {"note": "属实"}, format="json")
    assert verified.status_code == 200 and verified.json()["status"] == ItemStatus.CLOSED
    latest = office.get(f"/api/v1/ledgers/{lw.ledger.pk}/items/").json()["results"][0]["latest_progress"]
    assert latest["progress"] == "已压缩会议12个"


def test_a_leader_who_does_not_lead_the_item_cannot_report(lw):
    item = services.item_create(actor=lw.office, ledger=lw.ledger, problem="调研不深入",
                                lead_leaders=[lw.leader_person])
    response = api(lw.other).post(f"/api/v1/items/{item.pk}/progress/", {"progress": "越俎代庖"}, format="json")
    assert response.status_code == 403 and "牵头领导" in response.json()["detail"]
    assert response.json()["code"] == "NOT_A_LEAD_LEADER"
    assert not ProgressEntry.objects.exists()


def test_ids_out_of_scope_in_the_body_answer_404(lw, make_user):
    from huitoukan.orgs import services as org_services

    stranger = org_services.person_create(actor=None, unit=lw.tree.louxing, name="贺军")
    response = api(lw.office).post(f"/api/v1/ledgers/{lw.ledger.pk}/items/",
                                   {"problem": "x", "lead_leaders": [stranger.pk]}, format="json")
    assert response.status_code == 404


def test_neighbouring_county_sees_nothing(lw, make_user):
    item = services.item_create(actor=lw.office, ledger=lw.ledger, problem="调研不深入")
    neighbour = api(make_user(Role.CAMPAIGN_OFFICE, lw.tree.louxing))
    assert neighbour.get(f"/api/v1/ledgers/{lw.ledger.pk}/").status_code == 404
    assert neighbour.get(f"/api/v1/items/{item.pk}/").status_code == 404
    assert neighbour.get("/api/v1/ledgers/").json()["count"] == 0


def test_my_items_lists_what_i_lead(lw):
    mine = services.item_create(actor=lw.office, ledger=lw.ledger, problem="调研不深入",
                                lead_leaders=[lw.leader_person])
    services.item_create(actor=lw.office, ledger=lw.ledger, problem="别人的", lead_leaders=[lw.other_leader])
    ids = [row["id"] for row in api(lw.leader).get("/api/v1/my-items/").json()["results"]]
    assert ids == [mine.pk]


def test_ledger_items_query_count_does_not_grow(lw, django_assert_max_num_queries):
    client = api(lw.office)
    # 8 rows: the page itself takes 6 queries, so one more query per row would pass the limit.
    for i in range(8):
        item = services.item_create(actor=lw.office, ledger=lw.ledger, problem=f"问题{i}",
                                    lead_leaders=[lw.leader_person], responsible_units=[lw.tree.qiaotouhe])
        services.progress_add(actor=lw.leader, item=item, progress="进展")
    with django_assert_max_num_queries(12):
        assert client.get(f"/api/v1/ledgers/{lw.ledger.pk}/items/").status_code == 200


def test_evidence_of_the_wrong_type_is_refused(lw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = services.item_create(actor=lw.office, ledger=lw.ledger, problem="x", lead_leaders=[lw.leader_person])
    bad = SimpleUploadedFile("x.pdf", b"MZ" + PDF, content_type="application/pdf")
    response = api(lw.leader).post(f"/api/v1/items/{item.pk}/evidence/", {"file": bad}, format="multipart")
    assert response.status_code == 400 and "类型不允许" in response.json()["detail"]
