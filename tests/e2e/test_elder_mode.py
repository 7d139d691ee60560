"""长辈版 in Chromium on a 360-px phone: the MIIT 适老化 figures measured on every resident page
and QR landing page (intake, tracking, wish wall, duty board, booking, event sign-up).

Measured in the page: the computed font size and line height of every element holding text,
the paragraphs' bottom margins, the WCAG contrast of text against its background (computed in
JS, alpha blended), the boxes of links, buttons and fields, the columns of every grid row, and
the page's scroll width. Asserted: text >= 24 px (18 pt), line height >= 1.3, paragraph spacing
>= 1.3 x line height, contrast >= 4.5:1 (3:1 at >= 24 px), targets >= 60 x 60 px, one column,
no sideways scroll. The switch itself is tested with JavaScript off (the server reads the
cookie) and on (localStorage restores the choice before the first paint).
"""

from __future__ import annotations

import pytest

from tests.e2e.a11y import COLOUR_JS, TARGETS_JS, page_links, seed_pages
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

WIDTH = 360
MIN_FONT_PX = 24  # 18 pt
MIN_LINE = 1.3
MIN_PARAGRAPH = 1.3  # x the line height
MIN_TARGET = 60

FIGURES_JS = (
    "() => {"
    + COLOUR_JS
    + """
  const texts = [], paragraphs = [], columns = [];
  let minFont = 1e9, minLine = 1e9, minContrast = 1e9, minParagraph = 1e9;
  for (const el of document.body.querySelectorAll('*')) {
    if (el.matches('script, style, noscript, template, option, svg *')) continue;
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !lxVisible(el)) continue;
    const s = getComputedStyle(el);
    const size = parseFloat(s.fontSize);
    const line = s.lineHeight === 'normal' ? size * 1.2 : parseFloat(s.lineHeight);
    const ratio = lxContrast(el);
    const need = size >= 24 ? 3 : 4.5;
    minFont = Math.min(minFont, size); minLine = Math.min(minLine, line / size);
    minContrast = Math.min(minContrast, ratio);
    if (size < 23.95 || line / size < 1.3 || ratio < need)
      texts.push(`${lxName(el)} ${size}px lh ${(line / size).toFixed(2)} contrast ${ratio.toFixed(2)}`);
  }
  for (const p of document.querySelectorAll('main p')) {
    if (!lxVisible(p)) continue;
    const s = getComputedStyle(p);
    const line = s.lineHeight === 'normal' ? parseFloat(s.fontSize) * 1.2 : parseFloat(s.lineHeight);
    const spacing = parseFloat(s.marginBottom) / line;
    minParagraph = Math.min(minParagraph, spacing);
    if (spacing < 1.3) paragraphs.push(`${lxName(p)} margin ${s.marginBottom} line ${line}px`);
  }
  for (const row of document.querySelectorAll('main .row')) {
    const lefts = new Set(Array.from(row.children).filter(lxVisible)
      .map(c => Math.round(c.getBoundingClientRect().left)));
    if (lefts.size > 1) columns.push(`${lxName(row)} ${[...lefts].join(',')}`);
  }
  if (minParagraph > 1e8) minParagraph = null;  // no paragraph on the page
  return {texts, paragraphs, columns, minFont, minLine, minContrast, minParagraph,
          elder: document.documentElement.classList.contains('lx-elder'),
          scrollWidth: document.documentElement.scrollWidth};
}"""
)


def elder_figures(page, url: str) -> dict:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    figures = page.evaluate(FIGURES_JS)
    figures["targets"] = page.evaluate(TARGETS_JS, [MIN_TARGET, "body"])
    figures["url"] = url
    return figures


@pytest.fixture
def pages(e2e_world):
    return seed_pages(e2e_world)


def _elder_phone(new_page, live_server):
    page = new_page(phone=True)
    page.context.add_cookies([{"name": "lx_elder", "value": "1", "url": live_server.url}])
    return page


