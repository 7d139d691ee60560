"""Authenticating another platform's call with an integration token ("Authorization: Bearer lx_…").

Rules (issue 14, bullet 1; SECURITY.md 等保: 身份鉴别, 安全审计):

* Only the sha256 of the raw token is stored; a presented token is hashed and looked up by
  digest, so the database never holds anything that would log in.
* A token answers only while its integration is active, it is unrevoked and unexpired.
* The caller becomes the integration's service user, whose ``has_perm`` is limited to the
  token's permission list (``models.ServiceUser``) and whose scope is its Membership at the
  integration's unit, through ``org.scoping`` like anyone's.
* Each use leaves an audit row and moves ``last_used_at``; each token has its own fixed-window
  rate limit (``LIANXIN_API_TOKEN_RATE``, on the shared cache) and past it the call is refused
  with 429 before anything is read.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.ratelimit import hit
from lianxin.integrations.models import (
    PREFIX_LENGTH,
    TOKEN_PREFIX,
    ApiToken,
    ServiceUser,
)

API_CALL_ACTION = AuditAction.API_CALL
RATE_SCOPE = "api_token"


class RateLimited(HttpError):
    """Past the token's limit in the current window: 429 with a Chinese message; the API's error
    handler answers ``{"code": "rate_limited", ...}`` with ``Retry-After``."""

    code = "rate_limited"

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(429, str(_("调用过于频繁，请稍后再试")))


def token_digest(raw: str) -> str:
    """The stored form of a raw token: sha256 hex of the whole string."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _rate() -> tuple[int, int]:
    limit, window = getattr(settings, "LIANXIN_API_TOKEN_RATE", (600, 60))
    return int(limit), int(window)


def _lookup(raw: str) -> ApiToken | None:
    if not raw.startswith(TOKEN_PREFIX) or len(raw) < len(TOKEN_PREFIX) + PREFIX_LENGTH + 16:
        return None
    digest = token_digest(raw)
    token = (
        ApiToken.objects.select_related("integration", "integration__unit")
        .filter(digest=digest)
        .first()
    )
    # The unique index found it; compare in constant time anyway (a stored digest is no secret,
    # but the habit costs nothing).
    if token is None or not hmac.compare_digest(token.digest, digest):
        return None
    return token


def authenticate_token(raw: str, request: HttpRequest | None = None) -> ServiceUser | None:
    """The service user of a valid token (``None`` for an unknown, revoked or expired one, or an
    inactive integration), limited to the token's permissions. Raises ``RateLimited`` past the
    token's limit. With ``request``: sets ``request.user``, ``request.integration`` and
    ``request.api_token``, and the audit row names the path and address."""
    token = _lookup((raw or "").strip())
    now = timezone.now()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        return None
    integration = token.integration
    if not integration.is_active:
        return None
    limit, window = _rate()
    if hit(scope=RATE_SCOPE, key=str(token.pk), window=window) > limit:
        raise RateLimited(retry_after=window)
    user = ServiceUser.objects.filter(pk=integration.service_user_id, is_active=True).first()
    if user is None:
        return None
    user.token_permissions = frozenset(token.permissions or ())
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    extra: dict[str, Any] = {"integration": integration.slug, "token": token.prefix}
    if request is not None:
        extra["method"] = request.method
    audit_record(
        action=API_CALL_ACTION,
        actor=user,
        target=token,
        target_repr=str(token),
        request=request,
        extra=extra,
    )
    if request is not None:
        request.user = user
        request.integration = integration  # type: ignore[attr-defined]
        request.api_token = token  # type: ignore[attr-defined]
    return user


class TokenAuth(HttpBearer):
    """django-ninja's bearer scheme over ``authenticate_token`` (the ``TokenAuth`` security
    scheme of the OpenAPI document)."""

    openapi_bearerFormat = "lx_<prefix><secret>"
    openapi_description = (
        "对接令牌：县级管理员在“对接管理”中为对接系统创建，只显示一次。"
        "请求头 Authorization: Bearer lx_…；令牌限定单位范围与权限，到期或撤销后失效，"
        "每个令牌有调用频率限制（超出返回 429）。"
    )

    def authenticate(self, request: HttpRequest, token: str) -> ServiceUser | None:
        return authenticate_token(token, request)
