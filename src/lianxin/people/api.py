from __future__ import annotations

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema

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
    if not request.user.has_perm("people.view_person"):
        raise PermissionDenied("people.view_person")
    return page.slice(selectors.person_list(user=request.user, q=q, unit_code=unit))


@router.get("/persons/{pk}", response=PersonOut, url_name="people_person")
def person(request, pk: Id):
    if not request.user.has_perm("people.view_person"):
        raise PermissionDenied("people.view_person")
    return selectors.person_get(user=request.user, pk=pk)
