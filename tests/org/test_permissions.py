"""Every named permission of org, per role of the test world, granted and denied; asked with an
object, the object's scope decides too (org.rules)."""

import pytest

from lianxin.org.models import Membership, ResidenceClaim, ResidenceStatus
from tests.org.permission_matrix import OVER_A, STAFF, check, matrix
from tests.org.test_permissions_tree import CASES as TREE_CASES

pytestmark = pytest.mark.django_db

COUNTY = frozenset({"county_admin"})
TOWN_OR_ABOVE = frozenset({"county_admin", "town_a", "town_b"})
CLERKS = frozenset({"county_admin", "town_a", "town_b", "village_a", "village_b"})


def _membership_b(world):
    return Membership.objects.get(user=world.users["village_b"])


def _membership_a(world):
    return Membership.objects.get(user=world.users["resident_a"])  # at grid a1


def _claim(unit_attr):
    def make(world):
        from tests.conftest import make_user

        user = make_user(f"claimant_{unit_attr}")
        unit = getattr(world, unit_attr)
        return ResidenceClaim.objects.create(
            user=user, unit=unit, chosen_unit=unit, status=ResidenceStatus.PENDING
        )

    return make


CASES = [
    *matrix("org.view_unit", STAFF),
    *matrix("org.view_unit", OVER_A, lambda w: w.grid_a1),
    *matrix("org.view_membership", STAFF),
    *matrix("org.view_membership", OVER_A, _membership_a),
    *matrix("org.manage_unit", COUNTY),
    *matrix("org.manage_unit", COUNTY, lambda w: w.village_b),
    *matrix("org.manage_staff", TOWN_OR_ABOVE),
    # village b's clerk: granted by the county and by town b, not by town a.
    *matrix("org.manage_staff", frozenset({"county_admin", "town_b"}), _membership_b),
    *matrix("org.manage_staff", frozenset({"county_admin", "town_a"}), lambda w: w.grid_a1),
    *matrix("org.confirm_residence", CLERKS),
    *matrix(
        "org.confirm_residence",
        frozenset({"county_admin", "town_a", "village_a"}),
        _claim("village_a"),
    ),
    # the tree on screen ("org.add_unit", "org.change_unit"): tests/org/test_permissions_tree.py
    *TREE_CASES,
]


@pytest.mark.parametrize(("perm", "who", "expected", "obj"), CASES)
def test_permission_per_role(world, perm, who, expected, obj):
    check(world, perm, who, expected, obj)


def test_a_decided_claim_is_confirmed_by_nobody(world):
    claim = _claim("village_a")(world)
    claim.status = ResidenceStatus.CONFIRMED
    claim.save()
    for who in CLERKS:
        check(world, "org.confirm_residence", who, False, claim)


def test_superuser_has_every_org_permission(world, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x")
    for perm in ("org.view_unit", "org.manage_unit", "org.manage_staff", "org.confirm_residence"):
        assert root.has_perm(perm, world.grid_b1)


def test_every_org_permission_is_covered():
    import rules

    named = {name for name in rules.permissions.permissions if name.startswith("org.")}
    tested = {perm for perm, *_ in CASES}
    assert named == tested
