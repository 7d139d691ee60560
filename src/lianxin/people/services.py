"""Writes about people, and the audited reveal of their full ID and phone numbers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.people.models import Person
from lianxin.people.validators import normalize_id_number, normalize_phone

REVEALABLE_FIELDS = {"id_number", "phone"}


@transaction.atomic
def person_reveal(*, actor: Any, person: Person, field: str, reason: str, request=None) -> str:
    """Return one full personal value; every reveal writes an audit row (who, whom, when, why).

    The caller has already fetched ``person`` through the scoped selector.
    """
    if field not in REVEALABLE_FIELDS:
        raise ValidationError(_("不支持查看该字段。"))
    if not actor.has_perm("people.reveal_person"):
        raise PermissionDenied("people.reveal_person")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError(_("请填写查看完整信息的事由。"))
    audit_record(
        action=AuditAction.REVEAL,
        actor=actor,
        target=person,
        target_repr=person.name,
        reason=reason,
        request=request,
        extra={"field": field},
    )
    return getattr(person, field)


@transaction.atomic
def person_create(*, actor: Any, **fields: Any) -> Person:
    if fields.get("id_number"):
        fields["id_number"] = normalize_id_number(fields["id_number"])
    if fields.get("phone"):
        fields["phone"] = normalize_phone(fields["phone"])
    person = Person(**fields)
    person.full_clean()
    person.save()
    audit_record(action=AuditAction.CREATE, actor=actor, target=person, target_repr=person.name)
    return person
