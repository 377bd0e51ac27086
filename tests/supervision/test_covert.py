"""Sealed 暗访 (issue 13 item 4): the record, its media and its findings are read by its team and the office
that ordered it, and by nobody else: the visited unit, other groups, the group's members outside the team,
the offices above the ordering one and the public get exactly the answer of an absent object, in every page
and endpoint. Every permitted view is in the security log. Released findings reach the visited unit, still
without the inspection, its team or who recorded them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from huitoukan.access import policy
from huitoukan.access.models import Role
from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from huitoukan.orgs import services as org_services
from huitoukan.supervision import services
from huitoukan.supervision.errors import SupervisionError
from huitoukan.supervision.models import Finding, Inspection, InspectionEvidence, InspectionKind
from tests.conftest import user_create
from tests.supervision.conftest import upload

ABSENT = 987654321


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def covert(w):
    """A 暗访 of 涟源市 ordered by 娄底市's office, the group member on the team, with a photo and a finding."""
    inspection = services.inspection_create(
        actor=w.city_office, kind=InspectionKind.COVERT, title="暗访涟源市窗口单位", ordering_unit=w.tree.city,
        group=w.group, team=[w.supervisor], units=[w.tree.lianyuan], starts_on=dt.date(2015, 3, 2),
        record="上午十点到政务中心，窗口人员玩手机。")
    photo = services.evidence_attach(actor=w.supervisor, inspection=inspection, files=[upload()])[0]
    finding = services.finding_record(actor=w.supervisor, inspection=inspection, unit=w.tree.lianyuan,
                                      description="窗口工作人员上班时间玩手机", item=w.items[0],
                                      files=[upload("问题照片.jpg")])
    finding_photo = InspectionEvidence.objects.get(finding=finding)
    return inspection, photo, finding, finding_photo


def _other_group_member(w):
    group = org_services.supervision_group_create(actor=None, dispatched_by=w.tree.city, name="市委第五督导组",
                                                  assigned_units=[w.tree.lianyuan])
    return user_create(Role.SUPERVISOR, w.tree.lianyuan, group=group, username="supervisor5")


def _reads(inspection, photo, finding, finding_photo):
    i, f = inspection.pk, finding.pk
    return [
        ("get", f"/supervision/inspections/{i}/", None),
        ("get", f"/supervision/inspections/{i}/edit/", None),
        ("post", f"/supervision/inspections/{i}/complete/", {"record": "x"}),
        ("post", f"/supervision/inspections/{i}/release/", {}),
        ("post", f"/supervision/inspections/{i}/evidence/", {}),
        ("get", f"/supervision/evidence/{photo.pk}/", None),
        ("get", f"/supervision/evidence/{finding_photo.pk}/", None),
        ("get", f"/supervision/findings/new/?inspection={i}", None),
        ("get", f"/supervision/findings/{f}/", None),
        ("post", f"/supervision/findings/{f}/answer/", {"answer": "已整改"}),
        ("post", f"/supervision/findings/{f}/close/", {"note": ""}),
        ("post", f"/supervision/findings/{f}/to-item/", {"ledger": "1"}),
        ("post", f"/supervision/findings/{f}/send-back/", {"reason": "x"}),
        ("get", f"/api/v1/supervision/inspections/{i}/", None),
        ("put", f"/api/v1/supervision/inspections/{i}/", {}),
        ("post", f"/api/v1/supervision/inspections/{i}/complete/", {}),
        ("post", f"/api/v1/supervision/inspections/{i}/release/", {}),
        ("get", f"/api/v1/supervision/inspections/{i}/evidence/", None),
        ("post", f"/api/v1/supervision/inspections/{i}/evidence/", {}),
        ("get", f"/api/v1/supervision/findings/{f}/", None),
        ("post", f"/api/v1/supervision/findings/{f}/answer/", {"answer": "已整改"}),
        ("post", f"/api/v1/supervision/findings/{f}/close/", {}),
        ("post", f"/api/v1/supervision/findings/{f}/to-item/", {"ledger": 1}),
        ("post", f"/api/v1/supervision/findings/{f}/send-back/", {"reason": "x"}),
    ]


