"""Per-role permission matrices over the shared test world (tests/conftest.py).

    from tests.permissions import EVERYONE, STAFF, assert_granted_exactly

    @pytest.mark.parametrize(("perm", "granted"), sorted(EXPECTED.items()))
    def test_permission_by_role(world, perm, granted):
        assert_granted_exactly(world, perm, granted)

    def test_edit_own_wish(world, wish_a):
        assert_granted_exactly(world, "wishes.edit_wish", {"county_admin", "town_a"}, obj=wish_a)

``granted`` names the users of ``world.users`` (their keys: "town_a", "resident_b", ...) for whom
``user.has_perm(perm, obj)`` must be True; it must be False for every other user of the world
and for an anonymous user. A name that is not in the world fails the test (no silent typo).
"""

from __future__ import annotations

from collections.abc import Iterable

COUNTY = frozenset({"county_admin", "supervisor"})
TOWN_A = frozenset({"town_a", "village_a", "grid_a1"})  # staff of town A's subtree
TOWN_B = frozenset({"town_b", "village_b", "grid_b1"})
STAFF = COUNTY | TOWN_A | TOWN_B | {"dept"}
RESIDENTS = frozenset({"resident_a", "resident_b"})
PARTY = frozenset({"party_a", "party_b"})
EVERYONE = STAFF | RESIDENTS | PARTY


def granted_users(world, perm: str, obj: object | None = None) -> set[str]:
    """The keys of the world's users that hold ``perm`` (on ``obj``)."""
    return {name for name, user in world.users.items() if user.has_perm(perm, obj)}


def assert_granted_exactly(
    world, perm: str, granted: Iterable[str], *, obj: object | None = None
) -> None:
    """``perm`` (on ``obj``) is granted to exactly the users named in ``granted``."""
    from django.contrib.auth.models import AnonymousUser

    expected = set(granted)
    unknown = expected - set(world.users)
    assert not unknown, f"not users of the test world: {sorted(unknown)}"
    actual = granted_users(world, perm, obj)
    assert actual == expected, (
        f"{perm}{'' if obj is None else f' on {obj!r}'}: "
        f"granted but should not be {sorted(actual - expected)}, "
        f"refused but should be granted {sorted(expected - actual)}"
    )
    assert not AnonymousUser().has_perm(perm, obj), f"{perm}: granted to an anonymous user"
