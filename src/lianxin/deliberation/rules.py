"""Named permissions of 议事协商 and the object rules over (user, topic/meeting/action).

Asked without an object (menus, view decorators) a permission is its role rule; services and
views ask again with the object, so the same predicate decides on every path.
"""

from __future__ import annotations

from typing import Any

import rules

from lianxin.org.models import Role, Unit
from lianxin.org.rules import has_role, is_authenticated, is_staff_member
from lianxin.org.scoping import covers_as, home_units, user_scope

# Who convenes meetings, sets the agenda, records attendance, minutes, votes and decisions.
CONVENE_ROLES = (Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF)
# Who reports progress on an action item: also the grid worker and a department handler.
TRACK_ROLES = (*CONVENE_ROLES, Role.GRID_WORKER, Role.DEPT_HANDLER)


def _unit(obj: Any):
    """The unit an object is judged by: a unit itself, else its ``unit`` (topic, meeting,
    decision), else its meeting's (an agenda item)."""
    if obj is None or isinstance(obj, Unit):
        return obj
    if hasattr(obj, "unit"):
        return obj.unit
    meeting = getattr(obj, "meeting", None)
    return meeting.unit if meeting is not None else None


@rules.predicate
def covers_unit(user, obj) -> bool:
    """No object, or the object's unit lies in the user's staff subtrees."""
    return obj is None or user_scope(user).covers(_unit(obj))


@rules.predicate
def convenes_over(user, obj) -> bool:
    """No object, or the object's unit lies under one of the user's convening memberships."""
    return obj is None or covers_as(user, _unit(obj), *CONVENE_ROLES)


@rules.predicate
def tracks_action(user, action) -> bool:
    """No object, or the action's owner unit or deciding unit lies under a tracking membership."""
    if action is None:
        return True
    return covers_as(user, action.owner_unit, *TRACK_ROLES) or covers_as(
        user, action.decision.unit, *TRACK_ROLES
    )


@rules.predicate
def lives_in_topic_area(user, topic) -> bool:
    """No object, or the topic's unit lies in one of the user's home areas (a resident of it)."""
    if topic is None:
        return True
    return any(topic.unit.is_under(area) for area in home_units(user))


can_convene = has_role(*CONVENE_ROLES)
can_track = has_role(*TRACK_ROLES)

rules.add_perm("deliberation.raise_topic", is_authenticated)
# 附议 is the residents' voice: staff convene and decide, they do not add to the count.
rules.add_perm(
    "deliberation.support_topic", is_authenticated & ~is_staff_member & lives_in_topic_area
)
rules.add_perm("deliberation.view_topics", is_staff_member & covers_unit)
rules.add_perm("deliberation.convene_meeting", can_convene & convenes_over)
rules.add_perm("deliberation.track_action", can_track & tracks_action)
rules.add_perm("deliberation.checkin", is_authenticated)
# The resident's 身边议事 menu entry (staff reach the same topics through their list).
rules.add_perm("deliberation.view_area", is_authenticated & ~is_staff_member)
