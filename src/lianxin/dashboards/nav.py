from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("工作看板"), "dashboards:home", "dashboards.view_dashboards", order=52),
]
