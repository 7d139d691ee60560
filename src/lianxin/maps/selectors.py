"""民情地图 reads: the viewport's clustered points, grid boundaries, heat per grid, hot spots.

Rule (issue 11, bullet 4): the browser never receives every point. The viewport is cut into a
grid of square cells sized from the zoom (``cell_degrees``); each layer is grouped in SQL by
the cell index ``FLOOR((lng - west) / cell)``, ``FLOOR((lat - south) / cell)`` with a count and
the mean point — the same arithmetic on SQLite and PostgreSQL, so the same cells. A cell of one
item returns that item (id, title, state, overdue, link). At most ``MAX_CELLS`` cells per layer
are returned (the fullest first), so a response stays bounded whatever the data.

Every row comes from the owning app's scoped queryset (``visible_to``), so a town clerk gets
nothing from a sibling town; the unit filter is ``org.scoping.under_q`` of a unit in scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Avg, Count, F, IntegerField, Max, Q, QuerySet, Sum, When
from django.db.models import Case as When_
from django.db.models.functions import Cast, Coalesce, Floor
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.cases.models import Case, State, overdue_q
from lianxin.events.models import Event
from lianxin.org.models import GRID_KINDS, Unit
from lianxin.org.scoping import under_q
from lianxin.people.models import Household
from lianxin.venues.models import Venue
from lianxin.wishes.models import Wish

LAYERS = ("cases", "wishes", "venues", "events")
MAX_CELLS = 300  # per layer: the fullest cells first
MAX_GRIDS = 300
MIN_ZOOM, MAX_ZOOM = 3, 19
MAX_SPAN = 20.0  # degrees: a viewport wider than a province is refused
CELL_PX = 60  # a cluster cell is about this many screen pixels wide


class ViewportError(ValueError):
    """A bad viewport or filter: the message is shown (400), never a 500."""


@dataclass(frozen=True)
class Viewport:
    west: float
    south: float
    east: float
    north: float
    zoom: int
    layers: tuple[str, ...] = LAYERS
    category: int | None = None
    state: str = ""
    overdue: bool = False
    date_from: date | None = None
    date_to: date | None = None
    unit: Unit | None = None

    @property
    def cell(self) -> float:
        return cell_degrees(self.zoom)


def cell_degrees(zoom: int) -> float:
    """A cell's side in degrees: ``CELL_PX`` pixels of a 256-px Web-Mercator tile at ``zoom``."""
    return 360.0 / (2**zoom) * CELL_PX / 256.0


def _float(raw: str) -> float:
    value = float(raw)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError
    return value


def parse_viewport(params: Any, *, user: User) -> Viewport:
    """The viewport and filters from a query string; ``ViewportError`` (Chinese) when bad."""
    try:
        w, s, e, n = (_float(p) for p in str(params.get("bbox", "")).split(","))
    except ValueError:
        raise ViewportError(_("地图范围（bbox）应为“西,南,东,北”四个经纬度数字。")) from None
    if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        raise ViewportError(_("地图范围（bbox）超出经纬度范围或西大于东、南大于北。"))
    if e - w > MAX_SPAN or n - s > MAX_SPAN:
        raise ViewportError(_("地图范围过大，请放大地图后再试。"))
    try:
        zoom = int(str(params.get("zoom", "")))
    except ValueError:
        raise ViewportError(_("缩放级别（zoom）应为整数。")) from None
    if not MIN_ZOOM <= zoom <= MAX_ZOOM:
        raise ViewportError(_("缩放级别（zoom）应在 3 到 19 之间。"))
    raw_layers = str(params.get("layers", "") or ",".join(LAYERS))
    layers = tuple(x for x in LAYERS if x in raw_layers.split(","))
    if not layers:
        raise ViewportError(_("请至少选择一个图层。"))
    return Viewport(w, s, e, n, zoom, layers, **parse_filters(params, user=user))


def parse_filters(params: Any, *, user: User) -> dict[str, Any]:
    """Category, state, overdue, date range and unit; a unit outside the scope is refused."""
    from lianxin.core import params as p

    state = p.get_str(params, "state", max_length=20)
    if state and state not in State.values:
        raise ViewportError(_("未知的诉求状态。"))
    unit = None
    unit_id = p.get_id(params, "unit")
    if unit_id is not None:
        unit = Unit.objects.visible_to(user).filter(pk=unit_id).first()
        if unit is None:
            raise ViewportError(_("所选单位不在您的管辖范围内。"))
    date_from, date_to = p.get_date(params, "from"), p.get_date(params, "to")
    if date_from and date_to and date_from > date_to:
        raise ViewportError(_("开始日期不能晚于结束日期。"))
    return {
        "category": p.get_id(params, "category"),
        "state": state,
        "overdue": p.get_str(params, "overdue", max_length=5) in ("1", "true", "on"),
        "date_from": date_from,
        "date_to": date_to,
        "unit": unit,
    }


