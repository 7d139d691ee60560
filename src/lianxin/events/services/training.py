"""Writes on training programmes (全覆盖培训、轮训)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.events.models import (
    TrainingProgramme,
)
from lianxin.events.services.common import require_staff_over as _require_staff_over
from lianxin.org.models import Role, Unit

if TYPE_CHECKING:
    pass


# ============================================================================ training
@transaction.atomic
def programme_create(
    *,
    actor: User,
    unit: Unit,
    title: str,
    year: int,
    required_role: str = "",
    required_users=(),
    min_sessions: int | None = None,
    request=None,
) -> TrainingProgramme:
    """Set up a training programme in a unit of the actor's subtree: who must attend is a known
    role under the unit and/or listed people (at least one), and the rule is all sessions or
    at least N (N ≥ 1). Audited."""
    _require_staff_over(actor, unit, "events.manage_event")
    if required_role and required_role not in Role.values:
        raise ValidationError(_("未知的角色。"))
    if not required_role and not required_users:
        raise ValidationError(_("请指定应训角色或应训人员。"))
    if min_sessions is not None and min_sessions < 1:
        raise ValidationError(_("至少参加场次须为正整数，或留空（全部场次）。"))
    prog = TrainingProgramme.objects.create(
        unit=unit,
        title=title.strip(),
        year=year,
        required_role=required_role,
        min_sessions=min_sessions,
    )
    if required_users:
        prog.required_users.set(required_users)
    audit_record(action=AuditAction.CREATE, actor=actor, target=prog, request=request)
    return prog
