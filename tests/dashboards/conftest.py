import pytest


@pytest.fixture
def world(world):
    """The shared world plus the default request categories."""
    from tests.cases.factories import ensure_categories

    ensure_categories()
    return world
