"""Text messages to a phone number (the registration code), behind one small interface.

``settings.LIANXIN_SMS_BACKEND`` names a class with ``send(phone, text) -> None``. The
default writes the message to the ``lianxin.sms`` log, as Django's console e-mail backend
does: enough to develop and demonstrate with. A deployment that lets residents sign up by
themselves names its SMS provider's class here (see docs/operations.md); nothing else
changes.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from lianxin.core.masking import mask_phone

logger = logging.getLogger("lianxin.sms")

DEFAULT_BACKEND = "lianxin.accounts.sms.LogSmsBackend"


class LogSmsBackend:
    """Logs the message (the number masked): development and demonstration."""

    def send(self, phone: str, text: str) -> None:
        logger.info("sms to %s: %s", mask_phone(phone), text)


class LocmemSmsBackend:
    """Keeps messages in ``outbox`` (tests), like Django's locmem e-mail backend."""

    def send(self, phone: str, text: str) -> None:
        outbox.append((phone, text))


outbox: list[tuple[str, str]] = []


def demo_on_page() -> bool:
    """Whether the registration page shows the code itself: only where no SMS provider is set
    up (the default log backend) outside production, so a demonstration can be walked through
    without reading the server log. ``LIANXIN_SMS_DEMO_ON_PAGE`` overrides it."""
    explicit = getattr(settings, "LIANXIN_SMS_DEMO_ON_PAGE", None)
    if explicit is not None:
        return bool(explicit)
    backend = getattr(settings, "LIANXIN_SMS_BACKEND", "") or DEFAULT_BACKEND
    return backend == DEFAULT_BACKEND and not getattr(settings, "PRODUCTION", False)


def send_sms(phone: str, text: str) -> None:
    backend = import_string(getattr(settings, "LIANXIN_SMS_BACKEND", "") or DEFAULT_BACKEND)
    backend().send(phone, text)
