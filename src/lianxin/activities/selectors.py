"""Scoped reads for events, training coverage, teams, posts, points, brands and proposals."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.activities.models import (
    BrandProject,
    BrandReview,
    Event,
    EventStatus,
    ModelPost,
    PointRule,
    Proposal,
    QueueTicket,
    RecordStatus,
    Registration,
    RegistrationStatus,
    ResponsibilityArea,
    ServiceItem,
    ServiceRecord,
    SourceKind,
    Team,
    TeamMember,
    TrainingProgramme,
)
from lianxin.org.models import (
    GRID_KINDS,
    TOWN_KINDS,
    VILLAGE_KINDS,
    Membership,
    Unit,
    UnitKind,
)
from lianxin.org.scoping import home_units, scope_q, scope_queryset, scoped_units, user_scope
from lianxin.people.masking import mask_login
from lianxin.people.models import Household


def area_q(user, field: str) -> Q:
    """Rows whose ``field`` (a Unit FK) lies in the home areas of a user (``org.scoping.
    home_units``): what a resident or party member is offered (events to join, wishes to
    claim). A village's party branch counts as its village; a county department is its own
    area, never the whole county."""
    q = Q(pk__in=[])
    for unit in home_units(user):
        q |= Q(**{f"{field}__path__startswith": unit.path})
    return q


def event_area_q(user) -> Q:
    """Events a resident or party member is offered: those of their home area and below, and
    those held by the town or county above it itself (a county training, a town's 村晚) —
    never the events of the town's or county's other villages."""
    units = home_units(user)
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(unit__path__startswith=unit.path) | Q(unit__path__in=unit.ancestor_paths())
    return q


def _offered(qs_or_user, user=None) -> QuerySet[Event]:
    """Events a user may see: staff their subtree; everyone the events of their own village
    and of the town and county above it (a village secretary attends the county's 轮训)."""
    if user is None:
        qs, user = Event.objects.all(), qs_or_user
    else:
        qs = qs_or_user
    q = scope_q(user, ("unit",))
    if q is None:
        return qs
    return qs.filter(q | event_area_q(user))


def _with_counts(qs: QuerySet[Event]) -> QuerySet[Event]:
    return qs.annotate(
        n_confirmed=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
        ),
        n_waiting=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
        ),
        n_present=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
    )


# ------------------------------------------------------------------------------ form choices
# Every kind of unit that holds members may host events, programmes, teams and posts: the
# administrative units and the organisations hanging in them (a party branch, a county
# department, an enterprise, a social organisation, a property project, an alliance).
# Grids are service areas of their village (its events are the village's); the province and
# city sit above any county office's scope.
HOST_KINDS = tuple(k for k in UnitKind if k not in (*GRID_KINDS, UnitKind.PROVINCE, UnitKind.CITY))


def admin_units(*, user) -> QuerySet[Unit]:
    """Units in the staff member's scope that may hold an event, a programme, a team or a
    post: every member-holding kind (``HOST_KINDS``), so an enterprise or a property project
    created in the admin is offered like a village (issue 9)."""
    return scoped_units(user, *HOST_KINDS).filter(is_active=True).order_by("path")[:2000]


def event_links(*, user) -> tuple[list[TrainingProgramme], list[Team], list[ModelPost]]:
    """The programmes, teams and model posts in scope that a new event may belong to."""
    return (
        list(TrainingProgramme.objects.visible_to(user).order_by("-year", "title")[:100]),
        list(Team.objects.visible_to(user).order_by("name")[:200]),
        list(ModelPost.objects.visible_to(user).select_related("holder").order_by("title")[:200]),
    )


def event_rooms(*, user):
    """Rooms an organiser may book for an event: bookable rooms of venues in their own
    subtree (not the residents' home-venue rule of ``Room.bookable_by``)."""
    from lianxin.venues.models import Room

    return (
        Room.objects.visible_to(user)
        .filter(is_bookable=True)
        .select_related("venue")
        .order_by("venue__unit__path", "venue_id", "name")
    )


def party_org_units(*, user) -> QuerySet[Unit]:
    """Party organisations in scope (who may submit a 党建品牌)."""
    return scoped_units(user, UnitKind.PARTY_ORG).order_by("path")[:500]


# ------------------------------------------------------------------------------ events
def event_list(*, user, kind: str = "", when: str = "upcoming") -> QuerySet[Event]:
    qs = _offered(user)
    if kind:
        qs = qs.filter(kind=kind)
    now = timezone.now()
    if when == "upcoming":
        qs = qs.filter(ends_at__gte=now).order_by("starts_at", "id")
    else:
        qs = qs.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    return _with_counts(qs.select_related("unit", "programme"))


