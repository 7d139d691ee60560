from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("我的数据"), "privacy:my_data", "privacy.view_own_data", order=95),
    NavItem(_("信息更正申请"), "privacy:correction_list", "privacy.handle_correction", order=96),
]
