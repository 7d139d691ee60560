"""Every page's context: the acting user's scope and main role (org.scoping), and the menu."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from lianxin.core.registry import nav_groups
from lianxin.org.scoping import user_scope


def lianxin(request):
    """The acting user's main unit and role, and the modules they may open, on every page."""
    user = getattr(request, "user", None)
    scope = user_scope(user) if user is not None else None
    main = scope.main_membership() if scope is not None else None
    nav = []
    if user is not None and user.is_authenticated:
        for group in nav_groups():
            entries = []
            for item in group.items:
                if item.perm and not user.has_perm(item.perm):
                    continue
                try:
                    url = reverse(item.url_name)
                except NoReverseMatch:
                    continue
                active = request.path == url or (url != "/" and request.path.startswith(url))
                entries.append({"label": item.label, "url": url, "active": active})
            if entries:
                nav.append(
                    {
                        "label": group.label if len(entries) > 1 else entries[0]["label"],
                        "entries": entries,
                        "active": any(e["active"] for e in entries),
                    }
                )
    return {
        "current_scope": scope,
        "current_membership": main,
        "nav": nav,
        "tile_url": settings.LIANXIN_TILE_URL,
        "bell_poll_seconds": settings.LIANXIN_BELL_POLL_SECONDS,
    }
