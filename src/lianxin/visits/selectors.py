"""Reads of the visits module: coverage per quarter, households due a visit, histories.

Everything is narrowed through ``lianxin.org.scoping``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, Max, OuterRef, Q, Value
from django.db.models.functions import StrIndex, Substr
from django.utils import timezone

from lianxin.org.models import Unit
from lianxin.org.scoping import scope_queryset, scope_queryset_for_roles, under_q, user_scope
from lianxin.people.models import Household
from lianxin.visits.models import VULNERABLE_TAGS, Visit
from lianxin.visits.rules import VISIT_ROLES

if TYPE_CHECKING:
    from lianxin.accounts.models import User


def interval_days() -> int:
    return int(getattr(settings, "LIANXIN_VISIT_INTERVAL_DAYS", 90))


def vulnerable_interval_days() -> int:
    return int(getattr(settings, "LIANXIN_VISIT_VULNERABLE_INTERVAL_DAYS", 30))


# ----------------------------------------------------------------------------- quarters
@dataclass(frozen=True)
class Quarter:
    year: int
    q: int

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, raw: str | None, default: date) -> Quarter:
        """``2026Q4``; anything else gives the quarter of ``default``."""
        try:
            year, q = (raw or "").upper().split("Q")
            if 1 <= int(q) <= 4 and 2000 <= int(year) <= 2100:
                return cls(int(year), int(q))
        except ValueError:
            pass
        return cls.of(default)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.q - 2, 1)

    @property
    def end(self) -> date:  # exclusive
        return date(self.year + 1, 1, 1) if self.q == 4 else date(self.year, 3 * self.q + 1, 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.q == 1 else Quarter(self.year, self.q - 1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.q == 4 else Quarter(self.year, self.q + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.q}"


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# ----------------------------------------------------------------------------- coverage
@dataclass(frozen=True)
class Coverage:
    unit: Unit
    households: int
    visited: int

    @property
    def rate(self) -> float | None:
        return self.visited / self.households if self.households else None

    @property
    def percent(self) -> int | None:
        rate = self.rate
        return None if rate is None else round(rate * 100)


def _households(user: User) -> models.QuerySet[Household]:
    return scope_queryset(Household.objects.all(), user, fields=("grid",))


def coverage_for(user: User, unit: Unit, quarter: Quarter) -> Coverage:
    """Households under ``unit`` (in the user's scope) visited at least once in ``quarter``."""
    households = _households(user).filter(under_q(unit, ("grid",)))
    visited = households.filter(
        visits__visited_at__gte=_aware(quarter.start), visits__visited_at__lt=_aware(quarter.end)
    ).distinct()
    return Coverage(unit=unit, households=households.count(), visited=visited.count())


def _child_prefix(parent_path: str) -> models.Func:
    """The path of the child of ``parent_path`` a household's grid lies under: the grid's path
    cut after the first segment past the parent's (``/…/village/grid/`` for
    ``/…/village/grid/micro/``); the parent's own path for a household on the parent itself."""
    start = len(parent_path) + 1
    rest = Substr("grid__path", start)
    return Substr("grid__path", 1, Value(len(parent_path)) + StrIndex(rest, Value("/")))


def coverage_children(user: User, unit: Unit, quarter: Quarter) -> list[Coverage]:
    """The drill-down: one row per child unit that holds households (grids, villages, towns).

    Two queries whatever the number of children: the children, then the households under
    ``unit`` grouped by the child's path prefix, with the visited ones counted by an EXISTS
    on the quarter's visits (so a household visited twice counts once)."""
    children = list(
        scope_queryset(Unit.objects.filter(parent=unit), user, fields=("",)).order_by("code")
    )
    if not children:
        return []
    in_quarter = Visit.objects.filter(
        household=OuterRef("pk"),
        visited_at__gte=_aware(quarter.start),
        visited_at__lt=_aware(quarter.end),
    )
    grouped = (
        _households(user)
        .filter(under_q(unit, ("grid",)))
        .annotate(child=_child_prefix(unit.path), seen=Exists(in_quarter))
        .order_by()
        .values("child")
        .annotate(households=Count("pk"), visited=Count("pk", filter=Q(seen=True)))
    )
    counts = {row["child"]: (row["households"], row["visited"]) for row in grouped}
    rows = [Coverage(child, *counts.get(child.path, (0, 0))) for child in children]
    return [r for r in rows if r.households]


def coverage_root(user: User) -> Unit | None:
    """Where the coverage page starts: the user's highest staff unit."""
    scope = user_scope(user)
    if scope.is_global:
        return Unit.objects.filter(parent__isnull=True).order_by("code").first()
    units = sorted(
        (m.unit for m in scope.memberships if m.unit.path in scope.staff_paths),
        key=lambda u: len(u.path),
    )
    return units[0] if units else None


def visible_unit(user: User, pk: int) -> Unit | None:
    return scope_queryset(Unit.objects.filter(pk=pk), user, fields=("",)).first()


# ----------------------------------------------------------------------------- due visits
@dataclass(frozen=True)
class Due:
    household: Household
    last_visit: datetime | None
    vulnerable: bool
    days_since: int | None
    interval: int

    @property
    def overdue(self) -> bool:
        return self.days_since is None or self.days_since >= self.interval


def is_vulnerable(household: Household) -> bool:
    return any(t in VULNERABLE_TAGS for t in household.tags or [])


def households_due(
    user: User, *, today: date | None = None, own_grids: bool = False, unit: Unit | None = None
) -> list[Due]:
    """Households not visited for their interval (90 days; 30 for 独居老人/低保户/残疾人),
    never-visited first, then the longest overdue; ``own_grids``: only the grids the user
    works in as a grid worker or staff (the today page)."""
    today = today or timezone.localdate()
    qs: models.QuerySet[Household] = Household.objects.all()
    if own_grids:
        qs = scope_queryset_for_roles(qs, user, VISIT_ROLES, fields=("grid",))
    else:
        qs = scope_queryset(qs, user, fields=("grid",))
    if unit is not None:
        qs = qs.filter(under_q(unit, ("grid",)))
    short_cut = _aware(today - timedelta(days=vulnerable_interval_days() - 1))
    long_cut = _aware(today - timedelta(days=interval_days() - 1))
    qs = qs.annotate(last=Max("visits__visited_at"))
    # Tags are JSON (escaped on SQLite): the vulnerable check is done on the rows below.
    due_q = Q(last__isnull=True) | Q(last__lt=max(short_cut, long_cut))
    rows: list[Due] = []
    for h in qs.filter(due_q).select_related("grid"):
        vulnerable = is_vulnerable(h)
        last = h.last  # type: ignore[attr-defined]
        days = None if last is None else (today - timezone.localdate(last)).days
        interval = vulnerable_interval_days() if vulnerable else interval_days()
        if days is not None and days < interval:
            continue  # visited within its interval
        rows.append(Due(h, last, vulnerable, days, interval))
    rows.sort(key=lambda d: (d.days_since is not None, -(d.days_since or 0), not d.vulnerable))
    return rows


# ----------------------------------------------------------------------------- lists
def visits_visible(user: User) -> models.QuerySet[Visit]:
    return scope_queryset(Visit.objects.all(), user, fields=("grid",)).select_related(
        "household", "visitor", "grid", "case", "wish"
    )


def visit_get(user: User, pk: int) -> Visit | None:
    return visits_visible(user).filter(pk=pk).first()


def household_visits(user: User, household: Household) -> models.QuerySet[Visit]:
    return visits_visible(user).filter(household=household)


def household_get(user: User, pk: int) -> Household | None:
    return _households(user).filter(pk=pk).select_related("grid").first()
