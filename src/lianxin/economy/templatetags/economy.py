"""``{{ amount|yuan }}``: 元 with thousands separators and two decimals, the same in every
language (the county's figures are copied into reports as they are shown)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    if value is None or value == "":
        return "—"
    try:
        return f"{Decimal(value):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
