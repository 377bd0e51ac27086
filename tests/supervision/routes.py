"""Route × role rows of the app (merged into tests/test_route_table.py)."""

ROUTES: dict = {}
