"""The demo's monthly 便民服务日 book their community's 便民服务大厅 through venues bookings."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from lianxin.events.models import Event, EventKind
from lianxin.rooms.models import BookingSlot, BookingStatus

pytestmark = pytest.mark.django_db


def test_demo_service_days_book_rooms_without_double_booking(capsys):
    call_command("demo", households=40, only="org,people,venues,volunteers,events,brands")
    booked = Event.objects.filter(booking__isnull=False).select_related("booking", "venue_room")
    assert booked.count() > 100
    assert not booked.exclude(kind=EventKind.SERVICE_DAY).exists()
    for e in booked[:50]:
        assert e.booking.room_id == e.venue_room_id and e.place
        assert (e.booking.starts_at, e.booking.ends_at) == (e.starts_at, e.ends_at)
        assert e.booking.booker_id == e.organiser_id and e.booking.purpose == e.title
        assert e.booking.slots.count() == 3
    assert booked.filter(booking__status=BookingStatus.APPROVED).exists()
    held = BookingSlot.objects.values("room", "starts_at").annotate(n=Count("id")).filter(n__gt=1)
    assert not held.exists()
