"""Account writes: registration, password changes, disabling."""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from lianxin.accounts.models import PasswordHistory, User
from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.validators import normalize_phone
from lianxin.org.models import Role, Unit
from lianxin.org.services import membership_grant

if TYPE_CHECKING:
    from lianxin.accounts.models import User


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


# ---------------------------------------------------------------------------- self-registration
# A resident signs up in two steps: the phone, name and password, then the code sent to that
# phone. The first step answers the same whether or not the number already has an account, so
# the page tells a visitor nothing about who is registered: a free number gets a code, a taken
# one gets a text saying it is registered (only the phone's owner learns that), and every code
# typed for a taken number is simply "wrong or expired". The code also proves the phone is the
# registrant's, so nobody opens an account on somebody else's number.
REGISTRATION_TTL = 600  # seconds a code is valid
REGISTRATION_ATTEMPTS = 5  # wrong codes before the pending registration is dropped
REGISTRATION_TEXTS_PER_PHONE = 3  # texts to one number per TTL window (no SMS bombing)
_PENDING_KEY = "lianxin:register:{token}"


def _code_digest(token: str, code: str) -> str:
    return salted_hmac("lianxin.register", f"{token}:{code}").hexdigest()


def _phone_taken(phone: str) -> bool:
    return User.objects.filter(Q(phone=phone) | Q(username=phone)).exists()


def _may_text(phone: str) -> bool:
    """At most ``REGISTRATION_TEXTS_PER_PHONE`` texts to one number in a window, whoever asks
    (the per-address limit is the view's); past it the page answers the same, no text goes.
    Counted by the shared limiter, which hashes the number before it reaches the cache."""
    from lianxin.core.ratelimit import key_rate_limited

    return not key_rate_limited(
        scope="register-text",
        key=phone,
        limit=REGISTRATION_TEXTS_PER_PHONE,
        window=REGISTRATION_TTL,
    )


def registration_start(
    *, phone: str, display_name: str, password: str, unit: Unit | None = None
) -> str:
    """Begin a self-registration and text the phone; returns the token of the pending sign-up.

    The caller (the form) has validated the phone format and the password. Whether the number
    is free decides only what the text says, never what the caller sees: the same token comes
    back, the same page follows, and the same work (hashing the password) is done either way.
    ``unit`` is the village the registrant says they live in: the account is opened with it as
    a pending residence for a clerk to confirm (org.residence).
    """
    from lianxin.accounts.sms import demo_on_page, send_sms

    phone = normalize_phone(phone)
    token = secrets.token_urlsafe(24)
    code = f"{secrets.randbelow(10**6):06d}"
    taken = _phone_taken(phone)
    pending = {
        "phone": phone,
        "display_name": display_name.strip(),
        "password": make_password(password),
        # No code can match for a taken number: a wrong code and a taken number look alike.
        "code": "" if taken else _code_digest(token, code),
        "attempts": 0,
        "unit": unit.pk if unit is not None else None,
        "expires": time.time() + REGISTRATION_TTL,
        # Demonstration without an SMS provider: the page shows the code. A taken number gets
        # a decoy that never matches, so the page still cannot tell the two apart.
        "demo_code": (f"{secrets.randbelow(10**6):06d}" if taken else code)
        if demo_on_page()
        else "",
    }
    cache.set(_PENDING_KEY.format(token=token), pending, REGISTRATION_TTL)
    if taken:
        text = _(
            "【连心桥】该手机号已注册连心桥账号，请直接登录；忘记密码请联系所在村（社区）。如非本人操作，请忽略本短信。"
        )
    else:
        text = _(
            "【连心桥】您的注册验证码是 %(code)s，%(minutes)d 分钟内有效。如非本人操作，请忽略本短信。"
        ) % {
            "code": code,
            "minutes": REGISTRATION_TTL // 60,
        }
    if _may_text(phone):
        send_sms(phone, text)
    return token


def registration_pending_phone(*, token: str) -> str:
    """The phone of a pending sign-up (to say where the code went), or "" once it is gone."""
    pending = cache.get(_PENDING_KEY.format(token=token)) if token else None
    return pending["phone"] if pending else ""


def registration_demo_code(*, token: str) -> str:
    """The code a demonstration shows on the page ("" with a real SMS provider)."""
    pending = cache.get(_PENDING_KEY.format(token=token)) if token else None
    return (pending or {}).get("demo_code", "")


def registration_confirm(*, token: str, code: str, request=None) -> User:
    """Finish a self-registration with the texted code and open the resident's account.

    One message for every failure (expired, wrong, too many tries, number taken meanwhile),
    so this step cannot tell a free number from a taken one either. After
    ``REGISTRATION_ATTEMPTS`` wrong codes the pending sign-up is dropped (six digits cannot be
    guessed in five tries). Not one transaction: the count of tries lives in the cache, which
    may be the database, and a failed try must not roll it back.
    """
    failed = ValidationError(_("验证码不正确或已失效。"), code="invalid_code")
    key = _PENDING_KEY.format(token=token)
    pending = cache.get(key) if token else None
    if not pending:
        raise failed
    pending["attempts"] += 1
    remaining = int(pending["expires"] - time.time())
    matches = bool(pending["code"]) and constant_time_compare(
        _code_digest(token, (code or "").strip()), pending["code"]
    )
    if not matches:
        if pending["attempts"] >= REGISTRATION_ATTEMPTS or remaining <= 0:
            cache.delete(key)
        else:
            cache.set(key, pending, remaining)
        raise failed
    cache.delete(key)
    user = User(
        username=pending["phone"],
        phone=pending["phone"],
        display_name=pending["display_name"],
        password=pending["password"],
        password_changed_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            user.full_clean(exclude=["password"])
            user.save()
            audit_record(action=AuditAction.REGISTER, actor=user, target=user, request=request)
            _claim_residence(user, pending.get("unit"), request=request)
    except (ValidationError, IntegrityError):
        raise failed from None  # registered by someone else since the code was sent
    return user


def _claim_residence(user: User, unit_pk: int | None, *, request=None) -> None:
    """The chosen village as a pending residence (org.residence); skipped if it has gone."""
    from lianxin.org.models import VILLAGE_KINDS
    from lianxin.org.residence import residence_claim_create

    unit = (
        Unit.objects.filter(pk=unit_pk, kind__in=VILLAGE_KINDS, is_active=True).first()
        if unit_pk
        else None
    )
    if unit is not None:
        residence_claim_create(user=user, unit=unit, request=request)


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
def user_disable(*, user: User, actor: User, request=None) -> None:
    """Disable an account and end all its sessions at once."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    # Through the session engine, not the table: with cached_db (REDIS_URL) a row deleted alone
    # would leave the cached copy of the session behind.
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            store(session_key=session.session_key).delete()
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
    audit_record(
        action=AuditAction.UPDATE, actor=user, target=user, reason="photo", request=request
    )
    return user
