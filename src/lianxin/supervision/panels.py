""" "督办记录" on a unit's page and "督办" on a request's page (``lianxin.core.panels``): the
orders addressed to the unit (and the decisions taken on it), or issued on the request, for a
user who may see them. Org and cases know nothing of supervision."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from lianxin.cases.models import Case
from lianxin.org.models import Unit
from lianxin.supervision import selectors
from lianxin.supervision.models import OrderState
from lianxin.supervision.rules import can_issue

LIMIT = 10


def detail_panels(obj, user) -> list[str]:
    if isinstance(obj, Case):
        orders = list(selectors.orders_for_case(user=user, case=obj)[:LIMIT])
        decisions: list = []
        title_case = True
    elif isinstance(obj, Unit):
        if not user.has_perm("supervision.view_order", obj):
            return []
        orders = list(selectors.unit_orders(user=user, unit=obj)[:LIMIT])
        decisions = list(selectors.unit_decisions(user=user, unit=obj)[:LIMIT])
        title_case = False
    else:
        return []
    issue_url = ""
    if can_issue(user, obj):
        query = f"case={obj.pk}" if title_case else f"unit={obj.code}"
        issue_url = f"{reverse('supervision:order_new')}?{query}"
    if not orders and not decisions and not issue_url:
        return []
    now = timezone.now()
    for o in orders:
        o.overdue = o.is_overdue(now)
    return [
        render_to_string(
            "supervision/partials/record_panel.html",
            {
                "orders": orders,
                "decisions": decisions,
                "for_case": title_case,
                "unit": obj if not title_case else None,
                "issue_url": issue_url,
                "open_count": sum(1 for o in orders if o.state != OrderState.ACCEPTED),
            },
        )
    ]
