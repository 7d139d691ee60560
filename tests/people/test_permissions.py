"""Every named permission of people, per role of the test world, granted and denied; with an
object, the person's unit or the household's grid must lie in the user's scope."""

import pytest

from tests.org.permission_matrix import OVER_A, STAFF, check, matrix

pytestmark = pytest.mark.django_db

VILLAGE_WORK = frozenset(
    {"county_admin", "town_a", "town_b", "village_a", "village_b", "grid_a1", "grid_b1"}
)
VILLAGE_WORK_OVER_A = VILLAGE_WORK & OVER_A


CASES = [
    *matrix("people.view_person", STAFF),
    *matrix("people.view_person", OVER_A, lambda w: w.persons["a"]),
    *matrix("people.view_household", STAFF),
    *matrix("people.view_household", OVER_A, lambda w: w.households["a"]),
    *matrix("people.reveal_person", VILLAGE_WORK),
    *matrix("people.reveal_person", VILLAGE_WORK_OVER_A, lambda w: w.persons["a"]),
    *matrix("people.manage_household", VILLAGE_WORK),
    *matrix("people.manage_household", VILLAGE_WORK_OVER_A, lambda w: w.households["a"]),
]


@pytest.mark.parametrize(("perm", "who", "expected", "obj"), CASES)
def test_permission_per_role(world, perm, who, expected, obj):
    check(world, perm, who, expected, obj)


def test_a_person_of_the_other_town_is_revealed_by_nobody_there(world):
    for who in ("town_a", "village_a", "grid_a1"):
        check(world, "people.reveal_person", who, False, world.persons["b"])


def test_every_people_permission_is_covered():
    import rules

    named = {name for name in rules.permissions.permissions if name.startswith("people.")}
    assert named == {perm for perm, *_ in CASES}