def _absent(path: str, *pks: int) -> str:
    for pk in pks:
        path = path.replace(f"/{pk}/", f"/{ABSENT}/").replace(f"={pk}", f"={ABSENT}")
    return path


def _call(client, method, path, body):
    if path.startswith("/api/") and body is not None:
        return getattr(client, method)(path, body, content_type="application/json")
    return getattr(client, method)(path, body or {})


def test_a_sealed_covert_record_is_not_found_for_everyone_but_its_side(w, covert):
    inspection, photo, finding, finding_photo = covert
    outsiders = {"visited office": w.office, "visited head": w.head, "visited filler": w.filler,
                 "group member off the team": w.other_supervisor, "another group": _other_group_member(w),
                 "another county": w.outsider, "the township below": w.township_office}
    logged = SecurityEvent.objects.filter(kind=SecurityEventKind.COVERT_VIEW).count()
    pks = (inspection.pk, photo.pk, finding.pk, finding_photo.pk)
    for who, user in outsiders.items():
        client = _client(user)
        for method, path, body in _reads(*covert):
            got = _call(client, method, path, body)
            absent = _call(client, method, _absent(path, *pks), body)
            assert (got.status_code, got.content) == (absent.status_code, absent.content), (who, method, path)
            assert got.status_code == 404, (who, method, path, got.status_code)
    # the public: the same answer as for an absent object (a sign-in redirect, or the API's refusal)
    for method, path, body in _reads(*covert):
        got, absent = _call(_client(), method, path, body), _call(_client(), method, _absent(path, *pks), body)
        assert got.status_code == absent.status_code and got.status_code in (302, 401, 403), (method, path)
        if path.startswith("/api/"):
            assert got.content == absent.content
    # refusals are not views of the record
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.COVERT_VIEW).count() == logged


def test_an_office_above_the_ordering_one_does_not_read_a_covert_record(w):
    inspection = services.inspection_create(
        actor=w.office, kind=InspectionKind.COVERT, title="暗访桥头河镇", ordering_unit=w.tree.lianyuan,
        units=[w.tree.qiaotouhe], starts_on=dt.date(2015, 3, 2))
    finding = services.finding_record(actor=w.office, inspection=inspection, unit=w.tree.qiaotouhe,
                                      description="村务公开栏内容过期")
    for user in (w.city_office, w.township_office):
        client = _client(user)
        for path in (f"/supervision/inspections/{inspection.pk}/", f"/supervision/findings/{finding.pk}/",
                     f"/api/v1/supervision/findings/{finding.pk}/"):
            got, absent = client.get(path), client.get(_absent(path, inspection.pk, finding.pk))
            assert (got.status_code, got.content) == (absent.status_code, absent.content) and got.status_code == 404
        for path in ("/supervision/inspections/", "/api/v1/supervision/inspections/", "/supervision/",
                     f"/supervision/units/{w.tree.qiaotouhe.pk}/findings/"):
            assert "暗访桥头河镇" not in client.get(path).content.decode() or path.endswith("findings/")
            assert "村务公开栏内容过期" not in client.get(path).content.decode()
    assert _client(w.office).get(f"/supervision/inspections/{inspection.pk}/").status_code == 200


def test_sealed_records_stay_out_of_every_list(w, covert):
    inspection, _photo, finding, _ = covert
    for user in (w.office, w.head, w.other_supervisor, w.township_office):
        client = _client(user)
        pages = [client.get("/supervision/").content.decode(),
                 client.get("/supervision/inspections/").content.decode(),
                 client.get(f"/supervision/units/{w.tree.lianyuan.pk}/findings/").content.decode(),
                 client.get("/api/v1/supervision/inspections/").content.decode(),
                 client.get("/api/v1/supervision/work-list/").content.decode(),
                 client.get(f"/api/v1/supervision/units/{w.tree.lianyuan.pk}/findings/").content.decode()]
        for page in pages:
            assert "暗访涟源市窗口单位" not in page and "窗口工作人员上班时间玩手机" not in page, user


