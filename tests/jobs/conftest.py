import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploads and results of jobs go to a private folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
