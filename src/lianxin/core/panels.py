"""What other apps add to an object's detail page, without the page's owner knowing them.

An app may define ``lianxin.<app>.panels`` with ``detail_panels(obj, user) -> list[str]``: rendered
HTML fragments for the objects it knows (and ``[]`` for every other object). The detail
template calls ``{% detail_panels obj %}``; visits adds "来自走访" to the request and wish pages
this way, so cases and wishes import nothing of visits (visits is the layer above them).
A provider checks the user's permission on what it shows.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from lianxin.core.registry import app_modules


@cache
def _providers() -> list:
    return [
        m.detail_panels
        for m in app_modules("panels")
        if m.__name__ != __name__ and hasattr(m, "detail_panels")
    ]


def detail_panels(obj: Any, user: Any) -> list[str]:
    out: list[str] = []
    for provide in _providers():
        out.extend(provide(obj, user))
    return out
