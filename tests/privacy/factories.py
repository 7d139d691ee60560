"""Builders for 我的数据 tests: one resident's rows of every kind, and correction requests."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from lianxin.events.models import Registration, RegistrationStatus
from lianxin.privacy import services
from lianxin.visits.models import Visit
from lianxin.volunteers.models import RecordStatus, ServiceRecord, SourceKind
from lianxin.wishes.models import WishCategory
from lianxin.wishes.services import wish_post
from tests.cases.factories import make_case
from tests.events.factories import make_event
from tests.rooms.factories import booking_for, room_for
from tests.venues.factories import venue_a, venue_b

TITLES = {"a": "甲的路灯诉求", "b": "乙的路灯诉求"}


def resident_rows(world, key: str = "a") -> dict:
    """A request, wish, booking, sign-up, service record and visit of resident ``key``."""
    user = world.users[f"resident_{key}"]
    grid = world.grid_a1 if key == "a" else world.grid_b1
    village = world.village_a if key == "a" else world.village_b
    clerk = world.users[f"village_{key}"]
    case = make_case(world, grid=grid, reporter=user, title=TITLES[key])
    wish = wish_post(
        actor=user,
        unit=grid,
        title=f"{key}想要一台收音机",
        category=WishCategory.DAILY,
        beneficiary_name=user.display_name,
    )
    room = room_for(venue_a(world) if key == "a" else venue_b(world))
    booking = booking_for(room, user, group=f"{key}舞蹈队")
    event = make_event(world, unit=village, actor=clerk, title=f"{key}村晚")
    reg = Registration.objects.create(event=event, user=user, status=RegistrationStatus.CONFIRMED)
    record = ServiceRecord.objects.create(
        user=user,
        unit=grid,
        source_kind=SourceKind.ATTENDANCE,
        source_id=event.pk,
        title=f"{key}村晚志愿",
        occurred_on=timezone.localdate(),
        hours=Decimal("2.0"),
        points=5,
        status=RecordStatus.CONFIRMED,
        confirmed_by=clerk,
        confirmed_at=timezone.now(),
    )
    visit = visit_for(world, key)
    return {
        "case": case,
        "wish": wish,
        "booking": booking,
        "registration": reg,
        "record": record,
        "visit": visit,
    }


def visit_for(world, key: str = "a", *, days_ago: int = 3, notes: str = "老人独居，血压偏高"):
    household = world.households[key]
    return Visit.objects.create(
        household=household,
        grid=household.grid,
        visitor=world.users["grid_a1" if key == "a" else "grid_b1"],
        visited_at=timezone.now() - timedelta(days=days_ago),
        met="甲金丝雀本人" if key == "a" else "乙金丝雀本人",
        notes=notes,
    )


def make_correction(world, key: str = "a", **fields):
    values = {
        "kind": "person",
        "field": "phone",
        "problem": "手机号换了",
        "proposed": "13811119999",
    }
    values.update(fields)
    return services.correction_request_create(actor=world.users[f"resident_{key}"], **values)
