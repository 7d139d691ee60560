from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("推送订阅"), "webhooks:subscription_list", "webhooks.view_webhook", order=94),
    NavItem(_("推送记录"), "webhooks:delivery_list", "webhooks.view_webhook", order=95),
]
