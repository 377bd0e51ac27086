"""Route × role rows of the ledger screens (see tests/route_types.py for the Route fields).

Every role is held at 涟源市. A side (see tests/test_route_table.py) has a 领导班子 ledger with an
item in progress and its pending closing request, an item ready to be closed and a closed one;
their lead leader is the 责任领导 login's person. A form is posted with the fields the view
expects, so the roles that may act are redirected after success (302), the roles that read the
item but may not act get 403, and everybody else 404.
"""

from huitoukan.access.models import Role
from huitoukan.ledgers.layouts import LedgerKind
from tests.route_types import EDITORS, REOPENERS, VERIFIERS, WORK_READERS, Route, unit_path

REPORTERS = EDITORS | {Role.RESPONSIBLE_LEADER}


def _item_form(s) -> dict:
    return {"problem": "调查研究不深入", "measures": "每季度蹲点调研", "deadline_mode": "long_term",
            "subject": "team", "lead_leaders": [s.leader.pk]}


def _opened(s, response) -> bool:
    """新建台账 lands on the ledger it opened (a refused form lands back on the list)."""
    return response["Location"].startswith("/ledgers/") and response["Location"].rstrip("/").split("/")[-1].isdigit()


SCREEN_ROUTES: dict = {
    ("ledger-list", "GET"): Route(lambda s: f"/ledgers/?unit={s.county.pk}", WORK_READERS),
    ("ledger-tree", "GET"): Route(unit_path("/ledgers/tree/?node={i}"), WORK_READERS),
    ("ledger-open", "POST"): Route(lambda s: "/ledgers/open/", EDITORS, readers=WORK_READERS, ok_status=302,
                                   body=lambda s: {"campaign": s.campaign.pk, "unit": s.county.pk,
                                                   "kind": LedgerKind.INSTITUTION},
                                   done=_opened),
    ("ledger-detail", "GET"): Route(lambda s: f"/ledgers/{s.ledger.pk}/", WORK_READERS),
    ("ledger-as-of", "GET"): Route(lambda s: f"/ledgers/{s.ledger.pk}/as-of/?day=2015-01-20", WORK_READERS),
    ("item-create", "GET"): Route(lambda s: f"/ledgers/{s.ledger.pk}/items/new/", EDITORS, readers=WORK_READERS),
    ("item-create", "POST"): Route(lambda s: f"/ledgers/{s.ledger.pk}/items/new/", EDITORS, readers=WORK_READERS,
                                   ok_status=302, body=_item_form),
    ("item-detail", "GET"): Route(lambda s: f"/ledgers/items/{s.item.pk}/", WORK_READERS),
    ("item-edit", "GET"): Route(lambda s: f"/ledgers/items/{s.item.pk}/edit/", EDITORS, readers=WORK_READERS),
    ("item-edit", "POST"): Route(lambda s: f"/ledgers/items/{s.item.pk}/edit/", EDITORS, readers=WORK_READERS,
                                 ok_status=302, body=_item_form),
    # The lead leader reports; an editor reports on the leader's behalf (代填), naming the leader.
    ("item-progress", "POST"): Route(
        lambda s: f"/ledgers/items/{s.item.pk}/progress/", REPORTERS, readers=WORK_READERS, ok_status=302,
        body=lambda s: {"progress": "已压缩会议8个", "next_steps": "继续压缩", "status_after": "in_progress",
                        "reported_on": "2015-01-20", "leader": s.leader.pk}),
    ("item-closing-request", "POST"): Route(
        lambda s: f"/ledgers/items/{s.closable.pk}/closing/", frozenset({Role.RESPONSIBLE_LEADER}),
        readers=WORK_READERS, ok_status=302, body=lambda s: {"summary": "已按措施整改完毕"}),
    ("item-send-back", "POST"): Route(lambda s: f"/ledgers/items/{s.item.pk}/send-back/", REOPENERS,
                                      readers=WORK_READERS, ok_status=302,
                                      body=lambda s: {"reason": "整改不到位，会议仍然偏多", "due_on": "2015-06-30"}),
    ("item-relapse", "POST"): Route(lambda s: f"/ledgers/items/{s.closed.pk}/relapse/", REOPENERS,
                                    readers=WORK_READERS, ok_status=302,
                                    body=lambda s: {"reason": "公款吃喝问题再次出现"}),
    # One form, two decisions: each is a cell of its own.
    ("closing-decide", "POST"): Route(
        lambda s: f"/ledgers/closings/{s.closing.pk}/decide/", VERIFIERS, readers=WORK_READERS, ok_status=302,
        body={"verify": lambda s: {"decision": "verify", "note": "佐证材料齐全"},
              "return": lambda s: {"decision": "return", "note": "佐证材料不足"}}),
    ("evidence-download", "GET"): Route(lambda s: f"/ledgers/evidence/{s.evidence.pk}/", WORK_READERS),
    ("my-items", "GET"): Route(lambda s: "/ledgers/my-items/", WORK_READERS, out=False),
    ("overdue-items", "GET"): Route(lambda s: "/ledgers/overdue/", WORK_READERS, out=False),
    # 事项查询 of a unit's subtree, filtered: overdue items of the side's county.
    ("subtree-items", "GET"): Route(
        lambda s: f"/ledgers/items/?unit={s.county.pk}&overdue=on&kind=leadership", WORK_READERS),
}
