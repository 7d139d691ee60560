"""What other apps add inside a page's form, without the page's owner knowing them.

An app may define ``lianxin.<app>.slots`` with ``form_slots(slot, request, **context) ->
list[str]``: rendered HTML fragments for the named slot of a page (``[]`` for other slots). The
page's view calls ``form_slots("cases.intake", request, staff=...)`` and its template prints the
fragments; triage puts its suggestions and "附近已有类似诉求" into the intake form this way, so
cases imports nothing of triage (the layer above it). A provider checks the user's permission on
what it shows.

Rows of a list work the same way: ``row_slots(slot, request, rows) -> dict[pk, str]`` gives a
fragment per row (the template prints ``row_slots|slot_for:row.pk``); the workbench carries
triage's suggested units in each not-yet-dispatched request's row this way. A row provider
must not query per row: it renders placeholders and fetches the rows' content in one batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from lianxin.core.registry import app_modules


@cache
def _providers() -> list:
    return [
        m.form_slots
        for m in app_modules("slots")
        if m.__name__ != __name__ and hasattr(m, "form_slots")
    ]


@cache
def _row_providers() -> list:
    return [
        m.row_slots
        for m in app_modules("slots")
        if m.__name__ != __name__ and hasattr(m, "row_slots")
    ]


def row_slots(slot: str, request: Any, rows: Iterable[Any]) -> dict[Any, SafeString]:
    """Every app's fragment for each row of ``slot`` (by the row's pk), joined per row."""
    rows = list(rows)
    out: dict[Any, list[str]] = {}
    for provide in _row_providers():
        for pk, html in provide(slot, request, rows).items():
            out.setdefault(pk, []).append(html)
    return {pk: mark_safe("".join(parts)) for pk, parts in out.items()}  # noqa: S308


def form_slots(slot: str, request: Any, **context: Any) -> SafeString:
    """The fragments every app contributes to ``slot``, joined (rendered by templates)."""
    out: list[str] = []
    for provide in _providers():
        out.extend(provide(slot, request, **context))
    return mark_safe("".join(out))  # noqa: S308 - fragments rendered by templates
