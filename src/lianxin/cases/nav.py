from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("诉求"), "cases:workbench", "cases.view_case", order=20),
    NavItem(_("三率"), "cases:rates", "cases.view_rates", order=21),
    NavItem(_("末位问责"), "cases:ranking", "cases.view_ranking", order=22),
    NavItem(_("我要反映"), "cases:intake", "cases.resident_menu", order=23),
    NavItem(_("我的诉求"), "cases:my_cases", "cases.resident_menu", order=24),
    NavItem(_("诉求分类与时限"), "cases:category_list", "cases.manage_category", order=25),
    NavItem(_("常用语"), "cases:reply_list", "cases.manage_canned_reply", order=26),
]
