"""What visits adds to other apps' pages: a household's last visits (people.figures)."""

from __future__ import annotations

from django.template.loader import render_to_string

from lianxin.visits import selectors


def household_panels(household, user) -> list:
    if not user.has_perm("visits.view_visit", household):
        return []
    visits = selectors.household_visits(user, household)[:5]
    html = render_to_string(
        "visits/partials/household_panel.html",
        {
            "household": household,
            "visits": visits,
            "may_visit": user.has_perm("visits.add_visit", household),
        },
    )
    return [html]
