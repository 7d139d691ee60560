"""Demo step: past dispatches routed the way a county really routes, and the first model.

The cases step (``cases.demo``) gives a year of requests handled mostly where they were filed;
this step adds ``LIANXIN_DEMO_TRIAGE`` (default 6,000) requests whose texts and handling units
follow ``demo_texts`` (unpaid wages to 县人社局, a dark street light by where it is, a burst pipe
in a 小区 to its property project …), closed and rated, plus a few fresh nearby reports of one
matter (the duplicates a resident or a clerk will be shown). It adds the departments and
categories such routing needs that the org and cases steps lack (县教育局, 县卫生健康局,
县城市管理局; 食品安全, 教育入学, 医疗卫生, 退役军人帮扶), then trains the routing model so the
suggestions work at once (``LIANXIN_DEMO_TRIAGE_TRAIN=0`` leaves it to the worker).
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import Max

from lianxin.cases import search
from lianxin.cases.deadlines import due_at, rule_for
from lianxin.cases.demo import _code, _fast_insert
from lianxin.cases.models import Case, CaseEvent, Category, Channel, EventKind, Rating, State
from lianxin.core.demo import DemoContext
from lianxin.org.demo import demo_name
from lianxin.org.models import Membership, Role, Unit, UnitKind
from lianxin.org.services import unit_create
from lianxin.triage import demo_texts, labels

DEMO_ORDER = 41
DEFAULT_COUNT = 6_000
CLUSTERS = 12  # fresh matters reported by several neighbours (open: duplicates to find)


def _departments(county: Unit, log) -> dict[str, Unit]:
    have = {u.name: u for u in Unit.objects.filter(parent=county, kind=UnitKind.DEPARTMENT)}
    codes = {u.code for u in have.values()}
    out, added = {}, []
    for short, name in demo_texts.DEPARTMENTS.items():
        unit = have.get(name)
        if unit is None:
            n = len(codes) + 1
            while f"{county.code}-D{n:02d}" in codes:
                n += 1
            code = f"{county.code}-D{n:02d}"
            codes.add(code)
            unit = unit_create(code=code, name=name, kind=UnitKind.DEPARTMENT, parent=county)
            added.append(name)
        out[short] = unit
    if added:
        log(f"分派：补充部门 {'、'.join(added)}")
    return out


def _categories() -> dict[str, Category]:
    cats = {c.code: c for c in Category.objects.all()}
    for code, name, parent in demo_texts.EXTRA_CATEGORIES:
        if code not in cats and parent in cats:
            cats[code] = Category.objects.create(
                code=code, name=name, parent=cats[parent], sort_order=90
            )
    return cats


def _places(county: Unit) -> tuple[dict[str, list[dict[str, Any]]], dict[int, Unit]]:
    """Grids by place kind, each with the names its texts use."""
    grids = list(
        Unit.objects.filter(kind=UnitKind.GRID, path__startswith=county.path)
        .select_related("parent__parent")
        .order_by("code")
    )
    kinds: dict[int, str] = {}
    out: dict[str, list[dict[str, Any]]] = {p: [] for p in demo_texts.PLACES}
    for grid in grids:
        village = grid.parent
        if village is None or village.parent is None:
            continue
        if village.pk not in kinds:
            kinds[village.pk] = labels.place_of(grid)
        place = kinds[village.pk]
        if place:
            town = village.parent
            short = village.name.removesuffix("居民委员会").removesuffix("村民委员会")
            out[place].append({"t": town.name, "v": short, "c": short, "grid": grid})
    return out, {g.pk: g for g in grids}


def demo_build(ctx: DemoContext) -> None:
    county = ctx.county
    count = int(ctx.options.get("triage", os.environ.get("LIANXIN_DEMO_TRIAGE", DEFAULT_COUNT)))
    if county is None or count <= 0:
        return
    rng = ctx.rng
    depts = _departments(county, ctx.log)
    cats = _categories()
    places, _grids = _places(county)
    if not any(places.values()):
        return
    projects: dict[int, list[Unit]] = {}
    for p in Unit.objects.filter(kind=UnitKind.PROPERTY_PROJECT, path__startswith=county.path):
        projects.setdefault(p.parent_id, []).append(p)
    handlers: dict[int, list[tuple[int, str, str]]] = {}
    for unit_id, user_id, name, post in Membership.objects.filter(
        unit__path__startswith=county.path,
        role__in=[Role.GRID_WORKER, Role.VILLAGE_STAFF, Role.TOWN_STAFF, Role.DEPT_HANDLER],
    ).values_list("unit_id", "user_id", "user__display_name", "post"):
        handlers.setdefault(unit_id, []).append((user_id, name, post or ""))
    rules: dict[tuple[int, str], tuple] = {}
    used = set(Case.objects.values_list("code", flat=True))
    now = ctx.now
    cases: list[Case] = []
    events: list[CaseEvent] = []

    def route_unit(route: str, grid: Unit) -> Unit:
        if route.startswith("dept:"):
            return depts[route[5:]]
        village = grid.parent
        if route == "@property":
            found = projects.get(village.pk if village else 0)
            return rng.choice(found) if found else (village or grid)
        return {"@grid": grid, "@village": village, "@town": village.parent if village else None}[
            route
        ] or grid

    def add(sample, names, created, state: str) -> Case:
        grid = names["grid"]
        village = grid.parent
        town = village.parent if village else None
        cat = cats.get(sample.category) or cats["other"]
        unit = route_unit(sample.route, grid)
        (x0, y0), (x1, y1) = grid.boundary["coordinates"][0][0], grid.boundary["coordinates"][0][2]
        key = (cat.pk, cat.default_priority)
        if key not in rules:
            rules[key] = rule_for(cat, cat.default_priority)
        a, au, r, ru = rules[key]
        handler = rng.choice(handlers.get(unit.pk) or [(None, "", "")])
        case = Case(
            code=_code(rng, used),
            title=sample.title,
            description=sample.description,
            search_tokens=search.index_text(sample.title, sample.description),
            category=cat,
            priority=cat.default_priority,
            channel=rng.choices([Channel.RESIDENT, Channel.STAFF, Channel.GRID], [55, 25, 20])[0],
            reporter_name=demo_name(rng),
            reporter_phone=f"1{rng.choice('35789')}{rng.randint(100000000, 999999999)}",
            grid=grid,
            town=town,
            village=village,
            address=f"{names['v']}",
            lat=round(rng.uniform(y0, y1), 6),
            lng=round(rng.uniform(x0, x1), 6),
            created_at=created,
            dispatched_at=created,
            accept_due_at=due_at(created, a, au).at,
            resolve_due_at=due_at(created, r, ru).at,
            unit=unit,
            owner_unit=unit,
            state=State.SUBMITTED,
            updated_at=now,
        )
        ev = [
            CaseEvent(
                case=case,
                kind=EventKind.SUBMIT,
                to_unit=grid,
                to_state=State.SUBMITTED,
                note=Channel(case.channel).label,
                created_at=created,
            )
        ]
        if unit.pk != grid.pk:
            ev.append(
                CaseEvent(
                    case=case,
                    kind=EventKind.DISPATCH,
                    from_unit=grid,
                    to_unit=unit,
                    from_state=State.SUBMITTED,
                    to_state=State.SUBMITTED,
                    created_at=created + timedelta(minutes=rng.randint(5, 90)),
                )
            )
        if state != State.SUBMITTED:
            uid, uname, upost = handler  # a unit without a named handler closes as the unit
            accepted = created + timedelta(hours=rng.choice([0.5, 1, 2, 4, 8]))
            resolved = accepted + timedelta(hours=rng.uniform(4, 24 * 5))
            if uid is not None:
                case.owner_user_id, case.owner_unit, case.handler_post = uid, None, upost
            case.accepted_at = case.first_accepted_at = accepted
            case.accepted_on_time = accepted <= case.accept_due_at
            case.resolved_at, case.resolved_on_time = resolved, resolved <= case.resolve_due_at
            case.handling_minutes = int((resolved - created).total_seconds() // 60)
            case.resolution = "已协调办理完毕"
            rated = resolved + timedelta(hours=rng.uniform(2, 48))
            case.state, case.closed_at = State.CLOSED, rated
            case.rating = rng.choices([Rating.SATISFIED, Rating.BASIC], [85, 15])[0]
            case.rated_at, case.rated_unit, case.rated_handler_id = rated, unit, uid
            for kind, at, frm, to, note in (
                (EventKind.ACCEPT, accepted, State.SUBMITTED, State.ACCEPTED, ""),
                (EventKind.RESOLVE, resolved, State.ACCEPTED, State.RESOLVED, case.resolution),
                (
                    EventKind.EVALUATE,
                    rated,
                    State.RESOLVED,
                    State.CLOSED,
                    Rating(case.rating).label,
                ),
            ):
                ev.append(
                    CaseEvent(
                        case=case,
                        kind=kind,
                        actor_id=uid if kind != EventKind.EVALUATE else None,
                        actor_name=uname if kind != EventKind.EVALUATE else "",
                        actor_post=upost if kind != EventKind.EVALUATE else "",
                        from_state=frm,
                        to_state=to,
                        note=note,
                        created_at=at,
                    )
                )
        cases.append(case)
        events.extend(ev)
        return case

    for sample in demo_texts.samples(rng, count, places):
        names = rng.choice(places[sample.place])
        created = now - timedelta(days=rng.uniform(8, 330), minutes=rng.randint(0, 600))
        if created + timedelta(days=8) < now:
            add(sample, names, created, State.CLOSED)
    # Fresh matters several neighbours report within days: the open duplicates.
    fresh = demo_texts.samples(rng, CLUSTERS, places)
    for sample in fresh:
        names = rng.choice(places[sample.place])
        intent = next(i for i in demo_texts.INTENTS if i.key == sample.intent)
        first = add(sample, names, now - timedelta(days=rng.uniform(1, 4)), State.SUBMITTED)
        for k in range(rng.randint(1, 2)):
            again = demo_texts.compose(rng, intent, sample.place, names, vague=False)
            twin = add(again, names, first.created_at + timedelta(hours=3 + 5 * k), State.SUBMITTED)
            twin.lat = round(first.lat + rng.uniform(-0.0008, 0.0008), 6)
            twin.lng = round(first.lng + rng.uniform(-0.0008, 0.0008), 6)
    next_id = (Case.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    for i, c in enumerate(cases):
        c.id = next_id + i
    next_event = (CaseEvent.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    for i, e in enumerate(events):
        e.id = next_event + i
        e.case_id = e.case.id
    _fast_insert(Case, cases)
    _fast_insert(CaseEvent, events)
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Case, CaseEvent]):
            cursor.execute(sql)
    from lianxin.cases.stats import stats_rebuild

    stats_rebuild()
    ctx.log(f"分派：按实际分派规则的诉求 {len(cases)} 件（其中近期重复反映 {CLUSTERS} 组）")
    if os.environ.get("LIANXIN_DEMO_TRIAGE_TRAIN", "1") != "0":
        from lianxin.triage.services import routing_model_train

        row = routing_model_train(now=now)
        ctx.log(f"分派模型：{row.samples if row else 0} 条已办诉求训练")
