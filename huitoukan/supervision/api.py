"""The app's API endpoints; ENDPOINTS is merged into huitoukan.api_urls."""

# (route under /api/v1/, view class, name)
ENDPOINTS: list = []
