"""Scoped reads of wishes. Staff see their subtree; residents and claimants see their own."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from lianxin.core.keyset import BoundedCount, bounded_counts
from lianxin.org.models import GRID_KINDS, Unit
from lianxin.org.scoping import home_area_q, scoped_units, user_scope
from lianxin.people.models import Person
from lianxin.volunteers.models import Team
from lianxin.wishes.models import (
    CLAIMED_STATES,
    LIT_STATES,
    STALE_AFTER_DAYS,
    Wish,
    WishEvent,
    WishStatus,
)

if TYPE_CHECKING:
    from lianxin.accounts.models import User

LIST_RELATED = ("unit", "community", "claimant_team", "claimed_by")


def _area_q(user: User) -> Q:
    """Published wishes a party member or volunteer may claim: those in the villages where they
    hold a membership (a party organisation counts as its village). Published wishes are public
    on the wall anyway; this only decides what the claim list offers."""
    return home_area_q(user, ("community",))


def wish_list(*, user: User, status: str = "", q: str = "", unit_code: str = "") -> QuerySet[Wish]:
    qs = Wish.objects.visible_to(user).select_related(*LIST_RELATED)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(title__contains=q)
    if unit_code:
        qs = qs.filter(community__code=unit_code)
    return qs.order_by("-created_at", "-id")


def wish_status_counts(*, user: User) -> dict[str, BoundedCount]:
    """The status tabs' counts in one statement, each taken up to the list's count bound
    (issue 16: no exact COUNT over a county's or the province's wishes on every view; past
    the bound a tab shows "10,000+" / "1万+")."""
    scoped = Wish.objects.visible_to(user)
    return bounded_counts({s: scoped.filter(status=s) for s in WishStatus.values})


def wish_get(*, user: User, pk: int) -> Wish:
    """A wish the user may open: in their staff scope, or theirs (posted, for them, claimed by
    them), or published in their area (to claim it)."""
    scope = user_scope(user)
    base = Wish.objects.select_related(*LIST_RELATED, "beneficiary", "posted_by", "reviewed_by")
    wish = base.visible_to(user).filter(pk=pk).first()
    if wish is not None:
        return wish
    if scope.is_staff:
        # Staff act through their scope only; their own involvement elsewhere does not widen it.
        mine = Q(posted_by=user) | Q(claimed_by=user)
    else:
        mine = Q(posted_by=user) | Q(beneficiary__user=user) | Q(claimed_by=user)
        mine |= Q(status=WishStatus.PUBLISHED) & _area_q(user)
    wish = base.filter(mine, pk=pk).first()
    if wish is None:
        raise Http404
    return wish


def wish_claimed_in_area(*, user: User, pk: int) -> Wish | None:
    """A wish the user could have claimed (published in their area) that someone else claimed
    meanwhile: the second claimant is told it is taken, not given a 404. Staff see every wish in
    their scope through ``wish_get`` already, so this is for party members and volunteers."""
    if user_scope(user).is_staff:
        return None
    return (
        Wish.objects.filter(_area_q(user), pk=pk, status__in=CLAIMED_STATES)
        .select_related("community")
        .only(
            "id",
            "title",
            "status",
            "community__name",
            "claimant_kind",
            "claimant_name",
            "claimed_at",
        )
        .first()
    )


def post_units(*, user: User) -> QuerySet[Unit]:
    """The grids a staff member may post a wish in for someone (代为提交), with their parent."""
    return scoped_units(user, *GRID_KINDS).select_related("parent").order_by("path")[:2000]


def post_unit_get(*, user: User, pk: int | str) -> Unit | None:
    """A unit in the staff member's scope (the service checks it is a grid or village)."""
    return scoped_units(user).filter(pk=pk).first()


def own_person(*, user: User) -> Person | None:
    """The resident record linked to the user's account (whose wish they post)."""
    return Person.objects.filter(user=user).select_related("unit").first()


def claim_teams(*, user: User) -> list[Team]:
    """The teams the user belongs to, offered as claimants."""
    return list(Team.objects.filter(members__user=user).distinct().order_by("name")[:20])


def claim_team_get(*, user: User, pk: int | str | None) -> Team | None:
    """A team the user belongs to, to claim on its behalf; None for anything else."""
    try:
        pk = int(pk or 0)
    except (TypeError, ValueError):
        return None
    return Team.objects.filter(pk=pk, members__user=user).first()


def claim_unit(*, user: User) -> Unit | None:
    """The unit a staff member claims for (认领 by 单位): their first membership in their own scope."""
    scope = user_scope(user)
    return next((m.unit for m in scope.memberships if scope.covers(m.unit)), None)


def wish_mine(*, user: User) -> QuerySet[Wish]:
    # Literal ids, not a join or subquery: both sides of the OR then use their own index
    # (a BitmapOr) instead of filtering every wish newest-first.
    person_ids = list(Person.objects.filter(user=user).values_list("id", flat=True))
    mine = Q(posted_by=user) | Q(beneficiary_id__in=person_ids)
    return Wish.objects.filter(mine).select_related(*LIST_RELATED).order_by("-created_at", "-id")


