"""Route × role rows of 督查督办 (merged into tests/test_route_table.py).

Each side gets an inspection (明察) ordered by its county (涟源市 / 娄星区) of the county itself, with a photo;
"in", its team is the table's 督导组 member (市委第二督导组, assigned 涟源市); and a finding of the county
about the side's item in progress (`closable`), for its office to answer and the inspection side to close,
put into the ledger or send back. Every role of the table is held at 涟源市: its office orders, records and
answers; the group member records, closes and sends back but may not write the ledger (转为台账问题: 403).
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from huitoukan.access.models import Role
from huitoukan.ledgers.models import Item
from huitoukan.supervision import services
from huitoukan.supervision.models import (
    Finding,
    FindingState,
    Inspection,
    InspectionEvidence,
    InspectionKind,
    InspectionState,
    LinkKind,
    Method,
)
from tests.conftest import user_create
from tests.route_types import BUSINESS, SIDE_BUILDERS, Route

OFFICE = frozenset({Role.CAMPAIGN_OFFICE})
RECORDERS = frozenset({Role.CAMPAIGN_OFFICE, Role.SUPERVISOR})
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 32
TITLE = "涟源市作风建设明察"


def _photo():
    return SimpleUploadedFile("现场照片.jpg", JPEG, content_type="image/jpeg")


def _build(inn, out, users, tree):
    office_out = user_create(Role.CAMPAIGN_OFFICE, out.county, username="inspection_office_out")
    for side, office, team in ((inn, users[Role.CAMPAIGN_OFFICE], [users[Role.SUPERVISOR]]), (out, office_out, [])):
        side.inspection = services.inspection_create(
            actor=office, kind=InspectionKind.OPEN, title="督查" + side.county.name, ordering_unit=side.county,
            group=side.group, team=team, units=[side.county], starts_on=dt.date(2015, 3, 2),
            methods=[Method.BRIEFING, Method.RECORDS])
        side.inspection_evidence = services.evidence_attach(actor=office, inspection=side.inspection,
                                                            files=[_photo()])[0]
        side.finding = services.finding_record(actor=office, inspection=side.inspection, unit=side.county,
                                               item=side.closable, description="会议仍然偏多")
        # A sealed 暗访 of the county's township by the county's office: the team reads it, only the office
        # releases it.
        side.covert = services.inspection_create(
            actor=office, kind=InspectionKind.COVERT, title="暗访" + side.unit.name, ordering_unit=side.county,
            team=team, units=[side.unit], starts_on=dt.date(2015, 3, 2))


SIDE_BUILDERS.append(_build)


def _inspection_body(s) -> dict:
    return {"kind": InspectionKind.OPEN, "title": TITLE, "units": [s.county.pk], "starts_on": "2015-03-02",
            "methods": [Method.SITE], "team": "", "record": ""}


def _ordered(s, response) -> bool:
    return Inspection.objects.filter(title=TITLE).exists()


def _edited(s, response) -> bool:
    return Inspection.objects.get(pk=s.inspection.pk).title == TITLE


def _completed(s, response) -> bool:
    return Inspection.objects.get(pk=s.inspection.pk).state == InspectionState.DONE


def _uploaded(s, response) -> bool:
    return InspectionEvidence.objects.filter(inspection=s.inspection).count() == 2


def _recorded(s, response) -> bool:
    return Finding.objects.filter(description="台账填报不规范").exists()


def _answered(s, response) -> bool:
    return Finding.objects.get(pk=s.finding.pk).state == FindingState.ANSWERED


def _closed(s, response) -> bool:
    return Finding.objects.get(pk=s.finding.pk).state == FindingState.CLOSED


def _to_item(s, response) -> bool:
    finding = Finding.objects.get(pk=s.finding.pk)
    return finding.link_kind == LinkKind.CREATED and Item.objects.filter(pk=finding.linked_item_id).exists()


def _sent_back(s, response) -> bool:
    return Finding.objects.get(pk=s.finding.pk).link_kind == LinkKind.SENT_BACK


def _released(s, response) -> bool:
    return Inspection.objects.get(pk=s.covert.pk).released_at is not None


def _finding_body(s) -> dict:
    return {"unit": s.county.pk, "description": "台账填报不规范", "severity": "general"}


ROUTES: dict = {
    ("supervision-index", "GET"): Route(lambda s: "/supervision/", BUSINESS, out=False),
    ("inspection-list", "GET"): Route(lambda s: "/supervision/inspections/", BUSINESS, out=False),
    ("inspection-create", "GET"): Route(lambda s: f"/supervision/inspections/new/?unit={s.county.pk}", OFFICE,
                                        readers=BUSINESS),
    ("inspection-create", "POST"): Route(lambda s: f"/supervision/inspections/new/?unit={s.county.pk}", OFFICE,
                                         readers=BUSINESS, ok_status=302, body=_inspection_body, done=_ordered),
    ("inspection-detail", "GET"): Route(lambda s: f"/supervision/inspections/{s.inspection.pk}/", BUSINESS),
    ("inspection-edit", "GET"): Route(lambda s: f"/supervision/inspections/{s.inspection.pk}/edit/", OFFICE,
                                      readers=BUSINESS),
    ("inspection-edit", "POST"): Route(
        lambda s: f"/supervision/inspections/{s.inspection.pk}/edit/", OFFICE, readers=BUSINESS, ok_status=302,
        body=lambda s: {**_inspection_body(s), "state": InspectionState.ONGOING}, done=_edited),
    ("inspection-complete", "POST"): Route(
        lambda s: f"/supervision/inspections/{s.inspection.pk}/complete/", RECORDERS, readers=BUSINESS,
        ok_status=302, body=lambda s: {"record": "听取汇报，查阅资料"}, done=_completed),
    ("inspection-evidence", "POST"): Route(
        lambda s: f"/supervision/inspections/{s.inspection.pk}/evidence/", RECORDERS, readers=BUSINESS,
        ok_status=302, body=lambda s: {"files": _photo()}, done=_uploaded),
    # A 暗访 is read by its team and its office only: anyone else gets 404, the team member 403.
    ("inspection-release", "POST"): Route(
        lambda s: f"/supervision/inspections/{s.covert.pk}/release/", OFFICE, readers=frozenset({Role.SUPERVISOR}),
        ok_status=302, body=lambda s: {"on": ""}, done=_released),
    ("inspection-evidence-download", "GET"): Route(
        lambda s: f"/supervision/evidence/{s.inspection_evidence.pk}/", BUSINESS),
    ("finding-create", "GET"): Route(lambda s: f"/supervision/findings/new/?inspection={s.inspection.pk}",
                                     RECORDERS, readers=BUSINESS),
    ("finding-create", "POST"): Route(
        lambda s: f"/supervision/findings/new/?inspection={s.inspection.pk}", RECORDERS, readers=BUSINESS,
        ok_status=302, body=_finding_body, done=_recorded),
    ("finding-detail", "GET"): Route(lambda s: f"/supervision/findings/{s.finding.pk}/", BUSINESS),
    # The inspected unit's own office answers; the group and the head read it but may not.
    ("finding-answer", "POST"): Route(
        lambda s: f"/supervision/findings/{s.finding.pk}/answer/", OFFICE, readers=BUSINESS, ok_status=302,
        body=lambda s: {"answer": "已压缩会议"}, done=_answered),
    ("finding-close", "POST"): Route(
        lambda s: f"/supervision/findings/{s.finding.pk}/close/", RECORDERS, readers=BUSINESS, ok_status=302,
        body=lambda s: {"note": "整改到位"}, done=_closed),
    # The group points out; the ledger's own rule leaves writing the ledger to the office.
    ("finding-to-item", "POST"): Route(
        lambda s: f"/supervision/findings/{s.finding.pk}/to-item/", OFFICE, readers=BUSINESS, ok_status=302,
        body=lambda s: {"ledger": s.ledger.pk, "measures": "压缩会议"}, done=_to_item),
    ("finding-send-back", "POST"): Route(
        lambda s: f"/supervision/findings/{s.finding.pk}/send-back/", RECORDERS, readers=BUSINESS, ok_status=302,
        body=lambda s: {"reason": "整改不到位"}, done=_sent_back),
    ("unit-findings", "GET"): Route(lambda s: f"/supervision/units/{s.county.pk}/findings/", BUSINESS),
}


def _api(pattern: str):
    return lambda s, p=pattern: "/api/v1/supervision/" + p.format(s=s)


def _api_inspection_body(s) -> dict:
    return {**_inspection_body(s), "team": [], "ordering_unit": s.county.pk}


ROUTES.update({
    ("api-supervision-work-list", "GET"): Route(_api("work-list/"), BUSINESS, api=True, out=False),
    ("api-inspections", "GET"): Route(_api("inspections/"), BUSINESS, api=True, out=False),
    ("api-inspections", "POST"): Route(_api("inspections/"), OFFICE, readers=BUSINESS, api=True, ok_status=201,
                                       body=_api_inspection_body, done=_ordered),
    ("api-inspection", "GET"): Route(_api("inspections/{s.inspection.pk}/"), BUSINESS, api=True),
    ("api-inspection", "PUT"): Route(_api("inspections/{s.inspection.pk}/"), OFFICE, readers=BUSINESS, api=True,
                                     body=lambda s: {**_api_inspection_body(s), "state": InspectionState.ONGOING},
                                     done=_edited),
    ("api-inspection-complete", "POST"): Route(_api("inspections/{s.inspection.pk}/complete/"), RECORDERS,
                                               readers=BUSINESS, api=True, body=lambda s: {"record": "听取汇报"},
                                               done=_completed),
    ("api-inspection-release", "POST"): Route(_api("inspections/{s.covert.pk}/release/"), OFFICE,
                                              readers=frozenset({Role.SUPERVISOR}), api=True, body=lambda s: {},
                                              done=_released),
    ("api-inspection-evidence", "GET"): Route(_api("inspections/{s.inspection.pk}/evidence/"), BUSINESS, api=True),
    ("api-inspection-evidence", "POST"): Route(_api("inspections/{s.inspection.pk}/evidence/"), RECORDERS,
                                               readers=BUSINESS, api=True, ok_status=201, multipart=True,
                                               body=lambda s: {"file": _photo()}, done=_uploaded),
    ("api-findings", "POST"): Route(_api("findings/"), RECORDERS, readers=BUSINESS, api=True, ok_status=201,
                                    body=lambda s: {**_finding_body(s), "inspection": s.inspection.pk},
                                    done=_recorded),
    ("api-finding", "GET"): Route(_api("findings/{s.finding.pk}/"), BUSINESS, api=True),
    ("api-finding-answer", "POST"): Route(_api("findings/{s.finding.pk}/answer/"), OFFICE, readers=BUSINESS,
                                          api=True, body=lambda s: {"answer": "已压缩会议"}, done=_answered),
    ("api-finding-close", "POST"): Route(_api("findings/{s.finding.pk}/close/"), RECORDERS, readers=BUSINESS,
                                         api=True, body=lambda s: {"note": "整改到位"}, done=_closed),
    ("api-finding-to-item", "POST"): Route(_api("findings/{s.finding.pk}/to-item/"), OFFICE, readers=BUSINESS,
                                           api=True, body=lambda s: {"ledger": s.ledger.pk}, done=_to_item),
    ("api-finding-send-back", "POST"): Route(_api("findings/{s.finding.pk}/send-back/"), RECORDERS,
                                             readers=BUSINESS, api=True, body=lambda s: {"reason": "整改不到位"},
                                             done=_sent_back),
    ("api-unit-findings", "GET"): Route(_api("units/{s.county.pk}/findings/"), BUSINESS, api=True),
})
