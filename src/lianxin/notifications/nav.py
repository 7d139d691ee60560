from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [NavItem(_("通知"), "notifications:list", "notifications.view_notification", order=95)]
