"""Route × role rows of the ledger exports (see tests/route_types.py for the Route fields)."""

from tests.route_types import WORK_READERS, Route


def _subtree(s) -> str:
    return f"/ledgers/export/?campaign={s.campaign.pk}&unit={s.county.pk}&kind=leadership"


EXPORT_ROUTES: dict = {
    ("ledger-export", "GET"): Route(lambda s: f"/ledgers/{s.ledger.pk}/export/?format=xlsx", WORK_READERS),
    ("ledger-subtree-export", "GET"): Route(_subtree, WORK_READERS),
}
