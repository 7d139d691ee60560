"""QR codes as SVG, made on the server (no external request, CSP-safe), error correction M."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.http import HttpResponse


def qr_svg(data: str, *, scale: int = 8, document: bool = False, **options: Any) -> str:
    """The QR code of ``data`` as SVG text.

    ``document=False`` (default): an ``<svg>`` element to put in a page (no XML declaration, no
    trailing newline, with the SVG namespace). ``document=True``: a standalone ``.svg`` file.
    ``options`` go to segno's SVG writer as they are (``border``, ``dark``, ``light``,
    ``omitsize``, ``svgns`` ...).
    """
    qr = segno.make(data, error="m")
    buf = io.BytesIO()
    if document:
        qr.save(buf, kind="svg", scale=scale, **options)
    else:
        qr.save(
            buf,
            kind="svg",
            scale=scale,
            **{"xmldecl": False, "svgns": True, "nl": False, **options},
        )
    return buf.getvalue().decode()


def qr_svg_response(data: str, *, scale: int = 8, border: int = 2) -> HttpResponse:
    """A standalone SVG image response of the QR code of ``data``, never cached (a QR code
    usually carries a token)."""
    response = HttpResponse(
        qr_svg(data, scale=scale, document=True, border=border), content_type="image/svg+xml"
    )
    response["Cache-Control"] = "private, no-store"
    return response
