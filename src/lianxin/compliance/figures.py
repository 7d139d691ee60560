"""What compliance adds to other apps' pages without them importing it (see ``venues.home``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.compliance import selectors

if TYPE_CHECKING:
    from lianxin.accounts.models import User


def venue_staff_stats(user: User) -> list[dict]:
    """The venue staff's panel: rectification tasks still open, and those past their date."""
    tasks = selectors.task_counts(user=user)
    url = reverse("compliance:task_list")
    return [
        {"label": _("整改未完成"), "value": tasks["open"], "url": url},
        {"label": _("整改逾期"), "value": tasks["overdue"], "url": url + "?state=overdue"},
    ]
