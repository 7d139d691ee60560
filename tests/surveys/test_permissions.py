"""Every named permission of 民意调查 per role over the test world, with and without a
questionnaire: staff over the owner unit manage it, its audience answers it."""

from __future__ import annotations

import pytest

from tests.permissions import COUNTY, PARTY, RESIDENTS, TOWN_A, TOWN_B, assert_granted_exactly
from tests.surveys.factories import make_questionnaire

pytestmark = pytest.mark.django_db

MANAGERS = (COUNTY - {"supervisor"}) | TOWN_A | TOWN_B

EXPECTED = {
    "surveys.manage_questionnaire": MANAGERS,
    "surveys.answer_questionnaire": RESIDENTS | PARTY,
}


@pytest.mark.parametrize(("perm", "granted"), sorted(EXPECTED.items()))
def test_permission_by_role(world, perm, granted):
    assert_granted_exactly(world, perm, granted)


def test_a_questionnaire_is_managed_by_the_staff_over_its_unit(world):
    q = make_questionnaire(world)
    assert_granted_exactly(
        world, "surveys.manage_questionnaire", {"county_admin", "town_a", "village_a"}, obj=q
    )


def test_a_grid_questionnaire_is_managed_down_to_its_grid_worker(world):
    q = make_questionnaire(world, unit=world.grid_a1, audience_unit=world.grid_a1)
    assert_granted_exactly(
        world,
        "surveys.manage_questionnaire",
        {"county_admin", "town_a", "village_a", "grid_a1"},
        obj=q,
    )


def test_a_questionnaire_is_answered_by_its_audience(world):
    q = make_questionnaire(world)
    assert_granted_exactly(world, "surveys.answer_questionnaire", {"resident_a", "party_a"}, obj=q)


def test_a_grid_audience_excludes_the_rest_of_the_village(world):
    q = make_questionnaire(world, audience_unit=world.grid_a2)
    assert_granted_exactly(world, "surveys.answer_questionnaire", set(), obj=q)
