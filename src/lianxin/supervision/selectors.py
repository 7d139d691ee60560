"""Reads of 督办问责, each narrowed through ``lianxin.org.scoping``: the orders a level issued
(by the issuing unit's subtree), the orders addressed to a user's own units, one order with its
rounds, a unit's record, the monthly 末位 board, and the month's figures for the report."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lianxin.cases import rates
from lianxin.cases.models import Case
from lianxin.core import params as p
from lianxin.org.models import STAFF_ROLES, Unit
from lianxin.org.scoping import scope_queryset, under_q, user_scope
from lianxin.supervision.models import (
    Decision,
    DecisionKind,
    DecisionState,
    OrderKind,
    OrderRound,
    OrderState,
    SupervisionOrder,
    overdue_q,
)

if TYPE_CHECKING:
    from lianxin.accounts.models import User

BOXES = ("issued", "received")
STATE_FILTERS = ("issued", "replied", "accepted", "overdue")


def month_bounds(month: date | str) -> tuple[datetime, datetime] | None:
    """The aware [start, end) of a month given as a date or ``YYYY-MM``; None when invalid."""
    first = p.parse_month(month) if isinstance(month, str) else date(month.year, month.month, 1)
    if first is None:
        return None
    following = (first + timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=tz),
        datetime.combine(following, time.min, tzinfo=tz),
    )


def order_filters(query: Mapping[str, Any]) -> dict[str, str]:
    """The list's filters from its query string (JSON-able): the page and its export read
    them here, so the file holds the rows the list shows."""
    return {
        "box": p.get_choice(query, "box", BOXES, default="issued"),
        "state": p.get_choice(query, "state", STATE_FILTERS, default=""),
        "kind": p.get_choice(query, "kind", OrderKind.values, default=""),
        "month": p.month_text(query, "month"),
        "q": p.get_str(query, "q", max_length=40),
    }


def _base(qs: QuerySet) -> QuerySet:
    return qs.select_related("unit", "issuer_unit", "case", "issued_by")


def received_q(user: User) -> Q:
    """Orders addressed to one of the user's own staff units (not their subtree)."""
    scope = user_scope(user)
    ids = sorted({m.unit_id for m in scope.memberships if m.role in STAFF_ROLES})
    return Q(unit_id__in=ids)


def orders_scope(*, user: User, box: str = "issued") -> QuerySet[SupervisionOrder]:
    """``issued``: the orders issued by units in the user's subtrees (the level above's
    console); ``received``: the orders addressed to the user's own units (the inbox)."""
    qs = SupervisionOrder.objects.all()
    if box == "received":
        return qs.filter(received_q(user)) if user_scope(user).is_staff else qs.none()
    return scope_queryset(qs, user, fields=("issuer_unit",))


def _apply(qs: QuerySet, f: Mapping[str, str], now: datetime, *, state: bool = True) -> QuerySet:
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("month"):
        bounds = month_bounds(f["month"])
        if bounds is not None:
            qs = qs.filter(issued_at__gte=bounds[0], issued_at__lt=bounds[1])
    if f.get("q"):
        q = f["q"]
        qs = qs.filter(Q(title__icontains=q) | Q(unit__name__icontains=q) | Q(unit__code=q))
    if state and f.get("state"):
        state_q = overdue_q(now) if f["state"] == "overdue" else Q(state=f["state"])
        qs = qs.filter(state_q)
    return qs


def order_list(
    *, user: User, filters: Mapping[str, str], now: datetime | None = None
) -> QuerySet[SupervisionOrder]:
    now = now or timezone.now()
    qs = orders_scope(user=user, box=filters.get("box", "issued"))
    return _base(_apply(qs, filters, now)).order_by("-issued_at", "-pk")


def state_counts(
    *, user: User, filters: Mapping[str, str], now: datetime | None = None
) -> dict[str, int]:
    """Counts by state of the list under its other filters (the tabs), overdue included."""
    now = now or timezone.now()
    qs = _apply(
        orders_scope(user=user, box=filters.get("box", "issued")), filters, now, state=False
    )
    agg = qs.aggregate(
        all=Count("id"),
        issued=Count("id", filter=Q(state=OrderState.ISSUED)),
        replied=Count("id", filter=Q(state=OrderState.REPLIED)),
        accepted=Count("id", filter=Q(state=OrderState.ACCEPTED)),
        overdue=Count("id", filter=overdue_q(now)),
    )
    return {k: int(v or 0) for k, v in agg.items()}


def order_get(*, user: User, pk: int) -> SupervisionOrder:
    """One order for a user whose subtree holds its addressed unit; 404 otherwise."""
    order = _base(SupervisionOrder.objects.visible_to(user)).filter(pk=pk).first()
    if order is None:
        raise Http404
    return order


def order_rounds(order: SupervisionOrder) -> list[OrderRound]:
    return list(order.rounds.select_related("issued_by", "replied_by", "reviewed_by"))


def orders_for_case(*, user: User, case: Case) -> QuerySet[SupervisionOrder]:
    return _base(SupervisionOrder.objects.visible_to(user).filter(case=case))


def unit_orders(*, user: User, unit: Unit) -> QuerySet[SupervisionOrder]:
    """The orders addressed to ``unit`` itself, for a user who sees it."""
    return _base(SupervisionOrder.objects.visible_to(user).filter(unit=unit))


def unit_decisions(*, user: User, unit: Unit) -> QuerySet[Decision]:
    return Decision.objects.visible_to(user).filter(unit=unit).select_related("unit")