def event_get(*, user, pk: int) -> Event:
    """Staff within scope; others when the event is in their area or they signed up."""
    base = Event.objects.select_related(
        "unit", "programme", "team", "post", "organiser", "venue_room__venue", "booking"
    )
    event = _offered(base, user).filter(pk=pk).first()
    if event is None:
        event = base.filter(registrations__user=user, pk=pk).distinct().first()
    if event is None:
        raise Http404
    return event


def event_manage_get(*, user, pk: int) -> Event:
    event = (
        Event.objects.visible_to(user)
        .select_related("unit", "venue_room__venue", "booking")
        .filter(pk=pk)
        .first()
    )
    if event is None:
        raise Http404
    return event


def event_counts(*, event: Event) -> dict[str, int]:
    rows = event.registrations.order_by().values("status").annotate(n=Count("id"))
    by = {r["status"]: r["n"] for r in rows}
    return {
        "confirmed": by.get(RegistrationStatus.CONFIRMED, 0),
        "waiting": by.get(RegistrationStatus.WAITLISTED, 0),
        "present": event.registrations.filter(checked_in_at__isnull=False).count(),
    }


def event_roster(*, event: Event) -> QuerySet[Registration]:
    return (
        event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("user", "user__person", "person")
        .order_by("status", "created_at", "id")
    )


def my_registration(*, user, event: Event) -> Registration | None:
    return (
        event.registrations.exclude(status=RegistrationStatus.CANCELLED).filter(user=user).first()
    )


def waiting_position(*, registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    return (
        Registration.objects.filter(
            event_id=registration.event_id, status=RegistrationStatus.WAITLISTED
        )
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, id__lt=registration.id)
        )
        .count()
        + 1
    )


def registration_get(*, user, pk: int) -> Registration:
    """One's own registration, or any registration of an event in the staff scope."""
    qs = Registration.objects.select_related("event", "event__unit")
    reg = (
        qs.filter(pk=pk)
        .filter(
            Q(user=user)
            | Q(
                pk__in=scope_queryset(Registration.objects.all(), user, ("event__unit",)).values(
                    "pk"
                )
            )
        )
        .first()
    )
    if reg is None:
        raise Http404
    return reg


def service_items(*, event: Event) -> list[ServiceItem]:
    return list(event.service_items.order_by("id"))


def my_tickets(*, user, event: Event) -> dict[int, QueueTicket]:
    return {
        t.item_id: t
        for t in QueueTicket.objects.filter(item__event=event, user=user).order_by("number")
    }


def service_item_get(*, user, pk: int, manage: bool = False) -> ServiceItem:
    item = ServiceItem.objects.select_related("event", "event__unit").filter(pk=pk).first()
    if item is None:
        raise Http404
    if manage:
        event_manage_get(user=user, pk=item.event_id)
    else:
        event_get(user=user, pk=item.event_id)
    return item


def my_events(*, user, status: str = "") -> QuerySet[Registration]:
    """The user's own registrations (not cancelled), newest event first; ``status`` narrows."""
    qs = Registration.objects.filter(user=user).exclude(status=RegistrationStatus.CANCELLED)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("event", "event__unit").order_by("-event__starts_at")


def feed_unit(*, code: str) -> Unit | None:
    """The village, town or county whose public .ics feed is asked for. Deliberately not
    scoped: the feed is a public page and carries only what ``public_feed_events`` lets out.
    An inactive (merged or closed) unit has no feed, as it has no wishes wall."""
    return Unit.objects.filter(
        code=code, kind__in=[*VILLAGE_KINDS, *TOWN_KINDS, UnitKind.COUNTY], is_active=True
    ).first()


def public_feed_events(*, unit: Unit) -> QuerySet[Event]:
    """Open events of a unit's subtree for the public .ics feed: time, place and title only."""
    return (
        Event.objects.filter(
            unit__path__startswith=unit.path,
            unit__is_active=True,
            status=EventStatus.OPEN,
            audience="all",
        )
        .filter(ends_at__gte=timezone.now() - timezone.timedelta(days=30))
        .select_related("unit")
        .order_by("starts_at")[:500]
    )


# ------------------------------------------------------------------------------ training coverage
def programme_list(*, user) -> QuerySet[TrainingProgramme]:
    return (
        TrainingProgramme.objects.visible_to(user)
        .select_related("unit")
        .annotate(n_sessions=Count("sessions"))
        .order_by("-year", "title")
    )


