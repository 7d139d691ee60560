"""The inspection trend covers the last twelve calendar months, this one included."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from lianxin.compliance import selectors
from lianxin.compliance.models import Inspection
from tests.clock import SHANGHAI
from tests.compliance import factories as c
from tests.venues import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("today", [date(2027, 1, 15), date(2027, 3, 1), date(2026, 12, 31)])
def test_inspection_trend_is_twelve_months(world, clock, today):
    clock.move_to(datetime(today.year, today.month, today.day, 10, tzinfo=SHANGHAI))
    y, m = divmod(today.year * 12 + today.month - 1 - 11, 12)
    first = date(y, m + 1, 1)  # the first day of the earliest month shown
    before = date.fromordinal(first.toordinal() - 1)  # the day before: a thirteenth month
    for visited in (before, first, today):
        inspection = c.inspection_for(world, f.venue_a(world))
        Inspection.objects.filter(pk=inspection.pk).update(visited_on=visited)
    months = selectors.inspection_scores_by_town(user=world.users["county_admin"])["months"]
    assert months == [first, today.replace(day=1)]
