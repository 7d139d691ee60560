"""A resident's or party member's own record on the home page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lianxin.org.scoping import user_scope


def home_panels(request) -> list[dict]:
    scope = user_scope(request.user)
    if scope.is_staff:
        return []
    person = getattr(request.user, "person", None)
    if person is None:
        return [
            {
                "title": _("我的信息"),
                "order": 95,
                "empty": _("您的账号尚未关联居民信息，可联系所在村（社区）核实登记。"),
            }
        ]
    items = [{"label": _("所属网格：%(grid)s") % {"grid": person.unit.name}, "url": "#"}]
    if person.phone:
        items.append({"label": _("手机号：%(phone)s") % {"phone": person.phone_masked}, "url": "#"})
    return [{"title": _("我的信息"), "order": 95, "items": items}]
