from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("预约功能室"), "rooms:room_list", "rooms.book_room", order=24),
]
