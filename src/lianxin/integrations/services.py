"""Writes of 对接管理: integrations, their tokens, and which request came from which integration.

Rules (issue 14, bullet 1):

* Only a county admin whose county covers the unit creates an integration or a token
  (``integrations.manage_integration`` with the unit); every write leaves an audit row.
* An integration acts through its own service user: no usable password (it never logs in to
  the pages), a staff Membership at the integration's unit (the role that unit's own staff
  hold), so ``org.scoping`` gives it that subtree and nothing else.
* A token is ``lx_`` + 8 characters of prefix + 40 of secret from ``secrets``; only its sha256
  is stored, the raw string is returned once and never again. Its permissions are a subset of
  the named permissions the apps register (``selectors.token_permission_choices``); its expiry
  defaults to ``LIANXIN_API_TOKEN_DEFAULT_DAYS`` and never passes ``LIANXIN_API_TOKEN_MAX_DAYS``.
* A revoked token stays revoked (revocation is the end of it; issue a new one).
"""

from __future__ import annotations

import secrets
import string
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import SYSTEM_ACTOR, audit_record
from lianxin.integrations.auth import token_digest
from lianxin.integrations.models import (
    PREFIX_LENGTH,
    TOKEN_PREFIX,
    ApiToken,
    Integration,
    IntegrationCase,
)
from lianxin.org.models import GRID_KINDS, TOWN_KINDS, VILLAGE_KINDS, Role, Unit, UnitKind
from lianxin.org.services import membership_grant

if TYPE_CHECKING:
    from lianxin.accounts.models import User
    from lianxin.cases.models import Case

_ALPHABET = string.ascii_letters + string.digits
SECRET_LENGTH = 40  # 40 of 62 symbols: ~238 bits


def default_days() -> int:
    return int(getattr(settings, "LIANXIN_API_TOKEN_DEFAULT_DAYS", 90))


def max_days() -> int:
    return int(getattr(settings, "LIANXIN_API_TOKEN_MAX_DAYS", 365))


def service_role_for(unit: Unit) -> str:
    """The staff role an integration holds at its unit: the one that unit's own staff hold."""
    if unit.kind in (UnitKind.PROVINCE, UnitKind.CITY, UnitKind.COUNTY):
        return Role.COUNTY_ADMIN
    if unit.kind in TOWN_KINDS:
        return Role.TOWN_STAFF
    if unit.kind in VILLAGE_KINDS:
        return Role.VILLAGE_STAFF
    if unit.kind in GRID_KINDS:
        return Role.GRID_WORKER
    return Role.DEPT_HANDLER


def _require_manage(actor: User, unit: Unit) -> None:
    if not actor.has_perm("integrations.manage_integration", unit):
        raise PermissionDenied(_("只有县级管理员可以管理其辖区内的对接系统"))


def _unique_slug(name: str, slug: str = "") -> str:
    base = slugify(slug or name, allow_unicode=False)[:40] or "integration"
    candidate, n = base, 1
    while Integration.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def integration_create(*, actor: User, name: str, unit: Unit, slug: str = "") -> Integration:
    """A new integration with its service user and that user's Membership at ``unit``."""
    _require_manage(actor, unit)
    return build_integration(name=name, unit=unit, slug=slug, actor=actor)


def build_integration(
    *, name: str, unit: Unit, slug: str = "", actor: User | None = None
) -> Integration:
    """``integration_create`` without the permission check (the callers that act for a person
    check it; tests and commands build directly). Audited, with "system" when no actor."""
    from django.contrib.auth import get_user_model

    name = name.strip()
    if not name:
        raise ValidationError(_("请填写对接名称"))
    slug = _unique_slug(name, slug)
    user_model = get_user_model()
    service_user = user_model(
        username=f"api-{slug}"[:150], display_name=_("%(name)s（对接）") % {"name": name}
    )
    service_user.set_unusable_password()
    service_user.save()
    integration = Integration.objects.create(
        name=name, slug=slug, unit=unit, service_user=service_user, created_by=actor
    )
    membership_grant(
        user=service_user,
        unit=unit,
        role=service_role_for(unit),
        post=_("对接系统"),
        actor=actor,
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        username=SYSTEM_ACTOR if actor is None else "",
        target=integration,
        reason=f"integration {slug} @ {unit.code}",
    )
    return integration


def _new_raw_token() -> tuple[str, str]:
    body = "".join(secrets.choice(_ALPHABET) for _ in range(PREFIX_LENGTH + SECRET_LENGTH))
    return f"{TOKEN_PREFIX}{body}", body[:PREFIX_LENGTH]


def _clean_permissions(permissions: list[str]) -> list[str]:
    from lianxin.integrations.selectors import token_permission_names

    allowed = token_permission_names()
    unknown = sorted(set(permissions) - allowed)
    if unknown:
        raise ValidationError(_("未知或不可授予的权限：%(perms)s") % {"perms": "、".join(unknown)})
    return sorted(set(permissions))


@transaction.atomic
def token_issue(
    *,
    actor: User,
    integration: Integration,
    permissions: list[str],
    expires_at: datetime | None = None,
) -> tuple[str, ApiToken]:
    """A new token of ``integration``: returns ``(raw, token)``; ``raw`` exists nowhere else."""
    _require_manage(actor, integration.unit)
    return build_token(
        integration=integration, permissions=permissions, expires_at=expires_at, actor=actor
    )


def build_token(
    *,
    integration: Integration,
    permissions: list[str],
    expires_at: datetime | None = None,
    actor: User | None = None,
) -> tuple[str, ApiToken]:
    """``token_issue`` without the permission check (tests, commands). Audited."""
    if not integration.is_active:
        raise ValidationError(_("该对接系统已停用"))
    perms = _clean_permissions(list(permissions))
    if not perms:
        raise ValidationError(_("请至少选择一项权限"))
    now = timezone.now()
    if expires_at is None:
        expires_at = now + timedelta(days=default_days())
    if expires_at <= now:
        raise ValidationError(_("到期时间必须晚于现在"))
    if expires_at > now + timedelta(days=max_days()):
        raise ValidationError(_("有效期最长 %(days)s 天") % {"days": max_days()})
    raw, prefix = _new_raw_token()
    token = ApiToken.objects.create(
        integration=integration,
        prefix=prefix,
        digest=token_digest(raw),
        permissions=perms,
        expires_at=expires_at,
        created_by=actor,
        created_at=now,
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        username=SYSTEM_ACTOR if actor is None else "",
        target=token,
        reason="token issued",
        extra={"permissions": perms, "expires_at": expires_at.isoformat()},
    )
    return raw, token


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke ``token`` now; a second revocation changes nothing."""
    token = (
        ApiToken.objects.select_for_update(of=("self",))
        .select_related("integration__unit")
        .get(pk=token.pk)
    )
    _require_manage(actor, token.integration.unit)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(action=AuditAction.UPDATE, actor=actor, target=token, reason="token revoked")
    return token


def record_origin(
    *, case: Case, integration: Integration, external_id: str = ""
) -> IntegrationCase:
    """Remember that ``case`` came in through ``integration`` (idempotent: the first origin of a
    request is kept). Called from the ``cases.signals.api_case_created`` receiver inside the
    creating transaction."""
    origin, _created = IntegrationCase.objects.get_or_create(
        case=case,
        defaults={"integration": integration, "external_id": (external_id or "")[:100]},
    )
    return origin
