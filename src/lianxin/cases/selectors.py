"""Reads, always scoped: staff through ``Case.objects.visible_to``, residents by ownership,
the public tracking page by code (public timeline only)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from lianxin.cases import search
from lianxin.cases.models import (
    AWAITING_ACCEPT_STATES,
    OPEN_STATES,
    Case,
    CaseEvent,
    CasePhoto,
    Category,
    CoReporter,
    State,
    due_soon_q,
    overdue_q,
)
from lianxin.core.db import is_postgres, no_parallel_workers
from lianxin.core.keyset import BoundedCount, KeysetPage, bounded_counts, keyset_page
from lianxin.org.models import STAFF_ROLES, Unit, UnitKind
from lianxin.org.scoping import scope_queryset, user_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from lianxin.accounts.models import User

LIST_VIEWS = ("mine", "unit", "due_soon", "overdue", "awaiting_eval", "supervised", "all")
SORTS = {
    "due": ("resolve_due_at", "id"),
    "-created": ("-created_at", "-id"),
    "created": ("created_at", "id"),
    "accept_due": ("accept_due_at", "id"),
}


@dataclass
class CaseFilters:
    view: str = "all"
    q: str = ""
    category: int | None = None
    state: str = ""
    grid: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    overdue: bool = False
    sort: str = "-created"
    # from the rates pages ("each number links to the list behind it")
    unit: int | None = None
    area: int | None = None
    handler: int | None = None
    month: str = ""
    metric: str = ""


def _list_base(qs: QuerySet) -> QuerySet:
    # A list row never shows a unit's boundary polygon or the search tokens: not fetched.
    return qs.select_related("category", "grid", "unit", "owner_user", "owner_unit").defer(
        "search_tokens", "grid__boundary", "unit__boundary", "owner_unit__boundary"
    )


def case_search(qs: QuerySet, q: str) -> QuerySet:
    """Bigram search: every bigram of the query must be among the row's tokens.

    On PostgreSQL the GIN index is asked for one bigram only and the others are checked on the
    rows it finds. The planner estimates ``a & b & c`` as if the bigrams were independent
    (供暖不热: 100 rows, really 33,000), and with that estimate it skips ANDing the GIN bitmap with
    the scope's indexes and reads every match in the province (1M rows: 115 ms); one bigram is
    estimated right, so it intersects first and reads only the county's matches.
    """
    toks = search.query_tokens(q)
    if not toks:
        return qs
    if is_postgres():
        from django.contrib.postgres.search import SearchQuery, SearchVector

        first, rest = toks[0], toks[1:]
        query = SearchQuery(first, config="simple", search_type="raw")
        qs = qs.annotate(_sv=SearchVector("search_tokens", config="simple")).filter(_sv=query)
    else:
        rest = toks
    for t in rest:
        qs = qs.filter(search_tokens__contains=f" {t} ")
    return qs


def staff_units(user: User) -> list[Unit]:
    return [m.unit for m in user_scope(user).memberships if m.role in STAFF_ROLES]


def tracking_code(q: str) -> str:
    """The query as a tracking code (查询码, 10 characters of the intake's alphabet), or "".

    Typed as printed or read over the phone: case, spaces and dashes do not matter.
    """
    from lianxin.cases.services import CODE_ALPHABET

    code = re.sub(r"[\s\-－—_]", "", q or "").upper()
    if len(code) == 10 and all(ch in CODE_ALPHABET for ch in code):
        return code
    return ""


def case_list(*, user: User, filters: CaseFilters, now: datetime | None = None) -> QuerySet:
    now = now or timezone.now()
    qs = Case.objects.visible_to(user)
    code = tracking_code(filters.q)
    if code and qs.filter(code=code).exists():
        # A tracking code names one request: the list's other filters would only hide it.
        return _list_base(qs.filter(code=code))
    view = filters.view if filters.view in LIST_VIEWS else "all"
    if view == "mine":
        qs = qs.filter(owner_user=user, state__in=OPEN_STATES)
    elif view == "unit":
        qs = qs.filter(owner_unit__in=staff_units(user), state__in=AWAITING_ACCEPT_STATES)
    elif view == "due_soon":
        qs = qs.due_soon(now)
    elif view == "overdue":
        qs = qs.overdue(now)
    elif view == "awaiting_eval":
        qs = qs.filter(state=State.RESOLVED)
    elif view == "supervised":
        qs = qs.filter(supervised_at__isnull=False, state__in=OPEN_STATES)
    if filters.category:
        qs = qs.filter(Q(category_id=filters.category) | Q(category__parent_id=filters.category))
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.grid:
        qs = qs.filter(grid_id=filters.grid)
    if filters.date_from:
        qs = qs.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(created_at__date__lte=filters.date_to)
    if filters.overdue:
        qs = qs.overdue(now)
    # The rates page's rating numbers are charged to the unit and handler that resolved the
    # request (stats.py): the list behind them filters on those, the other numbers on the current.
    rating_metric = filters.metric in ("rated", "satisfied", "unsatisfied")
    if filters.unit:
        qs = (
            qs.filter(rated_unit_id=filters.unit)
            if rating_metric
            else qs.filter(unit_id=filters.unit)
        )
    if filters.area:
        qs = qs.filter(Q(town_id=filters.area) | Q(village_id=filters.area))
    if filters.handler:
        qs = (
            qs.filter(rated_handler_id=filters.handler)
            if rating_metric
            else qs.filter(owner_user_id=filters.handler)
        )
    if filters.month:
        start = _month_start(filters.month)
        if start is not None:
            qs = qs.filter(created_at__gte=start, created_at__lt=_next_month(start))
    if filters.metric:
        qs = qs.filter(metric_q(filters.metric))
    sort = SORTS.get(filters.sort, SORTS["-created"])
    if filters.q:
        return _list_base(case_search(qs, filters.q)).order_by(*_unindexed(sort))
    return _list_base(qs).order_by(*sort)


def _unindexed(sort: tuple[str, ...]) -> list:
    """The same order through an expression no index provides.

    With a text query PostgreSQL otherwise walks the created_at index backwards testing every
    row's bigrams until it has a page (1M rows, a county's 路灯: 270 ms); this way it takes the
    matches from the GIN index (bitmap, ANDed with the scope) and sorts only those (~25 ms).
    """
    out = []
    for name in sort:
        field = name.lstrip("-")
        expr = Coalesce(F(field), F(field))
        out.append(expr.desc() if name.startswith("-") else expr.asc())
    return out


class OneQueryCountPaginator(Paginator):
    """A page of search results in two queries whatever the number of matches: the page's ids
    with ``count(*) OVER ()`` (the total comes with them), then those rows with their joins.
    An out-of-range page falls back to the ordinary count and the nearest page."""

    def get_page(self, number):
        try:
            number = max(1, int(number))
        except (TypeError, ValueError):
            number = 1
        bottom = (number - 1) * self.per_page
        ids_query = (
            self.object_list.select_related(None)
            .annotate(_lx_total=Window(Count("*")))
            .values_list("pk", "_lx_total")[bottom : bottom + self.per_page]
        )
        # On PostgreSQL a ~15 ms bitmap scan: starting parallel workers costs more than it saves
        # on two cores under concurrent load (1M rows, county 路灯: 23 -> 14 ms).
        with no_parallel_workers():
            ids_total = list(ids_query)
        if not ids_total:
            return super().get_page(number)
        self.__dict__["count"] = ids_total[0][1]
        # The ids come from the scoped query: their rows are fetched by key alone.
        rows = {
            obj.pk: obj
            for obj in _list_base(Case.objects.filter(pk__in=[pk for pk, _t in ids_total]))
        }
        return self._get_page([rows[pk] for pk, _t in ids_total if pk in rows], number, self)


def case_page(
    qs: QuerySet, *, number, per_page: int | None = None, searching: bool = False
) -> Page:
    """One page of a request list; a search result page counts its matches in the same query."""
    from django.conf import settings

    per_page = per_page or settings.LIANXIN_PAGE_SIZE
    paginator_class = OneQueryCountPaginator if searching else Paginator
    return paginator_class(qs, per_page).get_page(number)


def case_keyset_page(
    qs: QuerySet, *, sort: str, cursor: str = "", per_page: int | None = None
) -> KeysetPage:
    """One page of a request list (no text query) by its sort key: ``per_page + 1`` rows read
    whatever the page's depth or the scope's size (core.keyset); the cursor is bound to the
    sort, so changing the sort starts again from the first page."""
    from django.conf import settings

    sort = sort if sort in SORTS else "-created"
    return keyset_page(
        qs,
        order=SORTS[sort],
        cursor=cursor,
        per_page=per_page or settings.LIANXIN_PAGE_SIZE,
        tag=f"cases.workbench:{sort}",
    )


def search_page(
    listed: QuerySet, *, total: BoundedCount, sort: str, number, cursor: str = ""
) -> Page | KeysetPage:
    """A page of search results, by how many there are (``total``, a bounded count).

    Up to the bound: numbered pages with the exact total, the matches taken from the text index
    and sorted (``OneQueryCountPaginator``; a rare term at a county: ~15 ms). Past it ("1万+" —
    a common term at a province or a county of 10M requests, where sorting every match took
    61 s): a keyset page in the sort's own index order, which finds a page of a common term
    among the newest rows at once, and no exact count.
    """
    if getattr(total, "capped", False):
        return case_keyset_page(listed, sort=sort, cursor=cursor)
    return case_page(listed, number=number, searching=True)


def case_get(*, user: User, pk: int) -> Case:
    case = (
        Case.objects.visible_to(user)
        .select_related(
            "category",
            "grid",
            "unit",
            "owner_user",
            "owner_unit",
            "supervising_unit",
            "merged_into",
            "town",
            "village",
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_timeline(*, case: Case, public_only: bool) -> QuerySet:
    qs = CaseEvent.objects.filter(case=case).select_related("from_unit", "to_unit")
    return qs.public() if public_only else qs


def case_by_code(*, code: str) -> Case:
    case = (
        Case.objects.select_related("category", "unit", "owner_user", "merged_into")
        .filter(code=(code or "").strip().upper())
        .first()
    )
    if case is None:
        raise Http404
    return case


def resident_cases(*, user: User | AnonymousUser) -> QuerySet[Case]:
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    # their own, and those they joined (我也遇到) or were merged into as a co-reporter
    joined = CoReporter.objects.filter(user_id=user.pk or 0).values("case_id")
    return Case.objects.filter(Q(reporter_id=user.pk) | Q(pk__in=joined)).select_related(
        "category", "unit"
    )


def case_get_evaluable(*, user: User, pk: int) -> Case:
    """A request the user may rate or see the outcome of: one in their scope (staff relaying a
    rating the reporter gave by phone) or one they reported or joined (``resident_cases``); 404
    otherwise, so a resident cannot probe other people's request ids."""
    case = (
        Case.objects.filter(
            Q(pk__in=Case.objects.visible_to(user).filter(pk=pk).values("pk"))
            | Q(pk__in=resident_cases(user=user).filter(pk=pk).values("pk"))
        )
        .select_related("category", "grid", "unit", "owner_user", "owner_unit")
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_photos(*, case: Case) -> QuerySet[CasePhoto]:
    """The photos of a request the caller already reached through a scoped selector."""
    return CasePhoto.objects.filter(case=case).order_by("created_at", "id")


def photo_get(*, user: User | AnonymousUser, token: str) -> CasePhoto:
    """Staff who see the request, or the resident who reported it."""
    photo = CasePhoto.objects.select_related("case").filter(token=token).first()
    if photo is None:
        raise Http404
    visible = Case.objects.visible_to(user).filter(pk=photo.case_id).exists() or (
        getattr(user, "is_authenticated", False) and photo.case.reporter_id == user.pk
    )
    if not visible:
        raise Http404
    return photo


def result_photo_get(*, code: str, token: str) -> CasePhoto:
    """A 办结照片 of the request with this tracking code (public, as the tracking page is)."""
    from lianxin.cases.models import PhotoKind

    photo = CasePhoto.objects.filter(
        token=token, kind=PhotoKind.RESULT, case__code=code.upper()
    ).first()
    if photo is None:
        raise Http404
    return photo


def category_choices() -> QuerySet:
    return Category.objects.filter(is_active=True).select_related("parent")


def dispatch_targets(*, user: User, case: Case | None = None) -> QuerySet:
    """Units the user may dispatch or transfer to: their subtree plus the departments."""
    scope = user_scope(user)
    top = min((m.unit.depth for m in scope.memberships if m.role in STAFF_ROLES), default=0)
    own = scope_queryset(Unit.objects.filter(depth__lte=top + 2), user, fields=("",))
    return (
        Unit.objects.filter(Q(pk__in=own.values("pk")) | Q(kind=UnitKind.DEPARTMENT))
        .exclude(
            kind__in=[
                UnitKind.PARTY_ORG,
                UnitKind.ENTERPRISE,
                UnitKind.SOCIAL_ORG,
                UnitKind.ALLIANCE,
            ]
        )
        .order_by("path")
    )


def dispatch_target(*, user: User, pk: int | None) -> Unit | None:
    """One of ``dispatch_targets`` by id; None when it is missing or out of the user's reach."""
    return dispatch_targets(user=user).filter(pk=pk or 0).first()


def merge_target(*, user: User, code: str) -> Case | None:
    """The request a duplicate is merged into, by tracking code, among those the user sees."""
    return Case.objects.visible_to(user).filter(code=code).first()


def cases_by_ids(*, user: User, ids: list[int]) -> QuerySet[Case]:
    """The requests of a bulk action, those the user sees only, in a stable (lock) order."""
    return Case.objects.visible_to(user).filter(pk__in=ids).order_by("pk")


def intake_grids(*, village_id: int | None, user: User | None = None) -> QuerySet[Unit]:
    """The active grids of one village (none without a village); within ``user``'s scope if given."""
    qs = Unit.objects.filter(kind__in=[UnitKind.GRID, UnitKind.MICRO_GRID], is_active=True)
    qs = qs.filter(parent_id=village_id) if village_id else qs.none()
    return qs if user is None else scope_queryset(qs, user, fields=("",))


def intake_grid(*, pk: int, user: User | None = None) -> Unit | None:
    """One active grid (or micro-grid) by id, within ``user``'s scope if given; None otherwise."""
    qs = Unit.objects.filter(pk=pk, kind__in=[UnitKind.GRID, UnitKind.MICRO_GRID], is_active=True)
    return (qs if user is None else scope_queryset(qs, user, fields=("",))).first()


def intake_villages(*, user: User) -> QuerySet[Unit]:
    """The villages and communities a staff user may register a request in."""
    return scope_queryset(
        Unit.objects.filter(kind__in=[UnitKind.VILLAGE, UnitKind.COMMUNITY]), user, fields=("",)
    )


def poster_unit(*, user: User, pk: int) -> Unit:
    """A unit in the user's scope to print an intake poster for (404 outside it)."""
    unit = scope_queryset(Unit.objects.all(), user, fields=("",)).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


def workbench_counts(
    *, user: User, now: datetime | None = None, listed: QuerySet | None = None
) -> dict[str, BoundedCount]:
    """The queue sizes (and, given ``listed``, the list's own size under ``"listed"``) in one
    query of bounded counts: each stops at ``LIANXIN_LIST_COUNT_BOUND`` (shown "10,000+"), so a
    county's or the province's page reads no more than a village's busiest queue."""
    now = now or timezone.now()
    scoped = Case.objects.visible_to(user)
    queues: dict[str, QuerySet] = {
        "mine": scoped.filter(owner_user=user, state__in=OPEN_STATES),
        "unit": scoped.filter(owner_unit__in=staff_units(user), state__in=AWAITING_ACCEPT_STATES),
        "due_soon": scoped.filter(due_soon_q(now)),
        "overdue": scoped.filter(overdue_q(now)),
        "awaiting_eval": scoped.filter(state=State.RESOLVED),
        "supervised": scoped.filter(supervised_at__isnull=False, state__in=OPEN_STATES),
    }
    if listed is not None:
        queues["listed"] = listed
    return bounded_counts(queues)


# --- months and metrics --------------------------------------------------------------------


def _month_start(month: str) -> datetime | None:
    try:
        y, m = (int(x) for x in month.split("-"))
        return datetime(y, m, 1, tzinfo=timezone.get_current_timezone())
    except (ValueError, TypeError):
        return None


def _next_month(start: datetime) -> datetime:
    return (start + timedelta(days=32)).replace(day=1)


def metric_q(metric: str) -> Q:
    """The rows behind each number of the rates page (merged and rejected are not counted)."""
    counted = ~Q(state__in=[State.MERGED, State.REJECTED])
    return counted & {
        "accepted": Q(first_accepted_at__isnull=False),
        "accepted_on_time": Q(accepted_on_time=True),
        "accept_decided": Q(accepted_on_time__isnull=False) | Q(accept_overdue_at__isnull=False),
        "resolve_decided": Q(resolved_at__isnull=False) | Q(resolve_overdue_at__isnull=False),
        "resolved": Q(resolved_at__isnull=False),
        "resolved_on_time": Q(resolved_on_time=True),
        "rated": Q(rating__in=["satisfied", "basic", "unsatisfied"]),
        "satisfied": Q(rating__in=["satisfied", "basic"]),
        "unsatisfied": Q(rating="unsatisfied"),
        "open": Q(state__in=OPEN_STATES),
    }.get(metric, Q())
