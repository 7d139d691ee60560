"""Home panels: a venue's to-dos for its staff (a resident's bookings: ``lianxin.rooms.home``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.venues import selectors


def home_panels(request) -> list[dict]:
    user = request.user
    panels = []
    if user.has_perm("rooms.manage_booking"):
        c = selectors.home_counts(user=user)
        tasks = reverse("compliance:task_list")
        panels.append(
            {
                "title": _("阵地"),
                "url": reverse("venues:venue_list"),
                "order": 30,
                "stats": [
                    {
                        "label": _("待审批预约"),
                        "value": c["pending"],
                        "url": reverse("rooms:booking_manage") + "?status=pending",
                    },
                    {"label": _("整改未完成"), "value": c["tasks_open"], "url": tasks},
                    {
                        "label": _("整改逾期"),
                        "value": c["tasks_overdue"],
                        "url": tasks + "?state=overdue",
                    },
                    {
                        "label": _("证书将到期"),
                        "value": c["certificates"],
                        "url": reverse("venues:certificate_warnings"),
                    },
                ],
            }
        )
    return panels
