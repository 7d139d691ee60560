"""Demo step: the 357 service centres of 武山县 with their archive, rooms, bookings, plans,
duty rosters and certificates, and the county's survey campaign (341 of 357 answered)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from lianxin.core.demo import DemoContext
from lianxin.org.models import VILLAGE_KINDS, Membership, Role, Unit
from lianxin.rooms.models import (
    Audience,
    Booking,
    BookingSlot,
    BookingStatus,
    Room,
    RoomFunction,
    SlotRule,
)
from lianxin.venues.models import (
    Condition,
    DutyShift,
    PlanStatus,
    Severity,
    StaffCertificate,
    Structure,
    SurveyCampaign,
    SurveyResponse,
    UpgradePlan,
    Venue,
    VenueHazard,
    VenueKind,
    WorkType,
)

DEMO_ORDER = 30

HAZARDS = [
    ("屋面渗漏，雨季漏水", Severity.MEDIUM),
    ("墙体开裂", Severity.HIGH),
    ("电线老化裸露", Severity.HIGH),
    ("无消防器材或已过期", Severity.MEDIUM),
    ("院墙倾斜", Severity.MEDIUM),
    ("门窗破损", Severity.LOW),
    ("地面沉降", Severity.HIGH),
    ("楼梯无护栏", Severity.LOW),
]
ROOMS = [
    ("便民服务大厅", RoomFunction.CONVENIENCE, 0.30, 20, "办事窗口、自助终端、饮水机"),
    ("民主议事室", RoomFunction.DELIBERATION, 0.18, 30, "会议桌、投影仪"),
    ("文化活动室", RoomFunction.CULTURE, 0.30, 40, "棋牌桌、书架、音响"),
    ("办公室", RoomFunction.OFFICE, 0.22, 6, "办公桌椅、电脑"),
]
GROUPS = {
    Audience.ELDERS: ["老年象棋队", "夕阳红秧歌队", "老年书画班"],
    Audience.CHILDREN: ["四点半课堂", "少儿葫芦丝班", "暑期托管班"],
    Audience.MEETING: ["村民代表会议", "四议两公开议事", "网格员例会"],
    Audience.PARTY: ["主题党日", "党员学习会"],
    Audience.GENERAL: ["村晚排练", "社火排练", "麦秆画体验", "健康讲座"],
    Audience.VOLUNTEERS: ["志愿服务队例会"],
}
STYLES = [
    "青瓦白墙、陇右民居风貌",
    "统一党群服务中心标识，外立面红色主调",
    "保留原有砖木结构，修旧如旧",
]
INTERIORS = [
    "一厅多室：便民服务大厅+议事室+文化活动室",
    "压减办公用房，合并为综合服务室",
    "增设儿童四点半课堂和老年活动角",
]
CERTS = ["社会工作者职业资格证书", "村（社区）干部履职培训合格证", "应急救护员证"]


SURVEY_DAYS = 61  # the campaign opened this many days before the demo's date


def _dec(x: float) -> Decimal:
    return Decimal(str(round(x, 1)))


def plan_work_type(rng, condition: str) -> str:
    """Works that fit the building: a 危房 is rebuilt (新建), a sound building is not torn down."""
    if condition == Condition.DANGEROUS:
        return WorkType.NEW_BUILD
    if condition == Condition.POOR:
        return rng.choice(
            [WorkType.REPAIR, WorkType.RENOVATION, WorkType.EXTENSION, WorkType.NEW_BUILD]
        )
    return rng.choice([WorkType.REPAIR, WorkType.RENOVATION, WorkType.EXTENSION])


def plan_target_area(rng, work_type: str, floor_area: Decimal) -> Decimal:
    """Repair and renovation keep the floor area; an extension adds to it; a new build may."""
    if work_type in (WorkType.REPAIR, WorkType.RENOVATION):
        return floor_area
    low = 1.1 if work_type == WorkType.EXTENSION else 1.0
    return _dec(float(floor_area) * rng.uniform(low, 1.4))


def demo_build(ctx: DemoContext) -> None:
    rng = ctx.rng
    county = ctx.county
    now = ctx.now
    today = timezone.localdate(now)
    villages = list(
        Unit.objects.filter(path__startswith=county.path, kind__in=VILLAGE_KINDS)
        .select_related("parent")
        .order_by("code")
    )
    county_admin = (
        Membership.objects.filter(unit=county, role=Role.COUNTY_ADMIN)
        .values_list("user_id", flat=True)
        .first()
    )

    # --- archive: one 党群服务中心 per village/community, ~37 with hazards or poor condition
    troubled = set(rng.sample(range(len(villages)), 37))
    venues: list[Venue] = []
    for i, v in enumerate(villages):
        floor = rng.uniform(180, 900) if v.kind == "community" else rng.uniform(120, 600)
        share = rng.uniform(0.35, 0.9)
        usable = floor * rng.uniform(0.75, 0.9)
        if i in troubled:
            condition = rng.choice([Condition.POOR, Condition.POOR, Condition.DANGEROUS])
            year = rng.randint(1978, 2005)
        else:
            condition = rng.choice([Condition.GOOD, Condition.GOOD, Condition.FAIR])
            year = rng.randint(1995, 2023)
        venues.append(
            Venue(
                unit=v,
                town_id=v.parent_id,
                kind=VenueKind.SERVICE_CENTER,
                name=f"{v.name}党群服务中心",
                address=v.address or f"武山县{v.parent.name}{v.name}",
                lat=v.lat,
                lng=v.lng,
                build_year=year,
                floor_area=_dec(floor),
                office_area=_dec(usable * (1 - share)),
                service_area=_dec(usable * share),
                structure=rng.choices(
                    [
                        Structure.BRICK_CONCRETE,
                        Structure.FRAME,
                        Structure.BRICK_WOOD,
                        Structure.OTHER,
                    ],
                    weights=[60, 25, 12, 3],
                )[0],
                floors=rng.choice([1, 1, 2, 2, 3]),
                condition=condition,
                phone=f"0938-{rng.randint(3200000, 3299999)}",
                opening_hours="周一至周五 8:30-17:30，周末 9:00-12:00",
                surveyed_at=now - timedelta(days=rng.randint(5, SURVEY_DAYS - 1)),
            )
        )
    # Other venue types from the article: stations for riders and drivers, practice stations.
    extra_units = rng.sample(villages, 20)
    for v in extra_units:
        venues.append(
            Venue(
                unit=v,
                town_id=v.parent_id,
                kind=VenueKind.CIVILIZATION_STATION,
                name=f"{v.name}新时代文明实践站",
                address=v.address,
                lat=v.lat,
                lng=v.lng,
                floor_area=_dec(rng.uniform(60, 200)),
                condition=Condition.GOOD,
            )
        )
    communities = [v for v in villages if v.kind == "community"] or villages
    for k, (kind, label) in enumerate(
        [(VenueKind.BEE_STATION, "暖蜂驿站"), (VenueKind.DRIVER_HOME, "司机之家")]
    ):
        for v in communities[k * 3 : k * 3 + 3]:
            venues.append(
                Venue(
                    unit=v,
                    town_id=v.parent_id,
                    kind=kind,
                    name=f"{v.name}{label}",
                    address=v.address,
                    lat=v.lat,
                    lng=v.lng,
                    floor_area=_dec(rng.uniform(30, 90)),
                    condition=Condition.GOOD,
                    opening_hours="全天",
                )
            )
    Venue.objects.bulk_create(venues, batch_size=500)
    centres = [x for x in venues if x.kind == VenueKind.SERVICE_CENTER]

    hazards = []
    for i in sorted(troubled):
        for desc, sev in rng.sample(HAZARDS, rng.randint(1, 3)):
            hazards.append(
                VenueHazard(
                    venue=centres[i],
                    description=desc,
                    severity=sev,
                    found_on=today - timedelta(days=rng.randint(30, 700)),
                )
            )
    VenueHazard.objects.bulk_create(hazards, batch_size=1000)

    # --- upgrade plans over three years: the 37 troubled venues (all but 5) and some others.
    # The condition on file is the latest survey's, after every accepted work (plan_agrees_with_condition):
    # a 较差/危房 centre's works are not accepted yet (last year's still under construction, or this
    # year's), a 危房 is rebuilt (新建), never repaired; earlier accepted works left their centre in
    # good repair (a new build dated by its acceptance).
    years = [today.year - 2, today.year - 1, today.year]
    others = [i for i in range(len(centres)) if i not in troubled]
    planned = [(i, rng.choice(years[1:])) for i in sorted(troubled)[:-5]]
    planned += [(i, years[n % 3]) for n, i in enumerate(rng.sample(others, 25))]
    order = [
        PlanStatus.PLANNED,
        PlanStatus.FUNDED,
        PlanStatus.UNDER_CONSTRUCTION,
        PlanStatus.ACCEPTED,
    ]
    plans = []
    for i, year in planned:
        centre = centres[i]
        budget = Decimal(rng.choice([8, 12, 15, 20, 30, 45, 60]))
        prov = (budget * Decimal(rng.choice(["0.5", "0.6", "0.4"]))).quantize(Decimal("0.01"))
        fee = (budget * Decimal("0.2")).quantize(Decimal("0.01"))
        building = (budget * Decimal("0.15")).quantize(Decimal("0.01"))
        other = budget - prov - fee - building
        if year == today.year:
            status = rng.choice(
                [PlanStatus.PLANNED, PlanStatus.FUNDED, PlanStatus.UNDER_CONSTRUCTION]
            )
        elif i in troubled:
            status = PlanStatus.UNDER_CONSTRUCTION
        elif year == today.year - 1:
            status = rng.choice([PlanStatus.ACCEPTED, PlanStatus.UNDER_CONSTRUCTION])
        else:
            status = PlanStatus.ACCEPTED
        work_type = plan_work_type(rng, centre.condition)
        step = order.index(status)
        base = date(year, 3, 1)
        plan = UpgradePlan(
            venue=centre,
            year=year,
            work_type=work_type,
            target_area=plan_target_area(rng, work_type, centre.floor_area),
            style_notes=rng.choice(STYLES),
            interior_notes=rng.choice(INTERIORS),
            budget=budget,
            fund_provincial=prov,
            fund_party_fee=fee,
            fund_party_building=building,
            fund_other=other,
            status=status,
            funded_on=min(base, today) if step >= 1 else None,
            started_on=min(base + timedelta(days=45), today) if step >= 2 else None,
            accepted_on=min(base + timedelta(days=200), today) if step >= 3 else None,
            created_by_id=county_admin,
        )
        plans.append(plan)
        if status == PlanStatus.ACCEPTED:  # the finished work is what the survey found
            centre.condition = (
                Condition.GOOD
                if work_type != WorkType.REPAIR
                else rng.choice([Condition.GOOD, Condition.FAIR])
            )
            if work_type == WorkType.NEW_BUILD:
                centre.build_year = plan.accepted_on.year
            elif work_type == WorkType.EXTENSION:
                centre.floor_area = plan.target_area
    UpgradePlan.objects.bulk_create(plans, batch_size=500)
    Venue.objects.bulk_update(
        [centres[i] for i, _y in planned], ["condition", "build_year", "floor_area"], batch_size=500
    )

    # --- the survey campaign: 341 of 357 answered, the rest to chase
    campaign = SurveyCampaign.objects.create(
        unit=county,
        name=f"{today.year}年村（社）办公场所全覆盖摸排",
        due_on=today + timedelta(days=14),
        opened_by_id=county_admin,
    )
    missing = set(rng.sample(range(len(centres)), max(0, len(centres) - 341)))
    responses = SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                campaign=campaign,
                venue=c,
                submitted_by_id=None,
                snapshot={
                    "floor_area": str(c.floor_area),
                    "office_area": str(c.office_area),
                    "service_area": str(c.service_area),
                },
            )
            for i, c in enumerate(centres)
            if i not in missing
        ],
        batch_size=1000,
    )
    # The campaign opened before the first answer; an answer is the venue's latest survey, and
    # the 16 still to chase were last surveyed in an earlier round.
    SurveyCampaign.objects.filter(pk=campaign.pk).update(
        created_at=now - timedelta(days=SURVEY_DAYS)
    )
    for r in responses:
        r.created_at = r.venue.surveyed_at
    SurveyResponse.objects.bulk_update(responses, ["created_at"], batch_size=1000)
    for i in missing:
        centres[i].surveyed_at = now - timedelta(days=rng.randint(400, 800))
    Venue.objects.bulk_update([centres[i] for i in missing], ["surveyed_at"], batch_size=500)

    # --- rooms with staggered-use rules
    rooms: list[Room] = []
    for c in centres:
        for name, func, part, cap, fac in ROOMS:
            rooms.append(
                Room(
                    venue=c,
                    name=name,
                    function=func,
                    area=_dec(float(c.floor_area) * part * 0.8),
                    capacity=cap,
                    facilities=fac,
                    opens_at=time(8),
                    closes_at=time(21),
                    slot_minutes=60,
                    requires_approval=(func == RoomFunction.DELIBERATION),
                    is_bookable=(func != RoomFunction.OFFICE),
                )
            )
    Room.objects.bulk_create(rooms, batch_size=1000)
    rules = []
    for r in rooms:
        if r.function == RoomFunction.CULTURE:
            rules.append(
                SlotRule(
                    room=r,
                    weekdays="01234",
                    starts=time(8),
                    ends=time(11),
                    audience=Audience.ELDERS,
                    note="上午老年人活动",
                )
            )
            rules.append(
                SlotRule(
                    room=r,
                    weekdays="01234",
                    starts=time(16),
                    ends=time(18),
                    audience=Audience.CHILDREN,
                    note="放学后四点半课堂",
                )
            )
        elif r.function == RoomFunction.DELIBERATION:
            rules.append(
                SlotRule(
                    room=r,
                    weekdays="0123456",
                    starts=time(19),
                    ends=time(21),
                    audience=Audience.MEETING,
                    note="晚间议事",
                )
            )
    SlotRule.objects.bulk_create(rules, batch_size=1000)

    # --- bookings: three past weeks and the coming one
    staff_of = dict(
        Membership.objects.filter(unit__in=villages, role=Role.VILLAGE_STAFF).values_list(
            "unit_id", "user_id"
        )
    )
    locals_of: dict[int, list[int]] = {}
    for uid, path in Membership.objects.filter(
        unit__path__startswith=county.path, role__in=[Role.RESIDENT, Role.PARTY_MEMBER]
    ).values_list("user_id", "unit__path"):
        parts = path.strip("/").split("/")
        locals_of.setdefault(parts[4] if len(parts) > 4 else "", []).append(uid)
    code_of = {v.pk: v.code for v in villages}
    tz = timezone.get_current_timezone()
    monday = today - timedelta(days=today.weekday())
    bookings: list[Booking] = []
    slots_taken: set[tuple[int, datetime]] = set()
    slot_plan: list[tuple[int, list[datetime]]] = []
    bookable = [r for r in rooms if r.is_bookable]
    for r in bookable:
        unit_id = r.venue.unit_id
        bookers = locals_of.get(code_of[unit_id], []) or [staff_of.get(unit_id)]
        if bookers == [None]:
            continue
        for week in range(-3, 2):
            for _k in range(rng.randint(1, 5)):
                day = monday + timedelta(days=7 * week + rng.randint(0, 6))
                if r.function == RoomFunction.CULTURE and day.weekday() < 5:
                    audience, hour = rng.choice(
                        [(Audience.ELDERS, 8), (Audience.CHILDREN, 16), (Audience.GENERAL, 19)]
                    )
                elif r.function == RoomFunction.DELIBERATION:
                    audience, hour = rng.choice(
                        [(Audience.MEETING, 19), (Audience.PARTY, 9), (Audience.MEETING, 14)]
                    )
                else:
                    audience, hour = Audience.GENERAL, rng.randint(9, 15)
                hours = rng.choice([1, 2])
                start = datetime.combine(day, time(hour), tzinfo=tz)
                times = [start + timedelta(hours=h) for h in range(hours)]
                if any((r.pk, t) in slots_taken for t in times):
                    continue
                end = start + timedelta(hours=hours)
                if end <= now:
                    status = rng.choices(
                        [BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW, BookingStatus.CANCELLED],
                        weights=[80, 10, 10],
                    )[0]
                else:
                    status = (
                        BookingStatus.PENDING
                        if r.requires_approval and rng.random() < 0.5
                        else BookingStatus.APPROVED
                    )
                b = Booking(
                    room=r,
                    booker_id=rng.choice(bookers),
                    group_name=rng.choice(GROUPS[audience]),
                    audience=audience,
                    attendees=rng.randint(3, r.capacity),
                    starts_at=start,
                    ends_at=end,
                    status=status,
                    checked_in_at=start if status == BookingStatus.CHECKED_IN else None,
                )
                bookings.append(b)
                if status != BookingStatus.CANCELLED:
                    slots_taken.update((r.pk, t) for t in times)
                    slot_plan.append((len(bookings) - 1, times))
    Booking.objects.bulk_create(bookings, batch_size=1000)
    BookingSlot.objects.bulk_create(
        [
            BookingSlot(room_id=bookings[i].room_id, booking=bookings[i], starts_at=t)
            for i, times in slot_plan
            for t in times
        ],
        batch_size=2000,
    )

    # --- duty rosters for this week and certificates (a few lapsing soon)
    shifts, certs = [], []
    for c in centres:
        uid = staff_of.get(c.unit_id)
        if uid is None:
            continue
        for d in range(7):
            day = monday + timedelta(days=d)
            if day.weekday() < 5 or rng.random() < 0.5:
                shifts.append(
                    DutyShift(
                        venue=c,
                        day=day,
                        staff_id=uid,
                        post="党组织书记（坐班）",
                        starts=time(8, 30),
                        ends=time(17, 30) if day.weekday() < 5 else time(12),
                    )
                )
        certs.append(
            StaffCertificate(
                venue=c,
                staff_id=uid,
                name=rng.choice(CERTS),
                number=f"GS{rng.randint(10**7, 10**8 - 1)}",
                expires_on=today + timedelta(days=rng.choice([-20, 10, 25, 200, 400, 700, 900])),
            )
        )
    DutyShift.objects.bulk_create(shifts, batch_size=1000)
    StaffCertificate.objects.bulk_create(certs, batch_size=1000)
    ctx.log(
        f"阵地 {len(venues)} 处（党群服务中心 {len(centres)}），隐患 {len(hazards)} 条，提升计划 {len(plans)} 项，"
        f"功能室 {len(rooms)} 间，预约 {len(bookings)} 条，值班 {len(shifts)} 班次"
    )
