from __future__ import annotations

from ninja import Query, Router, Schema

from lianxin.api.guards import require_perm
from lianxin.api.paging import PageParams
from lianxin.core.params import Id, Text
from lianxin.people import selectors

router = Router(tags=["people"])


class PersonOut(Schema):
    """Personal numbers leave the server masked; the audited reveal is the only way round."""

    id: int
    name: str
    id_number_masked: str
    phone_masked: str
    unit_code: str

    @staticmethod
    def resolve_unit_code(obj) -> str:
        return obj.unit.code


@router.get("/persons", response=list[PersonOut], url_name="people_persons")
def persons(request, page: Query[PageParams], q: Text = "", unit: Text = ""):
    require_perm(request, "people.view_person")
    return page.slice(selectors.person_list(user=request.user, q=q, unit_code=unit))


@router.get("/persons/{pk}", response=PersonOut, url_name="people_person")
def person(request, pk: Id):
    require_perm(request, "people.view_person")
    return selectors.person_get(user=request.user, pk=pk)
