import pytest


@pytest.fixture
def world(world):
    from tests.cases.factories import ensure_categories

    ensure_categories()
    return world
