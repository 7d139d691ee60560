"""What other modules add to a household's page, without people knowing them.

An app may define ``lianxin.<app>.figures`` with ``household_panels(household, user) -> list``
of rendered HTML fragments (visits adds the household's visit history). People imports none.
"""

from __future__ import annotations

from functools import cache

from lianxin.core.registry import app_modules


@cache
def _providers() -> list:
    return [
        m.household_panels
        for m in app_modules("figures")
        if m.__name__ != __name__ and hasattr(m, "household_panels")
    ]


def household_panels(household, user) -> list:
    out: list = []
    for provide in _providers():
        out.extend(provide(household, user))
    return out
