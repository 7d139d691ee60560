from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("民情地图"), "maps:map", "cases.view_case", order=22),
]