def test_each_permitted_view_is_logged(w, covert):
    inspection, photo, finding, _ = covert
    events = SecurityEvent.objects.filter(kind=SecurityEventKind.COVERT_VIEW)
    before = events.count()
    for user in (w.supervisor, w.city_office):
        client = _client(user)
        assert client.get(f"/supervision/inspections/{inspection.pk}/").status_code == 200
        assert client.get(f"/api/v1/supervision/findings/{finding.pk}/").status_code == 200
        assert client.get(f"/supervision/evidence/{photo.pk}/").status_code == 200
        assert "暗访涟源市窗口单位" in client.get("/supervision/inspections/").content.decode()
    assert events.count() == before + 8
    last = events.order_by("-id").first()
    assert last.user == w.city_office and last.detail["inspections"] == [inspection.pk]


def test_released_findings_reach_the_visited_unit_without_who_visited(w, covert):
    inspection, photo, finding, finding_photo = covert
    office = _client(w.office)
    with pytest.raises(SupervisionError):  # sealed: not into the ledger yet
        services.finding_to_item(actor=w.city_office, finding=finding, ledger=w.ledger)
    # the office that ordered it releases the findings
    response = _client(w.city_office).post(f"/supervision/inspections/{inspection.pk}/release/", {"on": ""})
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.released_by == w.city_office and inspection.history.first().released_at is not None
    # the visited unit's office reads and answers the finding, with its photo ...
    page = office.get(f"/supervision/findings/{finding.pk}/").content.decode()
    assert "窗口工作人员上班时间玩手机" in page and "暗访涟源市窗口单位" not in page
    assert office.get(f"/supervision/evidence/{finding_photo.pk}/").status_code == 200
    data = office.get(f"/api/v1/supervision/findings/{finding.pk}/").json()
    assert data["inspection_id"] is None and data["recorded_by_id"] is None
    assert office.post(f"/supervision/findings/{finding.pk}/answer/", {"answer": "已约谈窗口负责人"}).status_code == 302
    # ... but never the record, its team or its media
    for path in (f"/supervision/inspections/{inspection.pk}/", f"/supervision/evidence/{photo.pk}/",
                 f"/api/v1/supervision/inspections/{inspection.pk}/"):
        assert office.get(path).status_code == 404
    # only the office puts it into the ledger (the item's history would name a team member)
    with pytest.raises(SupervisionError, match="组织暗访的活动办"):
        services.finding_to_item(actor=w.supervisor, finding=finding, ledger=w.ledger)
    item = services.finding_to_item(actor=w.city_office, finding=finding, ledger=w.ledger)
    assert Finding.objects.get(pk=finding.pk).linked_item == item


def test_a_release_date_unseals_the_findings_on_that_day(w, covert, monkeypatch):
    inspection, _photo, finding, _ = covert
    today = timezone.localdate()
    with pytest.raises(SupervisionError, match="解密日期须晚于今天"):
        services.inspection_release(actor=w.city_office, inspection=inspection, on=today)
    with pytest.raises(policy.Forbidden):  # the team does not release
        services.inspection_release(actor=w.supervisor, inspection=inspection, on=today + dt.timedelta(days=3))
    services.inspection_release(actor=w.city_office, inspection=inspection, on=today + dt.timedelta(days=3))
    office = _client(w.office)
    assert office.get(f"/supervision/findings/{finding.pk}/").status_code == 404
    later = today + dt.timedelta(days=3)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later)
    assert office.get(f"/supervision/findings/{finding.pk}/").status_code == 200
    assert "窗口工作人员上班时间玩手机" in office.get(
        f"/supervision/units/{w.tree.lianyuan.pk}/findings/").content.decode()
    assert Inspection.objects.get(pk=inspection.pk).released_at is None


def test_only_a_covert_visit_is_sealed(w):
    inspection = services.inspection_create(
        actor=w.city_office, kind=InspectionKind.OPEN, title="明察", ordering_unit=w.tree.city,
        units=[w.tree.lianyuan], starts_on=dt.date(2015, 3, 2), sealed_until=dt.date(2015, 4, 1))
    assert inspection.sealed_until is None and not inspection.is_sealed(dt.date(2015, 3, 3))
    with pytest.raises(SupervisionError, match="只有暗访"):
        services.inspection_release(actor=w.city_office, inspection=inspection)


