"""Modules contribute navigation entries and home-page panels without core knowing them.

An app may define ``lianxin.<app>.nav`` with ``NAV_ITEMS`` and ``lianxin.<app>.home`` with
``home_panels(request) -> list[dict]``; both are discovered once from INSTALLED_APPS.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: str | None = None  # a named permission; None: any logged-in user
    order: int = 100
    icon: str = ""


def app_modules(suffix: str, with_config: bool = False) -> list:
    """``lianxin.<app>.<suffix>`` of every installed app that has one, in INSTALLED_APPS order:
    how an app contributes to another without the other importing it."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("lianxin."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.{suffix}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{suffix}":
                raise
            continue
        found.append((config, module) if with_config else module)
    return found


@dataclass(frozen=True)
class NavGroup:
    """One module in the menu: the app's name and its entries, ordered by their first entry."""

    label: str
    items: tuple[NavItem, ...]

    @property
    def order(self) -> int:
        return min(i.order for i in self.items)


@cache
def nav_groups() -> list[NavGroup]:
    groups = []
    for config, module in app_modules("nav", with_config=True):
        items = tuple(sorted(getattr(module, "NAV_ITEMS", []), key=lambda i: i.order))
        if items:
            groups.append(NavGroup(label=config.verbose_name, items=items))
    return sorted(groups, key=lambda g: g.order)


def nav_items() -> list[NavItem]:
    return [item for group in nav_groups() for item in group.items]


@cache
def home_panel_providers() -> list:
    return [m.home_panels for m in app_modules("home") if hasattr(m, "home_panels")]


@cache
def periodic_jobs() -> list[tuple[str, object]]:
    """(name, job(now) -> result) from every app's ``jobs.PERIODIC_JOBS``; run by ``lianxin worker``.

    Every job must be idempotent: running twice, or late after missed runs, gives the same state.
    """
    return [job for m in app_modules("jobs") for job in getattr(m, "PERIODIC_JOBS", [])]


# Core code that must leave an audit row (a 403, a backup, a restore) calls ``record_audit``; the
# audit app registers its recorder in ``AuditConfig.ready``, so core never imports it (core is the
# bottom layer: tests/core/test_layers.py and the import-linter contracts).
_audit_recorders: list[Callable[..., Any]] = []


def register_audit_recorder(recorder: Callable[..., Any]) -> None:
    if recorder not in _audit_recorders:
        _audit_recorders.append(recorder)


def record_audit(**fields: Any) -> None:
    """Append an audit row through the registered recorder (``audit.services.audit_record``
    keywords: action, actor, reason, outcome, request, username, target_repr, ...)."""
    for recorder in _audit_recorders:
        recorder(**fields)


# Exports go through ``lianxin.jobs.exports.export_response`` (inline when small, a job when
# large). The jobs app registers it in ``JobsConfig.ready``, so an app of jobs' own layer (people)
# sends its export through the one mechanism without importing its sibling.
_export_responders: list[Callable[..., Any]] = []


def register_export_responder(responder: Callable[..., Any]) -> None:
    if responder not in _export_responders:
        _export_responders.append(responder)


def export_response(request: Any, **kwargs: Any) -> Any:
    """``lianxin.jobs.exports.export_response(request, builder=..., params=..., rows=...,
    title=...)`` through the registered responder; without one (jobs not installed) an error."""
    if not _export_responders:
        raise RuntimeError("no export responder registered (is lianxin.jobs installed?)")
    return _export_responders[0](request, **kwargs)
