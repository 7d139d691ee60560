"""Discovering every route of the URLconf (for the scoping test and the page benchmark)."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

EXCLUDED_PREFIXES = ("admin/",)  # Django admin: superusers only


def _walk(
    patterns, prefix: str = "", namespace: str | None = None
) -> Iterator[tuple[str, str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            yield prefix + str(p.pattern), name, p


def discover_routes() -> list[tuple[str, str, URLPattern]]:
    """(route, namespaced name, pattern) for every route outside the admin."""
    return [r for r in _walk(get_resolver().url_patterns) if not r[0].startswith(EXCLUDED_PREFIXES)]


def is_public(pattern: URLPattern) -> bool:
    cb = pattern.callback
    return bool(
        getattr(cb, "lianxin_public", False)
        or getattr(getattr(cb, "view_class", None), "lianxin_public", False)
    )


def param_names(pattern: URLPattern) -> list[str]:
    names = list(pattern.pattern.converters)
    if not names and "<" in str(pattern.pattern):
        names = ["?"]
    return names
