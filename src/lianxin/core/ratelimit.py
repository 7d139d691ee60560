"""A fixed-window rate limit per client address, kept in the cache (Redis when configured)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest


def rate_limited(request: HttpRequest, *, scope: str, limit: int, window: int) -> bool:
    """Count one hit for this client in ``scope``; True once more than ``limit`` in ``window`` s."""
    key = f"ratelimit:{scope}:{request.META.get('REMOTE_ADDR') or 'unknown'}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit
