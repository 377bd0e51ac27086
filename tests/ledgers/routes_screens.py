"""Route × role entries of the ledger screens routes (see tests/test_route_table.py for the Route fields)."""

SCREEN_ROUTES: dict = {}
