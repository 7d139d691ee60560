"""Named permissions of 微心愿. Object-level checks (whose wish, which claimant) live in services."""

from __future__ import annotations

import rules

from lianxin.org.models import Role
from lianxin.org.rules import has_role, is_authenticated, is_staff_member

can_review = has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF, Role.GRID_WORKER)
can_claim = has_role(
    Role.PARTY_MEMBER,
    Role.COUNTY_ADMIN,
    Role.TOWN_STAFF,
    Role.VILLAGE_STAFF,
    Role.GRID_WORKER,
    Role.DEPT_HANDLER,
)

rules.add_perm("wishes.view_wish", is_staff_member)
rules.add_perm("wishes.post_wish", is_authenticated)
rules.add_perm("wishes.review_wish", can_review)
rules.add_perm(
    "wishes.claim_wish", is_authenticated
)  # volunteers are residents in a team: checked in the service
rules.add_perm("wishes.own_wish", is_authenticated)
rules.add_perm("wishes.view_stats", is_staff_member)
