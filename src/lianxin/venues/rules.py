"""Named permissions of the 阵地 module; objects are further narrowed by the scoped selectors.

``venues.change_venue`` is a role predicate and an object predicate over (user, venue): asked
without an object (menus, ``permission_required``) it says whether the user holds a venue-staff
role; asked with the venue it also says whether a membership *in those roles* covers the
venue's unit. The duty roster and certificate services call :func:`require` with the venue,
and the roster page asks the same ``has_perm`` before its POST (was an inline role check).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from lianxin.org.models import Role
from lianxin.org.rules import has_role, is_county_admin, is_staff_member
from lianxin.org.scoping import covers_as

if TYPE_CHECKING:
    from lianxin.accounts.models import User

# Staff who run a venue: the village/community, the town above it, the county.
VENUE_STAFF = (Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF)
is_venue_staff = has_role(*VENUE_STAFF)
is_town_or_county = has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF)


@rules.predicate
def runs_the_venue(user, venue=None) -> bool:
    """No object: the role predicate decides. A venue: a venue-staff membership covers its unit."""
    if venue is None:
        return True
    return covers_as(user, venue.unit, *VENUE_STAFF)


rules.add_perm("venues.view_venue", is_staff_member)
rules.add_perm("venues.change_venue", is_venue_staff & runs_the_venue)
rules.add_perm("venues.open_campaign", is_county_admin)
rules.add_perm("venues.fill_survey", is_venue_staff)
rules.add_perm("venues.export_venues", is_town_or_county)
rules.add_perm("venues.import_venues", is_county_admin)
rules.add_perm("venues.view_photo", is_staff_member)
rules.add_perm("venues.view_plan", is_staff_member)
rules.add_perm("venues.manage_plan", is_town_or_county)


def require(actor: User, perm: str, obj: Any = None) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` has ``perm`` on ``obj`` (the scope message
    the services have always given)."""
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(_("该单位不在您的管辖范围内。"))
