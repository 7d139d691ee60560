from __future__ import annotations

from typing import Annotated

from ninja import Field, Query, Router, Schema

from lianxin.api.guards import require_perm
from lianxin.api.paging import PageParams
from lianxin.api.responses import LIST_ERRORS, READ_ERRORS
from lianxin.core.params import Text
from lianxin.org import selectors

router = Router(tags=["org"])


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    division_code: str
    parent_code: str | None = None

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


@router.get("/units", response={200: list[UnitOut], **LIST_ERRORS}, url_name="org_units")
def units(request, page: Query[PageParams], q: Text = "", kind: Text = ""):
    require_perm(request, "org.view_unit")
    return page.slice(selectors.unit_search(user=request.user, q=q, kind=kind))


@router.get("/units/{code}", response={200: UnitOut, **READ_ERRORS}, url_name="org_unit")
def unit(request, code: Annotated[str, Field(max_length=64)]):
    require_perm(request, "org.view_unit")
    return selectors.unit_get(user=request.user, code=code)
