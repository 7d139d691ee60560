"""HTML templates to A4 PDF through WeasyPrint, for every app (briefs, 交办单, minutes, sign-in
sheets). Pango renders the text, fontconfig finds the CJK font that
``scripts/ensure-system-deps`` installs: 文泉驿微米黑, fonts-wqy-microhei.

The templates are ours and hold no external reference: the URL fetcher refuses every URL, so
a title a resident typed can never make the renderer fetch anything.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

PDF_CONTENT_TYPE = "application/pdf"


def _weasyprint() -> Any:
    """Import WeasyPrint, undoing the one global it changes on import.

    ``weasyprint.images`` sets Pillow's ``ImageFile.LOAD_TRUNCATED_IMAGES = True`` for the whole
    process; that would let a worker that once built a PDF accept cut-off or corrupt resident
    photos (``core.photos`` relies on Pillow refusing them). Our PDFs embed no raster image.
    """
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    import weasyprint

    ImageFile.LOAD_TRUNCATED_IMAGES = before
    return weasyprint


def _fetcher() -> Any:
    _weasyprint()
    from weasyprint.urls import URLFetcher

    class NoFetch(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"reports fetch nothing: {url[:80]}")

    return NoFetch()


def html_to_pdf(html: str) -> bytes:
    HTML = _weasyprint().HTML

    return HTML(string=html, base_url="about:blank", url_fetcher=_fetcher()).write_pdf()


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string(template, context))
