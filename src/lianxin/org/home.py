"""Home panels of the organisation: a resident's community awaiting confirmation, and a clerk's
residents awaiting it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.org.scoping import user_scope


def home_panels(request) -> list[dict]:
    """The residence panels; the staff's people panels live in ``people.home``."""
    return _residence_panels(request)


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
