from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("队伍"), "volunteers:team_list", "volunteers.view_team", order=46),
    NavItem(_("积分"), "volunteers:ranking", "volunteers.view_points", order=48),
]
