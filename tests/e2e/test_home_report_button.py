"""On a phone, the resident home card's 我要反映 is a button at least 44 px tall (a thumb's target)."""

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_report_button_is_a_touch_target(e2e_world, new_page, phone):
    page = new_page(phone=phone)
    log_in(page, "13900000001")  # resident_a
    page.goto("/")
    button = page.locator("main [data-testid=panel-action]", has_text="我要反映")
    assert button.count() == 1
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44, box
    assert "btn" in (button.get_attribute("class") or "")
    assert button.evaluate("el => getComputedStyle(el).textDecorationLine") == "none"
    button.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/cases/new/")  # the intake form
