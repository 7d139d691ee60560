"""Who may open a unit's dashboard: staff whose subtree holds the unit."""

from __future__ import annotations

import rules


@rules.predicate
def covers_dashboard_unit(user, unit) -> bool:
    from lianxin.dashboards.selectors import may_view

    return unit is not None and may_view(user, unit)


rules.add_perm("dashboards.view_dashboard", rules.is_authenticated & covers_dashboard_unit)


@rules.predicate
def is_staff(user) -> bool:
    from lianxin.org.scoping import user_scope

    return user_scope(user).is_staff


rules.add_perm("dashboards.view_dashboards", rules.is_authenticated & is_staff)
