"""Placing a point in its grid (was the grids app): shapely's STRtree over the grids' GeoJSON
boundaries.

The index is built once per process and rebuilt when any grid changes (checked by a cheap
aggregate), so locating a point costs microseconds rather than a scan of every polygon.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.db.models import Count, Max
from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from lianxin.org.models import Unit, UnitKind

_lock = threading.Lock()


@dataclass
class _GridIndex:
    version: tuple
    tree: STRtree | None
    geoms: list[BaseGeometry]
    ids: list[int]
    depths: list[int]


_index: _GridIndex | None = None


def _grid_units():
    return Unit.objects.filter(
        kind__in=[UnitKind.GRID, UnitKind.MICRO_GRID], boundary__isnull=False, is_active=True
    )


def _version() -> tuple:
    agg = _grid_units().aggregate(n=Count("id"), last=Max("updated_at"))
    return (agg["n"], agg["last"])


def _build(version: tuple) -> _GridIndex:
    geoms, ids, depths = [], [], []
    for pk, boundary, depth in _grid_units().values_list("id", "boundary", "depth"):
        try:
            geom = shape(boundary)
        except (ValueError, TypeError, AttributeError, KeyError):
            continue
        if geom.is_empty:
            continue
        geoms.append(geom)
        ids.append(pk)
        depths.append(depth)
    return _GridIndex(version, STRtree(geoms) if geoms else None, geoms, ids, depths)


def grid_index_reset() -> None:
    global _index
    with _lock:
        _index = None


def grid_locate(*, lng: float, lat: float) -> Unit | None:
    """The most specific grid (a micro-grid before its grid) containing the point, or None."""
    global _index
    version = _version()
    with _lock:
        if _index is None or _index.version != version:
            _index = _build(version)
        index = _index
    if index.tree is None:
        return None
    point = Point(lng, lat)
    hits = [int(i) for i in index.tree.query(point, predicate="intersects")]
    if not hits:
        return None
    best = max(hits, key=lambda i: index.depths[i])
    return Unit.objects.get(pk=index.ids[best])


def polygon_centroid(boundary: dict) -> tuple[float, float]:
    c = shape(boundary).centroid
    return (c.x, c.y)
