"""Formatting of the brief's figures, the same on the page, in the PDF and in the tests."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


def figure_text(value, kind: str = "int") -> str:
    """A headline figure as printed: rates as "87.5%", hours with one decimal, counts as is;
    "—" when there is nothing to count yet."""
    if value is None or value == "":
        return "—"
    if kind == "percent":
        return f"{float(value) * 100:.1f}%"
    if kind == "decimal":
        return f"{float(value):.1f}"
    if kind == "int":
        try:
            return f"{int(value)}"
        except (TypeError, ValueError):
            return str(value)
    return str(value)


@register.filter
def figure(fig) -> str:
    return figure_text(fig.value, fig.kind)


@register.filter
def pct(value) -> str:
    return figure_text(value, "percent")


@register.filter
def hours(value) -> str:
    return figure_text(value, "decimal")


@register.filter
def yuan(value) -> str:
    if value is None or value == "":
        return "—"
    try:
        return f"{Decimal(value):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return str(value)


@register.filter
def growth(value) -> str:
    if value is None:
        return "—"
    return f"{value:+.1f}%"


@register.filter
def share(value) -> str:
    """A coverage already in per cent (``Decimal("94.9")``) as "94.9%"; "—" with no base."""
    if value is None:
        return "—"
    return f"{Decimal(value):.1f}%"