def wish_claimed_by(*, user: User) -> QuerySet[Wish]:
    return (
        Wish.objects.filter(claimed_by=user)
        .select_related(*LIST_RELATED)
        .order_by("-claimed_at", "-id")
    )


def wish_claimable(*, user: User) -> QuerySet[Wish]:
    """Published wishes, oldest first, so the longest-waiting ones are seen first."""
    qs = Wish.objects.published()
    qs = qs.visible_to(user) if user_scope(user).is_staff else qs.filter(_area_q(user))
    return qs.select_related("unit", "community").order_by("published_at", "id")


def wish_stale(*, user: User, days: int = STALE_AFTER_DAYS) -> QuerySet[Wish]:
    """Published and unclaimed for ``days`` or more: the chase list (催办)."""
    cutoff = timezone.now() - timedelta(days=days)
    return (
        Wish.objects.visible_to(user)
        .filter(status=WishStatus.PUBLISHED, published_at__lte=cutoff)
        .select_related("unit", "community")
        .order_by("published_at", "id")
    )


def wish_timeline(*, wish: Wish) -> QuerySet[WishEvent]:
    return wish.events.select_related("actor").order_by("created_at", "id")


def wall_community(*, code: str) -> Unit:
    unit = Unit.objects.filter(code=code, kind__in=("village", "community"), is_active=True).first()
    if unit is None:
        raise Http404
    return unit


def wall_wishes(*, community: Unit) -> QuerySet[Wish]:
    """The public wall: no personal data leaves here. The template masks the name; the
    beneficiary's tag (独居老人, 低保户 …) is not even loaded: on a public page it would tell a
    small village who lives alone or draws benefits."""
    return (
        Wish.objects.on_wall()
        .filter(community=community)
        .only(
            "id",
            "title",
            "category",
            "status",
            "beneficiary_name",
            "published_at",
            "lit_at",
            "claimant_kind",
            "claimant_name",
            "community_id",
            "created_at",
        )
        .order_by("status", "published_at", "id")
    )


def wall_counts(*, community: Unit) -> dict[str, int]:
    rows = (
        Wish.objects.filter(community=community).order_by().values("status").annotate(n=Count("id"))
    )
    by = {r["status"]: r["n"] for r in rows}
    return {
        "waiting": by.get(WishStatus.PUBLISHED, 0),
        "claimed": by.get(WishStatus.CLAIMED, 0),
        "lit": sum(by.get(s, 0) for s in LIT_STATES),
    }


def wish_stats(*, user: User, year: int | None = None) -> dict[str, Any]:
    """Counts lit per town, community, claimant and month (for the year), in the user's scope.

    Two GROUP BYs: (community, month) gives the town, community and month tables; the
    claimant table is its own."""
    year = year or timezone.localdate().year
    lit = Wish.objects.visible_to(user).filter(status__in=LIT_STATES, lit_at__year=year).order_by()
    cells = list(
        lit.annotate(month=TruncMonth("lit_at"))
        .values("community_id", "month")
        .annotate(n=Count("id"))
    )
    communities = {
        u.pk: u
        for u in Unit.objects.filter(pk__in={c["community_id"] for c in cells})
        .select_related("parent")
        .only("id", "name", "code", "parent__name")
    }
    by_unit: dict[int, int] = defaultdict(int)
    by_town: dict[str, int] = defaultdict(int)
    by_month: dict = defaultdict(int)
    for c in cells:
        unit = communities[c["community_id"]]
        by_unit[unit.pk] += c["n"]
        by_town[unit.parent.name if unit.parent is not None else ""] += c["n"]
        by_month[c["month"]] += c["n"]
    per_unit = [
        {"community__name": communities[k].name, "community__code": communities[k].code, "n": n}
        for k, n in sorted(by_unit.items(), key=lambda kn: (-kn[1], communities[kn[0]].code))[:50]
    ]
    per_town = [
        {"community__parent__name": k, "n": n}
        for k, n in sorted(by_town.items(), key=lambda kn: (-kn[1], kn[0]))[:50]
    ]
    per_month = [{"month": m, "n": by_month[m]} for m in sorted(by_month)]
    per_claimant = list(
        lit.values("claimant_name", "claimant_kind")
        .annotate(n=Count("id"))
        .order_by("-n", "claimant_name")[:20]
    )
    return {
        "year": year,
        "prev_year": year - 1,
        "per_unit": per_unit,
        "per_town": per_town,
        "per_claimant": per_claimant,
        "per_month": per_month,
        "total": sum(by_month.values()),
        "waiting": Wish.objects.visible_to(user).filter(status=WishStatus.PUBLISHED).count(),
    }


def home_community_code(*, user: User) -> str:
    """The code of the village or community the user belongs to (for the link to its wall)."""
    for m in user_scope(user).memberships:
        unit = m.unit
        if unit.kind in ("village", "community"):
            return unit.code
        if unit.parent_id and unit.kind in ("grid", "micro_grid", "party_org"):
            parent = Unit.objects.filter(pk=unit.parent_id).only("code", "kind").first()
            if parent and parent.kind in ("village", "community"):
                return parent.code
    return ""


def lit_this_month(*, user: User) -> int:
    start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return Wish.objects.visible_to(user).filter(status__in=LIT_STATES, lit_at__gte=start).count()
