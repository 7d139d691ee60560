"""Reads of the "诉求分类与时限" screen: the category tree with the rule each priority uses.

The rule shown is the one ``cases.deadlines.rule_for`` would apply to a request dispatched now:
the category's own, else its nearest ancestor's, else the system default. The categories are
one county-wide table (not scoped to a subtree); only the county administrator opens the screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.cases.deadlines import DEFAULT_RULES
from lianxin.cases.models import Category, DeadlineRule, DueUnit, Priority


def amount_text(amount: int, unit: str) -> str:
    if unit == DueUnit.WORKDAYS:
        return ngettext("%(n)s 个工作日", "%(n)s 个工作日", amount) % {"n": amount}
    return ngettext("%(n)s 小时", "%(n)s 小时", amount) % {"n": amount}


@dataclass(frozen=True)
class RuleView:
    """The rule one priority of a category uses, and where it comes from."""

    priority: str
    priority_label: str
    accept_amount: int
    accept_unit: str
    resolve_amount: int
    resolve_unit: str
    own: bool
    source: str  # "own", "parent" (an ancestor's) or "default"

    @property
    def accept_text(self) -> str:
        return amount_text(self.accept_amount, self.accept_unit)

    @property
    def resolve_text(self) -> str:
        return amount_text(self.resolve_amount, self.resolve_unit)

    @property
    def source_text(self) -> str:
        return {"own": _("本分类"), "parent": _("沿用上级"), "default": _("系统默认")}[self.source]


@dataclass(frozen=True)
class CategoryRow:
    category: Category
    rules: list[RuleView]
    case_count: int


def _effective(
    category: Category, own: dict[tuple[int, str], tuple], by_pk: dict
) -> list[RuleView]:
    views = []
    for priority in Priority.values:
        node, source, found = category, "own", None
        seen = 0
        while node is not None and seen < 10:
            found = own.get((node.pk, priority))
            if found is not None:
                break
            node = by_pk.get(node.parent_id)
            source = "parent"
            seen += 1
        if found is None:
            found, source = DEFAULT_RULES.get(priority, DEFAULT_RULES[Priority.NORMAL]), "default"
        views.append(
            RuleView(priority, Priority(priority).label, *found, own=source == "own", source=source)
        )
    return views


def _own_rules() -> dict[tuple[int, str], tuple]:
    return {
        (r.category_id, r.priority): (
            r.accept_amount,
            r.accept_unit,
            r.resolve_amount,
            r.resolve_unit,
        )
        for r in DeadlineRule.objects.all()
    }


def category_rows() -> list[CategoryRow]:
    """Every category, each top-level one followed by its children, with its effective rules
    and how many requests use it (three queries whatever the size of the tree)."""
    cats = list(Category.objects.select_related("parent").annotate(n_cases=Count("cases")))
    by_pk = {c.pk: c for c in cats}
    own = _own_rules()
    tops = [c for c in cats if c.parent_id is None]
    rows = []
    for top in tops:
        for c in [top, *[c for c in cats if c.parent_id == top.pk]]:
            rows.append(CategoryRow(c, _effective(c, own, by_pk), c.n_cases))
    placed = {r.category.pk for r in rows}
    for c in cats:  # deeper nodes (none in the shipped tree) after the rest
        if c.pk not in placed:
            rows.append(CategoryRow(c, _effective(c, own, by_pk), c.n_cases))
    return rows


def category_get(pk: int) -> Category:
    category = Category.objects.select_related("parent").filter(pk=pk).first()
    if category is None:
        raise Http404
    return category


def category_rules(category: Category) -> list[RuleView]:
    cats = {category.pk: category}
    node = category.parent
    while node is not None and node.pk not in cats:
        cats[node.pk] = node
        node = node.parent
    return _effective(category, _own_rules(), cats)


def parent_choices():
    return Category.objects.filter(parent__isnull=True, is_active=True)
