"""Demo step: teams and model posts (一区一岗两队), a year of monthly 便民服务日 in the
communities, 主题党日 and culture events (村晚, 社火, 书画, 麦秆画) with attendance, the county's
轮训 for village secretaries, hours and points that add up, brands and proposals."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from lianxin.activities.models import (
    Audience,
    BrandProject,
    BrandRating,
    BrandReview,
    BrandStatus,
    Event,
    EventKind,
    EventStatus,
    ModelPost,
    PointRule,
    Proposal,
    ProposalStatus,
    QueueTicket,
    RecordStatus,
    Registration,
    RegistrationStatus,
    ResponsibilityArea,
    ServiceItem,
    ServiceRecord,
    SessionKind,
    SourceKind,
    Team,
    TeamKind,
    TeamMember,
    TrainingProgramme,
)
from lianxin.activities.services import DEFAULT_POINTS
from lianxin.core.demo import DemoContext
from lianxin.org.models import VILLAGE_KINDS, Membership, Role, Unit, UnitKind
from lianxin.venues.models import Audience as RoomAudience
from lianxin.venues.models import Booking, BookingSlot, BookingStatus, Room, RoomFunction, VenueKind

DEMO_ORDER = 60

SERVICE_ITEMS = ["家电维修", "地毯清洗", "义诊量血压", "理发", "磨剪子菜刀", "法律咨询"]
CULTURE = [
    ("村晚", "文化广场"),
    ("社火表演", "村委会广场"),
    ("书画培训班", "党群服务中心书画室"),
    ("麦秆画培训班", "党群服务中心手工室"),
]
POSTS = [
    "政策宣讲示范岗",
    "邻里调解示范岗",
    "助老服务示范岗",
    "环境卫生示范岗",
    "产业帮带示范岗",
    "平安巡逻示范岗",
]
BRANDS = ["红色驿站", "连心桥", "渭水先锋", "邻里守望", "田间课堂", "银发先锋", "一线红旗"]
PROPOSALS = [
    ("增设夜间路灯", "巷道夜间太暗，老人出行不便，建议增设路灯。"),
    ("建立老年食堂", "独居老人吃饭难，建议利用服务中心闲置房间办老年食堂。"),
    ("规范停车", "小区门口乱停车，建议划定停车位。"),
    ("增加快递代收点", "快递无人代收，建议在服务中心设代收点。"),
    ("开设周末课堂", "留守儿童周末无人看管，建议开设周末课堂。"),
]


# A team's name says what it is: the demo never calls a 党员服务队 a 突击队.
TEAM_NAMES = {TeamKind.COMMANDO: "党员突击队", TeamKind.SERVICE: "党员服务队"}
TEAM_DUTIES = {
    TeamKind.COMMANDO: "防汛、疫情防控、急难险重任务",
    TeamKind.SERVICE: "政策宣传、为民代办、结对帮扶",
}


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
    rng, now, county = ctx.rng, ctx.now, ctx.county
    tz = timezone.get_current_timezone()  # events start at local hours (Asia/Shanghai)
    today = timezone.localdate(now)  # the county's date: UTC's is a day behind until 08:00
    villages = list(
        Unit.objects.filter(kind__in=VILLAGE_KINDS, path__startswith=county.path).order_by("code")
    )
    vmap = {v.pk: v for v in villages}
    party_orgs = dict(
        Unit.objects.filter(kind=UnitKind.PARTY_ORG, parent_id__in=vmap.keys()).values_list(
            "parent_id", "id"
        )
    )
    grids_of: dict[int, list[int]] = defaultdict(list)
    for gid, vid in Unit.objects.filter(kind=UnitKind.GRID, parent_id__in=vmap.keys()).values_list(
        "id", "parent_id"
    ):
        grids_of[vid].append(gid)
    clerk_of = dict(
        Membership.objects.filter(role=Role.VILLAGE_STAFF, unit_id__in=vmap.keys()).values_list(
            "unit_id", "user_id"
        )
    )
    town_staff = dict(
        Membership.objects.filter(
            role=Role.TOWN_STAFF, unit__path__startswith=county.path
        ).values_list("unit_id", "user_id")
    )
    admin_id = (
        Membership.objects.filter(role=Role.COUNTY_ADMIN, unit=county)
        .values_list("user_id", flat=True)
        .first()
    )
    members: dict[int, list[int]] = defaultdict(list)  # village id -> party member user ids
    for uid, unit_id, parent_id in (
        Membership.objects.filter(role=Role.PARTY_MEMBER, unit__path__startswith=county.path)
        .values_list("user_id", "unit_id", "unit__parent_id")
        .order_by("id")
    ):
        vid = unit_id if unit_id in vmap else parent_id
        if vid in vmap:
            members[vid].append(uid)
    residents: dict[int, list[int]] = defaultdict(list)
    for uid, parent_id in (
        Membership.objects.filter(role=Role.RESIDENT, unit__path__startswith=county.path)
        .values_list("user_id", "unit__parent_id")
        .order_by("id")
    ):
        residents[parent_id].append(uid)
    active = [v for v in villages if members.get(v.pk)]
    off = days_off(range(today.year - 1, today.year + 2))
    home_of = {uid: vid for vid, uids in members.items() for uid in uids}

    PointRule.objects.bulk_create(
        [PointRule(unit=county, source_kind=k, points=p) for k, p in DEFAULT_POINTS.items()]
    )

    # ---- teams and posts (一区一岗两队)
    teams: list[Team] = []
    for v in active:
        uids = members[v.pk]
        teams.append(
            Team(
                unit=v,
                name=f"{v.name}志愿服务队",
                kind=TeamKind.VOLUNTEER,
                leader_id=uids[0],
                description="助老、环境整治、政策宣传",
            )
        )
        kind = TeamKind.COMMANDO if rng.random() < 0.5 else TeamKind.SERVICE
        teams.append(
            Team(
                unit=v,
                name=f"{v.name}{TEAM_NAMES[kind]}",
                kind=kind,
                leader_id=uids[-1],
                description=TEAM_DUTIES[kind],
            )
        )
    Team.objects.bulk_create(teams, batch_size=1000)
    tm = []
    for t in teams:
        pool = (
            members[t.unit_id] + residents.get(t.unit_id, [])[:3]
            if t.kind == TeamKind.VOLUNTEER
            else members[t.unit_id]
        )
        for uid in dict.fromkeys([t.leader_id, *pool]):
            tm.append(
                TeamMember(
                    team=t, user_id=uid, joined_on=today - timedelta(days=rng.randint(30, 900))
                )
            )
    TeamMember.objects.bulk_create(tm, batch_size=2000)
    posts: list[ModelPost] = []
    for v in active:
        for uid in members[v.pk]:
            if rng.random() < 0.45:
                posts.append(
                    ModelPost(
                        unit=v,
                        holder_id=uid,
                        title=rng.choice(POSTS),
                        pledge="有事找党员，服务零距离",
                    )
                )
    ModelPost.objects.bulk_create(posts, batch_size=1000, ignore_conflicts=False)
    areas = [
        ResponsibilityArea(
            unit=p.unit, holder_id=p.holder_id, post=p, name=f"{p.unit.name}{i + 1}号责任区"
        )
        for i, p in enumerate(posts)
    ]
    ResponsibilityArea.objects.bulk_create(areas, batch_size=1000)
    through = ResponsibilityArea.grids.through
    through.objects.bulk_create(
        [
            through(responsibilityarea_id=a.pk, unit_id=rng.choice(grids_of[a.unit_id]))
            for a in areas
            if grids_of.get(a.unit_id)
        ],
        batch_size=2000,
    )
    team_of_village = {t.unit_id: t for t in teams if t.kind == TeamKind.VOLUNTEER}

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

    # ---- brands and proposals
    brands = []
    for v in rng.sample(active, min(30, len(active))):
        if v.pk not in party_orgs:
            continue
        status = rng.choice(
            [
                BrandStatus.APPROVED,
                BrandStatus.APPROVED,
                BrandStatus.SUBMITTED,
                BrandStatus.REJECTED,
            ]
        )
        decided = status != BrandStatus.SUBMITTED
        brands.append(
            BrandProject(
                unit_id=party_orgs[v.pk],
                name=f"{v.name}·{rng.choice(BRANDS)}",
                summary="以党建引领基层治理，党员带头、群众参与，打造服务群众的特色品牌。",
                submitted_by_id=clerk_of[v.pk],
                status=status,
                decided_by_id=town_staff.get(v.parent_id) if decided else None,
                decided_at=now - timedelta(days=rng.randint(30, 200)) if decided else None,
                decision_note="同意命名"
                if status == BrandStatus.APPROVED
                else ("特色不够鲜明" if decided else ""),
            )
        )
    BrandProject.objects.bulk_create(brands)
    BrandReview.objects.bulk_create(
        [
            BrandReview(
                project=b,
                year=today.year - 1,
                rating=rng.choice(BrandRating.values),
                comment="年度评审",
                reviewer_id=b.decided_by_id or admin_id,
            )
            for b in brands
            if b.status == BrandStatus.APPROVED
        ]
    )
    proposals = []
    for v in active:
        for uid in members[v.pk][:2]:
            title, content = rng.choice(PROPOSALS)
            status = rng.choice(list(ProposalStatus.values))
            created = now - timedelta(days=rng.randint(5, 300))
            reviewed = status != ProposalStatus.SUBMITTED
            proposals.append(
                Proposal(
                    unit=v,
                    title=title,
                    content=content,
                    submitted_by_id=uid,
                    status=status,
                    created_at=created,
                    reviewed_by_id=clerk_of.get(v.pk) if reviewed else None,
                    reviewed_at=created + timedelta(days=7) if reviewed else None,
                    review_note="已研究" if reviewed else "",
                    implementation_due=timezone.localdate(created + timedelta(days=60))
                    if status in (ProposalStatus.ADOPTED, ProposalStatus.IMPLEMENTED)
                    else None,
                    implementation_note="已落实" if status == ProposalStatus.IMPLEMENTED else "",
                    implemented_at=created + timedelta(days=40)
                    if status == ProposalStatus.IMPLEMENTED
                    else None,
                )
            )
    Proposal.objects.bulk_create(proposals, batch_size=1000)
    if connection.vendor == "postgresql":
        # Fresh planner statistics after the bulk load; without them a scoped GROUP BY over the
        # demo's wishes picks a nested loop and takes a second instead of a few milliseconds.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    ctx.log(
        f"队伍 {len(teams)} 支（队员 {len(tm)}），示范岗 {len(posts)} 个，责任区 {len(areas)} 个；"
        f"活动 {len(events)} 场（预约功能室 {n_booked} 场），报名 {len(regs)} 人次，服务项目 {len(items)} 个，时长积分记录 {len(records)} 条；"
        f"党建品牌 {len(brands)} 个，合理化建议 {len(proposals)} 条"
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
