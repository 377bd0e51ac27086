"""Route × role rows of 上下联动 (ledgers.linkage; merged into tests/test_route_table.py).

Each side gets its township's 领导班子 ledger with two items: `linked`, handed up to the county (涟源市 / 娄星区) and
waiting there (待认领), and `unlinked`, not handed anywhere. Every role is held at 涟源市, so the editors there (the
office and the filler, LEDGER_EDIT) may claim or decline it for 涟源市, hand the other item up and claim it from
above (their grant is at 涟源市, above the township), and withdraw `handed_above`, the township's hand-up to the city
(撤回 is the handing side's only: not theirs on a link to 涟源市, where they claim or decline); the other business
roles read the items (403); out of scope, 404.
"""

from __future__ import annotations

from huitoukan.ledgers import linkage
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import ItemLink, LinkState
from tests.route_types import EDITORS, SIDE_BUILDERS, WORK_READERS, Route


def _build(inn, out, users, tree):
    for side in (inn, out):
        ledger = ledger_services.ledger_open(actor=None, campaign=side.campaign, unit=side.unit,
                                             kind=LedgerKind.LEADERSHIP)
        side.linked = ledger_services.item_create(actor=None, ledger=ledger, problem="农村道路安全隐患多",
                                                  lead_leaders=[side.person])
        side.unlinked = ledger_services.item_create(actor=None, ledger=ledger, problem="集镇交通秩序乱",
                                                    lead_leaders=[side.person])
        side.link = linkage.link_hand_up(actor=None, item=side.linked, to_unit=side.county, reason="需县级统筹")
        handed_above = ledger_services.item_create(actor=None, ledger=ledger, problem="乡村学校周边治安差",
                                                   lead_leaders=[side.person])
        side.link_above = linkage.link_hand_up(actor=None, item=handed_above, to_unit=tree.city, reason="需市级统筹")


SIDE_BUILDERS.append(_build)


def _link_state(state, link="link"):
    return lambda s, response: ItemLink.objects.get(pk=getattr(s, link).pk).state == state


def _new_link(state):
    return lambda s, response: ItemLink.objects.filter(item=s.unlinked, state=state).exists()


def _claim(s) -> dict:
    return {"measures": "县里牵头整治", "due_on": "2015-03-31", "lead_leaders": [s.leader.pk]}


def _from_below(s) -> dict:
    return {**_claim(s), "unit": s.county.pk}


def _hand_up(s) -> dict:
    return {"to_unit": s.county.pk, "reason": "需县级统筹"}


ROUTES: dict = {
    ("linkage-index", "GET"): Route(lambda s: "/ledgers/linkage/", WORK_READERS, out=False),
    ("link-hand-up", "POST"): Route(lambda s: f"/ledgers/items/{s.unlinked.pk}/hand-up/", EDITORS,
                                    readers=WORK_READERS, ok_status=302, body=_hand_up,
                                    done=_new_link(LinkState.PENDING)),
    ("link-claim-from-below", "POST"): Route(lambda s: f"/ledgers/items/{s.unlinked.pk}/claim-from-below/", EDITORS,
                                             readers=WORK_READERS, ok_status=302, body=_from_below,
                                             done=_new_link(LinkState.CLAIMED)),
    ("link-withdraw", "POST"): Route(lambda s: f"/ledgers/links/{s.link_above.pk}/withdraw/", EDITORS,
                                     readers=WORK_READERS, ok_status=302, body=lambda s: {},
                                     done=_link_state(LinkState.WITHDRAWN, "link_above")),
    ("link-claim", "POST"): Route(lambda s: f"/ledgers/links/{s.link.pk}/claim/", EDITORS, readers=WORK_READERS,
                                  ok_status=302, body=_claim, done=_link_state(LinkState.CLAIMED)),
    ("link-decline", "POST"): Route(lambda s: f"/ledgers/links/{s.link.pk}/decline/", EDITORS, readers=WORK_READERS,
                                    ok_status=302, body=lambda s: {"reason": "不属县级职责"},
                                    done=_link_state(LinkState.DECLINED)),
    ("api-links", "GET"): Route(lambda s: "/api/v1/links/", WORK_READERS, api=True, out=False),
    ("api-link", "GET"): Route(lambda s: f"/api/v1/links/{s.link.pk}/", WORK_READERS, api=True),
    ("api-item-hand-up", "POST"): Route(lambda s: f"/api/v1/items/{s.unlinked.pk}/hand-up/", EDITORS,
                                        readers=WORK_READERS, api=True, ok_status=201, body=_hand_up,
                                        done=_new_link(LinkState.PENDING)),
    ("api-item-claim-from-below", "POST"): Route(lambda s: f"/api/v1/items/{s.unlinked.pk}/claim-from-below/",
                                                 EDITORS, readers=WORK_READERS, api=True, ok_status=201,
                                                 body=_from_below, done=_new_link(LinkState.CLAIMED)),
    ("api-link-withdraw", "POST"): Route(lambda s: f"/api/v1/links/{s.link_above.pk}/withdraw/", EDITORS,
                                         readers=WORK_READERS, api=True, body=lambda s: {},
                                         done=_link_state(LinkState.WITHDRAWN, "link_above")),
    ("api-link-claim", "POST"): Route(lambda s: f"/api/v1/links/{s.link.pk}/claim/", EDITORS, readers=WORK_READERS,
                                      api=True, body=_claim, done=_link_state(LinkState.CLAIMED)),
    ("api-link-decline", "POST"): Route(lambda s: f"/api/v1/links/{s.link.pk}/decline/", EDITORS,
                                        readers=WORK_READERS, api=True, body=lambda s: {"reason": "不属县级职责"},
                                        done=_link_state(LinkState.DECLINED)),
}
