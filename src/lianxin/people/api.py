"""JSON API of the people register: persons, households and party members of the caller's
subtree, through the pages' selectors.

Personal numbers leave the server masked (GB/T 35273: ID ``6205**********1234``, phone
``138****5678``); the API has no reveal. The audited reveal (a reason, a daily limit, an audit
row: ``people.services.person_reveal``) is a page only, so no integration can pull full numbers.
"""

from __future__ import annotations

from datetime import date

from ninja import Query, Router, Schema

from lianxin.api.guards import require_perm
from lianxin.api.paging import PageParams
from lianxin.api.responses import LIST_ERRORS, READ_ERRORS
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
    gender: str
    birth_year: int | None
    household_id: int | None
    relation: str

    @staticmethod
    def resolve_unit_code(obj) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_birth_year(obj) -> int | None:
        # The year only: the full date with the masked ID would narrow the ID number down.
        return obj.birth_date.year if obj.birth_date else None


class HouseholdOut(Schema):
    id: int
    number: str
    grid: str
    grid_code: str
    address: str
    tags: list[str]

    @staticmethod
    def resolve_grid(obj) -> str:
        return obj.grid.name

    @staticmethod
    def resolve_grid_code(obj) -> str:
        return obj.grid.code


class HouseholdListOut(HouseholdOut):
    members: int

    @staticmethod
    def resolve_members(obj) -> int:
        return obj.n_members


class HouseholdDetailOut(HouseholdOut):
    members: list[PersonOut]

    @staticmethod
    def resolve_members(obj) -> list:
        return list(selectors.household_members(household=obj))


class PartyMemberOut(Schema):
    person_id: int
    name: str
    phone_masked: str
    party_org: str
    party_org_code: str
    joined_on: date | None
    post: str
    is_probationary: bool

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.person.name

    @staticmethod
    def resolve_phone_masked(obj) -> str:
        return obj.person.phone_masked

    @staticmethod
    def resolve_party_org(obj) -> str:
        return obj.party_org.name

    @staticmethod
    def resolve_party_org_code(obj) -> str:
        return obj.party_org.code


@router.get("/persons", response={200: list[PersonOut], **LIST_ERRORS}, url_name="people_persons")
def persons(request, page: Query[PageParams], q: Text = "", unit: Text = ""):
    require_perm(request, "people.view_person")
    return page.slice(selectors.person_list(user=request.user, q=q, unit_code=unit))


@router.get("/persons/{pk}", response={200: PersonOut, **READ_ERRORS}, url_name="people_person")
def person(request, pk: Id):
    require_perm(request, "people.view_person")
    return selectors.person_get(user=request.user, pk=pk)


@router.get(
    "/households",
    response={200: list[HouseholdListOut], **LIST_ERRORS},
    url_name="people_households",
)
def households(request, page: Query[PageParams], q: Text = "", unit: Text = "", tag: Text = ""):
    """Households of the caller's subtree; ``q`` (address or number), ``unit`` (code of a unit
    above the grid) and ``tag`` (独居老人 …) narrow, as on the page."""
    require_perm(request, "people.view_household")
    return page.slice(selectors.household_list(user=request.user, q=q, unit_code=unit, tag=tag))


@router.get(
    "/households/{pk}",
    response={200: HouseholdDetailOut, **READ_ERRORS},
    url_name="people_household",
)
def household(request, pk: Id):
    """One household with its members (numbers masked)."""
    require_perm(request, "people.view_household")
    return selectors.household_get(user=request.user, pk=pk)


@router.get(
    "/party-members",
    response={200: list[PartyMemberOut], **LIST_ERRORS},
    url_name="people_party_members",
)
def party_members(request, page: Query[PageParams], q: Text = ""):
    require_perm(request, "people.view_person")
    return page.slice(selectors.party_member_list(user=request.user, q=q))
