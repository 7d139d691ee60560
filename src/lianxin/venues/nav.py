from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("阵地档案"), "venues:venue_list", "venues.view_venue", order=20),
    NavItem(_("提升计划"), "venues:plan_list", "venues.view_plan", order=22),
]
