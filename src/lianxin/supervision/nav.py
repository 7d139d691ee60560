from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("督办问责"), "supervision:order_list", "supervision.view_order", order=26),
]
