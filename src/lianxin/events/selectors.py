"""Scoped reads for events, sign-up, check-in, queues and training coverage."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.events.models import (
    Event,
    EventStatus,
    QueueTicket,
    Registration,
    RegistrationStatus,
    ServiceItem,
    TrainingProgramme,
)
from lianxin.org.models import (
    TOWN_KINDS,
    VILLAGE_KINDS,
    Membership,
    Unit,
    UnitKind,
)
from lianxin.org.scoping import home_area_q, scope_q, scope_queryset, under_q
from lianxin.volunteers.models import (
    ModelPost,
    Team,
)


def event_area_q(user) -> Q:
    """Events a resident or party member is offered: those of their home area and below, and
    those held by the town or county above it itself (a county training, a town's 村晚) —
    never the events of the town's or county's other villages."""
    return home_area_q(user, ("unit",), ancestors=True)


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


def event_links(*, user: User) -> tuple[list[TrainingProgramme], list[Team], list[ModelPost]]:
    """The programmes, teams and model posts in scope that a new event may belong to."""
    return (
        list(TrainingProgramme.objects.visible_to(user).order_by("-year", "title")[:100]),
        list(Team.objects.visible_to(user).order_by("name")[:200]),
        list(ModelPost.objects.visible_to(user).select_related("holder").order_by("title")[:200]),
    )


def event_rooms(*, user: User):
    """Rooms an organiser may book for an event: bookable rooms of venues in their own
    subtree (not the residents' home-venue rule of ``Room.bookable_by``)."""
    from lianxin.rooms.models import Room

    return (
        Room.objects.visible_to(user)
        .filter(is_bookable=True)
        .select_related("venue")
        .order_by("venue__unit__path", "venue_id", "name")
    )


# ------------------------------------------------------------------------------ events
def event_list(*, user: User, kind: str = "", when: str = "upcoming") -> QuerySet[Event]:
    qs = _offered(user)
    if kind:
        qs = qs.filter(kind=kind)
    now = timezone.now()
    if when == "upcoming":
        qs = qs.filter(ends_at__gte=now).order_by("starts_at", "id")
    else:
        qs = qs.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    return _with_counts(qs.select_related("unit", "programme"))


def event_get(*, user: User, pk: int) -> Event:
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


def event_manage_get(*, user: User, pk: int) -> Event:
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


def my_registration(*, user: User, event: Event) -> Registration | None:
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


def registration_get(*, user: User, pk: int) -> Registration:
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


def my_tickets(*, user: User, event: Event) -> dict[int, QueueTicket]:
    return {
        t.item_id: t
        for t in QueueTicket.objects.filter(item__event=event, user=user).order_by("number")
    }


def service_item_get(*, user: User, pk: int, manage: bool = False) -> ServiceItem:
    item = ServiceItem.objects.select_related("event", "event__unit").filter(pk=pk).first()
    if item is None:
        raise Http404
    if manage:
        event_manage_get(user=user, pk=item.event_id)
    else:
        event_get(user=user, pk=item.event_id)
    return item


def my_events(*, user: User, status: str = "") -> QuerySet[Registration]:
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
            under_q(unit),
            unit__is_active=True,
            status=EventStatus.OPEN,
            audience="all",
        )
        .filter(ends_at__gte=timezone.now() - timedelta(days=30))
        .select_related("unit")
        .order_by("starts_at")[:500]
    )


# ------------------------------------------------------------------------------ training coverage
def programme_list(*, user: User) -> QuerySet[TrainingProgramme]:
    return (
        TrainingProgramme.objects.visible_to(user)
        .select_related("unit")
        .annotate(n_sessions=Count("sessions"))
        .order_by("-year", "title")
    )


def programme_get(*, user: User, pk: int) -> TrainingProgramme:
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
        Membership.objects.active().filter(under_q(programme.unit)).select_related("unit", "user")
    )
    required: dict[int, tuple[User, Unit]] = {}
    if programme.required_role:
        for m in memberships.filter(role=programme.required_role).order_by("unit__path", "id"):
            required.setdefault(m.user_id, (m.user, m.unit))
    listed = list(programme.required_users.all())
    if listed:
        unit_of: dict[int, Unit] = {}
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


# ------------------------------------------------------------------ attendance, for other apps
def _attended(qs: QuerySet[Registration]) -> QuerySet[Registration]:
    return qs.filter(status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=False)


def attendee_user_ids(*, event: Event) -> set[int]:
    """The accounts that attended ``event`` (checked in): the registrant's own account, or the
    account of the person a clerk signed up at the desk (民意调查 asks them afterwards)."""
    ids: set[int] = set()
    for uid, puid in _attended(event.registrations.all()).values_list("user_id", "person__user_id"):
        ids.update(i for i in (uid, puid) if i is not None)
    return ids


def attended_event_ids(*, user: User) -> set[int]:
    """The events ``user`` attended (checked in), by their own or a desk sign-up."""
    if not getattr(user, "is_authenticated", False):
        return set()
    qs = _attended(Registration.objects.filter(Q(user=user) | Q(person__user=user)))
    return set(qs.values_list("event_id", flat=True))
