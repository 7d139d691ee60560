"""Every time shown on a home panel or written into a notification is China time (issue 9
item 3): a 09:00 service day read 01:00 (UTC) on the home page, a 督办 deadline likewise."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import RequestFactory
from django.utils import timezone

from lianxin.core.registry import home_panel_providers
from lianxin.notifications.models import Notification

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _notes(world) -> list[str]:
    notes = []
    for user in world.users.values():
        request = RequestFactory().get("/")
        request.user = user
        for provider in home_panel_providers():
            for panel in provider(request):
                notes += [str(item.get("note", "")) for item in panel.get("items", [])]
    return notes


def test_every_home_panel_shows_a_09_00_start_as_09_00(world):
    from tests.events.factories import make_event
    from tests.rooms.factories import booking_for, room_for
    from tests.venues.factories import venue_a

    tomorrow_9 = datetime.combine(timezone.localdate() + timedelta(days=1), time(9), tzinfo=TZ)
    make_event(world, starts_in=tomorrow_9 - timezone.now(), title="九点服务日")
    booking_for(room_for(venue_a(world)), world.users["resident_a"], hour=9)
    notes = [n for n in _notes(world) if ":" in n]
    assert notes, "no panel shows a time"
    assert any("09:00" in n for n in notes)
    assert not any("01:00" in n for n in notes), notes


def test_supervise_notification_gives_the_deadline_in_china_time(world):
    from lianxin.cases.sweep import deadline_sweep
    from tests.cases.factories import make_case

    t0 = datetime(2025, 6, 3, 9, 0, tzinfo=TZ)  # Tuesday 09:00; accept due Wednesday 09:00
    make_case(world, now=t0)
    deadline_sweep(now=t0 + timedelta(hours=25))
    bodies = list(Notification.objects.filter(kind="supervise").values_list("body", flat=True))
    assert bodies and all("2025-06-04 09:00" in b for b in bodies), bodies
