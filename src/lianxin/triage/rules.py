"""Named permissions of the 分派助手 (suggestions and duplicates for staff).

- ``triage.view_suggestions``: staff. Suggestions help the person who routes; a resident never
  sees a suggested category or unit (only, at intake, nearby requests like theirs).
  On a request: staff who may handle it (``cases.services.authority.can_handle``).
- ``triage.merge_duplicate`` on a request: who may merge it (``can_handle``, as the merge
  service checks again).
"""

from __future__ import annotations

import rules

from lianxin.cases.models import Case
from lianxin.org.rules import is_staff_member


@rules.predicate
def handles_case(user, obj=None) -> bool:
    if obj is None:
        return True
    if not isinstance(obj, Case):
        return False
    from lianxin.cases.services.authority import can_handle

    return can_handle(user, obj)


rules.add_perm("triage.view_suggestions", is_staff_member & handles_case)
rules.add_perm("triage.merge_duplicate", is_staff_member & handles_case)
