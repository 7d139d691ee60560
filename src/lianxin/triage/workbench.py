"""The workbench's suggestions: for every not-yet-dispatched request of a page, the top 3
handling units (and the category when it differs from the request's), with confidence.

Rule (issue 14, 5a): shown to staff who may handle the request, never applied without a person
(a click opens the dispatch confirmation, ``triage/partials/workbench_slot.html``). Only units
the user may dispatch to are suggested (``cases.selectors.dispatch_targets``), as on a request's
page (``selectors.suggestions``).

Bounded: the whole page is read in a fixed number of queries whatever its size (the requests,
which were dispatched already, the grids' levels, units named by code, property projects, the
user's reach, the categories), and the model's output per request is kept in a process-local
LRU keyed by (model version, request, grid, text): paging back and forth or reloading the queue
never puts a text through jieba twice. A process-local cache, not Django's: the deployment's
default cache is the database, where each write is its own queries.
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lianxin.cases.models import Case, CaseEvent, Category, EventKind, State
from lianxin.org.models import Unit, UnitKind
from lianxin.triage import labels
from lianxin.triage.selectors import Suggestion, current_model_version, pick_units, reach_of
from lianxin.triage.text import document

if TYPE_CHECKING:
    from lianxin.accounts.models import User

K = 3
RANKED = K + 6  # labels read per request: some resolve to nothing here or lie out of reach
CACHE_SIZE = 20_000
# The states a request may be dispatched from (cases.services.machine.ALLOWED["dispatch"]).
DISPATCHABLE = (State.SUBMITTED, State.ACCEPTED, State.REOPENED)
MOVED = (EventKind.DISPATCH, EventKind.TRANSFER)

Ranked = tuple[list[tuple[str, float]], list[tuple[str, float]]]
_cache: OrderedDict[tuple[int, int, int | None, int], Ranked] = OrderedDict()
_cache_lock = threading.Lock()


@dataclass
class RowHints:
    case: Case
    units: list[Suggestion]
    category: Suggestion | None  # the likeliest category, when it is not the request's own


def may_show(case: Case) -> bool:
    """Whether a workbench row can carry suggestions at all (no query: its state)."""
    return case.state in DISPATCHABLE


def _text(case: Case) -> str:
    return f"{case.title} {case.description}"


def _ranked(model_pk: int, model, cases: list[Case], places: dict[int, str]) -> list[Ranked]:
    keys = [(model_pk, c.pk, c.grid_id, zlib.crc32(_text(c).encode("utf-8"))) for c in cases]
    with _cache_lock:
        found = {key: _cache[key] for key in keys if key in _cache}
        for key in found:
            _cache.move_to_end(key)
    missing = [(key, c) for key, c in zip(keys, cases, strict=True) if key not in found]
    if missing:
        docs = [document(_text(c), places.get(c.pk, "")) for _key, c in missing]
        for (key, _c), out in zip(missing, model.top_many(docs, k=RANKED), strict=True):
            found[key] = out
        with _cache_lock:
            for key, _c in missing:
                _cache[key] = found[key]
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return [found[key] for key in keys]


def _levels(cases: list[Case]) -> dict[int, dict[str, Unit]]:
    """Each grid's ``labels.chain``, all read in one query."""
    grids = {c.grid.pk: c.grid for c in cases if c.grid is not None}
    paths = {p for g in grids.values() for p in g.ancestor_paths()}
    by_path = {u.path: u for u in Unit.objects.filter(path__in=paths)} if paths else {}
    return {
        pk: labels.chain(g, ancestors=[by_path[p] for p in g.ancestor_paths() if p in by_path])
        for pk, g in grids.items()
    }


def workbench_suggestions(*, user: User, ids: list[int], k: int = K) -> list[RowHints]:
    """The suggestions for the requests ``ids`` of a workbench page: those the user sees and
    may handle, in a dispatchable state, never dispatched or transferred yet."""
    model_pk, model = current_model_version()
    if model is None or model_pk is None or not ids:
        return []
    cases = [
        c
        for c in Case.objects.visible_to(user)
        .filter(pk__in=ids, state__in=DISPATCHABLE)
        .select_related("grid", "unit", "owner_unit", "category")
        .order_by("pk")
        if user.has_perm("triage.view_suggestions", c)
    ]
    moved = set(
        CaseEvent.objects.filter(case__in=[c.pk for c in cases], kind__in=MOVED).values_list(
            "case_id", flat=True
        )
    )
    cases = [c for c in cases if c.pk not in moved]
    if not cases:
        return []
    levels = _levels(cases)
    places = {c.pk: labels.place_of(c.grid, levels[c.grid.pk]) for c in cases if c.grid is not None}
    ranked = _ranked(model_pk, model, cases, places)

    codes = {lb[2:] for _cats, units in ranked for lb, _p in units if lb.startswith("u:")}
    by_code = Unit.objects.filter(code__in=codes, is_active=True).in_bulk(field_name="code")
    villages = {
        lv["@village"].pk
        for c, (_cats, units) in zip(cases, ranked, strict=True)
        if c.grid is not None
        and "@village" in (lv := levels[c.grid.pk])
        and any(lb == "@property" for lb, _p in units)
    }
    projects: dict[int | None, list[Unit]] = {}
    if villages:
        for project in Unit.objects.filter(
            parent__in=villages, kind=UnitKind.PROPERTY_PROJECT, is_active=True
        ).order_by("pk"):
            projects.setdefault(project.parent_id, []).append(project)

    resolved: list[dict[str, Unit | None]] = []
    for c, (_cats, units) in zip(cases, ranked, strict=True):
        lv = levels.get(c.grid.pk, {}) if c.grid is not None else {}
        here: dict[str, Unit | None] = {}
        for label, _p in units:
            if label.startswith("u:"):
                here[label] = by_code.get(label[2:])
            elif label == "@property":
                village = lv.get("@village")
                here[label] = labels.property_project(
                    village, _text(c), projects=projects.get(village.pk, []) if village else []
                )
            else:
                here[label] = lv.get(label)
        resolved.append(here)
    reach = reach_of(user, *resolved)
    top_codes = {cats[0][0] for cats, _units in ranked if cats}
    categories = Category.objects.filter(code__in=top_codes, is_active=True).in_bulk(
        field_name="code"
    )

    out = []
    for c, (cats, units), here in zip(cases, ranked, resolved, strict=True):
        category = None
        if cats and cats[0][0] in categories and categories[cats[0][0]].pk != c.category_id:
            code, confidence = cats[0]
            category = Suggestion(code, confidence, category=categories[code])
        out.append(RowHints(c, pick_units(units, here, reach, c.grid, k), category))
    return out
