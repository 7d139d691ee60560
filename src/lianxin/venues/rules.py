"""Named permissions of the 阵地 module; objects are further narrowed by the scoped selectors."""

from __future__ import annotations

import rules

from lianxin.org.models import Role
from lianxin.org.rules import has_role, is_county_admin, is_staff_member

# Staff who run a venue: the village/community, the town above it, the county.
is_venue_staff = has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF)
is_town_or_county = has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF)

rules.add_perm("venues.view_venue", is_staff_member)
rules.add_perm("venues.change_venue", is_venue_staff)
rules.add_perm("venues.open_campaign", is_county_admin)
rules.add_perm("venues.fill_survey", is_venue_staff)
rules.add_perm("venues.export_venues", is_town_or_county)
rules.add_perm("venues.import_venues", is_county_admin)
rules.add_perm("venues.view_photo", is_staff_member)
rules.add_perm("venues.view_plan", is_staff_member)
rules.add_perm("venues.manage_plan", is_town_or_county)
