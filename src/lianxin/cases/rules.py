"""Named permissions of the 诉求 module.

The object rules (who may act on one request: owner, scope, level) live in one place,
``lianxin.cases.services.authority``; the one that is also a named permission is registered here.
"""

import rules

from lianxin.org.models import Role
from lianxin.org.rules import has_role, is_authenticated, is_county_admin, is_staff_member

rules.add_perm("cases.submit_case", is_authenticated)
rules.add_perm("cases.view_own_case", is_authenticated)
# Navigation only: residents and party members get "我的诉求" in the menu.
rules.add_perm("cases.resident_menu", has_role(Role.RESIDENT, Role.PARTY_MEMBER) & ~is_staff_member)
rules.add_perm("cases.view_case", is_staff_member)
rules.add_perm("cases.enter_case", is_staff_member)
rules.add_perm("cases.handle_case", is_staff_member)
rules.add_perm("cases.view_rates", is_staff_member)
rules.add_perm("cases.view_ranking", has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.SUPERVISOR))
rules.add_perm(
    "cases.export_ranking", has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.SUPERVISOR)
)
rules.add_perm("cases.print_poster", is_staff_member)


@rules.predicate
def handles_or_above(user, case) -> bool:
    """The request's handler, its handling unit's staff, or staff of a unit above it."""
    from lianxin.cases.services.authority import can_reveal_reporter

    return can_reveal_reporter(user, case)


# The reporter's full phone, to call them back (audited and rate-limited in ``reveal``).
rules.add_perm("cases.reveal_reporter", is_staff_member & handles_or_above)
rules.add_perm("cases.manage_category", is_county_admin)
# 回访: the same line (the handler, the handling unit's staff, the levels above it in scope).
rules.add_perm("cases.record_callback", is_staff_member & handles_or_above)
# 常用语 of the 办结 / 退回 / 不予受理 forms, kept by the county administrator.
rules.add_perm("cases.manage_canned_reply", is_county_admin)
