"""Helpers for the per-role permission tests: every test-world user asked every permission."""

from __future__ import annotations

USERS = (
    "county_admin",
    "supervisor",
    "town_a",
    "town_b",
    "village_a",
    "village_b",
    "grid_a1",
    "grid_b1",
    "dept",
    "resident_a",
    "resident_b",
    "party_a",
    "party_b",
)
STAFF = frozenset(USERS[:9])
# Staff whose subtree holds side "a" of the world (town_a, village_a, grid_a1 and up).
OVER_A = frozenset({"county_admin", "supervisor", "town_a", "village_a", "grid_a1"})


def matrix(perm: str, granted: frozenset[str], obj=None):
    """(perm, user, expected, obj) cases for pytest.mark.parametrize over every world user."""
    return [(perm, u, u in granted, obj) for u in USERS]


def check(world, perm: str, who: str, expected: bool, obj=None) -> None:
    from lianxin.org.scoping import forget_scope

    user = world.users[who]
    forget_scope(user)
    target = obj(world) if callable(obj) else obj
    got = user.has_perm(perm) if target is None else user.has_perm(perm, target)
    assert got is expected, f"{who} {perm} {target!r}: {got}, expected {expected}"
