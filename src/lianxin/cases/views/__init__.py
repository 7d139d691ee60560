"""Thin views: parse the request, call a selector or a service, render.

By page group: ``intake`` (the resident's pages and staff intake), ``workbench`` (the staff queue,
a request's panel and its steps, photos, the poster), ``actions`` (the table of a request's
steps). The rates, categories and reveal pages are ``views_rates``, ``views_categories`` and
``views_reveal`` beside this package.
"""

from lianxin.cases.views.intake import (
    evaluate,
    grid_options,
    intake,
    my_cases,
    staff_intake,
    track,
    track_lookup,
)
from lianxin.cases.views.workbench import (
    bulk_dispatch,
    case_action,
    case_detail,
    dispatch_options,
    photo,
    poster,
    workbench,
)

__all__ = [
    "bulk_dispatch",
    "case_action",
    "case_detail",
    "dispatch_options",
    "evaluate",
    "grid_options",
    "intake",
    "my_cases",
    "photo",
    "poster",
    "staff_intake",
    "track",
    "track_lookup",
    "workbench",
]
