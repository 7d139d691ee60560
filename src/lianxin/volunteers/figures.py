"""What other modules add to a team's or a model post's page, without volunteers knowing them.

An app may define ``lianxin.<app>.figures`` with ``team_figures(team) -> dict`` and/or
``post_figures(post) -> dict``; their keys are merged into the rollup (events adds the events
a team ran, wishes the wishes it lit). Volunteers imports neither: the dependency points at it.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from lianxin.core.registry import app_modules

if TYPE_CHECKING:
    from lianxin.volunteers.models import ModelPost, Team


@cache
def _providers(name: str) -> list:
    return [
        getattr(m, name)
        for m in app_modules("figures")
        if m.__name__ != __name__ and hasattr(m, name)
    ]


def team_figures(team: Team) -> dict:
    out: dict = {}
    for provide in _providers("team_figures"):
        out.update(provide(team))
    return out


def post_figures(post: ModelPost) -> dict:
    out: dict = {}
    for provide in _providers("post_figures"):
        out.update(provide(post))
    return out
