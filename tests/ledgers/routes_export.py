"""Route × role rows of the ledger exports (see tests/route_types.py for the Route fields)."""

from tests.route_types import WORK_READERS, Route


def _subtree(s) -> str:
    return f"/ledgers/export/?campaign={s.campaign.pk}&unit={s.county.pk}&kind=leadership"


EXPORT_ROUTES: dict = {
    ("ledger-export", "GET"): Route(lambda s: f"/ledgers/{s.ledger.pk}/export/?format=xlsx", WORK_READERS),
    ("ledger-subtree-export", "GET"): Route(_subtree, WORK_READERS),
    # Starts the export as a job and sends the reader to its page.
    ("ledger-subtree-export-job", "POST"): Route(
        lambda s: "/ledgers/export/job/", WORK_READERS, ok_status=302,
        body=lambda s: {"campaign": s.campaign.pk, "unit": s.county.pk, "kind": "leadership"},
        done=lambda s, response: "/jobs/" in response["Location"]),
}
