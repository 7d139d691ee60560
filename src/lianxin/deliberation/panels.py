"""议事协商 on the request and visit pages (``lianxin.core.panels``): the topics raised from the request
and the decision handed to 接诉即办 as it, linked back; and a button that turns the request into
a topic. Cases knows nothing of deliberation; the link the other way is the topic's page."""

from __future__ import annotations

from django.template.loader import render_to_string

from lianxin.cases.models import Case
from lianxin.deliberation import selectors
from lianxin.deliberation.models import Topic
from lianxin.org.scoping import user_scope
from lianxin.visits.models import Visit


def _visit_panel(visit: Visit, user) -> list[str]:
    """On the visit page: the topic raised from it, or a link to raise one."""
    if not user_scope(user).covers(visit.grid):
        return []
    topics = list(Topic.objects.filter(visit=visit).order_by("id")[:5])
    return [
        render_to_string(
            "deliberation/partials/visit_panel.html", {"visit": visit, "topics": topics}
        )
    ]


def detail_panels(obj, user) -> list[str]:
    if isinstance(obj, Visit):
        return _visit_panel(obj, user)
    if not isinstance(obj, Case) or not user_scope(user).covers(obj.grid):
        return []
    topics = list(Topic.objects.filter(case=obj).order_by("id")[:5])
    decisions = selectors.case_link_for(user=user, case=obj)
    return [
        render_to_string(
            "deliberation/partials/case_panel.html",
            {"case": obj, "topics": topics, "decisions": decisions},
        )
    ]