def programme_get(*, user, pk: int) -> TrainingProgramme:
    prog = TrainingProgramme.objects.visible_to(user).select_related("unit").filter(pk=pk).first()
    if prog is None:
        raise Http404
    return prog


def programme_sessions(*, programme: TrainingProgramme) -> QuerySet[Event]:
    return _with_counts(programme.sessions.select_related("unit").order_by("starts_at"))


def programme_coverage(*, programme: TrainingProgramme) -> dict:
    """Who must attend (a role under the unit, plus listed people), who is trained under the
    programme's rule (all sessions, or at least N of M), coverage per unit and the people short
    of the rule with the sessions they missed."""
    memberships = (
        Membership.objects.active()
        .filter(unit__path__startswith=programme.unit.path)
        .select_related("unit", "user")
    )
    required: dict[int, tuple[User, Unit]] = {}
    if programme.required_role:
        for m in memberships.filter(role=programme.required_role).order_by("unit__path", "id"):
            required.setdefault(m.user_id, (m.user, m.unit))
    listed = list(programme.required_users.all())
    if listed:
        unit_of = {}
        for m in memberships.filter(user__in=listed).order_by("unit__path"):
            unit_of.setdefault(m.user_id, m.unit)
        for u in listed:
            required.setdefault(u.pk, (u, unit_of.get(u.pk, programme.unit)))
    # 参训规则: trained = attended (checked in at) the sessions the programme's rule asks for —
    # all of them by default, or at least N of the M held. One session of three is not trained.
    sessions = list(programme.sessions.order_by("starts_at", "pk"))
    needed = programme.sessions_needed(len(sessions))
    seen: dict[int, set[int]] = defaultdict(set)
    for uid, eid in Registration.objects.filter(
        event__programme=programme, checked_in_at__isnull=False
    ).values_list("user_id", "event_id"):
        seen[uid].add(eid)
    per_unit: dict[int, dict] = defaultdict(lambda: {"unit": None, "required": 0, "attended": 0})
    missing, short = [], []
    done = 0
    for uid, (user, unit) in required.items():
        row = per_unit[unit.pk]
        row["unit"] = unit
        row["required"] += 1
        went = seen.get(uid, set())
        if sessions and len(went) >= needed:
            row["attended"] += 1
            done += 1
        else:
            missing.append((user, unit))
            short.append(
                {
                    "user": user,
                    "unit": unit,
                    "attended": len(went),
                    "missed": [e for e in sessions if e.pk not in went],
                }
            )
    rows = sorted(per_unit.values(), key=lambda r: r["unit"].path)
    for r in rows:
        r["rate"] = r["attended"] / r["required"] if r["required"] else None
    total = len(required)
    return {
        "required": total,
        "attended": done,
        "rate": (done / total) if total else None,
        "per_unit": rows,
        "sessions": len(sessions),
        "needed": needed,
        "rule": programme.rule_label(len(sessions)),
        # those short of the rule: (user, unit) pairs, and each with the sessions missed
        "missing": sorted(missing, key=lambda p: (p[1].path, str(p[0]))),
        "short": sorted(short, key=lambda p: (p["unit"].path, str(p["user"]))),
    }


