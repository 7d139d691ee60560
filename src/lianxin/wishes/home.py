"""Home-page panels: staff see what waits for review and what has waited too long; party
members see wishes to claim and their own claims."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.org.scoping import user_scope
from lianxin.wishes import selectors
from lianxin.wishes.models import WishStatus


def home_panels(request) -> list[dict]:
    user = request.user
    scope = user_scope(user)
    panels = []
    if scope.is_staff and user.has_perm("wishes.view_wish"):
        counts = selectors.wish_status_counts(user=user)
        base = reverse("wishes:wish_list")
        stats = [
            {
                "label": _("待审核"),
                "value": counts.get(WishStatus.PENDING, 0),
                "url": f"{base}?status=pending",
            },
            {
                "label": _("待认领"),
                "value": counts.get(WishStatus.PUBLISHED, 0),
                "url": f"{base}?status=published",
            },
        ]
        stats.append(
            {
                "label": _("本月点亮"),
                "value": selectors.lit_this_month(user=user),
                "url": reverse("wishes:stats"),
            }
        )
        if user.has_perm("wishes.review_wish"):
            stats.append(
                {
                    "label": _("久未认领"),
                    "value": selectors.wish_stale(user=user).count(),
                    "url": reverse("wishes:stale"),
                }
            )
        panels.append({"title": _("微心愿"), "url": base, "order": 40, "stats": stats})
    elif user.has_perm("wishes.claim_wish"):
        items = [
            {
                "label": w.title,
                "url": reverse("wishes:wish_detail", args=[w.pk]),
                "note": w.community.name,
            }
            for w in selectors.wish_claimable(user=user)[:5]
        ]
        panels.append(
            {
                "title": _("等待认领的心愿"),
                "url": reverse("wishes:claimable"),
                "order": 40,
                "items": items,
                "empty": _("附近暂时没有待认领的心愿。"),
            }
        )
    return panels
