from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("节假日安排"), "workdays:calendar", "workdays.manage_calendar", order=90),
]