# ------------------------------------------------------------------------------ teams and posts
def team_list(*, user, kind: str = "") -> QuerySet[Team]:
    qs = (
        Team.objects.visible_to(user)
        .select_related("unit", "leader")
        .annotate(n_members=Count("members", distinct=True))
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("unit__path", "kind", "name")


def team_get(*, user, pk: int) -> Team:
    team = Team.objects.visible_to(user).select_related("unit", "leader").filter(pk=pk).first()
    if team is None:
        raise Http404
    return team


def team_member_get(*, team: Team, user_id) -> TeamMember | None:
    """A member of a team the caller already opened through ``team_get``."""
    try:
        user_id = int(user_id or 0)
    except (TypeError, ValueError):
        return None
    return team.members.filter(user_id=user_id).select_related("user").first()


def team_rollup(*, team: Team) -> dict:
    """A team's members, events and wishes, and the hours its members earned in them."""
    from lianxin.wishes.models import LIT_STATES

    events = team.events.select_related("unit").order_by("-starts_at")[:20]
    wishes = team.claimed_wishes.select_related("community").order_by("-claimed_at")[:20]
    member_ids = list(team.members.values_list("user_id", flat=True))
    hours = ServiceRecord.objects.filter(
        user_id__in=member_ids, status=RecordStatus.CONFIRMED
    ).aggregate(h=Sum("hours"), p=Sum("points"))
    return {
        "members": team.members.select_related("user").order_by("joined_on", "id"),
        "events": events,
        "n_events": team.events.count(),
        "wishes": wishes,
        "n_lit": team.claimed_wishes.filter(status__in=LIT_STATES).count(),
        "hours": hours["h"] or 0,
        "points": hours["p"] or 0,
    }


def post_list(*, user) -> QuerySet[ModelPost]:
    return (
        ModelPost.objects.visible_to(user)
        .select_related("unit", "holder")
        .annotate(n_areas=Count("areas"))
        .order_by("unit__path", "title")
    )


def post_get(*, user, pk: int) -> ModelPost:
    post = ModelPost.objects.visible_to(user).select_related("unit", "holder").filter(pk=pk).first()
    if post is None:
        raise Http404
    return post


def post_area_grids(*, user, post: ModelPost) -> list[Unit]:
    """The grids under a model post's unit that the staff member may put in a 责任区."""
    return list(scoped_units(user, *GRID_KINDS).under(post.unit).order_by("path")[:200])


def post_public_get(*, pk: int) -> ModelPost:
    post = ModelPost.objects.filter(pk=pk, is_active=True).select_related("unit", "holder").first()
    if post is None:
        raise Http404
    return post


def posts_public(*, unit: Unit) -> QuerySet[ModelPost]:
    """The model posts of a village or community, for its public pages (亮身份)."""
    return (
        ModelPost.objects.filter(unit=unit, is_active=True)
        .select_related("holder")
        .only("id", "title", "holder__display_name", "holder__username")
        .order_by("title", "id")[:30]
    )


def post_rollup(*, post: ModelPost) -> dict:
    """A model post's areas, events and the wishes its holder lit."""
    from lianxin.wishes.models import LIT_STATES, Wish

    lit = Wish.objects.filter(claimed_by=post.holder, status__in=LIT_STATES)
    areas = list(
        post.areas.prefetch_related(
            Prefetch("grids", queryset=Unit.objects.only("id", "name"))
        ).annotate(n_listed=Count("households"))
    )
    # Households an area answers for: those listed by hand plus every household in its grids.
    grid_ids = {g.pk for a in areas for g in a.grids.all()}
    per_grid = dict(
        Household.objects.filter(grid_id__in=grid_ids)
        .order_by()
        .values("grid_id")
        .annotate(n=Count("id"))
        .values_list("grid_id", "n")
    )
    for a in areas:
        a.n_households = a.n_listed + sum(per_grid.get(g.pk, 0) for g in a.grids.all())
    return {
        "areas": areas,
        "events": post.events.order_by("-starts_at")[:20],
        "n_events": post.events.count(),
        "n_lit": lit.count(),
        "wishes": lit.select_related("community").order_by("-lit_at")[:10],
    }


def area_list(*, user) -> QuerySet[ResponsibilityArea]:
    return (
        ResponsibilityArea.objects.visible_to(user)
        .select_related("unit", "holder", "post")
        .annotate(
            n_households=Count("households", distinct=True), n_grids=Count("grids", distinct=True)
        )
    )


# ------------------------------------------------------------------------------ hours and points
def month_bounds(month: str | None) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        y, m = (int(x) for x in (month or "").split("-"))
        start = date(y, m, 1)
    except ValueError:
        start = today.replace(day=1)
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start, end


def ranking(*, user, month: str | None = None, unit: Unit | None = None, limit: int = 50) -> dict:
    """Confirmed points and hours per person for one month, in the user's scope (or one unit)."""
    start, end = month_bounds(month)
    qs = ServiceRecord.objects.visible_to(user).filter(
        status=RecordStatus.CONFIRMED, occurred_on__gte=start, occurred_on__lt=end
    )
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    rows = list(
        qs.order_by()
        .values("user_id", "user__display_name", "user__username", "unit__name")
        .annotate(points=Sum("points"), hours=Sum("hours"), n=Count("id"))
        .order_by("-points", "-hours", "user_id")[:limit]
    )
    for r in rows:  # printed when a person has no name: a phone-number login leaves masked
        r["user__username"] = mask_login(r["user__username"])
    units = list(
        qs.order_by()
        .values("unit__name", "unit__code")
        .annotate(points=Sum("points"), hours=Sum("hours"), people=Count("user", distinct=True))
        .order_by("-points", "unit__code")[:limit]
    )
    return {"month": start, "rows": rows, "units": units}


def ranking_unit(*, user, code: str) -> Unit | None:
    """A unit in scope to narrow the ranking to; None for no code or one out of scope."""
    return scoped_units(user).filter(code=code).first() if code else None


def ranking_units(*, user) -> QuerySet[Unit]:
    return (
        scoped_units(user, *VILLAGE_KINDS, *TOWN_KINDS)
        .order_by("path")
        .only("code", "name", "depth")[:500]
    )


def my_point_totals(*, user) -> dict:
    """The user's own confirmed points and hours (both None before the first record)."""
    return ServiceRecord.objects.filter(user=user, status=RecordStatus.CONFIRMED).aggregate(
        p=Sum("points"), h=Sum("hours")
    )


def points_unit(*, user) -> Unit | None:
    """The highest unit the user holds in their own scope: where their point rules apply."""
    scope = user_scope(user)
    return min(
        (m.unit for m in scope.memberships if scope.covers(m.unit)),
        key=lambda u: u.depth,
        default=None,
    )


def point_rules_effective(*, unit: Unit) -> list[tuple[str, int]]:
    """(source label, points) as they apply at ``unit``, nearest rule up the tree winning."""
    from lianxin.activities.services import point_rule_value

    return [
        (label, point_rule_value(unit=unit, source_kind=value))
        for value, label in SourceKind.choices
    ]


def point_rule_list(*, user) -> QuerySet[PointRule]:
    return PointRule.objects.visible_to(user).select_related("unit")[:100]


def person_record_user(*, user, pk: int) -> User:
    """A person whose record a staff member may open: someone holding a membership in scope."""
    member = (
        scope_queryset(Membership.objects.active(), user, ("unit",))
        .filter(user_id=pk)
        .select_related("user")
        .first()
    )
    if member is None and ServiceRecord.objects.visible_to(user).filter(user_id=pk).exists():
        return User.objects.get(pk=pk)
    if member is None:
        raise Http404
    return member.user


def person_record(*, person) -> dict:
    records = (
        ServiceRecord.objects.filter(user=person)
        .select_related("unit")
        .order_by("-occurred_on", "-id")
    )
    totals = records.filter(status=RecordStatus.CONFIRMED).aggregate(
        h=Sum("hours"), p=Sum("points"), n=Count("id")
    )
    pending = records.filter(status=RecordStatus.PENDING).count()
    return {
        "records": records[:200],
        "hours": totals["h"] or 0,
        "points": totals["p"] or 0,
        "n": totals["n"],
        "pending": pending,
        "teams": TeamMember.objects.filter(user=person).select_related("team"),
        "posts": ModelPost.objects.filter(holder=person).select_related("unit"),
    }


# ------------------------------------------------------------------------------ brands and proposals
def brand_list(*, user, status: str = "") -> QuerySet[BrandProject]:
    qs = BrandProject.objects.visible_to(user).select_related("unit", "unit__parent")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def brand_get(*, user, pk: int) -> BrandProject:
    project = (
        BrandProject.objects.visible_to(user)
        .select_related("unit", "unit__parent", "submitted_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404
    return project


def brand_reviews(*, project: BrandProject) -> QuerySet[BrandReview]:
    return project.reviews.select_related("reviewer")


def proposal_unit(*, user) -> Unit | None:
    """The unit a proposal is filed under: the user's first membership."""
    return next((m.unit for m in user_scope(user).memberships), None)


def proposal_list(*, user, status: str = "") -> QuerySet[Proposal]:
    qs = (
        Proposal.objects.visible_to(user)
        if user_scope(user).is_staff
        else Proposal.objects.filter(submitted_by=user)
    )
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("unit", "submitted_by").order_by("-created_at", "-id")


def proposal_get(*, user, pk: int) -> Proposal:
    qs = Proposal.objects.select_related("unit", "submitted_by", "reviewed_by")
    proposal = (
        qs.visible_to(user).filter(pk=pk).first() or qs.filter(pk=pk, submitted_by=user).first()
    )
    if proposal is None:
        raise Http404
    return proposal


def member_find(*, user, key: str) -> User | None:
    """A person to add (team member, post holder) by username or phone, among those the staff
    member can see (a membership in their scope)."""
    key = (key or "").strip()
    if not key:
        return None
    m = (
        scope_queryset(Membership.objects.active(), user, ("unit",))
        .filter(Q(user__username=key) | Q(user__phone=key))
        .select_related("user")
        .first()
    )
    return m.user if m else None
