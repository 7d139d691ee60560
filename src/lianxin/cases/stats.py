"""The rates rollup (``CaseStat``) kept current: never a GROUP BY over all requests on a page view.

Every service write that changes a request calls ``stats_sync(case)`` in its own transaction.
The request's rollup key before the change (taken when the row was locked, ``stats_snapshot``)
and after it are recomputed from the requests of that key — a small slice found by the grid
index — under a row lock on the rollup row, so two writers of one key are serialised and the
second sees the first's committed change. ``stats_rebuild()`` (``lianxin cases_stats_rebuild``,
also run by the demo and the benchmark) recomputes everything with one INSERT … SELECT.

A rating is charged to the resolution it judges: ``rated`` and ``satisfied`` are counted under
the key of the unit and handler that resolved the rated request (``Case.rated_unit`` and
``rated_handler``), every other counter under the request's current unit and handler. A 不满意
reopens the request to the level above; that unit then counts it as open, the grid or handler
that resolved it keeps the 不满意. So one request may touch two keys.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, DateField, F, Max, Q, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from lianxin.cases.models import OPEN_STATES, Case, CaseStat, Category, State

COUNTED = ~Q(state__in=[State.MERGED, State.REJECTED])
COUNTERS = (
    "total",
    "accept_decided",
    "accepted_on_time",
    "resolve_decided",
    "resolved",
    "resolved_on_time",
    "rated",
    "satisfied",
    "open",
    "handled",
    "handling_minutes",
)
# 已判定 (docs/rates.md): a request counts for a rate once it was handled or its deadline passed —
# the deadline sweep stamps ``*_overdue_at`` then — never while it is still inside its time limit.
ACCEPT_DECIDED = Q(accepted_on_time__isnull=False) | Q(accept_overdue_at__isnull=False)
RESOLVE_DECIDED = Q(resolved_at__isnull=False) | Q(resolve_overdue_at__isnull=False)
RATED = Q(rating__in=["satisfied", "basic", "unsatisfied"])
RATING_COUNTERS = ("rated", "satisfied")
HANDLING_COUNTERS = tuple(c for c in COUNTERS if c not in RATING_COUNTERS)

Key = tuple[date, int, int, int, int | None]  # month, grid, unit, top category, handler


def counter_aggregates() -> dict:
    """How each counter is counted over requests (the definitions of ``rates``)."""
    return {
        "total": Count("id"),
        "accept_decided": Count("id", filter=ACCEPT_DECIDED),
        "accepted_on_time": Count("id", filter=Q(accepted_on_time=True)),
        "resolve_decided": Count("id", filter=RESOLVE_DECIDED),
        "resolved": Count("id", filter=Q(resolved_at__isnull=False)),
        "resolved_on_time": Count("id", filter=Q(resolved_on_time=True)),
        "rated": Count("id", filter=Q(rating__in=["satisfied", "basic", "unsatisfied"])),
        "satisfied": Count("id", filter=Q(rating__in=["satisfied", "basic"])),
        "open": Count("id", filter=Q(state__in=OPEN_STATES)),
        "handled": Count("handling_minutes"),
        "handling_minutes": Coalesce(Sum("handling_minutes"), 0),
    }


def month_of(moment: datetime) -> date:
    return timezone.localtime(moment).date().replace(day=1)


def _top_category(category_id: int) -> int:
    parent = Category.objects.filter(pk=category_id).values_list("parent_id", flat=True).first()
    return parent or category_id


def _raw_key(case: Case) -> tuple | None:
    """The key with the request's own category (no query); None when it is not counted."""
    if case.pk is None or case.state in (State.MERGED, State.REJECTED):
        return None
    return (
        month_of(case.created_at),
        case.grid_id,
        case.unit_id,
        case.category_id,
        case.owner_user_id,
    )


def _raw_rating_key(case: Case) -> tuple | None:
    """The key its rating is charged to (the resolving unit and handler); None when not rated."""
    if case.pk is None or case.state in (State.MERGED, State.REJECTED):
        return None
    if case.rating not in ("satisfied", "basic", "unsatisfied") or case.rated_unit_id is None:
        return None
    return (
        month_of(case.created_at),
        case.grid_id,
        case.rated_unit_id,
        case.category_id,
        case.rated_handler_id,
    )


def _raw_keys(case: Case) -> set[tuple]:
    return {r for r in (_raw_key(case), _raw_rating_key(case)) if r is not None}


def stats_key(case: Case) -> Key | None:
    raw = _raw_key(case)
    return None if raw is None else (*raw[:3], _top_category(raw[3]), raw[4])


