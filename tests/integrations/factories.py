"""Integration tokens for tests: ``make_token(unit, ["cases.view_case"]) -> (raw, ApiToken)``.

Builds through ``integrations.services.build_integration`` / ``build_token`` (the services the
county admin's screens call, without the admin's permission check), so the service user has its
Membership at ``unit`` and the token's digest is stored exactly as in production.
"""

from __future__ import annotations

from datetime import datetime

from lianxin.integrations.models import ApiToken, Integration
from lianxin.integrations.services import build_integration, build_token


def make_integration(unit, *, name: str = "12345热线", slug: str = "") -> Integration:
    return build_integration(name=name, unit=unit, slug=slug)


def make_token(
    unit,
    permissions,
    *,
    name: str = "12345热线",
    integration: Integration | None = None,
    expires_at: datetime | None = None,
) -> tuple[str, ApiToken]:
    """A fresh token bound to ``unit`` (a new integration named ``name`` unless ``integration``
    is given) carrying ``permissions``; the raw string is returned once, as on the screen."""
    integration = integration or make_integration(unit, name=name)
    return build_token(
        integration=integration, permissions=list(permissions), expires_at=expires_at
    )


def bearer(raw: str) -> dict[str, str]:
    """Headers for ``client.get(url, **bearer(raw))``."""
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
