"""Account writes: registration, password changes, disabling."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from lianxin.accounts.models import PasswordHistory, User
from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.org.models import Role, Unit
from lianxin.org.services import membership_grant
from lianxin.people.validators import normalize_phone


@transaction.atomic
def resident_register(
    *, phone: str, display_name: str, password: str, unit: Unit | None = None, request=None
) -> User:
    """A resident signs up with a phone number; the phone is the login name."""
    phone = normalize_phone(phone)
    user = User(username=phone, phone=phone, display_name=display_name)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.full_clean()
    user.save()
    if unit is not None:
        membership_grant(user=user, unit=unit, role=Role.RESIDENT)
    audit_record(action=AuditAction.REGISTER, actor=user, target=user, request=request)
    return user


@transaction.atomic
def user_change_password(*, user: User, new_password: str, request=None) -> User:
    """Set a new password, remember the old hash, clear the first-login flag."""
    password_validation.validate_password(new_password, user)
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit_record(action=AuditAction.PASSWORD_CHANGE, actor=user, target=user, request=request)
    return user


@transaction.atomic
def user_disable(*, user: User, actor: Any, request=None) -> None:
    """Disable an account and end all its sessions at once."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
    audit_record(
        action=AuditAction.ROLE_CHANGE, actor=actor, target=user, reason="disable", request=request
    )


@transaction.atomic
def user_photo_set(*, user: User, upload, request=None) -> User:
    """The staff photo shown on public duty boards (亮牌服务); cleaned of EXIF/GPS first."""
    from lianxin.core.photos import photo_clean

    photo = photo_clean(upload, max_side=800)
    old = user.photo.name if user.photo else ""
    user.photo.save(f"staff-{user.pk}-{photo.content.name}", photo.content, save=False)
    user.save(update_fields=["photo"])
    if old:
        user.photo.storage.delete(old)
    audit_record(action=AuditAction.UPDATE, actor=user, target=user, reason="photo", request=request)
    return user
