import pytest


@pytest.fixture
def world(world):
    """The shared world plus the default categories (a transactional test's flush drops them)."""
    from tests.cases.factories import ensure_categories

    ensure_categories()
    return world


@pytest.fixture(autouse=True)
def _fresh_model_cache():
    """Each test sees the model its own database holds (the loaded one is cached per process)."""
    from lianxin.triage import selectors

    selectors._loaded.clear()
    yield
    selectors._loaded.clear()
