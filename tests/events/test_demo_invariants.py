"""Demo invariants (issue 9 item 6) over every generated team and event: a team's name agrees
with its kind, and no event, training session or service day falls on a public holiday of the
county's working-day calendar (or, for a year without an official schedule, the holidays
package's estimate)."""

from __future__ import annotations

from datetime import datetime

import holidays
import pytest
from django.core.management import call_command
from django.utils import timezone

from lianxin.events.models import Event, EventKind
from lianxin.volunteers.models import Team, TeamKind
from lianxin.workdays.calendar import year_calendar
from tests.clock import SHANGHAI

pytestmark = pytest.mark.django_db

SUFFIX = {
    TeamKind.VOLUNTEER: "志愿服务队",
    TeamKind.COMMANDO: "党员突击队",
    TeamKind.SERVICE: "党员服务队",
}
MOMENTS = {
    "pinned": None,  # the suite's clock, 2026-11-18: 45 days back is 国庆 (2026-10-04)
    "oct-31": datetime(2026, 10, 31, 10, 0, tzinfo=SHANGHAI),  # 30 days back is 2026-10-01
    "feb-01": datetime(2027, 2, 1, 10, 0, tzinfo=SHANGHAI),  # next month's party day near 春节
}


def _off(year: int) -> set:
    cal = year_calendar(year)
    return set(cal.holidays) | (set() if cal.complete else set(holidays.China(years=year)))


@pytest.mark.parametrize("at", MOMENTS.values(), ids=MOMENTS.keys())
def test_demo_team_names_agree_with_kinds_and_events_avoid_holidays(at, clock, capsys):
    if at is not None:
        clock.move_to(at)
    call_command("demo", households=20, only="org,people,volunteers,events,brands")

    teams = list(Team.objects.all())
    assert {t.kind for t in teams} == set(SUFFIX)
    for t in teams:
        assert t.name.endswith(SUFFIX[t.kind]), (t.name, t.kind)
        others = [s for k, s in SUFFIX.items() if k != t.kind]
        assert not any(s in t.name for s in others), (t.name, t.kind)

    events = list(Event.objects.all())
    assert {e.kind for e in events} >= {
        EventKind.SERVICE_DAY,
        EventKind.PARTY_DAY,
        EventKind.TRAINING,
        EventKind.CULTURE,
    }
    off: dict[int, set] = {}
    on_holidays = []
    for e in events:
        day = timezone.localtime(e.starts_at).date()
        if day in off.setdefault(day.year, _off(day.year)):
            on_holidays.append((e.title, day.isoformat()))
    assert on_holidays == []
    assert any(off.values())  # the calendar was there to check against
