from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("村级集体经济"), "economy:summary", "economy.view_income", order=55),
]
