"""Open311 reads: services from the category tree, requests scoped by the one gate.

* Services (``services.{fmt}``, ``services/{code}.{fmt}``) are public, as in the spec: the
  active categories and their active attributes.
* Requests read with an ``api_key`` are the token's service user's requests:
  ``Case.objects.visible_to`` (``org.scoping``: located in, or handled by, the token's unit),
  exactly what a staff member of that unit sees on the screens.
* Requests read without one are the public tracking page's (``cases:track``): only requests
  named by their tracking code (``service_request_id``), whoever asks. Nothing lists the
  county's requests to an anonymous caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.cases.models import OPEN_STATES, Case, CaseEvent, Category
from lianxin.open311.models import ServiceAttribute, Submission

if TYPE_CHECKING:
    from lianxin.accounts.models import User

WINDOW = timedelta(days=90)  # the spec's default range and the widest one allowed
MAX_REQUESTS = 1000  # "most recent 90 days or 1000 requests, whichever is smaller"
MAX_IDS = 100  # service_request_id=a,b,c…: more than this is refused, not silently cut


class WindowError(ValueError):
    """start_date/end_date the spec does not allow (reversed, or more than 90 days apart)."""


@dataclass(frozen=True)
class RequestFilters:
    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()  # "open", "closed"


def active_attributes() -> QuerySet[ServiceAttribute]:
    return ServiceAttribute.objects.filter(is_active=True).order_by("order", "id")


def service_list() -> QuerySet[Category]:
    """Every active category, its parent (the group) and how many active attributes it has."""
    return (
        Category.objects.filter(is_active=True)
        .select_related("parent")
        .annotate(
            attribute_count=Count(
                "open311_attributes", filter=Q(open311_attributes__is_active=True)
            )
        )
        .order_by("parent__sort_order", "parent__code", "sort_order", "code")
    )


def service_get(*, code: str) -> Category | None:
    """An active category by its code, with its active attributes prefetched."""
    return (
        Category.objects.filter(is_active=True, code=code)
        .select_related("parent")
        .prefetch_related(Prefetch("open311_attributes", queryset=active_attributes()))
        .first()
    )


def request_window(
    start: datetime | None, end: datetime | None, *, now: datetime | None = None
) -> tuple[datetime, datetime]:
    """GeoReport's date range: neither given is the most recent 90 days; one given is the 90
    days after the start (or before the end); both may not be reversed or span more than 90."""
    now = now or timezone.now()
    if start is None and end is None:
        return now - WINDOW, now
    if start is None:
        assert end is not None
        return end - WINDOW, end
    if end is None:
        return start, start + WINDOW
    if end < start:
        raise WindowError(_("end_date 不能早于 start_date。"))
    if end - start > WINDOW:
        raise WindowError(_("start_date 与 end_date 的间隔不能超过 90 天。"))
    return start, end


def _base(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Everything a row shows in a fixed number of queries: the joins, the latest public step
    of the timeline (status_notes) and the Open311 submission."""
    latest = CaseEvent.objects.filter(case=OuterRef("pk"), is_public=True).order_by(
        "-created_at", "-id"
    )
    return (
        qs.select_related("category", "unit", "grid", "town", "village", "open311_submission")
        .defer(
            "search_tokens",
            "grid__boundary",
            "unit__boundary",
            "town__boundary",
            "village__boundary",
        )
        .annotate(
            last_public_kind=Subquery(latest.values("kind")[:1]),
            last_public_note=Subquery(latest.values("note")[:1]),
            last_public_at=Subquery(latest.values("created_at")[:1]),
        )
    )


def _filtered(
    qs: QuerySet[Case], filters: RequestFilters, *, now: datetime | None
) -> QuerySet[Case]:
    if filters.ids:
        # "service_request_id … overrides all other arguments" (spec).
        return qs.filter(code__in=filters.ids)
    start, end = request_window(filters.start, filters.end, now=now)
    qs = qs.filter(created_at__gte=start, created_at__lte=end)
    if filters.service_codes:
        qs = qs.filter(category__code__in=filters.service_codes)
    statuses = set(filters.statuses)
    if statuses == {"open"}:
        qs = qs.filter(state__in=OPEN_STATES)
    elif statuses == {"closed"}:
        qs = qs.exclude(state__in=OPEN_STATES)
    return qs


def request_list(
    *, user: User | None, filters: RequestFilters, now: datetime | None = None
) -> list[Case]:
    """The requests a GeoReport ``GET requests`` returns, newest first, at most 1000.

    ``user`` is the api_key's service user (its scope), or None for an anonymous caller, who
    gets only the requests named by tracking code (the public tracking page's rule)."""
    if not filters.ids:
        request_window(filters.start, filters.end, now=now)  # a bad range is refused for anyone
    if user is None and not filters.ids:
        return []
    base: QuerySet[Case] = Case.objects.all() if user is None else Case.objects.visible_to(user)
    qs = _filtered(base, filters, now=now).order_by("-created_at", "-id")
    return list(_base(qs)[:MAX_REQUESTS])


def request_get(*, user: User | None, code: str) -> Case | None:
    """One request by tracking code: in the token's scope, or (anonymous) by code alone."""
    qs: QuerySet[Case] = Case.objects.all() if user is None else Case.objects.visible_to(user)
    return _base(qs.filter(code=code)).first()


def submission_by_token(*, token: str) -> Submission | None:
    """The GeoReport token returned at submission: whoever holds it learns the request's id."""
    if not token:
        return None
    return Submission.objects.select_related("case").filter(token=token).first()
