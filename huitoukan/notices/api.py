"""REST endpoints of huitoukan.notices."""

ENDPOINTS: list = []
