"""Route × role rows of the spot checks (merged into tests/test_route_table.py)."""

from tests.route_types import Route

ROUTES: dict[tuple[str, str], Route] = {}
