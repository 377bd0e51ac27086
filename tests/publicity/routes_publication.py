"""Route × role rows (merged into tests/test_route_table.py)."""

ROUTES: dict = {}
