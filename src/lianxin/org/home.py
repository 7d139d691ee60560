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
    panels += _residence_panels(request)
    return panels


def _residence_panels(request) -> list[dict]:
    """A resident's community awaiting confirmation; a clerk's residents awaiting it."""
    from lianxin.org.models import ResidenceStatus
    from lianxin.org.residence import CLERK_ROLES, claim_of, pending_claims

    user, scope = request.user, user_scope(request.user)
    panels: list[dict] = []
    claim = claim_of(user)
    if claim is not None and claim.status == ResidenceStatus.PENDING:
        town = f"{claim.unit.parent.name} · " if claim.unit.parent_id else ""
        panels.append(
            {
                "title": _("我的社区（待确认）"),
                "order": 5,
                "empty": _(
                    "您注册时选择了“%(unit)s”，正在等待村（社区）工作人员确认。"
                    "确认后即可查看本村（社区）的功能室、活动和微心愿；在此之前您可以照常反映诉求、查询进度。"
                )
                % {"unit": town + claim.unit.name},
            }
        )
    if scope.has_role(*CLERK_ROLES):
        n = pending_claims(user=user).count()
        if n:
            panels.append(
                {
                    "title": _("待确认居民"),
                    "order": 15,
                    "url": reverse("org:residence_list"),
                    "stats": [
                        {"label": _("待确认"), "value": n, "url": reverse("org:residence_list")}
                    ],
                }
            )
    return panels
