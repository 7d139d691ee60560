"""Home panels of the people register: a staff user's units and people at a glance, the care-tag
households to visit first; a resident's or party member's own record."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.org.scoping import user_scope
from lianxin.people.selectors import household_tag_summary, people_counts
from lianxin.people.tags import care_tag_label


def home_panels(request) -> list[dict]:
    scope = user_scope(request.user)
    if scope.is_staff:
        return _staff_panels(request)
    person = getattr(request.user, "person", None)
    if person is None:
        return [
            {
                "title": _("我的信息"),
                "order": 95,
                "empty": _("您的账号尚未关联居民信息，可联系所在村（社区）核实登记。"),
            }
        ]
    items = [{"label": _("所属网格：%(grid)s") % {"grid": person.unit.name}}]
    if person.phone:
        items.append({"label": _("手机号：%(phone)s") % {"phone": person.phone_masked}})
    return [{"title": _("我的信息"), "order": 95, "items": items}]


def _staff_panels(request) -> list[dict]:
    """A staff user's units at a glance with their people counts, and the care-tag households."""
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
                    {
                        "label": _("住户"),
                        "value": counts["households"],
                        "url": reverse("people:household_list"),
                    },
                    {
                        "label": _("人员"),
                        "value": counts["persons"],
                        "url": reverse("people:person_list"),
                    },
                    {
                        "label": _("党员"),
                        "value": counts["party_members"],
                        "url": reverse("people:party_member_list"),
                    },
                ],
                "items": [
                    {
                        "label": u.name,
                        "url": reverse("org:unit_detail", args=[u.code]),
                        "note": u.get_kind_display(),
                    }
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
                        {
                            "label": care_tag_label(tag),
                            "value": n,
                            "url": reverse("people:household_list") + f"?tag={tag}",
                        }
                        for tag, n in tags[:4]
                    ],
                }
            )
    return panels
