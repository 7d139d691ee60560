from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_calendar(db):
    """Each test starts from the seeded calendar, with no cached copy from another test (whose
    rows were rolled back) and leaves none behind."""
    from lianxin.workdays import calendar
    from lianxin.workdays.seed import ensure_seeded

    ensure_seeded()
    calendar.invalidate(2026, 2027, 2028)
    yield
    calendar.invalidate(2026, 2027, 2028)