def stats_snapshot(case: Case) -> Case:
    """Remember the keys the locked request is counted under now (before the service changes it)."""
    case._stats_raw = _raw_keys(case)
    case._stats_raw_known = True
    return case


def stats_sync(case: Case) -> None:
    """After a change to ``case``: bring the rollup rows of its old and new keys up to date."""
    old = case.__dict__.get("_stats_raw") if case.__dict__.get("_stats_raw_known") else None
    raws = set(old or ()) | _raw_keys(case)
    tops = {cid: _top_category(cid) for cid in {r[3] for r in raws}}
    keys = {(*r[:3], tops[r[3]], r[4]) for r in raws}
    for key in sorted(keys, key=lambda k: (k[0], k[1], k[2], k[3], k[4] or 0)):
        _refresh(key)
    stats_snapshot(case)


def _month_range(month: date) -> tuple[datetime, datetime]:
    start = datetime(month.year, month.month, 1, tzinfo=timezone.get_current_timezone())
    return start, (start + timedelta(days=32)).replace(day=1)


def _cases_of(key: Key):
    month, grid_id, unit_id, category_id, handler_id = key
    start, end = _month_range(month)
    return (
        Case.objects.filter(
            COUNTED,
            grid_id=grid_id,
            unit_id=unit_id,
            owner_user_id=handler_id,
            created_at__gte=start,
            created_at__lt=end,
        )
        .annotate(top_category=Coalesce(F("category__parent_id"), F("category_id")))
        .filter(top_category=category_id)
    )


def _rated_cases_of(key: Key):
    """The rated requests whose rating is charged to this key's unit and handler."""
    month, grid_id, unit_id, category_id, handler_id = key
    start, end = _month_range(month)
    return (
        Case.objects.filter(
            COUNTED,
            RATED,
            grid_id=grid_id,
            rated_unit_id=unit_id,
            rated_handler_id=handler_id,
            created_at__gte=start,
            created_at__lt=end,
        )
        .annotate(top_category=Coalesce(F("category__parent_id"), F("category_id")))
        .filter(top_category=category_id)
    )


def _key_counts(key: Key) -> dict:
    """The counters of one key: handling ones over its requests, ratings over those it resolved."""
    aggs = counter_aggregates()
    agg = _cases_of(key).aggregate(
        **{n: aggs[n] for n in HANDLING_COUNTERS}, town=Max("town_id"), village=Max("village_id")
    )
    rated = _rated_cases_of(key).aggregate(
        **{n: aggs[n] for n in RATING_COUNTERS}, rtown=Max("town_id"), rvillage=Max("village_id")
    )
    agg["town"] = agg["town"] or rated.pop("rtown")
    agg["village"] = agg["village"] or rated.pop("rvillage")
    rated.pop("rtown", None)
    rated.pop("rvillage", None)
    return {**agg, **rated}


def _stat_rows(key: Key):
    month, grid_id, unit_id, category_id, handler_id = key
    return CaseStat.objects.filter(
        month=month,
        grid_id=grid_id,
        unit_id=unit_id,
        category_id=category_id,
        handler_id=handler_id,
    )


def _refresh(key: Key) -> None:
    for _attempt in range(3):
        row = _stat_rows(key).select_for_update().first()  # serialises writers of this key
        agg = _key_counts(key)
        town, village = agg.pop("town"), agg.pop("village")
        if not agg["total"] and not agg["rated"]:
            if row is not None:
                row.delete()
            return
        if row is not None:
            for name, value in agg.items():
                setattr(row, name, value)
            row.save(update_fields=[*agg, "updated_at"])
            return
        month, grid_id, unit_id, category_id, handler_id = key
        try:
            with transaction.atomic():
                CaseStat.objects.create(
                    month=month,
                    grid_id=grid_id,
                    unit_id=unit_id,
                    category_id=category_id,
                    handler_id=handler_id,
                    town_id=town,
                    village_id=village,
                    **agg,
                )
            return
        except IntegrityError:
            continue  # another writer created it first: lock it and count again
    raise RuntimeError(f"rollup key {key} could not be refreshed")


