from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("诉求"), "cases:workbench", "cases.view_case", order=20),
    NavItem(_("三率"), "cases:rates", "cases.view_rates", order=21),
    NavItem(_("末位问责"), "cases:ranking", "cases.view_ranking", order=22),
]
