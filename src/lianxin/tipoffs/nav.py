from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("举报查处"), "tipoffs:list", "tipoffs.handle_tipoff", order=58),
    NavItem(_("我要举报"), "tipoffs:file", "tipoffs.resident_menu", order=59),
    NavItem(_("举报查询"), "tipoffs:follow", "tipoffs.resident_menu", order=60),
]
