"""热点: many similar requests in one grid within days (PRODUCT.md module 8).

A scoped read: among the requests the user sees, those of the last
``LIANXIN_TRIAGE_HOTSPOT_DAYS`` days (not merged or rejected) are grouped by grid and category;
a group of at least ``LIANXIN_TRIAGE_HOTSPOT_MIN`` is split into clusters of alike texts
(``duplicates.text_similarity`` over the duplicate threshold, greedily around the newest), and
a cluster that large is a hot spot: one matter many neighbours report, or one place that keeps
failing. Flagged on the staff home page (``triage.home``), the map (``triage.slots``, a flag
per hot spot at its requests' mean point) and a unit's dashboard (``under`` that unit).

One query whatever the data (the newest ``PER_GROUP`` requests of the ``MAX_GROUPS`` largest
groups, by window functions), so the pages that show it keep a fixed query count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from lianxin.cases.models import Case, Category, State
from lianxin.org.models import Unit
from lianxin.org.scoping import under_q
from lianxin.triage.duplicates import DUPLICATE_THRESHOLD, place_words, text_similarity

if TYPE_CHECKING:
    from lianxin.accounts.models import User

MAX_GROUPS = 10  # the largest groups only: a hot spot list is read at a glance (and cheap)
PER_GROUP = 50  # the newest requests of a group that are clustered


@dataclass
class HotSpot:
    grid: Unit
    category: Category
    cases: list[Case]

    @property
    def count(self) -> int:
        return len(self.cases)

    @property
    def point(self) -> tuple[float, float] | None:
        """Where to flag it on a map: the mean of its requests' points, else the grid's."""
        pts = [(c.lat, c.lng) for c in self.cases if c.lat is not None and c.lng is not None]
        if pts:
            return (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
        if self.grid.lat is not None and self.grid.lng is not None:
            return (self.grid.lat, self.grid.lng)
        return None


def hot_spots(
    *, user: User, now: datetime | None = None, under: Unit | None = None
) -> list[HotSpot]:
    """The hot spots among the requests ``user`` sees (and, given ``under``, whose grid lies in
    that unit's subtree), largest first."""
    now = now or timezone.now()
    days = int(getattr(settings, "LIANXIN_TRIAGE_HOTSPOT_DAYS", 7))
    least = int(getattr(settings, "LIANXIN_TRIAGE_HOTSPOT_MIN", 3))
    recent = (
        Case.objects.visible_to(user)
        .filter(created_at__gte=now - timedelta(days=days), grid__isnull=False)
        .exclude(state__in=[State.MERGED, State.REJECTED])
    )
    if under is not None:
        recent = recent.filter(under_q(under, fields=("grid",)))
    group = [F("grid_id"), F("category_id")]
    newest = (
        recent.annotate(
            n=Window(Count("id"), partition_by=group),
            rank=Window(
                RowNumber(), partition_by=group, order_by=[F("created_at").desc(), F("id").desc()]
            ),
        )
        .filter(n__gte=least, rank__lte=PER_GROUP)
        .select_related("grid", "category", "village", "town")
        .defer("grid__boundary", "village__boundary", "town__boundary")
        # the largest groups first, each whole (≤ PER_GROUP rows): the first MAX_GROUPS groups
        # are all within the slice
        .order_by("-n", "grid_id", "category_id", "-created_at", "-id")[: MAX_GROUPS * PER_GROUP]
    )
    by_group: dict[tuple[int, int], list[Case]] = {}
    for row in newest:
        key = (row.grid_id, row.category_id)
        if key in by_group or len(by_group) < MAX_GROUPS:
            by_group.setdefault(key, []).append(row)
    out: list[HotSpot] = []
    for rows in by_group.values():
        ignore = place_words(
            *{getattr(r.village, "name", "") for r in rows},
            *{getattr(r.town, "name", "") for r in rows},
        )
        best = _largest_cluster(rows, ignore)
        if len(best) >= least:
            out.append(HotSpot(grid=rows[0].grid, category=rows[0].category, cases=best))
    return sorted(out, key=lambda h: -h.count)


def hot_spots_recent(*, user: User, under: Unit | None = None) -> tuple[list[HotSpot], datetime]:
    """``hot_spots`` as of at most ``LIANXIN_TRIAGE_HOTSPOT_CACHE_SECONDS`` ago, and when.

    Why: the live read groups every request of the last days in the user's scope; for a county
    or a province at 10M requests that is tens of thousands of rows and seconds per view (measured
    in bench/dashboard_levels.py), on pages whose other figures come from rollups in ~20 ms. A
    hot spot is a signal over days, so minutes of staleness change nothing, and the page says
    "截至 HH:MM". Cached per user and unit: only the hot spots' request ids, read back through
    ``visible_to`` (one query by primary key), so a request the user may no longer see drops out.
    ``LIANXIN_TRIAGE_HOTSPOT_CACHE_SECONDS = 0`` reads live every time.
    """
    ttl = int(getattr(settings, "LIANXIN_TRIAGE_HOTSPOT_CACHE_SECONDS", 300))
    at = timezone.now()
    if ttl <= 0:
        return hot_spots(user=user, under=under), at
    key = f"triage:hot-spots:{user.pk}:{under.pk if under is not None else 0}"
    stored = cache.get(key)
    if stored is None:
        spots = hot_spots(user=user, under=under)
        rows = [(h.grid.pk, h.category.pk, [c.pk for c in h.cases]) for h in spots]
        cache.set(key, (at, rows), ttl)
        return spots, at
    at, rows = stored
    ids = [pk for _grid, _category, pks in rows for pk in pks]
    found = {
        c.pk: c
        for c in Case.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("grid", "category")
        .defer("grid__boundary")
    }
    out = []
    for _grid, _category, pks in rows:
        cases = [found[pk] for pk in pks if pk in found]
        if cases:
            out.append(HotSpot(grid=cases[0].grid, category=cases[0].category, cases=cases))
    return out, at


def _largest_cluster(rows: list[Case], ignore: frozenset[str]) -> list[Case]:
    """Greedy: each request joins the first cluster whose seed it is alike, else seeds one."""
    clusters: list[list[Case]] = []
    for case in rows:
        text = f"{case.title} {case.description}"
        for cluster in clusters:
            seed = cluster[0]
            if (
                text_similarity(text, f"{seed.title} {seed.description}", ignore)
                >= DUPLICATE_THRESHOLD
            ):
                cluster.append(case)
                break
        else:
            clusters.append([case])
    return max(clusters, key=len) if clusters else []
