"""Every compliance.* permission per role of the test world, granted and denied: the role
alone (menus, ``permission_required``) and on an object of town A (``compliance.rules``),
and the services refusing what the rules refuse."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from lianxin.compliance import rectification, services
from tests.compliance import factories as c
from tests.permissions import assert_granted_exactly
from tests.venues import factories as f

pytestmark = pytest.mark.django_db

VENUE_STAFF = {"county_admin", "town_a", "town_b", "village_a", "village_b"}
TOWN_OR_COUNTY = {"county_admin", "town_a", "town_b"}

# permission -> users who hold it without an object
GRANTED = {
    "compliance.open_signage": TOWN_OR_COUNTY,
    "compliance.check_signage": VENUE_STAFF,
    "compliance.inspect": TOWN_OR_COUNTY,
    "compliance.manage_checklist": {"county_admin"},
    "compliance.close_task": VENUE_STAFF,
}

# permission -> (object of town A, users who hold it on that object)
ON_TOWN_A = {
    "compliance.open_signage": ("town_a", {"county_admin", "town_a"}),
    "compliance.check_signage": ("venue_a", {"county_admin", "town_a", "village_a"}),
    "compliance.inspect": ("venue_a", {"county_admin", "town_a"}),
    "compliance.manage_checklist": (None, {"county_admin"}),
    "compliance.close_task": ("task_a", {"county_admin", "town_a", "village_a"}),
}


def _object(world, key):
    if key is None:
        return None
    if key == "town_a":
        return world.town_a
    venue = f.venue_a(world)
    if key == "venue_a":
        return venue
    return c.inspection_for(world, venue).tasks.get()


@pytest.mark.parametrize(("perm", "granted"), sorted(GRANTED.items()))
def test_permission_by_role(world, perm, granted):
    assert_granted_exactly(world, perm, granted)


@pytest.mark.parametrize("perm", sorted(ON_TOWN_A))
def test_permission_on_an_object_of_town_a(world, perm):
    key, granted = ON_TOWN_A[perm]
    assert_granted_exactly(world, perm, granted, obj=_object(world, key))


def test_matrix_covers_every_compliance_permission():
    import rules

    declared = {name for name in rules.permissions.permissions if name.startswith("compliance.")}
    assert declared == set(GRANTED) == set(ON_TOWN_A)


@pytest.mark.parametrize("role", ["village_a", "town_b", "supervisor"])
def test_services_refuse_the_roles_the_rules_refuse(world, role):
    actor = world.users[role]
    venue = f.venue_a(world)
    cl = c.checklist()
    scores = {i.pk: (i.max_score, "") for i in cl.items.all()}
    with pytest.raises(PermissionDenied):  # a village does not inspect itself
        services.inspection_record(actor=actor, venue=venue, checklist=cl, scores=scores)
    with pytest.raises(PermissionDenied):
        services.checklist_create(actor=actor, name="新清单", lines="卫生|地面整洁|10")
    with pytest.raises(PermissionDenied):
        services.signage_campaign_open(
            actor=actor, unit=world.town_a, name="整治", due_on=venue.created_at.date()
        )


@pytest.mark.parametrize(("role", "allowed"), [("village_a", True), ("village_b", False)])
def test_signage_check_and_task_close_need_the_role_over_the_venue(world, role, allowed):
    actor = world.users[role]
    venue = f.venue_a(world)
    campaign = c.signage_campaign_for(world)
    task = c.inspection_for(world, venue).tasks.get()
    c.after_photo_for(task)
    if allowed:
        services.signage_check_submit(
            actor=actor, campaign=campaign, venue=venue, present=set(), extras=[]
        )
        assert services.task_close(actor=actor, task=task, note="已整改").closed_on
        return
    with pytest.raises(PermissionDenied):
        services.signage_check_submit(
            actor=actor, campaign=campaign, venue=venue, present=set(), extras=[]
        )
    with pytest.raises(PermissionDenied):
        services.task_close(actor=actor, task=task, note="已整改")
    with pytest.raises(PermissionDenied):
        rectification.task_close_with_photo(actor=actor, task=task, note="已整改")


@pytest.mark.parametrize(("role", "status"), [("town_a", 302), ("village_a", 403)])
def test_opening_a_campaign_on_the_page_follows_the_rule(world, client, login, role, status):
    from django.urls import reverse

    login(world.users[role])
    response = client.post(
        reverse("compliance:signage_list"), {"name": "挂牌专项整治二", "due_on": "2030-01-01"}
    )
    assert response.status_code == status
