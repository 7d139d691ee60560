from __future__ import annotations

from django import template

from lianxin.people.tags import care_tag_label

register = template.Library()


@register.filter
def care_tag(tag: str) -> str:
    """``{{ tag|care_tag }}``: a household's care tag in the active language."""
    return care_tag_label(tag)
