"""Staff pages on a 360-px phone (Chromium): the grid worker's and the village clerk's home page
(工作台) and every list and form it links to have no sideways scrolling (neither the page nor a
box inside it), every touch target is at least 44 x 44 px, and the request list's rows are
cards that show the state, the due time and the handler first."""

from __future__ import annotations

import pytest

from tests.e2e.a11y import TARGETS_JS, page_links, route_name, seed_pages
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

WIDTH = 360
MIN_TARGET = 44
MAX_PAGES = 60

# A box that scrolls sideways inside the page (a table in .table-responsive, a strip of tabs).
SIDEWAYS_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('main *')) {
    if (el.closest('.leaflet-container')) continue;
    const s = getComputedStyle(el);
    if (!['auto', 'scroll'].includes(s.overflowX)) continue;
    if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.tagName.toLowerCase()}.${el.className} ${el.scrollWidth}>${el.clientWidth}`);
  }
  return out;
}"""


def _phone_check(page, url: str) -> dict:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    targets = page.evaluate(TARGETS_JS, [MIN_TARGET, "body"])
    return {
        "url": url,
        "scroll_width": page.evaluate("document.documentElement.scrollWidth"),
        "sideways": page.evaluate(SIDEWAYS_JS),
        "small": targets["small"],
        "count": targets["count"],
    }


@pytest.mark.parametrize("username", ["grid_a1", "village_a"])
def test_staff_pages_fit_a_360_px_phone(e2e_world, new_page, settings, tmp_path, username):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_pages(e2e_world)
    page = new_page(phone=True)
    assert page.viewport_size["width"] == WIDTH
    log_in(page, username)
    page.goto("/")
    urls = ["/"]
    routes = {"core:home"}
    for url in page_links(page, page.url):
        name = route_name(url)
        # The map pans rather than scrolls; tests/e2e/test_visits_360 checks it.
        if name in routes or name == "maps:map":
            continue
        routes.add(name)
        urls.append(url)
    urls = urls[:MAX_PAGES]
    assert "/cases/" in urls
    results = [_phone_check(page, url) for url in urls]
    for r in results:
        print(
            f"\n{r['url']}: scrollWidth {r['scroll_width']}, targets {r['count']}, "
            f"small {len(r['small'])} {r['small'][:5]}, sideways {r['sideways'][:3]}"
        )
    assert [(r["url"], r["scroll_width"]) for r in results if r["scroll_width"] > WIDTH] == []
    assert [(r["url"], r["sideways"]) for r in results if r["sideways"]] == []
    assert [(r["url"], r["small"]) for r in results if r["small"]] == []


CARD_JS = """() => Array.from(document.querySelectorAll('[data-testid=case-row]')).map(row => {
  const cells = Array.from(row.children).filter(c => getComputedStyle(c).display !== 'none')
    .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
  return {display: getComputedStyle(row).display, width: row.getBoundingClientRect().width,
          first: cells.slice(0, 3).map(c => c.getAttribute('data-label'))};
})"""


def test_workbench_rows_are_cards_state_due_handler_first(e2e_world, new_page):
    seed_pages(e2e_world)
    page = new_page(phone=True)
    log_in(page, "village_a")
    page.goto("/cases/")
    page.wait_for_load_state("networkidle")
    cards = page.evaluate(CARD_JS)
    assert len(cards) >= 2
    for card in cards:
        assert card["display"] == "flex"
        assert card["width"] <= WIDTH
        assert card["first"] == ["状态", "时限", "承办"]
    overdue = page.locator("[data-testid=overdue-resolve], [data-testid=overdue-accept]").first
    assert overdue.inner_text().startswith("超时")  # a word, never the colour alone
    # On a desktop the same list is a table again.
    page.set_viewport_size({"width": 1280, "height": 800})
    assert page.evaluate(CARD_JS)[0]["display"] == "table-row"
