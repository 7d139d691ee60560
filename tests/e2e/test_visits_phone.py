"""A grid worker on a 390-px phone logs a visit and raises a request from it (Chromium)."""

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_grid_worker_logs_a_visit_and_raises_a_request(e2e_world, new_page, settings, tmp_path):
    from lianxin.visits.models import Visit
    from tests.cases.factories import ensure_categories

    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_categories()
    page = new_page(phone=True)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "grid_a1")
    page.goto("/visits/today/")
    card = page.locator("[data-testid=due-card]", has_text="A-0001")
    assert card.count() == 1
    _no_sideways_scroll(page)
    card.locator("[data-testid=visit-start]").click()
    page.wait_for_selector("[data-testid=visit-form]")
    _no_sideways_scroll(page)
    page.check("#kind-care")
    page.fill("#met", "户主")
    page.fill("#notes", "屋顶漏水，需要维修")
    page.click("[data-testid=visit-save]")
    page.wait_for_selector("[data-testid=visit-card]")
    _no_sideways_scroll(page)
    page.fill("#case-title", "屋顶漏水")
    page.click("[data-testid=raise-case-submit]")
    link = page.wait_for_selector("[data-testid=visit-case-link]")
    visit = Visit.objects.get()
    assert visit.case is not None and visit.case.code in link.inner_text()
    assert visit.kind == "care" and visit.met == "户主"
