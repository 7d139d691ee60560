"""Every named permission of 分派助手 per role: suggestions and merging are for staff who may
handle the request (never a resident, never a sibling subtree)."""

from __future__ import annotations

import pytest

from tests.cases.factories import make_case
from tests.permissions import STAFF, assert_granted_exactly

pytestmark = pytest.mark.django_db

WITHOUT_OBJECT = {
    "triage.view_suggestions": STAFF,
    "triage.merge_duplicate": STAFF,
}
# A request in grid A1: its grid worker, village, town and the county (and the supervisor,
# whose scope is the county) may handle it; town B's staff and the department may not.
HANDLERS_A1 = {"county_admin", "supervisor", "town_a", "village_a", "grid_a1"}


@pytest.mark.parametrize(("perm", "granted"), sorted(WITHOUT_OBJECT.items()))
def test_permission_by_role(world, perm, granted):
    assert_granted_exactly(world, perm, granted)


@pytest.mark.parametrize("perm", sorted(WITHOUT_OBJECT))
def test_on_a_request_only_who_may_handle_it(world, perm):
    case = make_case(world, grid=world.grid_a1)
    assert_granted_exactly(world, perm, HANDLERS_A1, obj=case)


def test_a_request_dispatched_to_the_department_is_the_department_s(world):
    from lianxin.cases import services

    case = make_case(world, grid=world.grid_a1)
    services.case_dispatch(case=case, actor=world.users["grid_a1"], to_unit=world.department)
    case.refresh_from_db()
    # handled there now: the department and the county above it, no longer town A's subtree
    assert_granted_exactly(
        world, "triage.view_suggestions", {"county_admin", "supervisor", "dept"}, obj=case
    )


def test_not_a_request_nothing(world):
    assert_granted_exactly(world, "triage.view_suggestions", set(), obj=world.village_a)
