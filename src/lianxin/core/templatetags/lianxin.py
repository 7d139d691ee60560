"""Template helpers available in every template (registered as a builtin)."""

from __future__ import annotations

from django import template
from django.utils.http import urlencode

from lianxin.core.masking import mask_id_number, mask_login, mask_name, mask_numbers, mask_phone

register = template.Library()

register.filter("mask_id", mask_id_number)
register.filter("mask_phone", mask_phone)
register.filter("mask_name", mask_name)
register.filter("mask_numbers", mask_numbers)  # free text shown to others: long digit runs
register.filter("mask_login", mask_login)  # a login name: masked when it is a phone number


@register.simple_tag(takes_context=True)
def detail_panels(context, obj) -> str:
    """Other apps' fragments for ``obj``'s detail page (``lianxin.core.panels``)."""
    from django.utils.safestring import mark_safe

    from lianxin.core.panels import detail_panels as panels

    request = context.get("request")
    user = getattr(request, "user", None)
    if obj is None or user is None:
        return ""
    return mark_safe("".join(panels(obj, user)))  # noqa: S308 - fragments rendered by templates


@register.filter
def slot_for(row_slots, pk) -> str:
    """A row's fragments of ``lianxin.core.slots.row_slots`` (``""`` for a row without any)."""
    from django.utils.safestring import mark_safe

    return mark_safe((row_slots or {}).get(pk, ""))  # noqa: S308 - fragments rendered by templates


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for pagination and filters)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted(params.lists()), doseq=True) if params else "?"


@register.filter
def percent(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f}%"


@register.filter
def bs(field):
    """Render a bound form field with Bootstrap's classes (and is-invalid on errors)."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", "")
    if input_type in ("checkbox", "radio"):
        css = "form-check-input"
    elif input_type == "select" or widget.__class__.__name__.endswith("Select"):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    attrs = {"class": f"{existing} {css}".strip()}
    if field.label and "aria-label" not in widget.attrs and input_type not in ("checkbox", "radio"):
        # A field shown without its <label> (filter rows) still has a name (axe: label, select-name).
        attrs["aria-label"] = str(field.label)
    return field.as_widget(attrs=attrs)
