from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("通知"), "notifications:list", "notifications.view_notification", order=95),
    NavItem(
        _("通知偏好"), "notifications:preferences", "notifications.change_preference", order=96
    ),
    NavItem(_("通知发送记录"), "notifications:deliveries", "notifications.view_delivery", order=97),
]
