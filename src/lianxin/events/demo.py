"""Demo step: a year of monthly 便民服务日 in the communities, 主题党日 and culture events (村晚,
社火, 书画, 麦秆画) with attendance, the county's 轮训 for village secretaries, and the hours and
points they earned (after the volunteers step; ADR 0008)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from lianxin.core.demo import DemoContext
from lianxin.events.models import (
    Audience,
    Event,
    EventKind,
    EventStatus,
    QueueTicket,
    Registration,
    RegistrationStatus,
    ServiceItem,
    SessionKind,
    TrainingProgramme,
)
from lianxin.org.demo import county_people
from lianxin.org.models import Role, UnitKind
from lianxin.rooms.models import Audience as RoomAudience
from lianxin.rooms.models import Booking, BookingSlot, BookingStatus, Room, RoomFunction
from lianxin.venues.models import VenueKind
from lianxin.volunteers.models import (
    RecordStatus,
    ServiceRecord,
    SourceKind,
    Team,
    TeamKind,
)
from lianxin.volunteers.services import DEFAULT_POINTS

DEMO_ORDER = 61

SERVICE_ITEMS = ["家电维修", "地毯清洗", "义诊量血压", "理发", "磨剪子菜刀", "法律咨询"]
CULTURE = [
    ("村晚", "文化广场"),
    ("社火表演", "村委会广场"),
    ("书画培训班", "党群服务中心书画室"),
    ("麦秆画培训班", "党群服务中心手工室"),
]


def _at(day, hour: int, tz) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=tz)


def days_off(years) -> frozenset[date]:
    """The public holidays (法定节假日, 春节 …) of ``years``: the working-day calendar's days off
    (``lianxin.workdays``), and for a year without an official schedule yet the estimate of the
    ``holidays`` package, so no demo event, training or service day falls on one."""
    import holidays as holiday_rules

    from lianxin.workdays.calendar import year_calendar

    off: set[date] = set()
    for year in years:
        cal = year_calendar(year)
        off |= cal.holidays
        if not cal.complete:
            off |= set(holiday_rules.China(years=year))
    return frozenset(off)


def _open_day(day: date, off: frozenset[date]) -> date:
    """``day``, or the first day after it that is not a public holiday."""
    while day in off:
        day += timedelta(days=1)
    return day


def demo_build(ctx: DemoContext) -> None:
    w = county_people(ctx)
    rng = w.rng
    now = w.now
    county = w.county
    tz = w.tz
    today = w.today
    villages = w.villages
    clerk_of = w.clerk_of
    admin_id = w.admin_id
    members = w.members
    residents = w.residents
    active = w.active
    off = days_off(range(today.year - 1, today.year + 2))
    home_of = w.home_of
    team_of_village = {
        t.unit_id: t
        for t in Team.objects.filter(kind=TeamKind.VOLUNTEER, unit__in=villages).order_by("id")
    }

    # ---- events
    events: list[Event] = []
    attendees: list[list[int]] = []
    communities = [v for v in villages if v.kind == UnitKind.COMMUNITY]
    for m_back in range(12, -2, -1):  # a year back and next month, each calendar month once
        y, m = divmod(today.year * 12 + today.month - 1 - m_back, 12)
        month_day = _open_day(date(y, m + 1, 15), off)  # mid-month, past a holiday (中秋)
        for c in communities:
            start = _at(month_day, 9, tz)
            events.append(
                Event(
                    unit=c,
                    kind=EventKind.SERVICE_DAY,
                    title=f"{month_day.month}月便民服务日",
                    place=f"{c.name}文化广场",
                    starts_at=start,
                    ends_at=start + timedelta(hours=3),
                    audience=Audience.ALL,
                    hours=Decimal("3"),
                    team=team_of_village.get(c.pk),
                    organiser_id=clerk_of.get(c.pk),
                )
            )
            attendees.append(members.get(c.pk, [])[:8])
        if m_back % 3 == 0:
            for v in active:
                d = _open_day(month_day.replace(day=1), off)  # never on 元旦, 劳动节 or 国庆
                start = _at(d, 15, tz)
                events.append(
                    Event(
                        unit=v,
                        kind=EventKind.PARTY_DAY,
                        title=f"{d.month}月主题党日",
                        place=f"{v.name}党员活动室",
                        room="党员活动室",
                        starts_at=start,
                        ends_at=start + timedelta(hours=2),
                        audience=Audience.PARTY_MEMBERS,
                        hours=Decimal("2"),
                        organiser_id=clerk_of.get(v.pk),
                    )
                )
                attendees.append([u for u in members[v.pk] if rng.random() < 0.8])
    for v in rng.sample(villages, min(40, len(villages))):
        title, place = rng.choice(CULTURE)
        start = _at(
            _open_day(today - timedelta(days=rng.randint(-20, 300)), off),
            19 if title in ("村晚", "社火表演") else 14,
            tz,
        )
        events.append(
            Event(
                unit=v,
                kind=EventKind.CULTURE,
                title=f"{v.name}{title}",
                place=place,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                capacity=rng.choice([None, 30, 40]),
                audience=Audience.ALL,
                hours=Decimal("2"),
                organiser_id=clerk_of.get(v.pk),
            )
        )
        attendees.append((members.get(v.pk, []) + residents.get(v.pk, []))[:25])

    # The county's 轮训 for village secretaries (Anning's course: lectures, site visits, discussion).
    prog = TrainingProgramme.objects.create(
        unit=county,
        title="村（社区）党组织书记轮训",
        year=today.year,
        required_role=Role.VILLAGE_STAFF,
    )
    secretaries = list(clerk_of.values())
    sessions = [
        (SessionKind.LECTURE, "基层治理与接诉即办", "县委党校报告厅", 60),
        (SessionKind.SITE_VISIT, "党群服务中心阵地建设", "城关镇东关社区党群服务中心", 45),
        (SessionKind.DISCUSSION, "一区一岗两队经验交流", "县委党校研讨室", 30),
    ]
    for i, (kind, title, place, back) in enumerate(sessions):
        start = _at(_open_day(today - timedelta(days=back), off), 9, tz)
        events.append(
            Event(
                unit=county,
                kind=EventKind.TRAINING,
                programme=prog,
                session_kind=kind,
                title=title,
                place=place,
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                capacity=400,
                audience=Audience.STAFF,
                hours=Decimal("3"),
                organiser_id=admin_id,
            )
        )
        attendees.append([u for u in secretaries if rng.random() < (0.75 if i < 2 else 0.6)])
    for e in events:
        e.status = EventStatus.OPEN
    n_booked = _book_service_day_halls(events, now)
    Event.objects.bulk_create(events, batch_size=1000)

    regs: list[Registration] = []
    for e, uids in zip(events, attendees, strict=True):
        past = e.ends_at < now
        for k, uid in enumerate(dict.fromkeys(uids)):
            full = e.capacity is not None and k >= e.capacity
            status = RegistrationStatus.WAITLISTED if full else RegistrationStatus.CONFIRMED
            present = past and status == RegistrationStatus.CONFIRMED and rng.random() < 0.9
            regs.append(
                Registration(
                    event=e,
                    user_id=uid,
                    status=status,
                    created_at=e.starts_at - timedelta(days=rng.randint(1, 6)),
                    checked_in_at=e.starts_at + timedelta(minutes=rng.randint(0, 20))
                    if present
                    else None,
                )
            )
    Registration.objects.bulk_create(regs, batch_size=2000)

    items, tickets = [], []
    for e in events:
        if e.kind == EventKind.SERVICE_DAY:
            for name in rng.sample(SERVICE_ITEMS, 3):
                issued = rng.randint(5, 40) if e.ends_at < now else 0
                items.append(
                    ServiceItem(
                        event=e,
                        name=name,
                        provider="县志愿服务联合会",
                        last_number=issued,
                        served_number=issued,
                    )
                )
    ServiceItem.objects.bulk_create(items, batch_size=2000)
    for it in items:
        tickets.extend(
            QueueTicket(item=it, number=n, name="") for n in range(1, it.last_number + 1)
        )
    QueueTicket.objects.bulk_create(tickets, batch_size=5000)

    # ---- hours and points: one record per attended registration, confirmed by the organiser.
    ev_by_id = {e.pk: e for e in events}
    records = []
    for r in regs:
        if r.checked_in_at is None:
            continue
        e = ev_by_id[r.event_id]
        kind = SourceKind.TRAINING if e.kind == EventKind.TRAINING else SourceKind.ATTENDANCE
        unit_id = home_of.get(r.user_id) or e.unit_id
        records.append(
            ServiceRecord(
                user_id=r.user_id,
                unit_id=unit_id,
                source_kind=kind,
                source_id=r.pk,
                title=e.title,
                occurred_on=e.starts_at.astimezone(tz).date(),
                hours=e.hours,
                points=DEFAULT_POINTS[kind],
                status=RecordStatus.CONFIRMED if rng.random() < 0.95 else RecordStatus.PENDING,
                created_at=e.ends_at,
            )
        )
    for rec in records:
        if rec.status == RecordStatus.CONFIRMED:
            rec.confirmed_at = rec.created_at + timedelta(days=1)
            rec.confirmed_by_id = admin_id
    ServiceRecord.objects.bulk_create(records, batch_size=2000)

    ctx.log(
        f"活动 {len(events)} 场（预约功能室 {n_booked} 场），报名 {len(regs)} 人次，"
        f"服务项目 {len(items)} 个，时长积分记录 {len(records)} 条"
    )


def _book_service_day_halls(events: list[Event], now: datetime) -> int:
    """The monthly 便民服务日 of a community whose service centre has a 便民服务大厅 books that
    hall for its three hours, as the organiser's group booking (what ``event_create`` does
    through the venues service, done in bulk here). Slots the venues demo already holds are
    left alone: that month's event keeps its free-text place. Returns the events booked."""
    days = [e for e in events if e.kind == EventKind.SERVICE_DAY and e.organiser_id]
    if not days:
        return 0
    halls = {
        r.venue.unit_id: r
        for r in Room.objects.filter(
            function=RoomFunction.CONVENIENCE,
            is_bookable=True,
            venue__kind=VenueKind.SERVICE_CENTER,
            venue__unit_id__in={e.unit_id for e in days},
        ).select_related("venue")
    }
    if not halls:
        return 0
    taken = set(
        BookingSlot.objects.filter(room__in=halls.values()).values_list("room_id", "starts_at")
    )
    plan: list[tuple[Event, Booking, list[datetime]]] = []
    for e in days:
        room = halls.get(e.unit_id)
        if room is None:
            continue
        step = timedelta(minutes=room.slot_minutes)
        times, t = [], e.starts_at
        while t < e.ends_at:
            times.append(t)
            t += step
        if any((room.pk, t) in taken for t in times):
            continue
        taken.update((room.pk, t) for t in times)
        done = e.ends_at <= now
        booking = Booking(
            room=room,
            booker_id=e.organiser_id,
            group_name=e.title[:60],
            audience=RoomAudience.GENERAL,
            purpose=e.title,
            attendees=room.capacity,
            starts_at=e.starts_at,
            ends_at=e.ends_at,
            status=BookingStatus.CHECKED_IN if done else BookingStatus.APPROVED,
            checked_in_at=e.starts_at if done else None,
        )
        plan.append((e, booking, times))
    Booking.objects.bulk_create([b for _e, b, _t in plan], batch_size=1000)
    BookingSlot.objects.bulk_create(
        [
            BookingSlot(room_id=b.room_id, booking=b, starts_at=t)
            for _e, b, times in plan
            for t in times
        ],
        batch_size=2000,
    )
    for e, b, _t in plan:
        room = halls[e.unit_id]
        e.venue_room, e.booking, e.place, e.room = room, b, room.venue.name[:100], room.name
    return len(plan)
