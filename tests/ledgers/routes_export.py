"""Route × role entries of the ledger export routes (see tests/test_route_table.py for the Route fields)."""

EXPORT_ROUTES: dict = {}
