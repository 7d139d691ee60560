"""Encryption at rest for 举报: Fernet with ``settings.LIANXIN_TIPOFF_KEY``.

Rule: the reporter's identity, contact, the reported person's name and the text never sit in
the database in clear. Without the setting (development, tests) the key is derived from
SECRET_KEY; production settings warn loudly when it is unset.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet
from django.conf import settings


def _key() -> bytes:
    configured = getattr(settings, "LIANXIN_TIPOFF_KEY", "")
    if configured:
        return configured.encode()
    digest = hashlib.sha256(b"lianxin.tipoffs:" + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def encrypt(value: str) -> str:
    """Fernet token of ``value`` ("" stays "")."""
    if not value:
        return ""
    return Fernet(_key()).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    return Fernet(_key()).decrypt(token.encode()).decode()


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of ``value`` under the tipoff key: follow-up codes, reporter lookups."""
    return hmac.new(_key(), value.encode(), hashlib.sha256).hexdigest()
