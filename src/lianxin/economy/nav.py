from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("村级集体经济"), "economy:summary", "economy.view_income", order=55),
    NavItem(_("两新组织党建"), "economy:two_new", "economy.view_two_new", order=56),
    NavItem(_("党建联合体"), "economy:alliances", "economy.view_alliances", order=57),
]
