"""Named permissions of the working-day calendar.

Any staff member may read the calendar (it decides their deadlines); only the county
administrator keeps it (the national schedule, entered once for the whole county)."""

from __future__ import annotations

import rules

from lianxin.org.rules import is_county_admin, is_staff_member

rules.add_perm("workdays.view_calendar", is_staff_member)
rules.add_perm("workdays.manage_calendar", is_county_admin)