# --- decisions ---------------------------------------------------------------------------------


def decision_filters(query: Mapping[str, Any]) -> dict[str, str]:
    return {
        "kind": p.get_choice(query, "kind", DecisionKind.values, default=""),
        "state": p.get_choice(query, "state", DecisionState.values, default=""),
        "month": p.month_text(query, "month"),
    }


def decision_list(*, user: User, filters: Mapping[str, str]) -> QuerySet[Decision]:
    """Decisions taken by units in the user's subtrees (the level above follows them)."""
    qs = scope_queryset(Decision.objects.all(), user, fields=("issuer_unit",))
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("month"):
        qs = qs.filter(month=filters["month"])
    return qs.select_related("unit", "issuer_unit", "decided_by").order_by("-decided_at", "-pk")


def decision_get(*, user: User, pk: int) -> Decision:
    d = (
        Decision.objects.visible_to(user)
        .select_related("unit", "issuer_unit", "decided_by", "order")
        .filter(pk=pk)
        .first()
    )
    if d is None:
        raise Http404
    return d


# --- the monthly 末位 board ----------------------------------------------------------------------


def ranking_board(
    *, user: User, month: str, level: str = "town", now: datetime | None = None
) -> list[dict[str, Any]]:
    """The month's 末位 units (``cases.rates.ranking``, scoped as ``user``), each with its
    overdue requests of the month, the orders issued on that entry and the decisions taken."""
    now = now or timezone.now()
    _ranked, worst = rates.ranking(user=user, month=month, level=level, now=now)
    if not worst:
        return []
    units = [row.unit for row in worst]
    overdue = list(rates.ranking_overdue(user=user, month=month, level=level, units=units, now=now))
    field = rates.LEVELS.get(level, "town_id")
    orders = SupervisionOrder.objects.visible_to(user).filter(unit__in=units, month=month)
    decisions = Decision.objects.visible_to(user).filter(unit__in=units, month=month)
    out = []
    for row in worst:
        mine = [c for c in overdue if getattr(c, field) == row.unit.pk]
        out.append(
            {
                "row": row,
                "overdue": mine[:10],
                "overdue_more": max(0, len(mine) - 10),
                "orders": [o for o in orders if o.unit_id == row.unit.pk],
                "decisions": [d for d in decisions if d.unit_id == row.unit.pk],
            }
        )
    return out


# --- the monthly report's figures ---------------------------------------------------------------


def supervision_month_summary(unit: Unit, month: date | str) -> dict[str, Any]:
    """督办问责 figures of ``unit``'s subtree (orders addressed to it or below) for one month.

    ``issued``: orders issued in the month; ``reissued``: further rounds opened in it;
    ``replied``: replies received in it; ``replied_late`` of them after their deadline;
    ``overdue``: rounds due in the month not answered by their deadline (late, or still
    unanswered by the month's end or now, whichever is first); ``accepted``: orders accepted in
    the month; ``open``: orders not accepted at the month's end. ``decisions``: the month's
    decisions by kind and by state (state as now), ``decisions_closed`` closed in the month.
    The caller (the monthly report) decides who may read them; nothing here is user-scoped.
    """
    bounds = month_bounds(month)
    keys = ("issued", "reissued", "replied", "replied_late", "overdue", "accepted", "open")
    empty: dict[str, Any] = {k: 0 for k in keys}
    empty["decisions"] = {
        "total": 0,
        "by_kind": {k: 0 for k in DecisionKind.values},
        "by_state": {s: 0 for s in DecisionState.values},
    }
    empty["decisions_closed"] = 0
    if bounds is None:
        return empty
    start, end = bounds
    cutoff = min(end, timezone.now())
    orders = SupervisionOrder.objects.filter(under_q(unit))
    rounds = OrderRound.objects.filter(under_q(unit, ("order__unit",)))
    out = dict(empty)
    out["issued"] = orders.filter(issued_at__gte=start, issued_at__lt=end).count()
    out["reissued"] = rounds.filter(number__gt=1, issued_at__gte=start, issued_at__lt=end).count()
    replied = rounds.filter(replied_at__gte=start, replied_at__lt=end)
    out["replied"] = replied.count()
    out["replied_late"] = replied.filter(replied_at__gt=F("due_at")).count()
    due = rounds.filter(due_at__gte=start, due_at__lt=cutoff)
    out["overdue"] = due.filter(Q(replied_at__isnull=True) | Q(replied_at__gt=F("due_at"))).count()
    out["accepted"] = orders.filter(accepted_at__gte=start, accepted_at__lt=end).count()
    out["open"] = (
        orders.filter(issued_at__lt=end)
        .filter(Q(accepted_at__isnull=True) | Q(accepted_at__gte=end))
        .count()
    )
    decisions = Decision.objects.filter(under_q(unit)).filter(
        decided_at__gte=start, decided_at__lt=end
    )
    by_kind = dict(decisions.order_by().values_list("kind").annotate(n=Count("id")))
    by_state = dict(decisions.order_by().values_list("state").annotate(n=Count("id")))
    out["decisions"] = {
        "total": sum(by_kind.values()),
        "by_kind": {k: int(by_kind.get(k, 0)) for k in DecisionKind.values},
        "by_state": {s: int(by_state.get(s, 0)) for s in DecisionState.values},
    }
    out["decisions_closed"] = (
        Decision.objects.filter(under_q(unit))
        .filter(closed_at__gte=start, closed_at__lt=end)
        .count()
    )
    return out
