"""Route × role entries of the ledger export routes (see tests/test_route_table.py for the Route fields)."""

from tests.route_types import BUSINESS, Route


def _subtree(unit_attr: str):
    def path(w):
        unit = getattr(w.tree, unit_attr)
        return f"/ledgers/export/?campaign={w.ledger_in.campaign_id}&unit={unit.pk}&kind=leadership"

    return path


EXPORT_ROUTES: dict = {
    "ledger-export": Route(lambda w: f"/ledgers/{w.ledger_in.pk}/export/?format=xlsx", frozenset(BUSINESS),
                           path_out=lambda w: f"/ledgers/{w.ledger_out.pk}/export/?format=xlsx"),
    "ledger-subtree-export": Route(_subtree("lianyuan"), frozenset(BUSINESS), path_out=_subtree("louxing")),
}
