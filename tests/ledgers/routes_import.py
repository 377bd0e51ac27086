"""Route × role entries of the ledger import routes (see tests/test_route_table.py for the Route fields)."""

from huitoukan.access.models import Role
from tests.route_types import Route

# Importing is editing: 活动办 and 单位填报员 (LEDGER_EDIT). The page opens on a ledger (?ledger=);
# one out of scope answers 404 like an absent one.
IMPORT_ROUTES: dict = {
    "ledger-import": Route(lambda w: f"/ledgers/import/?ledger={w.ledger_in.pk}",
                           frozenset({Role.CAMPAIGN_OFFICE, Role.UNIT_FILLER}),
                           path_out=lambda w: f"/ledgers/import/?ledger={w.ledger_out.pk}"),
}
