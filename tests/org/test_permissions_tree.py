"""The tree permissions (org.add_unit, org.change_unit) per role: a county admin in the county, a
town admin inside their town (adding under the town itself, not renaming it). The per-role
CASES run in tests/org/test_permissions.py (the coverage check reads that file)."""

import pytest

from tests.org.permission_matrix import matrix
from tests.permissions import assert_granted_exactly

pytestmark = pytest.mark.django_db

TREE_ADMINS = frozenset({"county_admin", "town_a", "town_b"})

CASES = [
    *matrix("org.add_unit", TREE_ADMINS),
    *matrix("org.change_unit", TREE_ADMINS),
    *matrix("org.add_unit", frozenset({"county_admin", "town_a"}), lambda w: w.town_a),
    *matrix("org.change_unit", frozenset({"county_admin"}), lambda w: w.town_a),
    *matrix("org.change_unit", frozenset({"county_admin", "town_a"}), lambda w: w.grid_a1),
    *matrix("org.change_unit", frozenset({"county_admin", "town_b"}), lambda w: w.village_b),
    *matrix("org.add_unit", frozenset({"county_admin"}), lambda w: w.county),
]


def test_tree_permissions_exactly(world):
    assert_granted_exactly(world, "org.add_unit", TREE_ADMINS)
    assert_granted_exactly(world, "org.change_unit", {"county_admin", "town_a"}, obj=world.grid_a1)
