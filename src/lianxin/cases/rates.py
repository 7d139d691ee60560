"""三率 and 末位问责: 响应率, 解决率, 满意率, on-time completion and average handling time.

Served from the rollup table ``CaseStat`` (kept current by the services, see ``stats``),
never from a GROUP BY over all requests. Definitions (each has a list behind it, see
``selectors.metric_q``; the counters are counted in ``stats.counter_aggregates``):
- 响应率 = signed for before the accept deadline / requests decided for acceptance (signed for,
  or the accept deadline passed); a request still inside its deadline is not counted yet
- 解决率 = resolved / requests decided for completion (resolved, or the completion deadline passed)
- 按时办结率 = resolved on time / the same denominator (an overdue open request is late)
- 满意率 = (满意 + 基本满意) / rated; 未评价 is not counted. A rating is charged to the unit and
  handler that resolved the request (``Case.rated_unit``/``rated_handler``), not to the level
  above that a 不满意 reopens it to
- 平均办理时长 = mean hours from submission to result. Rejected and merged requests never count.
- 回访满意率 = (满意 + 基本满意) / requests whose reporter was reached by a 回访, over the latest
  reached call back of each request (as 12345 lines count them), charged to the unit and handler
  that resolved it; a separate column, never mixed into the resident's own 满意率
  (``callback_counts``, read from the call backs, which are few, not from the rollup)
The same text is on the rates page and in docs/rates.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from lianxin.cases.models import Case, CaseStat, Category, State
from lianxin.cases.selectors import _month_start
from lianxin.org.models import Unit, UnitKind
from lianxin.org.scoping import scope_queryset

DIMENSIONS = {
    "unit": "unit_id",
    "handler": "handler_id",
    "category": "category_id",  # the rollup stores the top-level category
    "month": "month",
}
COUNTED = ~Q(state__in=[State.MERGED, State.REJECTED])


def _aggregates() -> dict:
    """Sums over the rollup rows (``CaseStat``), never a GROUP BY over the requests themselves."""
    return {
        name: Coalesce(Sum(name), 0)
        for name in (
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
    }


def _finish(r: dict) -> dict:
    handled, minutes = r.pop("handled"), r.pop("handling_minutes")
    r["avg_minutes"] = minutes / handled if handled else None
    return r


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


@dataclass
class RateRow:
    key: object
    label: str
    total: int
    accept_decided: int
    accepted_on_time: int
    resolve_decided: int
    resolved: int
    resolved_on_time: int
    rated: int
    satisfied: int
    open: int
    avg_minutes: float | None
    link: dict = field(default_factory=dict)
    callback_reached: int = 0  # requests whose reporter a 回访 reached (the latest call counts)
    callback_satisfied: int = 0  # … and said 满意 or 基本满意 on it

    @property
    def callback_rate(self):
        return _ratio(self.callback_satisfied, self.callback_reached)

    @property
    def response_rate(self):
        return _ratio(self.accepted_on_time, self.accept_decided)

    @property
    def resolution_rate(self):
        return _ratio(self.resolved, self.resolve_decided)

    @property
    def satisfaction_rate(self):
        return _ratio(self.satisfied, self.rated)

    @property
    def on_time_rate(self):
        return _ratio(self.resolved_on_time, self.resolve_decided)

    @property
    def avg_hours(self):
        return None if self.avg_minutes is None else self.avg_minutes / 60


def _scoped(user, month: str) -> object:
    """The rollup rows the user may count (the one scoping helper, via ``visible_to``)."""
    qs = CaseStat.objects.visible_to(user)
    start = _month_start(month) if month else None
    if start is not None:
        qs = qs.filter(month=start.date())
    return qs


def rates_by(*, user, dimension: str, month: str = "") -> list[RateRow]:
    dim = dimension if dimension in DIMENSIONS else "unit"
    key = DIMENSIONS[dim]
    rows = list(_scoped(user, month).order_by().values(key).annotate(**_aggregates()).order_by(key))
    labels: dict = {}
    if dim == "unit":
        labels = dict(Unit.objects.filter(pk__in=[r[key] for r in rows]).values_list("pk", "name"))
    elif dim == "handler":
        from lianxin.accounts.models import User

        labels = {
            u.pk: str(u)  # the name, or the login masked when it is a phone
            for u in User.objects.filter(pk__in=[r[key] for r in rows if r[key]])
        }
    elif dim == "category":
        labels = dict(
            Category.objects.filter(pk__in=[r[key] for r in rows]).values_list("pk", "name")
        )
    out = []
    for r in rows:
        k = r.pop(key)
        if dim == "month":
            label = f"{k:%Y-%m}" if k else "—"
            link = {"month": label}
        else:
            label = labels.get(k, "—") if k else "—"
            link = {{"unit": "unit", "handler": "handler", "category": "category"}[dim]: k or ""}
            if month:
                link["month"] = month
        out.append(RateRow(key=k, label=label, link=link, **_finish(r)))
    counts = callback_counts(user=user, dimension=dim, month=month)
    for row in out:
        row.callback_reached, row.callback_satisfied = counts.get(row.key, (0, 0))
    return out


def _latest_reached(user, month: str):
    """The latest reached call back of each counted request the user sees (of requests
    submitted in ``month``, as the rollup counts by the month submitted)."""
    from django.db.models import OuterRef, Subquery

    from lianxin.cases.models import CallBack
    from lianxin.cases.selectors import _next_month

    cases = Case.objects.visible_to(user).filter(COUNTED)
    start = _month_start(month) if month else None
    if start is not None:
        cases = cases.filter(created_at__gte=start, created_at__lt=_next_month(start))
    latest = (
        CallBack.objects.filter(case=OuterRef("case"), reached=True)
        .order_by("-at", "-id")
        .values("pk")[:1]
    )
    return CallBack.objects.filter(
        reached=True, case__in=cases.values("pk"), pk=Subquery(latest)
    ).order_by()


def callback_counts(*, user, dimension: str = "", month: str = "") -> dict:
    """(reached, satisfied) by the ``rates_by`` key (``None``: the whole scope, ``rates_total``)."""
    from django.utils import timezone

    from lianxin.cases.models import CallbackSatisfaction

    good = {CallbackSatisfaction.SATISFIED, CallbackSatisfaction.BASIC}
    rows = _latest_reached(user, month).values_list(
        "unit_id",
        "handler_id",
        "case__category_id",
        "case__category__parent_id",
        "case__created_at",
        "satisfied",
    )
    out: dict = {}
    for unit_id, handler_id, cat_id, parent_id, created, satisfied in rows:
        key = {
            "unit": unit_id,
            "handler": handler_id,
            "category": parent_id or cat_id,
            "month": timezone.localtime(created).date().replace(day=1),
        }.get(dimension)
        reached, ok = out.get(key, (0, 0))
        out[key] = (reached + 1, ok + (satisfied in good))
    return out


def stat_sums(filters: Q, *, by: tuple[str, ...] = ()) -> list[dict]:
    """The rollup's counters summed over the ``CaseStat`` rows matching ``filters``, one dict per
    ``by`` group (with the ``by`` columns as keys): one GROUP BY over the rollup, never over the
    requests. The caller scopes ``filters`` (``dashboards`` checks its unit's permission first)."""
    qs = CaseStat.objects.filter(filters).order_by()
    if not by:
        return [qs.aggregate(**_aggregates())]
    return list(qs.values(*by).annotate(**_aggregates()))


def rates_total(*, user, month: str = "") -> RateRow:
    agg = _scoped(user, month).aggregate(**_aggregates())
    row = RateRow(key=None, label=_("合计"), link={"month": month} if month else {}, **_finish(agg))
    row.callback_reached, row.callback_satisfied = callback_counts(user=user, month=month).get(
        None, (0, 0)
    )
    return row


# --- 末位问责 ---------------------------------------------------------------------------------

LEVELS = {"town": "town_id", "village": "village_id", "grid": "unit_id", "department": "unit_id"}
# Levels ranked by the handling unit (the others by where the request is located).
HANDLING_LEVELS = {"grid": UnitKind.GRID, "department": UnitKind.DEPARTMENT}


def rank_weights() -> tuple[int, int, int]:
    return tuple(getattr(settings, "LIANXIN_CASE_RANK_WEIGHTS", (20, 40, 40)))  # type: ignore[return-value]


@dataclass
class RankRow:
    unit: Unit
    rates: RateRow
    score: float | None
    rank: int = 0
    overdue_count: int = 0


def rank_score(rate: RateRow, w: tuple[int, int, int]) -> float | None:
    """w1·响应率 + w2·解决率 + w3·满意率 over the weights of the rates that have a denominator
    (0–100). A rate with nothing decided yet — no request past its deadline or handled, or, for
    满意率, no rated request (无评价) — gives neither points nor a zero: the unit is scored on the
    other weights, renormalised (docs/rates.md). None when no weighted rate can be computed."""
    parts = [
        (value, weight)
        for value, weight in zip(
            (rate.response_rate, rate.resolution_rate, rate.satisfaction_rate), w, strict=True
        )
        if value is not None and weight
    ]
    used = sum(x for _p, x in parts)
    return round(100 * sum(p * x for p, x in parts) / used, 2) if used else None


def ranking(
    *,
    user,
    month: str,
    level: str = "town",
    weights: tuple[int, int, int] | None = None,
    bottom: int | None = None,
    now: datetime | None = None,
) -> tuple[list[RankRow], list[RankRow]]:
    """Units of one level ranked on ``rank_score`` (0–100); bottom N listed."""
    w = weights or rank_weights()
    bottom = bottom if bottom is not None else getattr(settings, "LIANXIN_CASE_RANK_BOTTOM", 3)
    key = LEVELS.get(level, "town_id")
    qs = _scoped(user, month)
    if level in HANDLING_LEVELS:
        qs = qs.filter(unit__kind=HANDLING_LEVELS[level])
    rows = [_finish(r) for r in qs.order_by().values(key).annotate(**_aggregates())]
    units = scope_queryset(
        Unit.objects.filter(pk__in=[r[key] for r in rows if r[key]]), user, fields=("",)
    )
    units_by_id = {u.pk: u for u in units}
    ranked: list[RankRow] = []
    for r in rows:
        unit = units_by_id.get(r.pop(key))
        if unit is None:
            continue
        link = {
            "unit" if level in HANDLING_LEVELS else "area": unit.pk,
            "month": month,
            "metric": "counted",
        }
        rate = RateRow(key=unit.pk, label=unit.name, link=link, **r)
        ranked.append(RankRow(unit=unit, rates=rate, score=rank_score(rate, w)))
    # units without a score (nothing decided yet) go last and are never 末位
    ranked.sort(key=lambda x: (x.score is None, -(x.score or 0.0), x.unit.path))
    for i, row in enumerate(ranked, start=1):
        row.rank = i
    scored = [x for x in ranked if x.score is not None]
    worst = scored[-bottom:] if bottom > 0 else []
    worst = list(reversed(worst))
    if worst:
        counts = dict(
            ranking_overdue(
                user=user, month=month, level=level, units=[x.unit for x in worst], now=now
            )
            .order_by()
            .values(key)
            .annotate(n=Count("id"))
            .values_list(key, "n")
        )
        for row in worst:
            row.overdue_count = counts.get(row.unit.pk, 0)
    return ranked, worst


def ranking_overdue(
    *, user, month: str, level: str, units: list[Unit], now: datetime | None = None
):
    """The bottom units' overdue requests of the ranked month (submitted in it, as the rates
    count them), not yet signed for (超时未签收) or not yet resolved (超时未办结), oldest due
    time first. A queryset: the page shows it a page at a time and the export writes it all."""
    from django.utils import timezone

    from lianxin.cases.selectors import _next_month

    now = now or timezone.now()
    field_name = LEVELS.get(level, "town_id").removesuffix("_id")
    qs = Case.objects.visible_to(user).overdue(now).filter(**{f"{field_name}__in": units})
    start = _month_start(month)
    if start is not None:
        qs = qs.filter(created_at__gte=start, created_at__lt=_next_month(start))
    return qs.select_related("category", "unit", "owner_user", "town", "village").order_by(
        "resolve_due_at", "pk"
    )


def overdue_kind(case: Case, now: datetime) -> str:
    """超时未签收 when the accept deadline passed unsigned, else 超时未办结."""
    from lianxin.cases.models import AWAITING_ACCEPT_STATES

    if case.state in AWAITING_ACCEPT_STATES and case.accept_due_at and case.accept_due_at < now:
        return _("超时未签收")
    return _("超时未办结")


def overdue_due(case: Case, now: datetime) -> datetime | None:
    """The deadline that was missed (the accept one for a request not signed for)."""
    from lianxin.cases.models import AWAITING_ACCEPT_STATES

    if case.state in AWAITING_ACCEPT_STATES and case.accept_due_at and case.accept_due_at < now:
        return case.accept_due_at
    return case.resolve_due_at