def test_sealed_findings_are_counted_apart_until_released(w, covert):
    """The 汇总 never counts a sealed 暗访's finding (the unit would learn of the visit): it moves to its state
    when the office releases it, or when the nightly task finds its 解密日期 has come."""
    from huitoukan.orgs import totals as unit_totals
    from huitoukan.supervision import selectors

    inspection, _photo, finding, _ = covert
    lianyuan = w.tree.lianyuan
    assert selectors.open_findings_by_unit([lianyuan])[lianyuan.pk]["open"] == 0
    assert unit_totals.work_kept(selectors.FINDINGS_TOPIC) == selectors.findings_recount()
    services.inspection_release(actor=w.city_office, inspection=inspection)
    assert selectors.open_findings_by_unit([lianyuan])[lianyuan.pk]["open"] == 1
    assert Finding.objects.get(pk=finding.pk).answer_due_on == timezone.localdate() + dt.timedelta(days=7)
    # by date: a second 暗访, its date come
    later = services.inspection_create(
        actor=w.city_office, kind=InspectionKind.COVERT, title="暗访二", ordering_unit=w.tree.city,
        units=[lianyuan], starts_on=dt.date(2015, 3, 2), sealed_until=dt.date(2015, 3, 9))
    services.finding_record(actor=w.city_office, inspection=later, unit=lianyuan, description="文山会海")
    assert selectors.open_findings_by_unit([lianyuan])[lianyuan.pk]["open"] == 1
    assert services.covert_releases_due(today=dt.date(2015, 3, 9)) == 1
    assert selectors.open_findings_by_unit([lianyuan])[lianyuan.pk]["open"] == 2
    assert unit_totals.work_kept(selectors.FINDINGS_TOPIC) == selectors.findings_recount()


def test_a_covert_visit_is_ordered_by_the_office_itself_of_units_below_it(w):
    with pytest.raises(SupervisionError, match="下级单位"):
        services.inspection_create(actor=w.office, kind=InspectionKind.COVERT, title="暗访",
                                   ordering_unit=w.tree.lianyuan, units=[w.tree.lianyuan],
                                   starts_on=dt.date(2015, 3, 2))
    with pytest.raises(SupervisionError, match="本单位的活动办"):  # the city office over 涟源市, not at it
        services.inspection_create(actor=w.city_office, kind=InspectionKind.COVERT, title="暗访",
                                   ordering_unit=w.tree.lianyuan, units=[w.tree.qiaotouhe],
                                   starts_on=dt.date(2015, 3, 2))
    open_visit = services.inspection_create(actor=w.city_office, kind=InspectionKind.OPEN, title="明察",
                                            ordering_unit=w.tree.city, units=[w.tree.lianyuan],
                                            starts_on=dt.date(2015, 3, 2))
    with pytest.raises(SupervisionError, match="不能改为"):  # what readers saw is not sealed afterwards
        services.inspection_update(actor=w.city_office, inspection=open_visit, kind=InspectionKind.COVERT,
                                   title="明察", units=[w.tree.lianyuan], starts_on=dt.date(2015, 3, 2))


def test_an_edit_through_the_api_leaves_the_seal_date_alone(w, covert):
    inspection = covert[0]
    services.inspection_release(actor=w.city_office, inspection=inspection,
                                on=timezone.localdate() + dt.timedelta(days=5))
    client = _client(w.city_office)
    response = client.put(f"/api/v1/supervision/inspections/{inspection.pk}/", {
        "kind": InspectionKind.COVERT, "title": "暗访涟源市窗口单位（改）", "units": [w.tree.lianyuan.pk],
        "team": ["supervisor2"], "starts_on": "2015-03-02"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert Inspection.objects.get(pk=inspection.pk).sealed_until == timezone.localdate() + dt.timedelta(days=5)