def _assert_figures(results: list[dict]) -> None:
    for r in results:
        print(
            f"\n{r['url']}: min font {r['minFont']}px, min line {r['minLine']:.2f}, "
            f"min paragraph {r['minParagraph'] or 0:.2f}x, min contrast {r['minContrast']:.2f}, "
            f"targets {r['targets']['count']} (small {len(r['targets']['small'])}), "
            f"scrollWidth {r['scrollWidth']}"
        )
    assert [r["url"] for r in results if not r["elder"]] == []
    assert [(r["url"], r["texts"]) for r in results if r["texts"]] == []
    assert [(r["url"], r["paragraphs"]) for r in results if r["paragraphs"]] == []
    assert [(r["url"], r["targets"]["small"]) for r in results if r["targets"]["small"]] == []
    assert [(r["url"], r["columns"]) for r in results if r["columns"]] == []
    assert [(r["url"], r["scrollWidth"]) for r in results if r["scrollWidth"] > WIDTH] == []
    assert all(r["targets"]["count"] > 0 for r in results)  # the measure found something to measure


def test_qr_landing_pages_meet_the_elder_figures(pages, new_page, live_server):
    page = _elder_phone(new_page, live_server)
    public = ["intake", "track_lookup", "track", "wish_wall", "duty_board"]
    results = [elder_figures(page, pages[key]) for key in public]
    _assert_figures(results)


def test_resident_pages_meet_the_elder_figures(e2e_world, pages, new_page, live_server):
    """The resident's home page and every page it links to, plus booking and event sign-up."""
    page = _elder_phone(new_page, live_server)
    log_in(page, "13900000001")
    page.goto("/")
    urls = ["/", *page_links(page, live_server.url), pages["booking"], pages["event_signup"]]
    urls = list(dict.fromkeys(urls))
    assert len(urls) >= 8
    results = [elder_figures(page, url) for url in urls]
    _assert_figures(results)


def test_standard_mode_is_smaller(pages, new_page):
    """A control: without the cookie the same page is in the standard size (the measure can fail)."""
    page = new_page(phone=True)
    figures = elder_figures(page, pages["intake"])
    assert not figures["elder"]
    assert figures["minFont"] < MIN_FONT_PX
    assert figures["targets"]["small"]


def test_switch_works_without_javascript(pages, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": WIDTH, "height": 740},
    )
    try:
        page = context.new_page()
        page.goto(pages["wish_wall"])
        switch = page.locator("[data-testid=elder-switch]")
        assert switch.inner_text() == "长辈版"
        switch.click()
        page.wait_for_load_state("load")
        assert page.url.endswith(pages["wish_wall"])
        assert "lx-elder" in (page.locator("html").get_attribute("class") or "")
        cookies = {c["name"]: c["value"] for c in context.cookies()}
        assert cookies["lx_elder"] == "1"
        page.locator("[data-testid=elder-switch]").click()
        page.wait_for_load_state("load")
        assert "lx-elder" not in (page.locator("html").get_attribute("class") or "")
    finally:
        context.close()


# Records the <html> class at the moment <body> is created: that is before the first paint.
FIRST_PAINT_JS = """
new MutationObserver((records, observer) => {
  if (document.body) { window.__lxClassAtBody = document.documentElement.className; observer.disconnect(); }
}).observe(document, {childList: true, subtree: true});
"""


def test_device_remembers_before_first_paint(pages, new_page, live_server):
    page = new_page(phone=True)
    page.add_init_script(FIRST_PAINT_JS)
    page.goto(pages["intake"])
    page.locator("[data-testid=elder-switch]").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("localStorage.getItem('lx_elder')") == "1"
    assert "lx-elder" in page.evaluate("window.__lxClassAtBody")
    # The cookie is lost (cleared, expired): the device's localStorage brings 长辈版 back before
    # the body exists, the cookie is restored, and the switch offers the way back.
    page.context.clear_cookies()
    page.goto(pages["track_lookup"])
    assert "lx-elder" in page.evaluate("window.__lxClassAtBody")
    assert page.locator("[data-testid=elder-switch]").inner_text() == "标准版"
    assert {c["name"]: c["value"] for c in page.context.cookies()}["lx_elder"] == "1"
    page.locator("[data-testid=elder-switch]").click()
    page.wait_for_load_state("networkidle")
    assert "lx-elder" not in page.evaluate("window.__lxClassAtBody")
    assert page.evaluate("localStorage.getItem('lx_elder')") == "0"
