""" "民意调查" on a unit's page (``lianxin.core.panels``): the questionnaires the unit sent or
whose audience it is, for staff who manage questionnaires over it. Org knows nothing of surveys."""

from __future__ import annotations

from django.template.loader import render_to_string

from lianxin.org.models import Unit
from lianxin.surveys import selectors

LIMIT = 5


def detail_panels(obj, user) -> list[str]:
    if not isinstance(obj, Unit) or not user.has_perm("surveys.manage_questionnaire"):
        return []
    rows = list(selectors.unit_questionnaires(user=user, unit=obj)[:LIMIT])
    if not rows:
        return []
    return [render_to_string("surveys/partials/unit_panel.html", {"rows": rows, "unit": obj})]
