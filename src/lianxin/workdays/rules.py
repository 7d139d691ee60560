"""Named permissions of the working-day calendar.

Any staff member may read the calendar (it decides their deadlines); only the county
administrator keeps it (the national schedule, entered once for the whole county)."""

from __future__ import annotations

import rules

from lianxin.org.models import Role
from lianxin.org.rules import has_role, is_county_admin, is_staff_member

BANNER_ROLES = (Role.COUNTY_ADMIN, Role.TOWN_STAFF)


@rules.predicate
def is_system_staff(user) -> bool:
    """Django's own staff flag (the people who run the system)."""
    return bool(user and user.is_authenticated and user.is_staff)


# Told from November that next year's schedule is missing: those who can get it entered.
sees_schedule_banner = is_system_staff | has_role(*BANNER_ROLES)

rules.add_perm("workdays.view_calendar", is_staff_member)
rules.add_perm("workdays.manage_calendar", is_county_admin)
