from django import template

register = template.Library()


@register.filter
def picked(values: dict, pk) -> list[str]:
    """The values submitted for question ``pk`` (a failed submission is shown again)."""
    return list(values.get(str(pk), [])) if isinstance(values, dict) else []
