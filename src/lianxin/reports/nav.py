from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("月度简报"), "reports:index", "reports.view_reports", order=57),
]
