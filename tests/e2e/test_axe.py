"""axe-core over the resident pages, the QR landing pages and every staff page reachable from
each role's home page: zero serious or critical violations (WCAG 2.x A/AA and axe's best
practices, axe's own impact levels).

The crawl: per role one logged-in browser context (log in once), the home page and the
same-origin links it shows (its menu and panels), GET only (hrefs, never forms), downloads and
feeds skipped. A route already checked for an earlier role is not checked again (``/cases/``
and ``/cases/?view=mine`` render one template): residents go first, so the pages they see are
checked as they see them. Bounded by MAX_PER_ROLE so the run stays well inside CI's budget.
"""

from __future__ import annotations

import time

import pytest

from tests.e2e.a11y import goto_settled, install_axe, page_links, route_name, run_axe, seed_pages
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

# Residents first, then staff from the grid up to the county; party members and departments too.
ROLES = [
    "13900000001",  # resident_a
    "13900000003",  # party_a
    "grid_a1",
    "village_a",
    "town_a",
    "dept",
    "supervisor",
    "county_admin",
]
MAX_PER_ROLE = 60


TIMES = {"load": 0.0, "axe": 0.0}


def _check(page, url: str, found: dict, covered: list) -> None:
    t0 = time.monotonic()
    goto_settled(page, url)
    t1 = time.monotonic()
    covered.append(url)
    for violation in run_axe(page):
        found.setdefault(url, []).append(violation)
    TIMES["load"] += t1 - t0
    TIMES["axe"] += time.monotonic() - t1


def test_no_serious_or_critical_violations(e2e_world, new_page, live_server):
    pages = seed_pages(e2e_world)
    found: dict[str, list] = {}
    covered: list[str] = []
    seen_routes: set[str] = set()
    started = time.monotonic()

    # Anonymous: the QR landing pages and the log-in page, standard and 长辈版.
    page = new_page(phone=True)
    install_axe(page.context)
    anonymous = ["/accounts/login/", *(pages[k] for k in ("intake", "track_lookup", "track"))]
    anonymous += [pages["wish_wall"], pages["duty_board"]]
    for url in anonymous:
        _check(page, url, found, covered)
        seen_routes.add(route_name(url))
    page.context.add_cookies([{"name": "lx_elder", "value": "1", "url": live_server.url}])
    for url in anonymous:
        _check(page, url, found, covered)

    per_role = {}
    for username in ROLES:
        page = new_page()
        install_axe(page.context)
        log_in(page, username)
        page.goto("/")
        page.wait_for_load_state("networkidle")
        urls = ["/", *page_links(page, live_server.url)]
        if username == ROLES[0]:
            urls += [pages["booking"], pages["event_signup"]]
        urls = list(dict.fromkeys(urls))
        checked = 0
        for url in urls:
            name = route_name(url)
            if name in seen_routes and url != "/":
                continue
            seen_routes.add(name)
            _check(page, url, found, covered)
            checked += 1
            if checked >= MAX_PER_ROLE:
                break
        per_role[username] = checked
        page.context.close()

    elapsed = time.monotonic() - started
    print(
        f"\naxe: {len(covered)} page loads, {len(seen_routes)} routes, {elapsed:.1f}s "
        f"(loading {TIMES['load']:.1f}s, axe {TIMES['axe']:.1f}s); {per_role}"
    )
    for url in covered:
        print(f"  {url}")
    assert len(seen_routes) >= 40, "the crawl reached too few pages to mean anything"
    assert found == {}


def test_axe_finds_what_it_should(new_page):
    """The control: a page with a nameless button, an image without alt text and faint text."""
    page = new_page()
    page.set_content(
        '<html lang="zh"><body><main><h1>t</h1><img src="data:,">'
        '<button></button><p style="color:#ccc">浅色文字</p></main></body></html>'
    )
    ids = {v["id"] for v in run_axe(page)}
    assert {"image-alt", "button-name", "color-contrast"} <= ids
