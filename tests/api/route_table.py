"""The API's rows of the route × role table (tests/test_route_table.py walks them).

Every role is held at 涟源市; a row's path and body are built from the in-scope side (under
涟源市) or the out-of-scope one (under 娄星区). A write carries a body the endpoint accepts, so
the allowed roles succeed (200/201/204) and a refusal is a refusal, never a 400: 403 to whoever
may read the target, 404 to everybody else. An anonymous caller gets 401/403.
"""

from __future__ import annotations

from huitoukan.access.models import Role
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.orgs.models import UnitKind, UnitLevel
from tests.ledgers.conftest import pdf
from tests.route_types import (
    ALL_ROLES,
    BUSINESS,
    EDITORS,
    LOGGED_IN,
    PEOPLE_KEEPERS,
    REOPENERS,
    ROLE_READERS,
    UNIT_READERS,
    VERIFIERS,
    WORK_READERS,
    Route,
    unit_path,
)

SYSTEM_ADMIN = frozenset({Role.SYSTEM_ADMIN})
SECURITY_ADMIN = frozenset({Role.SECURITY_ADMIN})
# 填报进展 and evidence: the item's lead leader (the 责任领导 login), or an editor on the leader's behalf (代填).
REPORTERS = EDITORS | {Role.RESPONSIBLE_LEADER}


def _api(pattern):
    return lambda s, p=pattern: "/api/v1/" + p.format(s=s)


API_ROUTES: dict[tuple[str, str], Route] = {
    ("api-not-found", "GET"): Route(lambda s: "/api/nothing/", frozenset(ALL_ROLES), public=True, ok_status=404,
                                    api=True, out=False),
    ("api-schema", "GET"): Route(_api("schema/"), LOGGED_IN, api=True, out=False),
    ("api-docs", "GET"): Route(_api("docs/"), LOGGED_IN, api=True, out=False),
    # Anyone may exchange a login for a token: a right password succeeds whoever is calling.
    ("api-token", "POST"): Route(_api("auth/token/"), frozenset(ALL_ROLES), public=True, api=True, out=False,
                                 body=lambda s: {"username": s.grantee, "password": s.password}),
    ("api-token-revoke", "POST"): Route(_api("auth/token/revoke/"), LOGGED_IN, ok_status=204, api=True, out=False),
    ("api-me", "GET"): Route(_api("me/"), LOGGED_IN, api=True, out=False),
    # --- units ---
    ("api-unit-list", "GET"): Route(_api("units/?under={s.unit.pk}"), UNIT_READERS, api=True),
    ("api-unit-list", "POST"): Route(
        _api("units/"), SYSTEM_ADMIN, readers=UNIT_READERS, ok_status=201, api=True,
        body=lambda s: {"parent": s.unit.pk, "name": "新建村", "level": UnitLevel.VILLAGE,
                        "kind": UnitKind.GRASSROOTS}),
    ("api-unit-detail", "GET"): Route(unit_path("/api/v1/units/{i}/"), UNIT_READERS, api=True),
    ("api-unit-detail", "PATCH"): Route(unit_path("/api/v1/units/{i}/"), SYSTEM_ADMIN, readers=UNIT_READERS,
                                        api=True, body=lambda s: {"established_on": "2013-07-01"}),
    ("api-unit-children", "GET"): Route(unit_path("/api/v1/units/{i}/children/"), UNIT_READERS, api=True),
    ("api-unit-move", "POST"): Route(_api("units/{s.village.pk}/move/"), SYSTEM_ADMIN, readers=UNIT_READERS,
                                     api=True, body=lambda s: {"new_parent": s.township.pk}),
    ("api-unit-abolish", "POST"): Route(_api("units/{s.village.pk}/abolish/"), SYSTEM_ADMIN, readers=UNIT_READERS,
                                        api=True, body=lambda s: {"on": "2015-01-01"}),
    # --- people and groups ---
    ("api-person-list", "GET"): Route(_api("people/?unit={s.unit.pk}"), UNIT_READERS, api=True),
    ("api-person-list", "POST"): Route(_api("people/"), PEOPLE_KEEPERS, readers=UNIT_READERS, ok_status=201, api=True,
                                       body=lambda s: {"unit": s.unit.pk, "name": "李明", "position": "副镇长"}),
    ("api-person-detail", "GET"): Route(_api("people/{s.person.pk}/"), UNIT_READERS, api=True),
    ("api-person-detail", "PATCH"): Route(_api("people/{s.person.pk}/"), PEOPLE_KEEPERS, readers=UNIT_READERS,
                                          api=True, body=lambda s: {"position": "镇长"}),
    ("api-group-list", "GET"): Route(_api("groups/"), UNIT_READERS, api=True, out=False),
    ("api-group-detail", "GET"): Route(_api("groups/{s.group.pk}/"), UNIT_READERS, api=True),
    # --- role assignments: granted and revoked by the 安全管理员, read by whoever reads grants ---
    ("api-role-assignment-list", "GET"): Route(_api("role-assignments/"), ROLE_READERS, api=True, out=False),
    ("api-role-assignment-list", "POST"): Route(
        _api("role-assignments/"), SECURITY_ADMIN, readers=ROLE_READERS, ok_status=201, api=True,
        body=lambda s: {"username": s.grantee, "role": Role.DISCIPLINE, "unit": s.unit.pk}),
    ("api-role-assignment-detail", "DELETE"): Route(_api("role-assignments/{s.assignment.pk}/"), SECURITY_ADMIN,
                                                    readers=ROLE_READERS, ok_status=204, api=True),
    # --- campaigns ---
    ("api-campaign-list", "GET"): Route(_api("campaigns/"), BUSINESS, api=True, out=False),
    ("api-campaign-list", "POST"): Route(
        _api("campaigns/"), frozenset({Role.CAMPAIGN_OFFICE}), readers=BUSINESS, ok_status=201, api=True,
        body=lambda s: {"owner_unit": s.county.pk, "name": "回头看（第二轮）", "starts_on": "2015-03-01",
                        "ends_on": "2015-06-30"}),
    ("api-campaign-detail", "GET"): Route(_api("campaigns/{s.campaign.pk}/"), BUSINESS, api=True),
}

