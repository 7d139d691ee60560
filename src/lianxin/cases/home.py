"""Home-page panel: the staff member's request queue at a glance (each number links to its list)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.cases import selectors
from lianxin.org.scoping import user_scope


def home_panels(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    scope = user_scope(user)
    if scope.is_staff:
        counts = selectors.workbench_counts(user=user)
        url = reverse("cases:workbench")
        labels = [
            ("mine", _("我的待办")),
            ("unit", _("待签收")),
            ("due_soon", _("即将到期")),
            ("overdue", _("已超时")),
            ("supervised", _("督办")),
        ]
        return [
            {
                "title": _("诉求办理"),
                "url": url,
                "order": 10,
                "stats": [
                    {"label": label, "value": counts[k], "url": f"{url}?view={k}"}
                    for k, label in labels
                ],
            }
        ]
    mine = list(selectors.resident_cases(user=user)[:5])
    return (
        [
            {
                "title": _("我的诉求"),
                "url": reverse("cases:my_cases"),
                "order": 10,
                "items": [
                    {
                        "label": c.title,
                        "url": reverse("cases:track", args=[c.code]),
                        "note": c.get_state_display(),
                    }
                    for c in mine
                ],
                "empty": _("有烦心事？点击“我要反映”。"),
                "action": {"label": _("我要反映"), "url": reverse("cases:intake")},
            }
        ]
        if mine
        else [
            {
                "title": _("我要反映"),
                "url": "",
                "order": 10,
                "items": [],
                "empty": _("有烦心事？点击“我要反映”。"),
                "action": {"label": _("我要反映"), "url": reverse("cases:intake")},
            }
        ]
    )
