"""Scoped reads for teams, model posts, responsibility areas, hours, points and the ranking."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.core.masking import mask_login
from lianxin.org.models import (
    GRID_KINDS,
    TOWN_KINDS,
    VILLAGE_KINDS,
    Membership,
    Unit,
    UnitKind,
)
from lianxin.org.scoping import scope_queryset, scoped_units, under_q, user_scope
from lianxin.people.models import Household
from lianxin.volunteers import figures
from lianxin.volunteers.models import (
    ModelPost,
    PointRule,
    RecordStatus,
    ResponsibilityArea,
    ServiceRecord,
    SourceKind,
    Team,
    TeamMember,
)

# ------------------------------------------------------------------------------ form choices
# Every kind of unit that holds members may host events, programmes, teams and posts: the
# administrative units and the organisations hanging in them (a party branch, a county
# department, an enterprise, a social organisation, a property project, an alliance).
# Grids are service areas of their village (its events are the village's); the province and
# city sit above any county office's scope.
HOST_KINDS = tuple(k for k in UnitKind if k not in (*GRID_KINDS, UnitKind.PROVINCE, UnitKind.CITY))


def admin_units(*, user: User) -> QuerySet[Unit]:
    """Units in the staff member's scope that may hold an event, a programme, a team or a
    post: every member-holding kind (``HOST_KINDS``), so an enterprise or a property project
    created in the admin is offered like a village (issue 9)."""
    return scoped_units(user, *HOST_KINDS).filter(is_active=True).order_by("path")[:2000]


# ------------------------------------------------------------------------------ teams and posts
def team_list(*, user: User, kind: str = "") -> QuerySet[Team]:
    qs = (
        Team.objects.visible_to(user)
        .select_related("unit", "leader")
        .annotate(n_members=Count("members", distinct=True))
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("unit__path", "kind", "name")


def team_get(*, user: User, pk: int) -> Team:
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
    """A team's members and the hours its members earned, with what other modules add about
    it (its events, the wishes it claimed: ``volunteers.figures``)."""
    member_ids = list(team.members.values_list("user_id", flat=True))
    hours = ServiceRecord.objects.filter(
        user_id__in=member_ids, status=RecordStatus.CONFIRMED
    ).aggregate(h=Sum("hours"), p=Sum("points"))
    return {
        "members": team.members.select_related("user").order_by("joined_on", "id"),
        "events": [],
        "n_events": 0,
        "wishes": [],
        "n_lit": 0,
        **figures.team_figures(team),
        "hours": hours["h"] or 0,
        "points": hours["p"] or 0,
    }


def post_list(*, user: User) -> QuerySet[ModelPost]:
    return (
        ModelPost.objects.visible_to(user)
        .select_related("unit", "holder")
        .annotate(n_areas=Count("areas"))
        .order_by("unit__path", "title")
    )


def post_get(*, user: User, pk: int) -> ModelPost:
    post = ModelPost.objects.visible_to(user).select_related("unit", "holder").filter(pk=pk).first()
    if post is None:
        raise Http404
    return post


def post_area_grids(*, user: User, post: ModelPost) -> list[Unit]:
    """The grids under a model post's unit that the staff member may put in a 责任区."""
    grids = scoped_units(user, *GRID_KINDS).under(post.unit)  # type: ignore[attr-defined]
    return list(grids.order_by("path")[:200])


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
    """A model post's areas, with what other modules add about it (its events, the wishes its
    holder lit: ``volunteers.figures``)."""
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
        listed = sum(per_grid.get(g.pk, 0) for g in a.grids.all())
        a.n_households = a.n_listed + listed  # type: ignore[attr-defined]
    return {
        "areas": areas,
        "events": [],
        "n_events": 0,
        "n_lit": 0,
        "wishes": [],
        **figures.post_figures(post),
    }


def area_list(*, user: User) -> QuerySet[ResponsibilityArea]:
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


def ranking(
    *, user: User, month: str | None = None, unit: Unit | None = None, limit: int | None = 50
) -> dict:
    """Confirmed points and hours per person for one month, in the user's scope (or one unit)."""
    start, end = month_bounds(month)
    qs = ServiceRecord.objects.visible_to(user).filter(
        status=RecordStatus.CONFIRMED, occurred_on__gte=start, occurred_on__lt=end
    )
    if unit is not None:
        qs = qs.filter(under_q(unit))
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


def confirmed_records(
    *, user: User, month: str | None = None, unit: Unit | None = None
) -> QuerySet[ServiceRecord]:
    """The confirmed hours and points of one month in the user's scope (or one unit), one row
    per record: what the ranking adds up (the export's detail sheet)."""
    start, end = month_bounds(month)
    qs = ServiceRecord.objects.visible_to(user).filter(
        status=RecordStatus.CONFIRMED, occurred_on__gte=start, occurred_on__lt=end
    )
    if unit is not None:
        qs = qs.filter(under_q(unit))
    return qs.select_related("user", "unit").order_by("unit__path", "user_id", "occurred_on", "id")


def ranking_unit(*, user: User, code: str) -> Unit | None:
    """A unit in scope to narrow the ranking to; None for no code or one out of scope."""
    return scoped_units(user).filter(code=code).first() if code else None


def ranking_units(*, user: User) -> QuerySet[Unit]:
    return (
        scoped_units(user, *VILLAGE_KINDS, *TOWN_KINDS)
        .order_by("path")
        .only("code", "name", "depth")[:500]
    )


def my_point_totals(*, user: User) -> dict:
    """The user's own confirmed points and hours (both None before the first record)."""
    return ServiceRecord.objects.filter(user=user, status=RecordStatus.CONFIRMED).aggregate(
        p=Sum("points"), h=Sum("hours")
    )


def points_unit(*, user: User) -> Unit | None:
    """The highest unit the user holds in their own scope: where their point rules apply."""
    scope = user_scope(user)
    return min(
        (m.unit for m in scope.memberships if scope.covers(m.unit)),
        key=lambda u: u.depth,
        default=None,
    )


def point_rules_effective(*, unit: Unit) -> list[tuple[str, int]]:
    """(source label, points) as they apply at ``unit``, nearest rule up the tree winning."""
    from lianxin.volunteers.services import point_rule_value

    return [
        (str(label), point_rule_value(unit=unit, source_kind=value))
        for value, label in SourceKind.choices
    ]


def point_rule_list(*, user: User) -> QuerySet[PointRule]:
    return PointRule.objects.visible_to(user).select_related("unit")[:100]


def person_record_user(*, user: User, pk: int) -> User:
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


def member_find(*, user: User, key: str) -> User | None:
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