LEDGER_API_ROUTES: dict[tuple[str, str], Route] = {
    ("api-ledger-list", "GET"): Route(_api("ledgers/?unit={s.county.pk}"), WORK_READERS, api=True),
    ("api-ledger-list", "POST"): Route(
        _api("ledgers/"), EDITORS, readers=WORK_READERS, ok_status=201, api=True,
        body=lambda s: {"campaign": s.campaign.pk, "unit": s.county.pk, "kind": LedgerKind.INSTITUTION}),
    ("api-ledger-detail", "GET"): Route(_api("ledgers/{s.ledger.pk}/"), WORK_READERS, api=True),
    ("api-ledger-items", "GET"): Route(_api("ledgers/{s.ledger.pk}/items/"), WORK_READERS, api=True),
    ("api-ledger-items", "POST"): Route(
        _api("ledgers/{s.ledger.pk}/items/"), EDITORS, readers=WORK_READERS, ok_status=201, api=True,
        body=lambda s: {"problem": "调查研究不深入", "measures": "每季度蹲点调研", "deadline_mode": "long_term",
                        "lead_leaders": [s.leader.pk]}),
    ("api-item-detail", "GET"): Route(_api("items/{s.item.pk}/"), WORK_READERS, api=True),
    ("api-item-detail", "PATCH"): Route(_api("items/{s.item.pk}/"), EDITORS, readers=WORK_READERS, api=True,
                                        body=lambda s: {"measures": "精简会议文件，压缩会议数量"}),
    ("api-item-progress", "GET"): Route(_api("items/{s.item.pk}/progress/"), WORK_READERS, api=True),
    ("api-item-progress", "POST"): Route(
        _api("items/{s.item.pk}/progress/"), REPORTERS, readers=WORK_READERS, ok_status=201, api=True,
        body=lambda s: {"progress": "已压缩会议8个", "reported_on": "2015-01-20", "leader": s.leader.pk}),
    ("api-item-evidence", "POST"): Route(
        _api("items/{s.item.pk}/evidence/"), REPORTERS, readers=WORK_READERS, ok_status=201, api=True,
        multipart=True, body=lambda s: {"file": pdf("会议台账.pdf")}),
    # 申请销号 is the lead leader's own act: the office may report for a leader, not ask to close for them.
    ("api-item-closing", "POST"): Route(_api("items/{s.closable.pk}/closing/"), frozenset({Role.RESPONSIBLE_LEADER}),
                                        readers=WORK_READERS, ok_status=201, api=True,
                                        body=lambda s: {"summary": "已按措施整改完毕"}),
    ("api-item-send-back", "POST"): Route(_api("items/{s.item.pk}/send-back/"), REOPENERS, readers=WORK_READERS,
                                          api=True, body=lambda s: {"reason": "整改不到位，会议仍然偏多"}),
    ("api-item-relapse", "POST"): Route(_api("items/{s.closed.pk}/relapse/"), REOPENERS, readers=WORK_READERS,
                                        api=True, body=lambda s: {"reason": "公款吃喝问题再次出现"}),
    # Decided by someone other than the requester and the lead leaders: so never by the 责任领导 here.
    ("api-closing-verify", "POST"): Route(_api("closings/{s.closing.pk}/verify/"), VERIFIERS, readers=WORK_READERS,
                                          api=True, body=lambda s: {"note": "佐证材料齐全"}),
    ("api-closing-return", "POST"): Route(_api("closings/{s.closing.pk}/return/"), VERIFIERS, readers=WORK_READERS,
                                          api=True, body=lambda s: {"note": "佐证材料不足"}),
    ("api-my-items", "GET"): Route(_api("my-items/"), WORK_READERS, api=True, out=False),
}
API_ROUTES.update(LEDGER_API_ROUTES)
