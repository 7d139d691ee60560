"""Named permission of the audit screen: county admins and supervisors read the trail; with a
row, only one whose actor holds a membership in their subtree, or has none (the rule of
``audit.selectors.audit_event_list``)."""

from __future__ import annotations

import rules

from lianxin.org.rules import is_county_admin, is_supervisor


@rules.predicate
def sees_row(user, event) -> bool:
    from lianxin.org.models import Membership

    if event is None or user.is_superuser or event.actor_id is None:
        return True
    return Membership.objects.visible_to(user).filter(user_id=event.actor_id).exists()


rules.add_perm("audit.view_auditevent", (is_county_admin | is_supervisor) & sees_row)
