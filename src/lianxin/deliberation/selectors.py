"""Scoped reads of 议事协商. Staff see their subtree (``visible_to``); a resident sees the topics
of their home area and what was decided on them; the public page shows published decisions of
one village without any personal data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from lianxin.deliberation.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    Topic,
    TopicSupport,
)
from lianxin.org.models import VILLAGE_KINDS, Unit
from lianxin.org.scoping import home_area_q, scoped_units, under_q, user_scope

if TYPE_CHECKING:
    from lianxin.accounts.models import User


def topic_list(*, user: User, status: str = "", q: str = "") -> QuerySet[Topic]:
    """Staff: the topics of their subtree, newest first."""
    qs = Topic.objects.visible_to(user).select_related("unit")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(title__contains=q)
    return qs.order_by("-created_at", "-id")


def topic_status_counts(*, user: User) -> dict[str, int]:
    rows = Topic.objects.visible_to(user).order_by().values("status").annotate(n=Count("id"))
    return {r["status"]: r["n"] for r in rows}


def topic_area_list(*, user: User, status: str = "") -> QuerySet[Topic]:
    """A resident's 议事 page: the topics of their home area (their village), most supported
    first."""
    qs = Topic.objects.filter(home_area_q(user, ("unit",), ancestors=True)).select_related("unit")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-support_count", "-created_at", "-id")


def topic_get(*, user: User, pk: int) -> Topic:
    """A topic in the user's staff scope, or of their home area (a resident, a supporter)."""
    base = Topic.objects.select_related("unit", "raised_by", "case", "visit")
    topic = base.visible_to(user).filter(pk=pk).first() if user_scope(user).is_staff else None
    if topic is None:
        topic = base.filter(home_area_q(user, ("unit",), ancestors=True), pk=pk).first()
    if topic is None:
        raise Http404
    return topic


def has_supported(*, user: User, topic: Topic) -> bool:
    return TopicSupport.objects.filter(topic=topic, user=user).exists()


def topic_outcome(*, topic: Topic) -> list[AgendaItem]:
    """What became of a topic: the agenda items that discussed it, their vote and decision and
    its action items (no personal data: shown to supporters)."""
    return list(
        AgendaItem.objects.filter(topic=topic)
        .select_related("meeting", "decision", "decision__case")
        .prefetch_related(
            Prefetch(
                "decision__actions",
                queryset=ActionItem.objects.select_related("owner_unit").order_by("due_on", "id"),
            )
        )
        .order_by("meeting__starts_at", "id")
    )


def open_topics_for(*, meeting: Meeting) -> list[Topic]:
    """Topics a meeting may put on its agenda: open or scheduled ones of its village."""
    from lianxin.deliberation.services.common import village_of

    village = village_of(meeting.unit)
    listed = meeting.items.filter(topic__isnull=False).values_list("topic_id", flat=True)
    return list(
        Topic.objects.filter(under_q(village, ("unit",)), status__in=("open", "scheduled"))
        .exclude(pk__in=listed)
        .order_by("-support_count", "-id")[:50]
    )


def meeting_list(*, user: User, kind: str = "", status: str = "") -> QuerySet[Meeting]:
    qs = Meeting.objects.visible_to(user).select_related("unit", "room")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(n_items=Count("items", distinct=True)).order_by("-starts_at", "-id")


