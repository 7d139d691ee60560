"""Start-up checks of the 举报 key: a malformed key is an error, a missing one in production a
warning under ``check --deploy`` (the key derived from SECRET_KEY then guards the reports)."""

from __future__ import annotations

from cryptography.fernet import Fernet
from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def tipoff_key_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    key = getattr(settings, "LIANXIN_TIPOFF_KEY", "")
    if key:
        try:
            Fernet(key.encode())
        except ValueError:
            return [
                checks.Error(
                    "LIANXIN_TIPOFF_KEY is not a Fernet key (44 url-safe base64 characters).",
                    id="tipoffs.E001",
                )
            ]
        return []
    return []


@checks.register(checks.Tags.security, deploy=True)
def tipoff_key_deploy_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if getattr(settings, "LIANXIN_TIPOFF_KEY", ""):
        return []
    return [
        checks.Warning(
            "LIANXIN_TIPOFF_KEY is not set: 举报 are encrypted with a key derived from SECRET_KEY.",
            hint="Generate one with Fernet.generate_key() and set it in the environment.",
            id="tipoffs.W001",
        )
    ]