# ------------------------------------------------------------------ the layers' querysets
def case_queryset(*, user: User, vp: Viewport, now: datetime) -> QuerySet:
    """The requests the user may see, narrowed by the map's filters (no viewport yet; with or
    without a point — the heat per grid counts a request by its grid)."""
    qs = Case.objects.visible_to(user)
    if vp.category:
        qs = qs.filter(Q(category_id=vp.category) | Q(category__parent_id=vp.category))
    if vp.state:
        qs = qs.filter(state=vp.state)
    else:
        qs = qs.exclude(state__in=(State.MERGED, State.REJECTED))
    if vp.overdue:
        qs = qs.filter(overdue_q(now))
    if vp.date_from:
        qs = qs.filter(created_at__date__gte=vp.date_from)
    if vp.date_to:
        qs = qs.filter(created_at__date__lte=vp.date_to)
    if vp.unit is not None:
        qs = qs.filter(under_q(vp.unit, ("grid", "unit")))
    return qs


def _layer(*, layer: str, user: User, vp: Viewport, now: datetime) -> QuerySet:
    """Each layer annotated with ``_lat``/``_lng``: its own point, else its unit's."""
    if layer == "cases":
        qs0 = case_queryset(user=user, vp=vp, now=now)
        return qs0.annotate(_lat=F("lat"), _lng=F("lng"))
    if layer == "wishes":
        qs: QuerySet = Wish.objects.visible_to(user).annotate(
            _lat=F("unit__lat"), _lng=F("unit__lng")
        )
    elif layer == "venues":
        qs = Venue.objects.visible_to(user).annotate(
            _lat=Coalesce("lat", "unit__lat"), _lng=Coalesce("lng", "unit__lng")
        )
    else:
        qs = Event.objects.visible_to(user).annotate(
            _lat=Coalesce("venue_room__venue__lat", "unit__lat"),
            _lng=Coalesce("venue_room__venue__lng", "unit__lng"),
        )
    if vp.unit is not None:
        qs = qs.filter(under_q(vp.unit))
    if layer in ("wishes", "events") and (vp.date_from or vp.date_to):
        field = "created_at" if layer == "wishes" else "starts_at"
        if vp.date_from:
            qs = qs.filter(**{f"{field}__date__gte": vp.date_from})
        if vp.date_to:
            qs = qs.filter(**{f"{field}__date__lte": vp.date_to})
    return qs


def _in_view(qs: QuerySet, vp: Viewport) -> QuerySet:
    return qs.filter(
        _lat__isnull=False,
        _lng__isnull=False,
        _lat__gte=vp.south,
        _lat__lte=vp.north,
        _lng__gte=vp.west,
        _lng__lte=vp.east,
    )


def cluster_rows(qs: QuerySet, vp: Viewport, *, now: datetime | None = None) -> list[dict]:
    """``GROUP BY`` the cell index: one row per non-empty cell (cx, cy, n, lat, lng, one).

    ``one`` is the largest id in the cell (the item itself when ``n == 1``); for requests
    ``late`` counts the overdue ones. Cast to integer so both databases group the same."""
    cell = vp.cell
    agg: dict[str, Any] = {
        "n": Count("pk"),
        "lat": Avg("_lat"),
        "lng": Avg("_lng"),
        "one": Max("pk"),
    }
    if now is not None:
        agg["late"] = Sum(
            When_(When(overdue_q(now), then=1), default=0, output_field=IntegerField())
        )
    rows = (
        _in_view(qs, vp)
        .annotate(
            cx=Cast(Floor((F("_lng") - vp.west) / cell), IntegerField()),
            cy=Cast(Floor((F("_lat") - vp.south) / cell), IntegerField()),
        )
        .values("cx", "cy")
        .annotate(**agg)
        .order_by("-n", "cx", "cy")
    )
    return list(rows[: MAX_CELLS + 1])


def _item(layer: str, obj: Any, now: datetime) -> dict:
    if layer == "cases":
        late = obj.is_overdue(now)
        return {
            "title": f"{obj.code} {obj.title}",
            "state": obj.state,
            "state_label": str(obj.get_state_display()),
            "overdue": late,
            "href": reverse("cases:case_detail", args=[obj.pk]),
        }
    if layer == "wishes":
        return {
            "title": obj.title,
            "state": obj.status,
            "state_label": str(obj.get_status_display()),
            "overdue": False,
            "href": reverse("wishes:wish_detail", args=[obj.pk]),
        }
    if layer == "venues":
        return {
            "title": obj.name,
            "state": "",
            "state_label": "",
            "overdue": False,
            "href": reverse("venues:venue_detail", args=[obj.pk]),
        }
    return {
        "title": obj.title,
        "state": obj.status,
        "state_label": str(obj.get_status_display()),
        "overdue": False,
        "href": reverse("events:event_detail", args=[obj.pk]),
    }