def meeting_get(*, user: User, pk: int) -> Meeting:
    meeting = (
        Meeting.objects.visible_to(user)
        .select_related("unit", "room__venue", "booking", "convened_by")
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def meeting_items(*, meeting: Meeting) -> list[AgendaItem]:
    return list(
        meeting.items.select_related("topic", "decision", "decision__case").prefetch_related(
            Prefetch(
                "decision__actions",
                queryset=ActionItem.objects.select_related("owner_unit").order_by("due_on", "id"),
            )
        )
    )


def roster(*, meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendances.select_related("person", "person__unit").order_by("id"))


def attendance_get(*, user: User, pk: int) -> Attendance:
    row = (
        Attendance.objects.filter(pk=pk)
        .select_related("meeting__unit")
        .filter(meeting__in=Meeting.objects.visible_to(user))
        .first()
    )
    if row is None:
        raise Http404
    return row


def item_get(*, user: User, pk: int) -> AgendaItem:
    item = (
        AgendaItem.objects.filter(pk=pk, meeting__in=Meeting.objects.visible_to(user))
        .select_related("meeting__unit", "topic")
        .first()
    )
    if item is None:
        raise Http404
    return item


def decision_get(*, user: User, pk: int) -> Decision:
    decision = (
        Decision.objects.visible_to(user)
        .select_related("unit", "item__meeting", "item__topic", "case")
        .filter(pk=pk)
        .first()
    )
    if decision is None:
        raise Http404
    return decision


def action_list(*, user: User, status: str = "", overdue_on=None) -> QuerySet[ActionItem]:
    """The action items a staff member tracks: owned by or decided in their subtree."""
    qs = ActionItem.objects.visible_to(user).select_related(
        "owner_unit", "decision__unit", "decision__item__meeting"
    )
    if status == "overdue" and overdue_on is not None:
        qs = qs.exclude(status=ActionStatus.DONE).filter(due_on__lt=overdue_on)
    elif status in ActionStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("status", "due_on", "id")


def action_get(*, user: User, pk: int) -> ActionItem:
    action = (
        ActionItem.objects.visible_to(user)
        .select_related("owner_unit", "decision__unit", "decision__item__meeting")
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise Http404
    return action


def convene_units(*, user: User) -> QuerySet[Unit]:
    """Units a staff member may convene a meeting of or raise a topic in (their subtree's
    villages, towns and property projects)."""
    return (
        scoped_units(user)
        .filter(Q(kind__in=VILLAGE_KINDS) | Q(kind__in=("town", "street", "property_project")))
        .order_by("path")[:500]
    )


def public_village(*, code: str) -> Unit | None:
    return Unit.objects.filter(code=code, kind__in=VILLAGE_KINDS).first()


def public_decisions(*, village: Unit) -> list[Decision]:
    """村务公开: the published decisions taken in the village (or a unit in it), newest first,
    with their action items and owner units."""
    return list(
        Decision.objects.filter(under_q(village, ("unit",)), published_at__isnull=False)
        .select_related("unit", "item__meeting", "case")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=ActionItem.objects.select_related("owner_unit").order_by("due_on", "id"),
            )
        )
        .order_by("-item__meeting__starts_at", "-id")[:100]
    )


def meeting_rooms(*, user: User):
    """Rooms of venues in the staff member's subtree, open for booking."""
    from lianxin.rooms.models import Room

    return (
        Room.objects.visible_to(user)
        .filter(is_bookable=True)
        .select_related("venue")
        .order_by("venue__name", "name")
    )


def invite_groups(*, meeting: Meeting) -> list[Unit]:
    """What a meeting may invite as a group: its village and the units under it."""
    from lianxin.deliberation.services.common import village_of

    village = village_of(meeting.unit)
    return [village, *Unit.objects.filter(parent=village).order_by("kind", "code")[:100]]


def invite_group_get(*, meeting: Meeting, pk: int | None) -> Unit | None:
    return next((u for u in invite_groups(meeting=meeting) if u.pk == pk), None)


def owner_units(*, decision: Decision) -> list[Unit]:
    """Who may own an action item (``services.decisions.owner_allowed``): the deciding unit's
    chain, the units under it, and the departments hanging off the units above it."""
    chain = list(decision.unit.ancestors(include_self=True))
    below = list(Unit.objects.filter(parent=decision.unit).order_by("code")[:100])
    depts = list(Unit.objects.filter(parent__in=chain, kind="department").order_by("code")[:100])
    return [*chain, *below, *depts]


def owner_unit_get(*, decision: Decision, pk: int | None) -> Unit | None:
    return next((u for u in owner_units(decision=decision) if u.pk == pk), None)


def case_link_for(*, user: User, case) -> list[Decision]:
    """The decisions handed to 接诉即办 as this request, and topics raised from it (for the
    request page's panel): only for staff who may see the deciding unit."""
    return list(Decision.objects.visible_to(user).filter(case=case).select_related("item__meeting"))


def checkin_meeting(*, user: User, pk: int) -> Meeting:
    """The meeting a door token names, for someone who may check in: staff over it, an invitee,
    or a resident of its village (``services.attendance.may_walk_in``)."""
    from lianxin.deliberation.services.attendance import may_walk_in

    meeting = Meeting.objects.select_related("unit").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    if user_scope(user).covers(meeting.unit) or may_walk_in(user, meeting):
        return meeting
    if meeting.attendances.filter(Q(user=user) | Q(person__user=user)).exists():
        return meeting
    raise Http404


def invitable_people(*, meeting: Meeting, limit: int = 200) -> list:
    """People of the meeting's village not yet invited, for the one-by-one invitation (names
    and grids only)."""
    from lianxin.deliberation.services.common import village_of
    from lianxin.people.models import Person

    taken = meeting.attendances.filter(person__isnull=False).values_list("person_id", flat=True)
    return list(
        Person.objects.filter(under_q(village_of(meeting.unit), ("unit",)))
        .exclude(pk__in=taken)
        .select_related("unit")
        .only("id", "name", "unit__name", "unit__path", "unit__kind", "user_id")
        .order_by("unit__code", "name", "id")[:limit]
    )
