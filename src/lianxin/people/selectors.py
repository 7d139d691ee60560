"""Scoped reads of residents and households; values leave masked unless revealed."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from lianxin.core.db import json_list_contains_q
from lianxin.people.models import Household, PartyMember, Person


def person_list(*, user, q: str = "", unit_code: str = "") -> QuerySet[Person]:
    qs = Person.objects.visible_to(user).select_related("unit", "household")
    if q:
        qs = qs.filter(name__contains=q)
    if unit_code:
        qs = qs.filter(unit__path__contains=f"/{unit_code}/")
    return qs.order_by("unit__path", "name", "id")


def person_get(*, user, pk: int) -> Person:
    return get_object_or_404(
        Person.objects.visible_to(user).select_related("unit", "household", "household__grid"),
        pk=pk,
    )


def household_list(*, user, q: str = "", unit_code: str = "", tag: str = "") -> QuerySet[Household]:
    qs = (
        Household.objects.visible_to(user)
        .select_related("grid")
        .annotate(n_members=Count("members"))
    )
    if tag:
        qs = qs.filter(json_list_contains_q("tags", tag))
    if q:
        qs = qs.filter(address__contains=q) | qs.filter(number__startswith=q)
    if unit_code:
        qs = qs.filter(grid__path__contains=f"/{unit_code}/")
    return qs.order_by("number", "id")


def household_get(*, user, pk: int) -> Household:
    return get_object_or_404(Household.objects.visible_to(user).select_related("grid"), pk=pk)


def household_members(*, household: Household) -> QuerySet[Person]:
    return household.members.select_related("unit").order_by("id")


def party_member_list(*, user, q: str = "") -> QuerySet[PartyMember]:
    qs = PartyMember.objects.visible_to(user).select_related("person", "party_org", "person__unit")
    if q:
        qs = qs.filter(person__name__contains=q)
    return qs.order_by("party_org__path", "person__name", "id")


def people_counts(*, user) -> dict[str, int]:
    return {
        "households": Household.objects.visible_to(user).count(),
        "persons": Person.objects.visible_to(user).count(),
        "party_members": PartyMember.objects.visible_to(user).count(),
    }


def household_tag_summary(*, user) -> list[tuple[str, int]]:
    """How many households carry each care tag (独居老人, 低保户 …), most first."""
    counts: dict[str, int] = {}
    for tags in Household.objects.visible_to(user).exclude(tags=[]).values_list("tags", flat=True):
        for tag in tags:
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def grid_choices(*, user) -> QuerySet:
    """The grids a user may register households in."""
    from lianxin.org.models import GRID_KINDS, Unit

    return (
        Unit.objects.visible_to(user).filter(kind__in=GRID_KINDS, is_active=True).order_by("path")
    )
