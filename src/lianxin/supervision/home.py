"""Home-page panel: the 督办 awaiting the user's unit's reply, and the replies awaiting their
review (each number links to its list); shown only when there is something to do."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.org.scoping import user_scope
from lianxin.supervision import selectors


def home_panels(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated or not user_scope(user).is_staff:
        return []
    base = selectors.order_filters({})
    received = selectors.state_counts(user=user, filters={**base, "box": "received"})
    issued = selectors.state_counts(user=user, filters=base)
    if not (received["issued"] or issued["replied"] or issued["overdue"]):
        return []
    url = reverse("supervision:order_list")
    return [
        {
            "title": _("督办问责"),
            "url": url,
            "order": 15,
            "stats": [
                {
                    "label": _("待本单位回复"),
                    "value": received["issued"],
                    "url": f"{url}?box=received&state=issued",
                },
                {
                    "label": _("本单位逾期未回复"),
                    "value": received["overdue"],
                    "url": f"{url}?box=received&state=overdue",
                },
                {
                    "label": _("待验收回复"),
                    "value": issued["replied"],
                    "url": f"{url}?box=issued&state=replied",
                },
                {
                    "label": _("下级逾期未回复"),
                    "value": issued["overdue"],
                    "url": f"{url}?box=issued&state=overdue",
                },
            ],
        }
    ]
