import pytest


@pytest.fixture
def world(world):
    """The shared world plus the default categories (a transactional test's flush drops them)."""
    from tests.cases.factories import ensure_categories

    ensure_categories()
    return world