def viewport_points(*, user: User, vp: Viewport, now: datetime | None = None) -> dict:
    """The clustered layers of one viewport (see the module docstring for the rule)."""
    now = now or timezone.now()
    out: dict[str, Any] = {"zoom": vp.zoom, "cell": vp.cell, "layers": {}, "truncated": False}
    for layer in vp.layers:
        qs = _layer(layer=layer, user=user, vp=vp, now=now)
        rows = cluster_rows(qs, vp, now=now if layer == "cases" else None)
        if len(rows) > MAX_CELLS:
            rows = rows[:MAX_CELLS]
            out["truncated"] = True
        singles = [r["one"] for r in rows if r["n"] == 1]
        objs = (
            {o.pk: o for o in qs.model._default_manager.filter(pk__in=singles)} if singles else {}
        )
        cells: list[dict] = []
        for r in rows:
            cell: dict[str, Any] = {
                "lat": round(r["lat"], 6),
                "lng": round(r["lng"], 6),
                "n": r["n"],
            }
            if layer == "cases":
                cell["late"] = r["late"] or 0
            if r["n"] == 1 and r["one"] in objs:
                cell["id"] = r["one"]
                cell.update(_item(layer, objs[r["one"]], now))
            cells.append(cell)
        out["layers"][layer] = cells
    return out


# ------------------------------------------------------------------ grids, heat, hot spots
def _simplify(boundary: Any, tolerance: float) -> dict | None:
    from shapely.geometry import mapping, shape

    try:
        geom = shape(boundary)
    except Exception:  # a malformed stored boundary is skipped, never a 500
        return None
    return mapping(geom.simplify(tolerance, preserve_topology=True))


def _meets(boundary: Any, view: Any) -> bool:
    from shapely.geometry import shape

    try:
        return bool(shape(boundary).intersects(view))
    except Exception:  # a malformed stored boundary is left off the map, never a 500
        return False


def scoped_grids(*, user: User, vp: Viewport) -> list[Unit]:
    """The user's grids whose boundary meets the viewport (at most ``MAX_GRIDS``)."""
    from shapely.geometry import box

    view = box(vp.west, vp.south, vp.east, vp.north)
    qs = Unit.objects.visible_to(user).filter(kind__in=GRID_KINDS, boundary__isnull=False)
    if vp.unit is not None:
        qs = qs.filter(under_q(vp.unit, ("",)))
    found: list[Unit] = []
    for unit in qs.only("id", "name", "code", "boundary", "kind").order_by("path"):
        if not _meets(unit.boundary, view):
            continue
        found.append(unit)
        if len(found) >= MAX_GRIDS:
            break
    return found


def grid_heat(
    *, user: User, vp: Viewport, metric: str = "per100", now: datetime | None = None
) -> dict:
    """GeoJSON of the viewport's grids, simplified, with ``value`` per grid: open requests per
    100 households (``per100``) or the overdue requests (``overdue``) under the map's filters."""
    now = now or timezone.now()
    grids = scoped_grids(user=user, vp=vp)
    ids = [g.pk for g in grids]
    cases = case_queryset(user=user, vp=vp, now=now).filter(grid_id__in=ids)
    if metric == "overdue":
        counts = dict(
            cases.filter(overdue_q(now))
            .values("grid_id")
            .annotate(n=Count("pk"))
            .values_list("grid_id", "n")
        )
        households: dict[int, int] = {}
    else:
        counts = dict(cases.values("grid_id").annotate(n=Count("pk")).values_list("grid_id", "n"))
        households = dict(
            Household.objects.visible_to(user)
            .filter(grid_id__in=ids)
            .values("grid_id")
            .annotate(n=Count("pk"))
            .values_list("grid_id", "n")
        )
    tolerance = vp.cell / 20
    features = []
    for g in grids:
        geom = _simplify(g.boundary, tolerance)
        if geom is None:
            continue
        n = counts.get(g.pk, 0)
        if metric == "overdue":
            value: float | None = float(n)
        else:
            hh = households.get(g.pk, 0)
            value = round(n * 100.0 / hh, 1) if hh else None
        features.append(
            {
                "type": "Feature",
                "geometry": geom,
                "properties": {"id": g.pk, "name": g.name, "value": value, "count": n},
            }
        )
    return {"type": "FeatureCollection", "metric": metric, "features": features}


def hot_spots(
    *, user: User, now: datetime | None = None, days: int = 7, limit: int = 10
) -> list[dict]:
    """The grids with the most new requests of one category in the last ``days`` days."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    rows = (
        Case.objects.visible_to(user)
        .filter(created_at__gte=since, grid__isnull=False)
        .values("grid_id", "grid__name", "category_id", "category__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "grid__name", "category_id")[:limit]
    )
    out = []
    for r in rows:
        href = reverse("cases:workbench") + (
            f"?grid={r['grid_id']}&category={r['category_id']}&date_from={since.date().isoformat()}"
        )
        out.append(
            {
                "grid": r["grid__name"],
                "category": r["category__name"],
                "n": r["n"],
                "href": href,
            }
        )
    return out


def unit_choices(*, user: User) -> QuerySet[Unit]:
    """The unit picker: administrative units in the user's scope (towns, villages, grids)."""
    from lianxin.org.models import ADMINISTRATIVE_KINDS

    return (
        Unit.objects.visible_to(user)
        .filter(kind__in=[*ADMINISTRATIVE_KINDS, *GRID_KINDS])
        .only("id", "name", "path", "kind")
        .order_by("path")[:500]
    )
