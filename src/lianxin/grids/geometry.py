"""Boundary geometry with shapely: validation of a drawn or imported polygon, areas in square
metres (a local equirectangular projection, good to a fraction of a percent at a grid's size),
overlaps and gaps between sibling grids."""

from __future__ import annotations

import math
from typing import Any

import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely import ops
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

# China, generously: a point outside is a swapped lat/lng or a projected (metre) coordinate.
LNG_RANGE = (73.0, 136.0)
LAT_RANGE = (3.0, 54.0)
MAX_AREA_M2 = 2_000_000_000.0  # 2,000 km²: larger than any town; a grid that big is a mistake
MAX_VERTICES = 20_000
TINY_M2 = 1.0  # overlaps and gaps below one square metre are drawing noise
M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LNG_EQUATOR = 111_320.0


def to_metres(geom: BaseGeometry, lat0: float | None = None) -> BaseGeometry:
    """The geometry in metres around latitude ``lat0`` (default: its own centroid)."""
    if lat0 is None:
        lat0 = geom.centroid.y if not geom.is_empty else 0.0
    kx = M_PER_DEG_LNG_EQUATOR * math.cos(math.radians(lat0))
    return shapely.transform(geom, lambda xy: xy * [kx, M_PER_DEG_LAT])


def area_m2(geom: BaseGeometry, lat0: float | None = None) -> float:
    if geom.is_empty:
        return 0.0
    return float(to_metres(geom, lat0).area)


def parse_boundary(geojson: Any) -> BaseGeometry:
    """A Polygon or MultiPolygon from GeoJSON (a geometry or a Feature), or ValidationError in
    Chinese: the type, a coordinate outside China, a self-intersecting ring, too large."""
    if isinstance(geojson, dict) and geojson.get("type") == "Feature":
        geojson = geojson.get("geometry")
    if not isinstance(geojson, dict) or geojson.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(_("边界必须是面（Polygon 或 MultiPolygon）。"))
    try:
        geom = shape(geojson)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        raise ValidationError(_("边界坐标格式不正确。")) from None
    if not isinstance(geom, Polygon | MultiPolygon) or geom.is_empty:
        raise ValidationError(_("边界坐标格式不正确。"))
    coords = _coords(geom)
    if len(coords) > MAX_VERTICES:
        raise ValidationError(_("边界顶点过多（最多 %(n)d 个）。") % {"n": MAX_VERTICES})
    for x, y in coords:
        if not (
            math.isfinite(x)
            and math.isfinite(y)
            and LNG_RANGE[0] <= x <= LNG_RANGE[1]
            and LAT_RANGE[0] <= y <= LAT_RANGE[1]
        ):
            raise ValidationError(
                _("坐标（%(x)s, %(y)s）不在中国境内，请确认为经度、纬度（WGS84）。")
                % {"x": x, "y": y}
            )
    if not geom.is_valid:
        raise ValidationError(_("边界自相交或不闭合，请重新绘制。"))
    area = area_m2(geom)
    if area < TINY_M2:
        raise ValidationError(_("边界面积过小。"))
    if area > MAX_AREA_M2:
        raise ValidationError(_("边界面积过大（超过 2000 平方公里），请检查坐标。"))
    return geom


def _coords(geom: BaseGeometry) -> list[tuple[float, float]]:
    polys = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    out: list[tuple[float, float]] = []
    for p in polys:
        out.extend((c[0], c[1]) for c in p.exterior.coords)
        for ring in p.interiors:
            out.extend((c[0], c[1]) for c in ring.coords)
    return out


def to_geojson(geom: BaseGeometry) -> dict:
    data = mapping(geom)
    return {"type": data["type"], "coordinates": _lists(data["coordinates"])}


def _lists(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_lists(v) for v in value]
    return round(float(value), 7)


def polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Only the areal part of an intersection or difference (drop shared edges and points)."""
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    return ops.unary_union(parts) if parts else Polygon()


def overlaps(named: list[tuple[Any, BaseGeometry]], tiny: float = TINY_M2) -> list[dict]:
    """Pairwise intersections over ``tiny`` m² between the geometries: {a, b, geometry, area}."""
    out = []
    for i, (a, ga) in enumerate(named):
        for b, gb in named[i + 1 :]:
            if not ga.intersects(gb):
                continue
            inter = polygonal(ga.intersection(gb))
            area = area_m2(inter)
            if area > tiny:
                out.append({"a": a, "b": b, "geometry": inter, "area": area})
    return out


def gaps(
    geoms: list[BaseGeometry], parent: BaseGeometry | None = None, tiny: float = TINY_M2
) -> list[dict]:
    """What no sibling covers: the parent's boundary minus the union when the parent has one,
    else the convex hull of the siblings minus their union. One row per polygon: {geometry, area}."""
    if not geoms:
        return []
    union = ops.unary_union(geoms)
    frame = parent if parent is not None else union.convex_hull
    rest = polygonal(frame.difference(union))
    parts = list(rest.geoms) if isinstance(rest, MultiPolygon) else [rest]
    return [
        {"geometry": p, "area": area_m2(p)} for p in parts if not p.is_empty and area_m2(p) > tiny
    ]
