from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [NavItem(_("首页"), "core:home", None, order=0)]
