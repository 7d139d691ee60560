"""Read API over requests, scoped exactly like the pages (staff subtree via selectors)."""

from __future__ import annotations

from datetime import datetime

from ninja import Query, Router, Schema

from lianxin.api.guards import require_perm
from lianxin.api.paging import PageParams
from lianxin.cases import selectors
from lianxin.core.params import Id, Text

router = Router(tags=["cases"])


class CaseOut(Schema):
    id: int
    code: str
    title: str
    category: str
    state: str
    grid: str
    unit: str
    handler: str | None
    accept_due_at: datetime | None
    resolve_due_at: datetime | None
    created_at: datetime
    rating: str

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.name

    @staticmethod
    def resolve_grid(obj) -> str:
        return obj.grid.name

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_handler(obj) -> str | None:
        return str(obj.owner_user) if obj.owner_user else None


class EventOut(Schema):
    kind: str
    actor_name: str
    actor_post: str
    note: str
    is_public: bool
    from_state: str
    to_state: str
    created_at: datetime


class CaseDetailOut(CaseOut):
    description: str
    resolution: str
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj) -> list:
        return list(selectors.case_timeline(case=obj, public_only=False))


@router.get("/", response=list[CaseOut], url_name="cases_list")
def case_list(request, page: Query[PageParams], view: Text = "all", q: Text = "", state: Text = ""):
    require_perm(request, "cases.view_case")
    qs = selectors.case_list(
        user=request.user, filters=selectors.CaseFilters(view=view, q=q, state=state)
    )
    return page.slice(qs)


@router.get("/{pk}", response=CaseDetailOut, url_name="cases_detail")
def case_detail(request, pk: Id):
    require_perm(request, "cases.view_case")
    return selectors.case_get(user=request.user, pk=pk)
