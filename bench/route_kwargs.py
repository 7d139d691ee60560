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


def _first_visible(model_path: str, field: str = "pk", key: str = "pk"):
    """The first row of a module's model that the user may see (its QuerySet.visible_to)."""

    def build(user):
        from django.apps import apps

        model = apps.get_model(model_path)
        qs = (
            model.objects.visible_to(user)
            if hasattr(model.objects, "visible_to")
            else model.objects.none()
        )
        obj = qs.order_by("-pk").first()
        return {key: getattr(obj, field)} if obj else None

    return build


def _case_track(user):
    from lianxin.cases.models import Case

    case = Case.objects.visible_to(user).order_by("-pk").first()
    return {"code": case.code} if case else None


def _unit_pk(user):
    from lianxin.org.scoping import user_scope

    m = user_scope(user).main_membership()
    return {"pk": m.unit.pk} if m else None


def _venue_wall(user):
    from lianxin.org.scoping import user_scope

    m = user_scope(user).main_membership()
    return {"code": m.unit.code} if m else None


KWARGS.update(
    {
        "cases:case_detail": _first_visible("cases.Case"),
        "api:cases_detail": _first_visible("cases.Case"),
        "cases:track": _case_track,
        "cases:poster": _unit_pk,
        "venues:venue_detail": _first_visible("venues.Venue"),
        "venues:venue_board": _first_visible("venues.Venue"),
        "venues:plan_detail": _first_visible("venues.UpgradePlan"),
        "venues:campaign_detail": _first_visible("venues.SurveyCampaign"),
        "wishes:wish_detail": _first_visible("wishes.Wish"),
        "wishes:wall": _venue_wall,
        "events:event_detail": _first_visible("events.Event"),
        "volunteers:team_detail": _first_visible("volunteers.Team"),
        "events:programme_detail": _first_visible("events.TrainingProgramme"),
    }
)
