"""What each worker-built figure counts: the raw rows, the unit they belong to, the aggregate.

One definition serves three readers: the worker's rollup (``rollup.build_month``), the list
behind a number (``selectors.drill_rows``) and the test that checks every rolled-up figure
against a GROUP BY over these same rows. A figure of a unit counts the rows whose unit lies
under the unit's path; for the request figures a department also counts the requests routed
to it (``Case.unit``), since a department is not where a request is located.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from lianxin.cases.models import OPEN_STATES, Case, overdue_q
from lianxin.events.models import Event, EventStatus, Registration, TrainingProgramme
from lianxin.events.selectors import programme_coverage
from lianxin.org.models import Unit, UnitKind
from lianxin.org.scoping import path_ancestors, under_q
from lianxin.people.models import Household
from lianxin.rooms.models import Booking, BookingStatus
from lianxin.venues.models import Venue
from lianxin.visits.models import Visit
from lianxin.volunteers.models import RecordStatus, ServiceRecord
from lianxin.wishes.models import LIT_STATES, Wish, WishStatus

ZERO = Value(0, output_field=DecimalField(max_digits=18, decimal_places=1))


def month_range(month: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime(month.year, month.month, 1, tzinfo=tz)
    return start, (start + timedelta(days=32)).replace(day=1)


def quarter_start(month: date) -> date:
    return month.replace(month=(month.month - 1) // 3 * 3 + 1, day=1)


@dataclass(frozen=True)
class Source:
    """``rows(month, now)``: the raw rows of a month; ``unit_field``: the unit they count under
    (its ``__path`` is matched); ``num``/``den``: the aggregates; ``snapshot``: a figure of the
    moment (overdue now), rebuilt for the current month only; ``handled``: requests also count
    under the department they are routed to."""

    rows: Callable[[date, datetime], QuerySet]
    unit_field: str
    num: Callable[[], object]
    den: Callable[[], object] | None = None
    snapshot: bool = False
    handled: bool = False
    den_rows: Callable[[date, datetime], QuerySet] | None = None
    den_unit_field: str = ""
    # A figure computed per unit by its owning app (training coverage): leaf -> (num, den).
    leaves: Callable[[date, datetime], dict[int, tuple]] | None = None
    link: Callable[[object], str] | None = None  # a drill-down row's page
    when: str = ""  # the drill-down row's date field


def _overdue(month: date, now: datetime) -> QuerySet:
    return Case.objects.filter(overdue_q(now))


def _supervised(month: date, now: datetime) -> QuerySet:
    return Case.objects.filter(supervised_at__isnull=False, state__in=OPEN_STATES)


def _wishes_posted(month: date, now: datetime) -> QuerySet:
    start, end = month_range(month)
    return Wish.objects.filter(created_at__gte=start, created_at__lt=end).exclude(
        status__in=[WishStatus.DECLINED]
    )


def _wishes_lit(month: date, now: datetime) -> QuerySet:
    start, end = month_range(month)
    return Wish.objects.filter(status__in=LIT_STATES, lit_at__gte=start, lit_at__lt=end)


def _events(month: date, now: datetime) -> QuerySet:
    start, end = month_range(month)
    return Event.objects.filter(starts_at__gte=start, starts_at__lt=end).exclude(
        status=EventStatus.CANCELLED
    )


def _attendance(month: date, now: datetime) -> QuerySet:
    start, end = month_range(month)
    return Registration.objects.filter(
        checked_in_at__isnull=False,
        event__starts_at__gte=start,
        event__starts_at__lt=end,
    ).exclude(event__status=EventStatus.CANCELLED)


def _hours(month: date, now: datetime) -> QuerySet:
    start = month.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    return ServiceRecord.objects.filter(
        status=RecordStatus.CONFIRMED, occurred_on__gte=start, occurred_on__lt=end
    )


def _venues(month: date, now: datetime) -> QuerySet:
    return Venue.objects.filter(office_area__isnull=False, service_area__isnull=False)


def _bookings(month: date, now: datetime) -> QuerySet:
    start, end = month_range(month)
    return Booking.objects.filter(
        starts_at__gte=start,
        starts_at__lt=end,
        status__in=[BookingStatus.APPROVED, BookingStatus.CHECKED_IN],
    )


def _visited(month: date, now: datetime) -> QuerySet:
    """Households visited from the start of the month's quarter to the month's end (the
    coverage of ``visits.selectors.coverage_for``, quarter to date)."""
    start = month_range(quarter_start(month))[0]
    end = month_range(month)[1]
    return Household.objects.filter(
        pk__in=Visit.objects.filter(visited_at__gte=start, visited_at__lt=end).values(
            "household_id"
        )
    )


def _households(month: date, now: datetime) -> QuerySet:
    return Household.objects.all()


def _programmes(month: date, now: datetime) -> QuerySet:
    return TrainingProgramme.objects.filter(year=month.year)


def _training_leaves(month: date, now: datetime) -> dict[int, tuple]:
    """Per unit of the people a programme of the month's year requires: (trained, required),
    as ``events.selectors.programme_coverage`` counts them (its rule: all or N sessions)."""
    out: dict[int, list] = {}
    for programme in _programmes(month, now).select_related("unit"):
        for row in programme_coverage(programme=programme)["per_unit"]:
            acc = out.setdefault(row["unit"].pk, [0, 0])
            acc[0] += row["attended"]
            acc[1] += row["required"]
    return {k: (v[0], v[1]) for k, v in out.items()}


def _count() -> object:
    return Count("id")


def _url(name: str, attr: str = "pk") -> Callable[[object], str]:
    return lambda obj: reverse(name, args=[getattr(obj, attr)])


SOURCES: dict[str, Source] = {
    "overdue": Source(_overdue, "grid", _count, snapshot=True, handled=True),
    "supervised": Source(_supervised, "grid", _count, snapshot=True, handled=True),
    "wishes_posted": Source(
        _wishes_posted, "unit", _count, link=_url("wishes:wish_detail"), when="created_at"
    ),
    "wishes_lit": Source(
        _wishes_lit, "unit", _count, link=_url("wishes:wish_detail"), when="lit_at"
    ),
    "events": Source(_events, "unit", _count, link=_url("events:event_detail"), when="starts_at"),
    "attendance": Source(
        _attendance,
        "event__unit",
        _count,
        link=_url("events:event_detail", "event_id"),
        when="checked_in_at",
    ),
    "volunteer_hours": Source(
        _hours,
        "unit",
        lambda: Coalesce(Sum("hours"), ZERO),
        link=_url("volunteers:person_record", "user_id"),
        when="occurred_on",
    ),
    "venue_service_share": Source(
        _venues,
        "unit",
        lambda: Coalesce(Sum("service_area"), ZERO),
        den=lambda: Coalesce(Sum(F("office_area") + F("service_area")), ZERO),
        snapshot=True,
        link=_url("venues:venue_detail"),
    ),
    "room_bookings": Source(_bookings, "room__venue__unit", _count, when="starts_at"),
    "visit_coverage": Source(
        _visited,
        "grid",
        _count,
        den=_count,
        den_rows=_households,
        den_unit_field="grid",
        link=_url("visits:household_history"),
    ),
    "training_coverage": Source(
        _programmes,
        "unit",
        _count,
        den=_count,
        snapshot=True,
        leaves=_training_leaves,
        link=_url("events:programme_detail"),
    ),
}


def rows_under(key: str, unit: Unit, month: date, now: datetime, *, den: bool = False):
    """The raw rows behind ``key`` for ``unit`` (the GROUP BY the rollup must equal)."""
    src = SOURCES[key]
    if den and src.den_rows is not None:
        qs, field = src.den_rows(month, now), src.den_unit_field
    else:
        qs, field = src.rows(month, now), src.unit_field
    q = under_q(unit, (field,))
    if src.leaves is not None:  # a programme above the unit covers the people in it
        q |= Q(**{f"{field}__path__in": path_ancestors(unit.path)})
    if src.handled and unit.kind == UnitKind.DEPARTMENT:
        q |= Q(unit=unit)
    return qs.filter(q)


def figure_by_group_by(key: str, unit: Unit, month: date, now: datetime) -> tuple:
    """(num, den) for one unit straight from the raw rows (for the tests and the checks)."""
    src = SOURCES[key]
    if src.leaves is not None:
        paths = dict(Unit.objects.values_list("pk", "path"))
        got = [v for k, v in src.leaves(month, now).items() if paths[k].startswith(unit.path)]
        return sum(v[0] for v in got), sum(v[1] for v in got)
    num = rows_under(key, unit, month, now).aggregate(v=src.num())["v"] or 0
    den = 0
    if src.den is not None:
        base = rows_under(key, unit, month, now, den=src.den_rows is not None)
        den = base.aggregate(v=src.den())["v"] or 0
    return num, den
