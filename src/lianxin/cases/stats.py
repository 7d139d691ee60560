"""The rates rollup (``CaseStat``) kept current: never a GROUP BY over all requests on a page view.

Every service write that changes a request calls ``stats_sync(case)`` in its own transaction.
The request's rollup key before the change (taken when the row was locked, ``stats_snapshot``)
and after it are recomputed from the requests of that key — a small slice found by the grid
index — under a row lock on the rollup row, so two writers of one key are serialised and the
second sees the first's committed change. ``stats_rebuild()`` (``lianxin cases_stats_rebuild``,
also run by the demo and the benchmark) recomputes everything with one INSERT … SELECT.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, DateField, F, Max, Q, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from lianxin.cases.models import OPEN_STATES, Case, CaseStat, Category, State

COUNTED = ~Q(state__in=[State.MERGED, State.REJECTED])
COUNTERS = ("total", "accept_decided", "accepted_on_time", "resolve_decided", "resolved", "resolved_on_time",
            "rated", "satisfied", "open", "handled", "handling_minutes")
# 已判定 (docs/rates.md): a request counts for a rate once it was handled or its deadline passed —
# the deadline sweep stamps ``*_overdue_at`` then — never while it is still inside its time limit.
ACCEPT_DECIDED = Q(accepted_on_time__isnull=False) | Q(accept_overdue_at__isnull=False)
RESOLVE_DECIDED = Q(resolved_at__isnull=False) | Q(resolve_overdue_at__isnull=False)

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
    return (month_of(case.created_at), case.grid_id, case.unit_id, case.category_id, case.owner_user_id)


def stats_key(case: Case) -> Key | None:
    raw = _raw_key(case)
    return None if raw is None else (*raw[:3], _top_category(raw[3]), raw[4])


def stats_snapshot(case: Case) -> Case:
    """Remember the key the locked request is counted under now (before the service changes it)."""
    case._stats_raw = _raw_key(case)
    case._stats_raw_known = True
    return case


def stats_sync(case: Case) -> None:
    """After a change to ``case``: bring the rollup rows of its old and new key up to date."""
    old = case.__dict__.get("_stats_raw") if case.__dict__.get("_stats_raw_known") else None
    raws = {r for r in (old, _raw_key(case)) if r is not None}
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
        Case.objects.filter(COUNTED, grid_id=grid_id, unit_id=unit_id, owner_user_id=handler_id,
                            created_at__gte=start, created_at__lt=end)
        .annotate(top_category=Coalesce(F("category__parent_id"), F("category_id")))
        .filter(top_category=category_id)
    )


def _stat_rows(key: Key):
    month, grid_id, unit_id, category_id, handler_id = key
    return CaseStat.objects.filter(
        month=month, grid_id=grid_id, unit_id=unit_id, category_id=category_id, handler_id=handler_id
    )


def _refresh(key: Key) -> None:
    for _attempt in range(3):
        row = _stat_rows(key).select_for_update().first()  # serialises writers of this key
        agg = _cases_of(key).aggregate(**counter_aggregates(), town=Max("town_id"), village=Max("village_id"))
        town, village = agg.pop("town"), agg.pop("village")
        if not agg["total"]:
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
                    month=month, grid_id=grid_id, unit_id=unit_id, category_id=category_id,
                    handler_id=handler_id, town_id=town, village_id=village, **agg,
                )
            return
        except IntegrityError:
            continue  # another writer created it first: lock it and count again
    raise RuntimeError(f"rollup key {key} could not be refreshed")


def stats_grouped():
    """The rollup as a GROUP BY over every request (what the table must equal)."""
    return (
        Case.objects.filter(COUNTED)
        .annotate(
            stat_month=TruncMonth(TruncDate("created_at"), output_field=DateField()),
            top_category=Coalesce(F("category__parent_id"), F("category_id")),
        )
        .order_by()
        .values("stat_month", "grid_id", "unit_id", "top_category", "owner_user_id")
        .annotate(**counter_aggregates(), stat_town=Max("town_id"), stat_village=Max("village_id"))
    )


@transaction.atomic
def stats_rebuild() -> int:
    """Recompute the whole rollup in the database (one INSERT … SELECT); returns the row count."""
    CaseStat.objects.all().delete()
    sql, params = stats_grouped().query.sql_with_params()
    cols = ["month", "grid_id", "unit_id", "category_id", "handler_id", "town_id", "village_id", *COUNTERS]
    src = ["stat_month", "grid_id", "unit_id", "top_category", "owner_user_id", "stat_town", "stat_village", *COUNTERS]
    qn = connection.ops.quote_name
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    insert = (
        f"INSERT INTO {qn(CaseStat._meta.db_table)} ({', '.join(qn(c) for c in cols)}, created_at, updated_at) "  # noqa: S608 (identifiers from model meta, values bound)
        f"SELECT {', '.join('s.' + qn(c) for c in src)}, %s, %s FROM ({sql}) s"
    )
    with connection.cursor() as cursor:
        cursor.execute(insert, (now, now, *params))
    return CaseStat.objects.count()
