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

from lianxin.people.masking import mask_phone

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


def send_sms(phone: str, text: str) -> None:
    backend = import_string(getattr(settings, "LIANXIN_SMS_BACKEND", "") or DEFAULT_BACKEND)
    backend().send(phone, text)
