"""Home panel: a resident's open questionnaires (待填问卷), the soonest deadline first."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.surveys import selectors


def home_panels(request) -> list[dict]:
    pending = list(selectors.pending_for(user=request.user)[:5])
    if not pending:
        return []
    return [
        {
            "title": _("待填问卷"),
            "url": reverse("surveys:mine"),
            "order": 44,
            "items": [
                {
                    "label": q.title,
                    "url": reverse("surveys:answer", args=[q.pk]),
                    "note": _("%(day)s 截止") % {"day": f"{q.closes_on:%m-%d}"},
                }
                for q in pending
            ],
        }
    ]
