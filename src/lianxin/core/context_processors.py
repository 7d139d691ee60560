from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from lianxin.core.registry import nav_items
from lianxin.org.scoping import user_scope


def lianxin(request):
    """The acting user's main unit and role, and the modules they may open, on every page."""
    user = getattr(request, "user", None)
    scope = user_scope(user) if user is not None else None
    main = scope.main_membership() if scope is not None else None
    nav = []
    if user is not None and user.is_authenticated:
        for item in nav_items():
            if item.perm and not user.has_perm(item.perm):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            nav.append({"label": item.label, "url": url, "active": request.path.startswith(url) and url != "/"})
    return {
        "current_scope": scope,
        "current_membership": main,
        "nav": nav,
        "tile_url": settings.LIANXIN_TILE_URL,
    }
