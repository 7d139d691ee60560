"""Home panels of the foundation: the user's units at a glance."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.org.scoping import user_scope
from lianxin.people.selectors import household_tag_summary, people_counts
from lianxin.people.tags import care_tag_label


def home_panels(request) -> list[dict]:
    scope = user_scope(request.user)
    panels: list[dict] = []
    if scope.is_staff:
        units = scope.units_for() if not scope.is_global else []
        counts = people_counts(user=request.user)
        panels.append(
            {
                "title": _("我的管辖范围"),
                "order": 90,
                "url": reverse("org:unit_list"),
                "stats": [
                    {"label": _("住户"), "value": counts["households"], "url": reverse("people:household_list")},
                    {"label": _("人员"), "value": counts["persons"], "url": reverse("people:person_list")},
                    {"label": _("党员"), "value": counts["party_members"], "url": reverse("people:party_member_list")},
                ],
                "items": [
                    {"label": u.name, "url": reverse("org:unit_detail", args=[u.code]), "note": u.get_kind_display()}
                    for u in units[:5]
                ],
            }
        )
        tags = household_tag_summary(user=request.user)
        if tags:
            panels.append(
                {
                    "title": _("重点关爱户（走访优先）"),
                    "order": 80,
                    "url": reverse("people:household_list"),
                    "stats": [
                        {"label": care_tag_label(tag), "value": n, "url": reverse("people:household_list") + f"?tag={tag}"}
                        for tag, n in tags[:4]
                    ],
                }
            )
    return panels
