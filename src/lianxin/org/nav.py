from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("组织架构"), "org:unit_list", "org.view_unit", order=90),
    NavItem(_("账号与任职"), "org:staff_list", "org.manage_staff", order=91),
    NavItem(_("待确认居民"), "org:residence_list", "org.confirm_residence", order=92),
]
