"""阵地 journeys in Chromium: a village clerk updates the venue record in the survey campaign on a
phone and the county archive shows the new service-area share; a resident books a room on a
phone and a second booking of the same slot is refused."""

from decimal import Decimal

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_clerk_updates_venue_in_survey_and_county_sees_new_share(e2e_world, new_page):
    from tests.venues import factories as f

    w = e2e_world
    venue = f.venue_for(
        w.village_a,
        floor_area=Decimal("300"),
        office_area=Decimal("150"),
        service_area=Decimal("100"),
    )
    f.campaign_for(w)

    county = new_page()
    log_in(county, "county_admin")
    county.goto("/venues/")
    assert county.locator(f"[data-testid=share-{venue.pk}]").inner_text() == "40.0%"

    clerk = new_page(phone=True)
    log_in(clerk, "village_a")
    clerk.goto("/venues/campaigns/")
    clerk.click("[data-testid=campaign-fill]")
    clerk.wait_for_load_state("networkidle")
    assert _no_horizontal_scroll(clerk)
    clerk.fill("input[name=office_area]", "50")
    clerk.fill("input[name=service_area]", "200")
    clerk.select_option("select[name=structure]", "frame")
    clerk.select_option("select[name=condition]", "good")
    clerk.click("[data-testid=survey-form] button")
    clerk.wait_for_load_state("networkidle")
    assert "摸排信息已提交" in clerk.content()

    county.reload()
    assert county.locator(f"[data-testid=share-{venue.pk}]").inner_text() == "80.0%"
    assert county.locator("[data-testid=county-share]").inner_text() == "80.0%"
    county.goto("/venues/campaigns/")
    county.click("text=2026年全覆盖摸排")
    assert county.locator("[data-testid=campaign-progress]").inner_text().startswith("1/2")


def test_resident_books_on_phone_and_second_booking_is_refused(e2e_world, new_page):
    from tests.rooms import factories as rooms_f
    from tests.venues import factories as f

    w = e2e_world
    room = rooms_f.room_for(f.venue_a(w), name="文化活动室")
    day = rooms_f.next_weekday(14).date().isoformat()

    def book(page, group):
        page.goto("/venues/rooms/")
        page.click("[data-testid=room-link]:has-text('文化活动室')")
        page.wait_for_load_state("networkidle")
        page.fill("input[name=day]", day)
        page.fill("input[name=start]", "14:00")
        page.select_option("select[name=hours]", "2")
        page.fill("input[name=group_name]", group)
        page.fill("input[name=attendees]", "8")
        page.click("[data-testid=booking-form] button")
        page.wait_for_load_state("networkidle")

    resident = new_page(phone=True)
    log_in(resident, "13900000001")
    book(resident, "象棋队")
    assert "预约成功" in resident.content()
    assert "象棋队" in resident.locator("[data-testid=my-booking]").first.inner_text()
    assert _no_horizontal_scroll(resident)

    other = new_page(phone=True)
    log_in(other, "13900000003")
    book(other, "书法班")
    assert "该时段已被预约" in other.content()
    other.goto(f"/venues/rooms/{room.pk}/?day={day}")
    assert "已约满" in other.locator("[data-testid=slot-list]").inner_text()

    from lianxin.rooms.models import Booking

    assert list(Booking.objects.values_list("group_name", flat=True)) == ["象棋队"]
