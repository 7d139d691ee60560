"""Scoped reads of the 分派助手: the current model, the suggestions for a text at a place, and
the likely duplicates of a request.

Suggested units are only those the user may dispatch to (``cases.selectors.dispatch_targets``):
a suggestion outside one's reach is not a suggestion one can follow, and would reveal nothing
useful. Duplicates for staff are among the requests they see; for a resident at intake they are
the nearby live requests, shown by title, day and distance only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from lianxin.cases.models import LIVE_STATES, Case, Category
from lianxin.cases.selectors import dispatch_targets
from lianxin.org.models import Unit
from lianxin.triage import labels
from lianxin.triage.duplicates import DUPLICATE_THRESHOLD, duplicate_score, metres, place_words
from lianxin.triage.learn import Routing
from lianxin.triage.models import RoutingModel
from lianxin.triage.text import document

if TYPE_CHECKING:
    from lianxin.accounts.models import User

_loaded: dict[str, Any] = {}
_lock = threading.Lock()


def current_model() -> Routing | None:
    """The newest trained model, loaded once per process and again only when a newer one is
    stored (one indexed id query per call)."""
    return current_model_version()[1]


def current_model_version() -> tuple[int | None, Routing | None]:
    """The newest trained model with its id (the version a cached prediction belongs to)."""
    newest = RoutingModel.objects.order_by("-trained_at", "-id").values_list("id", flat=True)[:1]
    pk = next(iter(newest), None)
    if pk is None:
        return None, None
    with _lock:
        if _loaded.get("pk") != pk:
            blob = RoutingModel.objects.filter(pk=pk).values_list("blob", flat=True).first()
            _loaded["model"] = Routing.loads(bytes(blob)) if blob is not None else None
            _loaded["pk"] = pk
        return pk, _loaded["model"]


@dataclass
class Suggestion:
    label: str
    confidence: float
    category: Category | None = None
    unit: Unit | None = None
    level: str = ""  # a relative level's name when there is no place to resolve it yet


@dataclass
class Suggestions:
    categories: list[Suggestion]
    units: list[Suggestion]


def suggestions(
    *, user: User, text: str, grid: Unit | None, k: int = 3, model: Routing | None = None
) -> Suggestions:
    """The top ``k`` categories and handling units for ``text`` in ``grid``, with confidence."""
    model = model or current_model()
    if model is None or not text.strip():
        return Suggestions([], [])
    cats, units = model.top(document(text, labels.place_of(grid)), k=k + 6)
    by_code = Category.objects.filter(code__in=[c for c, _p in cats], is_active=True).in_bulk(
        field_name="code"
    )
    out_c = [Suggestion(c, p, category=by_code[c]) for c, p in cats if c in by_code][:k]
    resolved = {label: labels.resolve(label, grid, text) for label, _p in units}
    return Suggestions(out_c, pick_units(units, resolved, reach_of(user, resolved), grid, k))


def reach_of(user: User, *resolved: dict[str, Unit | None]) -> set[int]:
    """Which of the resolved units the user may dispatch to (one query)."""
    ids = {u.pk for r in resolved for u in r.values() if u is not None}
    if not ids:
        return set()
    return set(dispatch_targets(user=user).filter(pk__in=ids).values_list("pk", flat=True))


def pick_units(
    ranked: list[tuple[str, float]],
    resolved: dict[str, Unit | None],
    reach: set[int],
    grid: Unit | None,
    k: int,
) -> list[Suggestion]:
    """The first ``k`` distinct units of the ranked labels that the user may dispatch to (a
    level's name stands in when there is no place to resolve it against yet)."""
    out: list[Suggestion] = []
    seen: set[int] = set()
    for label, p in ranked:
        unit = resolved.get(label)
        if unit is None:
            if grid is None and label in labels.LEVEL_NAMES:
                out.append(Suggestion(label, p, level=str(labels.LEVEL_NAMES[label])))
            continue
        if unit.pk in seen or unit.pk not in reach:
            continue
        seen.add(unit.pk)
        out.append(Suggestion(label, p, unit=unit))
        if len(out) >= k:
            break
    return out[:k]


@dataclass
class Duplicate:
    case: Case
    score: float
    metres: float | None


def _near_q(grid: Unit | None, lat: float | None, lng: float | None, radius: float) -> Q | None:
    if lat is not None and lng is not None:
        d_lat = radius / 111_000.0
        d_lng = radius / 80_000.0  # cos(35°N) ≈ 0.82: a box a little wider than the circle
        box = Q(lat__range=(lat - d_lat, lat + d_lat), lng__range=(lng - d_lng, lng + d_lng))
        return box | Q(lat__isnull=True, grid=grid) if grid is not None else box
    if grid is not None:
        return Q(grid=grid)
    return None


def duplicates(
    *,
    text: str,
    grid: Unit | None,
    lat: float | None = None,
    lng: float | None = None,
    user: User | None = None,
    exclude: Case | None = None,
    now: datetime | None = None,
    limit: int = 3,
) -> list[Duplicate]:
    """Live requests within ``LIANXIN_TRIAGE_DUPLICATE_METRES`` (or in the same grid when there
    is no point) of the last ``LIANXIN_TRIAGE_DUPLICATE_DAYS`` days whose text is alike; among
    those ``user`` sees when given (staff), best first."""
    if not text.strip():
        return []
    radius = float(getattr(settings, "LIANXIN_TRIAGE_DUPLICATE_METRES", 500))
    days = int(getattr(settings, "LIANXIN_TRIAGE_DUPLICATE_DAYS", 14))
    near = _near_q(grid, lat, lng, radius)
    if near is None:
        return []
    now = now or timezone.now()
    qs = Case.objects.visible_to(user) if user is not None else Case.objects.all()
    qs = qs.filter(near, state__in=LIVE_STATES, created_at__gte=now - timedelta(days=days))
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    candidates = list(qs.select_related("grid", "village", "town").order_by("-created_at")[:200])
    model = current_model()
    place = labels.place_of(grid)
    out = []
    for c in candidates:
        distance = None
        if None not in (lat, lng, c.lat, c.lng):
            distance = metres(lat, lng, c.lat, c.lng)  # type: ignore[arg-type]
            if distance > radius:
                continue
        ignore = place_words(
            getattr(c.village, "name", ""), getattr(c.town, "name", ""), c.address or ""
        )
        score = duplicate_score(
            text,
            f"{c.title} {c.description}",
            model=model,
            place_a=place,
            place_b=place,
            ignore=ignore,
        )
        if score >= DUPLICATE_THRESHOLD:
            out.append(Duplicate(c, score, distance))
    out.sort(key=lambda d: -d.score)
    return out[:limit]
