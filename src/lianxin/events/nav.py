from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("活动"), "events:event_list", "events.register", order=45),
    NavItem(_("培训"), "events:programme_list", "events.view_event", order=47),
    NavItem(_("我的积分"), "events:my_record", "events.own_record", order=49),
]
