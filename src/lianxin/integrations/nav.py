from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("对接管理"), "integrations:list", "integrations.manage_integration", order=93),
]
