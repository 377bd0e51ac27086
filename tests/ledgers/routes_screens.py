"""Route × role entries of the ledger screens (see tests/test_route_table.py for the Route fields).

Every role is held at 涟源市; "in" is 涟源市's 领导班子 ledger, its item and the item's pending closing
request (asked by the no-role user), "out" the same under 娄星区. A POST action is sent empty: the
roles that may act get the item page back with the form's errors (200), everybody else 404. The
item's lead leader (吴海波) has no login, so no role may ask to close it.
"""

from huitoukan.access.models import Role
from huitoukan.ledgers import services
from huitoukan.ledgers.models import Evidence
from tests.ledgers.conftest import PDF, pdf
from tests.route_types import BUSINESS, Route, unit_out, unit_path

EDITORS = frozenset({Role.CAMPAIGN_OFFICE, Role.UNIT_FILLER})
VERIFIERS = frozenset({Role.CAMPAIGN_OFFICE, Role.UNIT_HEAD})
REOPENERS = frozenset({Role.CAMPAIGN_OFFICE, Role.UNIT_HEAD, Role.SUPERVISOR})


def _evidence(item) -> str:
    """A file attached to the item's latest progress entry (stored once, by digest)."""
    evidence = Evidence.objects.filter(item=item).first()
    if evidence is None:
        entry = item.progress.first()
        services.progress_add(actor=None, item=item, progress=entry.progress, leader=entry.leader,
                              files=[pdf("会议台账.pdf", PDF)])
        evidence = Evidence.objects.get(item=item)
    return f"/ledgers/evidence/{evidence.pk}/"


SCREEN_ROUTES: dict = {
    "ledger-list": Route(lambda w: "/ledgers/", frozenset(BUSINESS), path_out=unit_out("/ledgers/?unit={i}")),
    "ledger-tree": Route(unit_path("/ledgers/tree/?node={i}"), frozenset(BUSINESS),
                         path_out=unit_out("/ledgers/tree/?node={i}")),
    "ledger-open": Route(lambda w: "/ledgers/open/", EDITORS, method="post", ok_status=302),
    "ledger-detail": Route(lambda w: f"/ledgers/{w.ledger_in.pk}/", frozenset(BUSINESS),
                           path_out=lambda w: f"/ledgers/{w.ledger_out.pk}/"),
    "item-create": Route(lambda w: f"/ledgers/{w.ledger_in.pk}/items/new/", EDITORS,
                         path_out=lambda w: f"/ledgers/{w.ledger_out.pk}/items/new/"),
    "item-detail": Route(lambda w: f"/ledgers/items/{w.item_in.pk}/", frozenset(BUSINESS),
                         path_out=lambda w: f"/ledgers/items/{w.item_out.pk}/"),
    "item-edit": Route(lambda w: f"/ledgers/items/{w.item_in.pk}/edit/", EDITORS,
                       path_out=lambda w: f"/ledgers/items/{w.item_out.pk}/edit/"),
    "item-progress": Route(lambda w: f"/ledgers/items/{w.item_in.pk}/progress/", EDITORS, method="post",
                           path_out=lambda w: f"/ledgers/items/{w.item_out.pk}/progress/"),
    "item-closing-request": Route(lambda w: f"/ledgers/items/{w.item_in.pk}/closing/", frozenset(), method="post",
                                  path_out=lambda w: f"/ledgers/items/{w.item_out.pk}/closing/"),
    "item-send-back": Route(lambda w: f"/ledgers/items/{w.item_in.pk}/send-back/", REOPENERS, method="post",
                            path_out=lambda w: f"/ledgers/items/{w.item_out.pk}/send-back/"),
    "item-relapse": Route(lambda w: f"/ledgers/items/{w.item_in.pk}/relapse/", REOPENERS, method="post",
                          path_out=lambda w: f"/ledgers/items/{w.item_out.pk}/relapse/"),
    "closing-decide": Route(lambda w: f"/ledgers/closings/{w.closing_in.pk}/decide/", VERIFIERS, method="post",
                            path_out=lambda w: f"/ledgers/closings/{w.closing_out.pk}/decide/"),
    "evidence-download": Route(lambda w: _evidence(w.item_in), frozenset(BUSINESS),
                               path_out=lambda w: _evidence(w.item_out)),
    "my-items": Route(lambda w: "/ledgers/my-items/", frozenset(BUSINESS)),
}
