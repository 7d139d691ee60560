"""One picker for choosing a unit (a village, a grid, a hosting unit), grouped by town.

A county has 357 villages whose names repeat from town to town (上沟村 in three towns), so a
flat list cannot be read. Every form that chooses a village or a unit below the county uses
``UnitChoiceField`` (a ``ModelChoiceField``) or, for a ``ChoiceField`` fed with units,
``grouped_unit_choices``: the options come in ``<optgroup label="<town>">`` groups, ordered by
town then village (the tree's ``path``), and every option's label is unique — a name that
occurs twice is followed by its town (or its code), so a screen reader or a phone's native
picker that flattens the groups still tells them apart.

The widget marks the select ``data-unit-picker``; ``org/static/org/unit_picker.js`` (loaded on
every page by base.html) adds a type-to-filter box above it. Without JavaScript the grouped
select works on its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from lianxin.org.models import TOWN_KINDS, VILLAGE_KINDS, Unit, UnitKind

PICKER_ATTRS = {
    "data-unit-picker": "1",
    "data-filter-label": _("输入乡镇或村名筛选"),
    "data-empty-label": _("没有匹配的乡镇或村（社区）"),
}
_ABOVE_TOWN = frozenset({UnitKind.PROVINCE, UnitKind.CITY, UnitKind.COUNTY})


def _ancestors_by_path(units: list[Unit]) -> dict[str, Unit]:
    paths = {p for u in units for p in u.ancestor_paths()}
    known = {u.path: u for u in units}
    missing = paths - known.keys()
    if missing:
        known.update(
            {u.path: u for u in Unit.objects.filter(path__in=missing).only("path", "name", "kind")}
        )
    return known


def unit_groups(units: Iterable[Unit]) -> list[tuple[str, list[tuple[Unit, str]]]]:
    """Units grouped under their town, each with a label unique in the whole list.

    The group is the town (乡镇/街道) the unit lies in, or is; a unit above or beside the
    towns (the county, a county department) is grouped under the nearest unit above the towns.
    Inside a group a unit is named by its path below the town (``东关社区 · 第1网格``); a label
    that would occur twice gets the town appended, then the unit's code.
    """
    units = sorted(units, key=lambda u: u.path)
    if not units:
        return []
    by_path = _ancestors_by_path(units)
    rows: list[tuple[str, str, Unit, str]] = []  # (group key path, group label, unit, label)
    for unit in units:
        chain = [by_path[p] for p in unit.ancestor_paths() if p in by_path]
        town_index = next((i for i, a in enumerate(chain) if a.kind in TOWN_KINDS), None)
        if town_index is None:
            above = [a for a in chain if a.kind in _ABOVE_TOWN]
            group = above[-1] if above else chain[0]
            below = chain[chain.index(group) + 1 :] or [unit]
        else:
            group = chain[town_index]
            below = chain[town_index + 1 :] or [unit]
        rows.append((group.path, group.name, unit, " · ".join(a.name for a in below)))
    counts = Counter(label for _k, _g, _u, label in rows)
    labelled = []
    for key, group, unit, label in rows:
        if counts[label] > 1:
            label = f"{label}（{group}）" if group != label else label
        labelled.append((key, group, unit, label))
    counts = Counter(label for _k, _g, _u, label in labelled)
    groups: dict[str, tuple[str, list[tuple[Unit, str]]]] = {}
    for key, group, unit, label in labelled:
        if counts[label] > 1:
            label = f"{label} [{unit.code}]"
        groups.setdefault(key, (group, []))[1].append((unit, label))
    return [groups[k] for k in sorted(groups)]


def grouped_unit_choices(units: Iterable[Unit]) -> list[tuple[str, list[tuple[int, str]]]]:
    """``ChoiceField`` choices with one optgroup per town (see ``unit_groups``)."""
    return [(group, [(u.pk, label) for u, label in items]) for group, items in unit_groups(units)]


class _GroupedIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for group, items in unit_groups(self.queryset):
            yield (group, [(self.choice(u)[0], label) for u, label in items])

    def __len__(self) -> int:
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


class UnitSelect(forms.Select):
    """A select marked for the type-to-filter enhancement (org/static/org/unit_picker.js)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({**PICKER_ATTRS, **(attrs or {})}, choices)


class UnitChoiceField(forms.ModelChoiceField):
    """A unit chosen from a list grouped by town, labels unique (see the module docstring)."""

    iterator = _GroupedIterator
    widget = UnitSelect

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("empty_label", _("请选择"))
        super().__init__(queryset, **kwargs)


def village_queryset():
    """The active villages and communities of the tree, the choices of a village picker."""
    return Unit.objects.filter(kind__in=VILLAGE_KINDS, is_active=True)


class VillageChoiceField(UnitChoiceField):
    """The village (村/社区) picker: every active village, grouped by town."""

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("label", _("所在村（社区）"))
        super().__init__(village_queryset() if queryset is None else queryset, **kwargs)
