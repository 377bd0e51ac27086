"""REST endpoints of huitoukan.assessments."""

ENDPOINTS: list = []
