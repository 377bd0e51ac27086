import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _public_pages_cache_cleared():
    """Public pages are cached under the site's epoch, and a test's epoch rolls back with its transaction: the
    next test may reach the same number with other content. (In a server the epoch only ever moves forward.)"""
    cache.clear()
    yield
    cache.clear()
