"""What every deliberation write checks first: the named permission on the object."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from lianxin.org.models import VILLAGE_KINDS, Unit


def require(actor, perm: str, obj=None) -> None:
    """Refuse unless ``actor`` holds ``perm`` on ``obj`` (rules.py: the same predicate as views)."""
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)


def village_of(unit: Unit) -> Unit:
    """The village (community) a unit lies in: a grid's, a property project's, or itself; a town
    or county unit is its own area."""
    if unit.kind in VILLAGE_KINDS:
        return unit
    for anc in unit.ancestors().order_by("-depth"):
        if anc.kind in VILLAGE_KINDS:
            return anc
    return unit


def clean_text(value: str, what: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("请填写%(what)s。") % {"what": what})
    return value[:max_length]
