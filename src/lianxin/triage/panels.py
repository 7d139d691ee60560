"""On a request's page (``lianxin.core.panels``): the suggestions and duplicates panel, loaded by
htmx after the page (the model's prediction never slows the page itself), for staff who may
handle the request."""

from __future__ import annotations

from django.template.loader import render_to_string

from lianxin.cases.models import Case


def detail_panels(obj, user) -> list[str]:
    if not isinstance(obj, Case) or not user.has_perm("triage.view_suggestions", obj):
        return []
    return [render_to_string("triage/partials/case_panel.html", {"case": obj})]
