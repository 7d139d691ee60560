"""Names of rows the project ships (case categories, signage standards): Chinese ``name`` plus
an English ``name_en`` filled by a data migration. ``shipped_name`` picks by the active language
and falls back to Chinese for rows users created (no ``name_en``)."""

from __future__ import annotations

from django.utils.translation import get_language


def shipped_name(obj) -> str:
    english = getattr(obj, "name_en", "")
    if english and (get_language() or "").startswith("en"):
        return english
    return obj.name


def fill_name_en(model, names: dict[str, str]) -> None:
    """Data migrations: set ``name_en`` of the shipped rows (by ``code``) still without one."""
    for code, english in names.items():
        model.objects.filter(code=code, name_en="").update(name_en=english)
