"""A refused htmx action shows its message in place (htmx 2 swaps no 4xx on its own)."""

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_reveal_without_reason_shows_the_message(e2e_world, new_page):
    page = new_page()
    log_in(page, "grid_a1")
    page.goto(f"/people/{e2e_world.persons['a'].pk}/")
    form = page.locator("#reveal-phone form")
    form.locator("input[name=reason]").fill("")
    form.locator("input[name=reason]").evaluate("el => el.removeAttribute('required')")
    form.locator("button").click()
    page.locator("#reveal-phone .text-danger").wait_for(timeout=5000)
    assert page.locator("#reveal-phone .text-danger").inner_text().strip()
    assert "13811112222" not in page.content()
