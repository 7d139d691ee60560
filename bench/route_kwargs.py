"""Kwargs for timing kwarg routes on the demo county: route name -> f(user) -> kwargs or None.

Each uses an object the user can see, so the timing is of a real page, not a 404.
"""

from __future__ import annotations


def _person(user):
    from lianxin.people.models import Person

    p = Person.objects.visible_to(user).order_by("id").first()
    return {"pk": p.pk} if p else None


def _household(user):
    from lianxin.people.models import Household

    h = Household.objects.visible_to(user).order_by("id").first()
    return {"pk": h.pk} if h else None


def _unit(user):
    from lianxin.org.scoping import user_scope

    m = user_scope(user).main_membership()
    return {"code": m.unit.code} if m else None


KWARGS = {
    "org:unit_detail": _unit,
    "api:org_unit": _unit,
    "people:person_detail": _person,
    "api:people_person": _person,
    "people:household_detail": _household,
}
