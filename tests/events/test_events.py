from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lianxin.events import services
from lianxin.events.models import Audience, EventKind, Registration, RegistrationStatus
from lianxin.volunteers.models import RecordStatus, ServiceRecord, SourceKind
from tests.conftest import make_user
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db


def _users(world, n):
    from lianxin.org.models import Role

    return [make_user(f"1370000{i:04d}", unit=world.grid_a1, role=Role.RESIDENT) for i in range(n)]


def test_event_needs_staff_over_unit_and_sane_times(world):
    with pytest.raises(PermissionDenied):
        make_event(world, actor=world.users["village_b"])
    start = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError):
        services.event_create(
            actor=world.users["village_a"],
            unit=world.village_a,
            kind=EventKind.CULTURE,
            title="x",
            place="y",
            starts_at=start,
            ends_at=start,
        )
    with pytest.raises(ValidationError):
        make_event(world, service_items=["家电维修"])  # only a 便民服务日 has service items


def test_capacity_waitlist_and_promotion(world):
    event = make_event(world, capacity=2)
    a, b, c, d = _users(world, 4)
    ra = services.registration_create(actor=a, event=event)
    rb = services.registration_create(actor=b, event=event)
    rc = services.registration_create(actor=c, event=event)
    rd = services.registration_create(actor=d, event=event)
    assert [r.status for r in (ra, rb, rc, rd)] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    with pytest.raises(ValidationError):
        services.registration_create(actor=a, event=event)
    promoted = services.registration_cancel(actor=b, registration=rb)
    assert promoted.pk == rc.pk
    rc.refresh_from_db()
    rd.refresh_from_db()
    assert rc.status == RegistrationStatus.CONFIRMED and rd.status == RegistrationStatus.WAITLISTED
    # A waiting person cancelling frees no place and promotes nobody.
    assert services.registration_cancel(actor=d, registration=rd) is None
    assert event.registrations.filter(status="confirmed").count() == 2
    # Signing up again after cancelling is allowed (one live registration per person).
    assert (
        services.registration_create(actor=b, event=event).status == RegistrationStatus.WAITLISTED
    )


def test_someone_else_cannot_cancel(world):
    event = make_event(world, capacity=2)
    a, b = _users(world, 2)
    ra = services.registration_create(actor=a, event=event)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(actor=b, registration=ra)
    services.registration_cancel(actor=world.users["village_a"], registration=ra)


def test_audience_party_members_only(world):
    event = make_event(world, audience=Audience.PARTY_MEMBERS, kind=EventKind.PARTY_DAY)
    with pytest.raises(PermissionDenied):
        services.registration_create(actor=world.users["resident_a"], event=event)
    assert (
        services.registration_create(actor=world.users["party_a"], event=event).status
        == "confirmed"
    )


def test_checkin_token_and_attendance_record_once(world):
    event = make_event(world, capacity=5, starts_in=timedelta(minutes=30), hours=2)
    token = services.checkin_token(event=event)
    assert services.checkin_event_from_token(token) == event.pk
    with pytest.raises(ValidationError):
        services.checkin_event_from_token(token + "x")
    reg = services.checkin(
        actor=world.users["party_a"], event=event
    )  # a walk-in while places remain
    assert reg.checked_in_at is not None
    again = services.checkin(actor=world.users["party_a"], event=event)
    assert again.checked_in_at == reg.checked_in_at
    rec = ServiceRecord.objects.get(source_kind=SourceKind.ATTENDANCE, source_id=reg.pk)
    assert rec.status == RecordStatus.PENDING and rec.hours == 2 and rec.points == 2
    assert services.service_records_confirm(actor=world.users["village_a"], event=event) == 1
    rec.refresh_from_db()
    assert rec.status == RecordStatus.CONFIRMED and rec.confirmed_by == world.users["village_a"]
    # The staff roster mark does not add a second entry for the same registration.
    services.attendance_mark(actor=world.users["village_a"], registration=reg)
    assert (
        ServiceRecord.objects.filter(source_id=reg.pk, source_kind=SourceKind.ATTENDANCE).count()
        == 1
    )


def test_checkin_outside_window_and_waitlisted(world):
    far = make_event(world, starts_in=timedelta(days=3))
    with pytest.raises(ValidationError):
        services.checkin(actor=world.users["party_a"], event=far)
    event = make_event(world, capacity=1, starts_in=timedelta(minutes=10))
    services.registration_create(actor=world.users["party_a"], event=event)
    services.registration_create(actor=world.users["resident_a"], event=event)
    with pytest.raises(ValidationError):
        services.checkin(actor=world.users["resident_a"], event=event)


def test_training_attendance_counts_as_training(world):
    from tests.events.factories import make_programme

    prog = make_programme(world)
    event = make_event(
        world,
        kind=EventKind.TRAINING,
        programme=prog,
        session_kind="lecture",
        starts_in=timedelta(minutes=5),
        actor=world.users["town_a"],
    )
    reg = services.checkin(actor=world.users["party_a"], event=event)
    assert ServiceRecord.objects.get(source_id=reg.pk).source_kind == SourceKind.TRAINING


def test_service_day_queues(world):
    event = make_event(
        world, kind=EventKind.SERVICE_DAY, service_items=["家电维修", "地毯清洗", "家电维修"]
    )
    items = list(event.service_items.order_by("id"))
    assert [i.name for i in items] == ["家电维修", "地毯清洗"]
    t1 = services.queue_take(actor=world.users["resident_a"], item=items[0])
    t2 = services.queue_take(actor=world.users["party_a"], item=items[0])
    t3 = services.queue_take(actor=world.users["resident_a"], item=items[1])
    assert (t1.number, t2.number, t3.number) == (1, 2, 1)
    assert (
        services.queue_take(actor=world.users["resident_a"], item=items[0]).pk == t1.pk
    )  # one live number each
    item = services.queue_call_next(actor=world.users["village_a"], item=items[0])
    assert item.served_number == 1 and item.waiting == 1
    with pytest.raises(PermissionDenied):
        services.queue_call_next(actor=world.users["village_b"], item=items[0])


def test_cancelled_event_refuses_signup(world):
    event = make_event(world)
    with pytest.raises(ValidationError):
        services.event_cancel(actor=world.users["village_a"], event=event, reason="")
    services.event_cancel(actor=world.users["village_a"], event=event, reason="大风天气")
    with pytest.raises(ValidationError):
        services.registration_create(actor=world.users["party_a"], event=event)
    assert Registration.objects.count() == 0


def test_raising_capacity_promotes_waiting_in_order(world):
    event = make_event(world, capacity=1)
    a, b, c = _users(world, 3)
    services.registration_create(actor=a, event=event)
    rb = services.registration_create(actor=b, event=event)
    rc = services.registration_create(actor=c, event=event)
    kw = dict(
        title=event.title,
        place=event.place,
        room="",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
    )
    promoted = services.event_update(actor=world.users["village_a"], event=event, capacity=2, **kw)
    assert [r.pk for r in promoted] == [rb.pk]
    rc.refresh_from_db()
    assert rc.status == RegistrationStatus.WAITLISTED
    with pytest.raises(ValidationError):
        services.event_update(actor=world.users["village_a"], event=event, capacity=1, **kw)
    assert [
        r.pk
        for r in services.event_update(
            actor=world.users["village_a"], event=event, capacity=None, **kw
        )
    ] == [rc.pk]
    with pytest.raises(PermissionDenied):
        services.event_update(actor=world.users["village_b"], event=event, capacity=None, **kw)
