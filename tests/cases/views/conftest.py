import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """The rate limits count in the cache: every view test starts from none."""
    cache.clear()
    yield
    cache.clear()
