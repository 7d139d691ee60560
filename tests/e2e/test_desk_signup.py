"""A clerk signs an elder without a phone up at the desk: searches the roster's person box,
sees masked numbers, signs her up; the next one goes on the waiting list; a second sign-up
of the same person is refused with a message (issue 9 item 4)."""

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_clerk_signs_up_elder_at_the_desk(e2e_world, new_page):
    from lianxin.events.models import RegistrationStatus
    from lianxin.people.models import Person
    from tests.events.factories import make_event

    w = e2e_world
    elder = Person.objects.create(
        name="王奶奶", gender="F", id_number="620524194003030026", unit=w.grid_a1
    )
    event = make_event(w, capacity=1, title="东关社区重阳敬老会")

    clerk = new_page()
    log_in(clerk, "village_a")
    clerk.goto(f"/activities/{event.pk}/")
    desk = clerk.locator("[data-testid=desk]")
    desk.locator("[data-testid=desk-q]").fill("王奶")
    desk.locator("[data-testid=desk-search]").click()
    row = desk.locator("[data-testid=desk-person]:has-text('王奶奶')")
    row.wait_for()
    assert "6205**********0026" in row.inner_text() and "620524194003030026" not in clerk.content()
    row.locator("[data-testid=desk-register]").click()
    clerk.wait_for_load_state("networkidle")
    assert "已为 王奶奶 报名" in clerk.content()
    assert "已报 1/1" in clerk.locator("[data-testid=counts]").inner_text()
    assert "王奶奶" in clerk.locator("[data-testid=roster-row]").first.inner_text()

    # The seat is taken: the next person goes on the waiting list.
    desk = clerk.locator("[data-testid=desk]")
    desk.locator("[data-testid=desk-q]").fill("甲金丝雀")
    desk.locator("[data-testid=desk-search]").click()
    desk.locator(
        "[data-testid=desk-person]:has-text('甲金丝雀') [data-testid=desk-register]"
    ).click()
    clerk.wait_for_load_state("networkidle")
    assert "已进入候补名单" in clerk.content()
    assert event.registrations.get(person=w.persons["a"]).status == RegistrationStatus.WAITLISTED

    # Searching again shows her as signed up; another town's resident is not found.
    desk = clerk.locator("[data-testid=desk]")
    desk.locator("[data-testid=desk-q]").fill("王奶奶")
    desk.locator("[data-testid=desk-search]").click()
    clerk.locator("[data-testid=desk-person]:has-text('王奶奶'):has-text('已报名')").wait_for()
    desk.locator("[data-testid=desk-q]").fill("乙金丝雀")
    desk.locator("[data-testid=desk-search]").click()
    clerk.locator("[data-testid=desk-results]:has-text('没有找到')").wait_for()
    assert elder.event_registrations.count() == 1
