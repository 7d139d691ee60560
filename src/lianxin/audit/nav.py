from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [NavItem(_("审计日志"), "audit:audit_list", "audit.view_auditevent", order=95)]
