"""The signing secrets of webhook subscriptions, encrypted at rest (Fernet).

Rule: a secret is shown once, when the subscription is registered, and never again; it must
still be readable by the sender to sign each delivery, so it is kept encrypted (not hashed)
under ``settings.LIANXIN_WEBHOOK_KEY``. Without the setting the key is derived from SECRET_KEY
(development, tests).
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet
from django.conf import settings

SECRET_PREFIX = "whsec_"


def _fernet() -> Fernet:
    configured = getattr(settings, "LIANXIN_WEBHOOK_KEY", "")
    if configured:
        return Fernet(configured.encode())
    digest = hashlib.sha256(b"lianxin.webhooks:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def new_secret() -> str:
    """A fresh signing secret: ``whsec_`` and 43 url-safe characters (256 random bits)."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt_secret(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()