def _grouped_parts():
    """The two GROUP BYs over the requests: handling counters by current unit and handler,
    rating counters by the resolving unit and handler."""
    aggs = counter_aggregates()
    base = (
        Case.objects.filter(COUNTED)
        .annotate(
            stat_month=TruncMonth(TruncDate("created_at"), output_field=DateField()),
            top_category=Coalesce(F("category__parent_id"), F("category_id")),
        )
        .order_by()
    )
    handling = base.values(
        "stat_month", "grid_id", "unit_id", "top_category", "owner_user_id"
    ).annotate(
        **{n: aggs[n] for n in HANDLING_COUNTERS},
        stat_town=Max("town_id"),
        stat_village=Max("village_id"),
    )
    rating = (
        base.filter(RATED, rated_unit__isnull=False)
        .values("stat_month", "grid_id", "rated_unit_id", "top_category", "rated_handler_id")
        .annotate(
            **{n: aggs[n] for n in RATING_COUNTERS},
            stat_town=Max("town_id"),
            stat_village=Max("village_id"),
        )
    )
    return handling, rating


GROUPED_COLUMNS = (
    "stat_month",
    "grid_id",
    "unit_id",
    "top_category",
    "owner_user_id",
    "stat_town",
    "stat_village",
    *COUNTERS,
)


def _grouped_sql() -> tuple[str, tuple]:
    """One SELECT of the rollup's rows (columns ``GROUPED_COLUMNS``): both GROUP BYs summed per key."""
    handling, rating = _grouped_parts()
    h_sql, h_params = handling.query.sql_with_params()
    r_sql, r_params = rating.query.sql_with_params()
    qn = connection.ops.quote_name
    keys = ["stat_month", "grid_id", "unit_id", "top_category", "owner_user_id"]
    h_cols = [*keys, "stat_town", "stat_village", *HANDLING_COUNTERS]
    r_cols = [
        "stat_month",
        "grid_id",
        "rated_unit_id",
        "top_category",
        "rated_handler_id",
        "stat_town",
        "stat_village",
    ]
    h_select = ", ".join(
        [*(f"h.{qn(c)} AS {qn(c)}" for c in h_cols), *(f"0 AS {qn(c)}" for c in RATING_COUNTERS)]
    )
    r_select = ", ".join(
        [
            *(
                f"r.{qn(c)} AS {qn(o)}"
                for c, o in zip(r_cols, [*keys, "stat_town", "stat_village"], strict=True)
            ),
            *(f"0 AS {qn(c)}" for c in HANDLING_COUNTERS),
            *(f"r.{qn(c)} AS {qn(c)}" for c in RATING_COUNTERS),
        ]
    )
    union = f"SELECT {h_select} FROM ({h_sql}) h UNION ALL SELECT {r_select} FROM ({r_sql}) r"  # noqa: S608 (identifiers from model meta, values bound)
    outer = ", ".join(
        [
            *(f"u.{qn(k)} AS {qn(k)}" for k in keys),
            f"MAX(u.{qn('stat_town')}) AS {qn('stat_town')}",
            f"MAX(u.{qn('stat_village')}) AS {qn('stat_village')}",
            *(f"SUM(u.{qn(c)}) AS {qn(c)}" for c in COUNTERS),
        ]
    )
    group = ", ".join(f"u.{qn(k)}" for k in keys)
    return f"SELECT {outer} FROM ({union}) u GROUP BY {group}", (*h_params, *r_params)  # noqa: S608


def stats_grouped() -> list[dict]:
    """The rollup as a GROUP BY over every request (what the table must equal)."""
    sql, params = _grouped_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out = []
    for row in rows:
        r = dict(zip(GROUPED_COLUMNS, row, strict=True))
        if isinstance(r["stat_month"], str):
            r["stat_month"] = date.fromisoformat(r["stat_month"][:10])
        elif isinstance(r["stat_month"], datetime):
            r["stat_month"] = r["stat_month"].date()
        for c in COUNTERS:
            r[c] = int(r[c] or 0)
        out.append(r)
    return out


@transaction.atomic
def stats_rebuild() -> int:
    """Recompute the whole rollup in the database (one INSERT … SELECT); returns the row count."""
    CaseStat.objects.all().delete()
    sql, params = _grouped_sql()
    cols = [
        "month",
        "grid_id",
        "unit_id",
        "category_id",
        "handler_id",
        "town_id",
        "village_id",
        *COUNTERS,
    ]
    qn = connection.ops.quote_name
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    insert = (
        f"INSERT INTO {qn(CaseStat._meta.db_table)} ({', '.join(qn(c) for c in cols)}, created_at, updated_at) "  # noqa: S608 (identifiers from model meta, values bound)
        f"SELECT {', '.join('s.' + qn(c) for c in GROUPED_COLUMNS)}, %s, %s FROM ({sql}) s"
    )
    with connection.cursor() as cursor:
        cursor.execute(insert, (now, now, *params))
    return CaseStat.objects.count()
