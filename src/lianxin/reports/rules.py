"""Named permissions of the reports, and the object rule over (user, unit).

A brief is about a unit: any staff member whose scope covers the unit may read and ask for it
(the brief holds no more than that staff member's own lists show, personal data masked).
The 交办单 and 督办单 of a request follow the request's own view permission (cases.view_case).
"""

from __future__ import annotations

import rules

from lianxin.org.rules import is_staff_member
from lianxin.org.scoping import user_scope


@rules.predicate
def covers_unit(user, unit=None) -> bool:
    """Asked without an object (menus, decorators) this is true; with a unit: in scope."""
    return unit is None or user_scope(user).covers(unit)


rules.add_perm("reports.view_reports", is_staff_member & covers_unit)
rules.add_perm("reports.request_brief", is_staff_member & covers_unit)
