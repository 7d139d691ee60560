"""The demo's activities follow the county's calendar (China time) in calendar months, whatever
the moment it is built at: one 便民服务日 per community a month, the 轮训 of this year."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from lianxin.events.models import Event, EventKind, TrainingProgramme
from tests.clock import SHANGHAI

pytestmark = pytest.mark.django_db

MOMENTS = {
    "new-year-00:30": datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI),  # 2026-12-31 in UTC
    "mar-31": datetime(
        2027, 3, 31, 10, 0, tzinfo=SHANGHAI
    ),  # 30-day steps: March twice, no February
}


@pytest.mark.parametrize("at", MOMENTS.values(), ids=MOMENTS.keys())
def test_demo_months_are_the_county_calendar(at, clock, capsys):
    clock.move_to(at)
    call_command("demo", households=20, only="org,people,volunteers,events,brands")
    days = Event.objects.filter(kind=EventKind.SERVICE_DAY)
    per_month = Counter(
        (e.unit_id, timezone.localtime(e.starts_at).strftime("%Y-%m")) for e in days
    )
    assert per_month and set(per_month.values()) == {1}
    months = sorted({m for _unit, m in per_month})
    y, m = at.year, at.month
    expected = [
        f"{(y * 12 + m - 1 + k) // 12}-{(y * 12 + m - 1 + k) % 12 + 1:02d}" for k in range(-12, 2)
    ]
    assert months == expected  # a year back to next month, none skipped
    assert TrainingProgramme.objects.get().year == at.year
