"""Route × role entries of the ledger import routes (see tests/test_route_table.py for the Route fields)."""

IMPORT_ROUTES: dict = {}
