from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("网格边界"), "grids:index", "grids.edit_boundary", order=34),
]
