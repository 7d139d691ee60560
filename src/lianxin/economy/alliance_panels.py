"""What other apps add to the 党建联合体 ledger, without economy knowing them.

Economy and the apps that hold activities (events) are siblings of one layer and never import
each other, so the dependency points at the page's owner: an app may define
``lianxin.<app>.alliance_activities`` with

* ``activity_counts(units_by_alliance: dict[int, set[int]]) -> dict[int, int]`` — for each
  alliance id, how many activities the given units (the alliance and its members) organised;
* ``recent_activities(unit_ids: set[int], *, limit: int) -> list[dict]`` — the latest ones, as
  dicts with ``title``, ``unit`` (the organiser's name), ``kind``, ``starts_at`` and ``url``.

Economy imports none of them; they are found once from INSTALLED_APPS (``core.registry``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from lianxin.core.registry import app_modules

SUFFIX = "alliance_activities"


@cache
def _providers() -> list:
    return [m for m in app_modules(SUFFIX) if hasattr(m, "activity_counts")]


def activity_counts(units_by_alliance: dict[int, set[int]]) -> dict[int, int]:
    """Activities per alliance, summed over every provider (0 where none)."""
    out = dict.fromkeys(units_by_alliance, 0)
    if not units_by_alliance:
        return out
    for provider in _providers():
        for alliance_id, n in provider.activity_counts(units_by_alliance).items():
            out[alliance_id] = out.get(alliance_id, 0) + n
    return out


def recent_activities(unit_ids: set[int], *, limit: int = 20) -> list[dict[str, Any]]:
    """The latest ``limit`` activities of ``unit_ids`` over every provider, newest first."""
    rows: list[dict[str, Any]] = []
    for provider in _providers():
        rows.extend(provider.recent_activities(unit_ids, limit=limit))
    rows.sort(key=lambda r: r["starts_at"], reverse=True)
    return rows[:limit]
