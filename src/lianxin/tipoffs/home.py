"""Home-page panel for residents: where they file requests, the confidential channel too.

Nothing of any 举报 is counted here (no "3 pending"): a count on a home page is a count the
reported side could see over a shoulder; handlers get theirs from the menu and notifications.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.org.scoping import user_scope


def home_panels(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated or user_scope(user).is_staff:
        return []
    return [
        {
            "title": _("查处举报"),
            "url": "",
            "order": 12,
            "items": [
                {"label": _("我的举报"), "url": reverse("tipoffs:mine"), "note": ""},
                {"label": _("凭查询码查看进展"), "url": reverse("tipoffs:follow"), "note": ""},
            ],
            "empty": _("反映干部作风和违纪问题，可匿名，内容加密保存。"),
            "action": {"label": _("我要举报"), "url": reverse("tipoffs:file")},
        }
    ]
