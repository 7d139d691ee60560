"""Modules contribute navigation entries and home-page panels without core knowing them.

An app may define ``lianxin.<app>.nav`` with ``NAV_ITEMS`` and ``lianxin.<app>.home`` with
``home_panels(request) -> list[dict]``; both are discovered once from INSTALLED_APPS.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache

from django.apps import apps


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: str | None = None  # a named permission; None: any logged-in user
    order: int = 100
    icon: str = ""


def _app_modules(suffix: str) -> list:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("lianxin."):
            continue
        try:
            found.append(importlib.import_module(f"{config.name}.{suffix}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{suffix}":
                raise
    return found


@cache
def nav_items() -> list[NavItem]:
    items = [item for m in _app_modules("nav") for item in getattr(m, "NAV_ITEMS", [])]
    return sorted(items, key=lambda i: (i.order, i.label))


@cache
def home_panel_providers() -> list:
    return [m.home_panels for m in _app_modules("home") if hasattr(m, "home_panels")]
