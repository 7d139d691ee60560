from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("今日走访"), "visits:today", "visits.add_visit", order=36),
    NavItem(_("走访覆盖率"), "visits:coverage", "visits.view_visit", order=37),
]
