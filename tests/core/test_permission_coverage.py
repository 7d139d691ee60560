"""Every named permission (django-rules) of every app has a per-role test: its name appears in
the matrix of ``tests/<app>/test_permissions.py`` of the app that declares it. A permission
added later without one fails here."""

from __future__ import annotations

from pathlib import Path

import rules
from django.apps import apps

TESTS = Path(__file__).resolve().parent.parent


def _named_permissions() -> dict[str, list[str]]:
    labels = {c.label for c in apps.get_app_configs() if c.name.startswith("lianxin.")}
    by_app: dict[str, list[str]] = {}
    for name in rules.permissions.permissions:
        label = name.split(".", 1)[0]
        if label in labels:
            by_app.setdefault(label, []).append(name)
    return by_app


def test_every_named_permission_has_a_per_role_test():
    by_app = _named_permissions()
    assert sum(len(v) for v in by_app.values()) >= 50  # the registry was read
    untested = []
    for label, names in sorted(by_app.items()):
        matrix = TESTS / label / "test_permissions.py"
        text = matrix.read_text(encoding="utf-8") if matrix.exists() else ""
        untested += [n for n in sorted(names) if f'"{n}"' not in text]
    assert untested == []
