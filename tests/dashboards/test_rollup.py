# ruff: noqa: B023 -- the lambdas are called inside the loop iteration that defines them
"""After random actions through the services, every figure of every dashboard level equals the
GROUP BY over the raw rows under the unit's path (the worker's rollup), and the live request
figures equal the rates counted straight from the requests (``cases.stats`` definitions)."""

from __future__ import annotations

import contextlib
import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone

from lianxin.cases.models import Case
from lianxin.cases.rates import RateRow
from lianxin.cases.stats import COUNTED, RATED, RATING_COUNTERS, counter_aggregates
from lianxin.dashboards.figures import FIGURES
from lianxin.dashboards.models import DashboardMonth
from lianxin.dashboards.rollup import build_all, build_recent, current_month, previous_month
from lianxin.dashboards.selectors import DASHBOARD_KINDS, dashboard_figures
from lianxin.dashboards.sources import SOURCES, figure_by_group_by
from lianxin.events import services as events
from lianxin.events.models import EventKind
from lianxin.org.models import Role, Unit, UnitKind
from lianxin.people.models import Household
from lianxin.rooms.models import Booking
from lianxin.visits.services import visit_log
from tests.cases.test_stats import random_actions as random_case_actions
from tests.events.factories import make_event
from tests.rooms.factories import room_for
from tests.venues.factories import venue_for
from tests.wishes.factories import make_wish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def random_other_actions(world, rng: random.Random, steps: int) -> None:
    clerks = {world.grid_a1: "village_a", world.grid_a2: "village_a", world.grid_b1: "village_b"}
    for _ in range(steps):
        action = rng.choice(["wish", "wish", "event", "visit", "booking", "venue", "training"])
        with contextlib.suppress(ValidationError, PermissionDenied):
            if action == "wish":
                grid = rng.choice(list(clerks))
                state = rng.choice(["pending", "declined", "published", "claimed", "lit", "done"])
                claimant = world.users["party_b" if grid == world.grid_b1 else "party_a"]
                make_wish(
                    world,
                    state,
                    unit=grid,
                    clerk=world.users[clerks[grid]],
                    claimant=claimant,
                )
            elif action == "event":
                b_side = rng.random() < 0.4
                unit = rng.choice(
                    [world.village_b, world.town_b] if b_side else [world.village_a, world.town_a]
                )
                actor = world.users["town_b" if b_side else "town_a"]
                event = make_event(
                    world,
                    unit=unit,
                    actor=actor,
                    starts_in=timedelta(hours=rng.choice([-20, -2, 30])),
                    hours=Decimal(rng.choice(["0", "1.5", "2"])),
                )
                for who in rng.sample(["party_a", "party_b", "resident_a", "resident_b"], 2):
                    with contextlib.suppress(ValidationError, PermissionDenied):
                        reg = events.registration_create(actor=world.users[who], event=event)
                        if rng.random() < 0.7:
                            events.attendance_mark(actor=actor, registration=reg)
                if rng.random() < 0.6:
                    events.service_records_confirm(actor=actor, event=event)
                if rng.random() < 0.2:
                    events.event_cancel(actor=actor, event=event, reason="下雨")
            elif action == "visit":
                household = rng.choice(list(Household.objects.all()))
                visit_log(
                    actor=world.users["county_admin"],
                    household=household,
                    notes="走访",
                    visited_at=timezone.now() - timedelta(days=rng.choice([0, 1, 20, 45])),
                )
            elif action == "booking":
                venue = venue_for(rng.choice([world.village_a, world.village_b]))
                room = room_for(venue, name=rng.choice(["文化活动室", "议事室"]))
                start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(
                    days=rng.randint(-45, 5), hours=rng.randint(0, 8)
                )
                if not Booking.objects.filter(room=room, starts_at=start).exists():
                    Booking.objects.create(
                        room=room,
                        booker=world.users["party_a"],
                        group_name="读书会",
                        audience="general",
                        starts_at=start,
                        ends_at=start + timedelta(hours=1),
                        status=rng.choice(["approved", "checked_in", "pending", "cancelled"]),
                        purpose="活动",
                    )
            elif action == "venue":
                venue = venue_for(rng.choice([world.village_a, world.village_b]))
                venue.office_area = Decimal(rng.randint(20, 80))
                venue.service_area = Decimal(rng.randint(100, 300))
                venue.floor_area = venue.office_area + venue.service_area + 10
                venue.save()
            elif action == "training":
                programme = events.programme_create(
                    actor=world.users["county_admin"],
                    unit=rng.choice([world.county, world.town_a]),
                    title=f"轮训{rng.randint(1, 999)}",
                    year=timezone.localdate().year,
                    required_role=Role.PARTY_MEMBER,
                )
                session = make_event(
                    world,
                    unit=programme.unit,
                    actor=world.users["county_admin"],
                    kind=EventKind.TRAINING,
                    starts_in=timedelta(hours=-1),
                    programme=programme,
                )
                for who in ("party_a", "party_b"):
                    if rng.random() < 0.5:
                        with contextlib.suppress(ValidationError, PermissionDenied):
                            reg = events.registration_create(actor=world.users[who], event=session)
                            events.attendance_mark(
                                actor=world.users["county_admin"], registration=reg
                            )


