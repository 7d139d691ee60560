"""Shared pieces of the accessibility runs (issue 15): the seeded pages, the link crawl, axe-core
and the measurements made in the page (WCAG contrast computed in JS, target boxes).

axe-core comes from the pinned PyPI package ``axe-playwright-python`` (it ships axe.min.js);
it is evaluated in the page through Playwright, so the site's CSP (script-src 'self') stays on.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

# What a crawl never follows: downloads, feeds, printable sheets, the log-out form's target.
SKIP_SUFFIXES = (".xlsx", ".pdf", ".ics", ".svg", ".csv", ".zip", ".png", ".jpg", ".json")
SKIP_NAMES = {"accounts:logout", "core:elder_mode", "set_language"}


@cache
def axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text("utf-8")


def install_axe(context) -> None:
    """axe-core in every page of the context, evaluated before the page's own scripts (an init
    script is the browser's, not the page's: the CSP does not apply to it)."""
    context.add_init_script(axe_source())


# Settled: the page has loaded and no htmx request is in flight (home panels load lazily).
SETTLE_JS = """() => new Promise(resolve => {
  const check = () => document.querySelector('.htmx-request') ? setTimeout(check, 50) : resolve(true);
  setTimeout(check, 30);
})"""


def goto_settled(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.evaluate(SETTLE_JS)


def run_axe(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ['violations']});
          return r.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                        first: v.nodes[0].target.join(' ') + ' ' + v.nodes[0].html.slice(0, 120)}));
        }"""
    )


def route_name(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


def page_links(page, origin: str) -> list[str]:
    """Same-origin links of the page (GET targets only: hrefs, never form actions)."""
    hrefs = page.evaluate(
        "() => Array.from(document.querySelectorAll('a[href]:not([download])')).map(a => a.href)"
    )
    host = urlsplit(origin).netloc
    out: list[str] = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc != host or parts.path.endswith(SKIP_SUFFIXES):
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        name = route_name(url)
        if name is None or name in SKIP_NAMES or url in out:
            continue
        out.append(url)
    return out


def seed_pages(world) -> dict[str, str]:
    """Objects behind the resident pages and the QR landing pages; their URLs by purpose."""
    from django.urls import reverse

    from tests.cases.factories import ensure_categories, make_case
    from tests.cases.route_params import case_a
    from tests.events.factories import make_event
    from tests.rooms import factories as rooms
    from tests.venues import factories as venues
    from tests.venues.route_params import _duty_with_photo
    from tests.wishes.factories import make_wish

    ensure_categories()
    case = case_a(world)
    from datetime import timedelta

    from django.utils import timezone

    make_case(world, title="下水道堵塞很久了", now=timezone.now() - timedelta(days=40))
    make_wish(world, "published")
    venue = venues.venue_a(world)
    room = rooms.room_for(venue)
    rooms.booking_for(room, world.users["resident_a"])
    _duty_with_photo(world)
    event = make_event(world, capacity=10)
    return {
        "intake": reverse("cases:intake"),
        "track_lookup": reverse("cases:track_lookup"),
        "track": reverse("cases:track", kwargs={"code": case.code}),
        "wish_wall": reverse("wishes:wall", kwargs={"code": world.village_a.code}),
        "duty_board": reverse("venues:venue_board", kwargs={"pk": venue.pk}),
        "booking": reverse("rooms:room_book", kwargs={"pk": room.pk}),
        "event_signup": reverse("events:event_detail", kwargs={"pk": event.pk}),
    }


# The relative luminance and contrast ratio of WCAG 2.2 (1.4.3), computed in the page: the text
# colour (alpha blended) against the first opaque background behind it, walking up the tree.
COLOUR_JS = """
const lxParse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return [0, 0, 0, 0];
  const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
const lxBlend = (top, under) => { const a = top[3]; return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]); };
const lxBackground = (el) => { const layers = [];
  for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
    const bg = lxParse(getComputedStyle(n).backgroundColor); if (bg[3] > 0) layers.push(bg); if (bg[3] >= 1) break; }
  let colour = [255, 255, 255, 1]; for (const layer of layers.reverse()) colour = lxBlend(layer, colour); return colour; };
const lxLum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
const lxContrast = (el) => { const bg = lxBackground(el); const fg = lxBlend(lxParse(getComputedStyle(el).color), bg);
  const a = lxLum(fg), b = lxLum(bg); return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); };
const lxVisible = (el) => { const s = getComputedStyle(el); const r = el.getBoundingClientRect();
  return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0 && !el.closest('[aria-hidden=true], .visually-hidden, .leaflet-container'); };
const lxName = (el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${(el.className || '').toString().split(' ').slice(0, 2).join('.')} "${(el.innerText || el.value || '').trim().slice(0, 16)}"`;
"""

# Tappable things and their boxes: links, buttons, fields; a radio or checkbox is measured by
# its .form-check holder (or label), which is what a finger hits.
TARGETS_JS = (
    "([min, scope]) => {"
    + COLOUR_JS
    + """
  const root = document.querySelector(scope) || document.body;
  const out = []; const seen = new Set(); let count = 0;
  for (const el of root.querySelectorAll(
      'a[href], button, select, textarea, input:not([type=hidden]), summary, [role=button]')) {
    let target = el;
    if (el.matches('input[type=radio], input[type=checkbox]')) {
      const label = (el.id && document.querySelector(`label[for="${el.id}"]`)) || el.closest('label');
      target = el.closest('.form-check') || label || el;
    }
    if (seen.has(target) || !lxVisible(target)) continue;
    seen.add(target); count += 1;
    const r = target.getBoundingClientRect();
    if (r.height < min - 0.5 || r.width < min - 0.5) out.push(`${lxName(el)} ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  return {count, small: out};
}"""
)
