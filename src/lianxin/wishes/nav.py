from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("微心愿"), "wishes:wish_list", "wishes.view_wish", order=40),
    NavItem(_("认领心愿"), "wishes:claimable", "wishes.claim_wish", order=41),
    NavItem(_("我的心愿"), "wishes:mine", "wishes.own_wish", order=42),
]
