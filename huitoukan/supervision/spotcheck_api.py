"""REST endpoints of the spot checks (重点抽查)."""

ENDPOINTS: list = []
