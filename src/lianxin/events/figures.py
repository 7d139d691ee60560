"""The events a team ran or a model post took part in, for their pages (``volunteers.figures``)."""

from __future__ import annotations

from lianxin.volunteers.models import ModelPost, Team


def team_figures(team: Team) -> dict:
    return {
        "events": team.events.select_related("unit").order_by("-starts_at")[:20],
        "n_events": team.events.count(),
    }


def post_figures(post: ModelPost) -> dict:
    return {
        "events": post.events.order_by("-starts_at")[:20],
        "n_events": post.events.count(),
    }
