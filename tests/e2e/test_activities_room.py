"""A village clerk publishes an event in a venues room from the form: the room is booked; a
second event in the same slot is refused with the venues message and the input is kept."""

from datetime import timedelta

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def _fill(page, *, title, room_pk, start):
    page.goto("/activities/new/")
    page.select_option(
        "select[name=unit]",
        str(page.evaluate("document.querySelector('select[name=unit] option').value")),
    )
    page.select_option("select[name=kind]", "culture")
    page.fill("input[name=title]", title)
    page.select_option("select[name=venue_room]", str(room_pk))
    page.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=ends_at]", (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=capacity]", "20")
    page.click("form.bg-white button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_event_books_room_and_clash_is_refused(e2e_world, new_page):
    from lianxin.events.models import Event
    from lianxin.rooms.models import Booking
    from tests.rooms.factories import next_weekday, room_for
    from tests.venues.factories import venue_a, venue_b

    w = e2e_world
    room = room_for(venue_a(w))
    room_for(venue_b(w), name="乙村文化室")
    start = next_weekday(14)
    page = new_page()
    log_in(page, "village_a")
    page.goto("/activities/new/")
    options = page.locator("select[name=venue_room] option").all_inner_texts()
    assert any("文化活动室" in o for o in options) and not any("乙村文化室" in o for o in options)

    _fill(page, title="东关书画班", room_pk=room.pk, start=start)
    assert page.locator("[data-testid=venue-room]").count() == 1, page.locator(
        "form.bg-white"
    ).inner_text()
    assert "文化活动室" in page.locator("[data-testid=venue-room]").inner_text()
    assert Booking.objects.filter(room=room, status="approved").count() == 1

    _fill(page, title="东关麦秆画班", room_pk=room.pk, start=start)
    assert "该时段已被预约" in page.content()
    assert page.input_value("input[name=title]") == "东关麦秆画班"
    assert Event.objects.count() == 1 and Booking.objects.count() == 1
