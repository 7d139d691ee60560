"""Events organised by the units of a 党建联合体, for economy's alliance ledger
(``economy.alliance_panels`` finds this module; economy imports nothing of events).

An alliance's activities are the events, not cancelled, whose organising unit (``Event.unit``)
is the alliance itself or one of its member units."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse

from lianxin.events.models import Event, EventStatus


def _events(unit_ids: set[int]) -> QuerySet[Event]:
    return Event.objects.filter(unit_id__in=sorted(unit_ids)).exclude(status=EventStatus.CANCELLED)


def activity_counts(units_by_alliance: dict[int, set[int]]) -> dict[int, int]:
    """One GROUP BY over every alliance's units; an event of a unit in two alliances counts
    for both."""
    all_ids: set[int] = set().union(*units_by_alliance.values()) if units_by_alliance else set()
    per_unit = dict(
        _events(all_ids)
        .order_by()
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    return {a: sum(per_unit.get(u, 0) for u in ids) for a, ids in units_by_alliance.items()}


def recent_activities(unit_ids: set[int], *, limit: int) -> list[dict[str, Any]]:
    rows = _events(unit_ids).select_related("unit").order_by("-starts_at", "-id")[:limit]
    return [
        {
            "title": e.title,
            "unit": e.unit.name,
            "kind": e.get_kind_display(),
            "starts_at": e.starts_at,
            "url": reverse("events:event_detail", args=[e.pk]),
        }
        for e in rows
    ]
