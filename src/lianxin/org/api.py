from __future__ import annotations

from ninja import Query, Router, Schema

from lianxin.api.guards import require_perm
from lianxin.api.paging import PageParams
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


@router.get("/units", response=list[UnitOut], url_name="org_units")
def units(request, page: Query[PageParams], q: Text = "", kind: Text = ""):
    require_perm(request, "org.view_unit")
    return page.slice(selectors.unit_search(user=request.user, q=q, kind=kind))


@router.get("/units/{code}", response=UnitOut, url_name="org_unit")
def unit(request, code: str):
    require_perm(request, "org.view_unit")
    return selectors.unit_get(user=request.user, code=code)