def dashboard_units():
    return list(Unit.objects.filter(kind__in=DASHBOARD_KINDS).order_by("path"))


def assert_worker_figures_equal_group_by(months, now):
    for unit in dashboard_units():
        stored = {
            (m, k): (n, d)
            for m, k, n, d in DashboardMonth.objects.filter(unit=unit).values_list(
                "month", "key", "num", "den"
            )
        }
        for month in months:
            for key, src in SOURCES.items():
                if src.snapshot and month != current_month(now):
                    continue
                num, den = figure_by_group_by(key, unit, month, now)
                got = stored.get((month, key), (0, 0))
                assert (Decimal(got[0]), Decimal(got[1])) == (Decimal(num), Decimal(den)), (
                    unit.name,
                    month,
                    key,
                )


def raw_rates(unit: Unit, month) -> RateRow:
    """The request counters of ``unit`` counted from the requests themselves."""
    start = timezone.make_aware(timezone.datetime(month.year, month.month, 1))
    end = timezone.make_aware(
        timezone.datetime(month.year + (month.month == 12), month.month % 12 + 1, 1)
    )
    base = Case.objects.filter(COUNTED, created_at__gte=start, created_at__lt=end)
    if unit.kind == UnitKind.DEPARTMENT:
        handling, rating = base.filter(unit=unit), base.filter(RATED, rated_unit=unit)
    else:
        located = Q(grid__path__startswith=unit.path)
        handling, rating = base.filter(located), base.filter(located, RATED)
    aggs = counter_aggregates()
    h = handling.aggregate(**{k: v for k, v in aggs.items() if k not in RATING_COUNTERS})
    r = rating.aggregate(**{k: aggs[k] for k in RATING_COUNTERS})
    handled, minutes = h.pop("handled"), h.pop("handling_minutes")
    return RateRow(key=None, label="", avg_minutes=minutes / handled if handled else None, **h, **r)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_figure_at_every_level_equals_the_group_by(world, seed):
    rng = random.Random(seed)
    random_case_actions(world, rng, steps=50)
    random_other_actions(world, rng, steps=25)
    now = timezone.now()
    assert build_all(months=3, now=now) > 0
    months = [current_month(now), previous_month(current_month(now))]
    months.append(previous_month(months[-1]))
    assert_worker_figures_equal_group_by(months, now)
    admin = world.users["county_admin"]
    for unit in dashboard_units():
        if not unit.is_under(world.county):
            continue
        for month in months:
            data = dashboard_figures(actor=admin, unit=unit, month=month)
            rate = raw_rates(unit, month)
            live = {f.key: f.value for f in data.figures if f.live}
            assert live == {
                "cases_total": rate.total,
                "response_rate": rate.response_rate,
                "resolution_rate": rate.resolution_rate,
                "satisfaction_rate": rate.satisfaction_rate,
                "on_time_rate": rate.on_time_rate,
            }, (unit.name, month)
            # a child's row shows the same figures as the child's own dashboard
            for child in data.children:
                own = dashboard_figures(actor=admin, unit=child.unit, month=month)
                for f in child.figures:
                    assert f.value == own.figure(f.key).value, (child.unit.name, f.key)


def test_a_town_sums_its_villages_and_the_rebuild_is_idempotent(world):
    rng = random.Random(7)
    random_case_actions(world, rng, steps=20)
    random_other_actions(world, rng, steps=15)
    now = timezone.now()
    build_recent(now)
    first = set(DashboardMonth.objects.values_list("unit_id", "month", "key", "num", "den"))
    build_recent(now)
    assert set(DashboardMonth.objects.values_list("unit_id", "month", "key", "num", "den")) == first
    month = current_month(now)
    for key in SOURCES:
        county = figure_by_group_by(key, world.county, month, now)
        towns = [figure_by_group_by(key, t, month, now) for t in (world.town_a, world.town_b)]
        if key not in ("training_coverage",):  # a county programme is not any town's row
            assert county[0] >= sum(t[0] for t in towns)
    assert {f.key for f in FIGURES if not f.live} == set(SOURCES)


def test_the_random_actions_reach_every_figure(world):
    rng = random.Random(1)
    random_case_actions(world, rng, steps=50)
    random_other_actions(world, rng, steps=40)
    build_all(months=3)
    keys = set(
        DashboardMonth.objects.filter(unit=world.county)
        .exclude(num=0)
        .values_list("key", flat=True)
    )
    assert keys >= set(SOURCES) - {"supervised"}, sorted(set(SOURCES) - keys)
