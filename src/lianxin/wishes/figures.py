"""The wishes a team claimed and a model post's holder lit, for their pages (``volunteers.figures``)."""

from __future__ import annotations

from lianxin.volunteers.models import ModelPost, Team
from lianxin.wishes.models import LIT_STATES, Wish


def team_figures(team: Team) -> dict:
    return {
        "wishes": team.claimed_wishes.select_related("community").order_by("-claimed_at")[:20],
        "n_lit": team.claimed_wishes.filter(status__in=LIT_STATES).count(),
    }


def post_figures(post: ModelPost) -> dict:
    lit = Wish.objects.filter(claimed_by=post.holder, status__in=LIT_STATES)
    return {
        "n_lit": lit.count(),
        "wishes": lit.select_related("community").order_by("-lit_at")[:10],
    }
