"""Every named permission of the module, for every role of the shared world."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

pytestmark = pytest.mark.django_db

STAFF = {
    "county_admin",
    "supervisor",
    "town_a",
    "town_b",
    "village_a",
    "village_b",
    "grid_a1",
    "grid_b1",
    "dept",
}
EVERYONE = STAFF | {"resident_a", "resident_b", "party_a", "party_b"}
EXPECTED = {
    "cases.submit_case": EVERYONE,
    "cases.view_own_case": EVERYONE,
    "cases.view_case": STAFF,
    "cases.enter_case": STAFF,
    "cases.handle_case": STAFF,
    "cases.view_rates": STAFF,
    "cases.view_ranking": {"county_admin", "supervisor", "town_a", "town_b"},
    "cases.export_ranking": {"county_admin", "supervisor", "town_a", "town_b"},
    "cases.print_poster": STAFF,
    "cases.manage_category": {"county_admin"},
    "cases.manage_canned_reply": {"county_admin"},
    "cases.resident_menu": {"resident_a", "resident_b", "party_a", "party_b"},
    "notifications.view_notification": EVERYONE,
}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_permission_by_role(world, perm):
    allowed = {name for name, user in world.users.items() if user.has_perm(perm)}
    assert allowed == EXPECTED[perm]


def test_anonymous_has_none(world):
    assert not any(AnonymousUser().has_perm(p) for p in EXPECTED)


# --- every named permission, per role: granted to the roles listed, denied to every other ------

ROLES = sorted(EVERYONE)
NAMED = sorted(p for p in EXPECTED if p.startswith("cases."))


def test_the_matrix_names_every_cases_permission():
    import rules

    declared = {name for name in rules.permissions.permissions if name.startswith("cases.")}
    # the object permissions (reveal_reporter, record_callback) are tested per request
    assert declared == {*NAMED, "cases.reveal_reporter", "cases.record_callback"}
    assert len(declared) == 14


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", NAMED)
def test_named_permission_granted_or_denied(world, perm, role):
    assert world.users[role].has_perm(perm) is (role in EXPECTED[perm])


# --- who may act on one request (services.authority), per object -----------------------------
#
# The request sits in grid A1's queue. "own unit": the grid's worker; "above": village A,
# town A and the county; "outside": the sibling subtree (town B, village B, grid B1), the
# department, and residents.

OWN = {"grid_a1"}
ABOVE = {"village_a", "town_a", "county_admin", "supervisor"}
OUTSIDE = {"town_b", "village_b", "grid_b1", "dept"}
RESIDENTS = {"resident_a", "resident_b", "party_a", "party_b"}


@pytest.fixture
def queued(world):
    from tests.cases.factories import make_case

    return make_case(world)


@pytest.fixture
def accepted(world, queued):
    from lianxin.cases import services as s

    return s.case_accept(case=queued, actor=world.users["grid_a1"])


def _who(world, predicate, case) -> set[str]:
    return {name for name, user in world.users.items() if predicate(user, case)}


def test_accept_own_unit_and_above_not_outside(world, queued):
    from lianxin.cases.services import authority

    assert _who(world, authority.can_accept, queued) == OWN | ABOVE


def test_accept_of_a_signed_request_is_the_owner_only(world, accepted):
    from lianxin.cases.services import authority

    assert _who(world, authority.can_accept, accepted) == OWN


def test_handle_own_unit_and_above_not_outside(world, queued, accepted):
    from lianxin.cases.services import authority

    assert _who(world, authority.can_handle, accepted) == OWN | ABOVE


def test_owner_is_the_one_who_signed(world, queued):
    from lianxin.cases import services as s
    from lianxin.cases.services import authority

    assert _who(world, authority.is_owner, queued) == set()
    case = s.case_accept(case=queued, actor=world.users["village_a"])
    assert _who(world, authority.is_owner, case) == {"village_a"}


def test_supervise_strictly_above_never_the_own_unit(world, queued):
    from lianxin.cases.services import authority

    assert _who(world, authority.can_supervise, queued) == ABOVE


def test_supervise_moves_with_the_handling_unit(world, queued):
    """Escalated to village A: the village no longer supervises itself; town and county do."""
    from lianxin.cases import services as s
    from lianxin.cases.services import authority

    case = s.case_escalate(case=queued, actor=world.users["grid_a1"], reason="需村里协调")
    assert _who(world, authority.can_supervise, case) == ABOVE - {"village_a"}


def test_reveal_reporter_own_unit_and_above_staff_only(world, queued):
    from lianxin.cases.services import authority

    assert _who(world, authority.can_reveal_reporter, queued) == OWN | ABOVE
    assert not authority.can_reveal_reporter(AnonymousUser(), queued)


def test_reveal_reporter_named_permission_per_object(world, queued):
    allowed = {n for n, u in world.users.items() if u.has_perm("cases.reveal_reporter", queued)}
    assert allowed == OWN | ABOVE
    assert not any(u.has_perm("cases.reveal_reporter") for u in world.users.values())


def test_evaluate_the_reporter_by_account_or_phone(world, queued):
    from lianxin.cases.services import authority

    assert {n for n, u in world.users.items() if authority.may_evaluate(queued, user=u)} == {
        "resident_a"
    }
    assert authority.may_evaluate(queued, user=AnonymousUser(), phone=queued.reporter_phone)
    assert not authority.may_evaluate(queued, user=AnonymousUser(), phone="13900000000")
    assert not authority.may_evaluate(queued)


def test_dispatch_targets_down_across_and_to_departments(world, accepted):
    from lianxin.cases.services import authority

    village = world.users["village_a"]
    assert authority.dispatch_target_ok(village, accepted, world.grid_a2)  # down, own subtree
    assert authority.dispatch_target_ok(village, accepted, world.department)  # a department
    assert not authority.dispatch_target_ok(village, accepted, world.grid_b1)  # outside
    grid = world.users["grid_a1"]
    assert authority.dispatch_target_ok(grid, accepted, world.grid_a2)  # across, a sibling grid
    assert not authority.dispatch_target_ok(grid, accepted, world.village_b)


def test_actions_offered_follow_the_rules(world, accepted):
    from lianxin.cases.services import authority

    offered = {n: set(authority.actions_for(u, accepted)) for n, u in world.users.items()}
    assert {"start", "resolve", "extension_request"} <= offered["grid_a1"]
    assert "reopen" not in offered["grid_a1"]
    for name in ABOVE:
        assert {"dispatch", "transfer", "note"} <= offered[name]
        assert "start" not in offered[name]
    for name in OUTSIDE | RESIDENTS:
        assert offered[name] == set(), name


def test_refused_step_is_permission_denied(world, queued):
    from django.core.exceptions import PermissionDenied

    from lianxin.cases import services as s

    for name in sorted(OUTSIDE):
        with pytest.raises(PermissionDenied):
            s.case_accept(case=queued, actor=world.users[name])
