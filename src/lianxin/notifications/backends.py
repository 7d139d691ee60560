"""Outbound channels behind one interface; settings.LIANXIN_NOTIFICATION_BACKENDS lists them.

A backend is a class with ``send(notification) -> bool``. An SMS provider is one more
class here (or anywhere importable) named in the setting; nothing else changes.
"""

from __future__ import annotations

import logging
from functools import cache

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger("lianxin.notifications")


class BaseBackend:
    name = "base"

    def send(self, notification) -> bool:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Writes one log line per notification (development, and a trace in production)."""

    name = "console"

    def send(self, notification) -> bool:
        logger.info(
            "notify user=%s kind=%s title=%s",
            notification.recipient_id,
            notification.kind,
            notification.title,
        )
        return True


class EmailBackend(BaseBackend):
    """Sends through Django's EMAIL_BACKEND to the recipient's address, when there is one."""

    name = "email"

    def send(self, notification) -> bool:
        address = getattr(notification.recipient, "email", "")
        if not address:
            return False
        body = notification.body
        if notification.url:
            body = f"{body}\n{notification.url}"
        send_mail(notification.title, body, settings.DEFAULT_FROM_EMAIL, [address])
        return True


@cache
def _load(paths: tuple[str, ...]) -> list[BaseBackend]:
    return [import_string(p)() for p in paths]


def get_backends() -> list[BaseBackend]:
    return _load(tuple(settings.LIANXIN_NOTIFICATION_BACKENDS))
