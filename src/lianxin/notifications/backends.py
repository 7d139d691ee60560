"""Outbound channels behind one interface; settings.LIANXIN_NOTIFICATION_BACKENDS lists them.

A backend is a class with ``send(notification) -> bool | SendResult``. Two sorts:

* a *trace* (``channel = None``, e.g. ``ConsoleBackend``) is called once for every notice after
  the step's transaction commits; it is not a person's channel and leaves no delivery row;
* a *channel* (``channel = "email"`` / ``"sms"``) reaches a person only for the kinds they chose
  (``NotificationPreference``); each notice on it becomes a ``Delivery`` sent by the task queue
  with retries (``notifications.delivery``). ``destination(user)`` gives the address (empty: the
  person cannot be reached that way), ``supports(kind)`` whether the channel can carry the kind
  (SMS only with an approved template), ``available()`` whether it is configured at all.

SMS providers live in ``notifications.sms_providers``; nothing else changes to add one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from lianxin.core.masking import mask_phone

logger = logging.getLogger("lianxin.notifications")


@dataclass
class SendResult:
    """What one attempt came to: ``ok`` with the provider's message id, or the error; ``retry``
    False when trying again cannot help (no template, no address)."""

    ok: bool
    message_id: str = ""
    error: str = ""
    retry: bool = True


class BaseBackend:
    name = "base"
    channel: str | None = None  # None: a trace, called for every notice

    def available(self) -> bool:
        return True

    def supports(self, kind: str) -> bool:
        return True

    def destination(self, user) -> str:
        return ""

    def masked(self, address: str) -> str:
        return address

    def send(self, notification) -> bool | SendResult:  # pragma: no cover - interface
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


def mask_email(address: str) -> str:
    """'grid@example.org' -> 'g***@example.org' (the log shows where, not who)."""
    local, _, domain = (address or "").partition("@")
    if not domain:
        return "*" * len(local)
    return f"{local[:1]}***@{domain}"


class EmailBackend(BaseBackend):
    """Sends through Django's EMAIL_BACKEND to the recipient's address. A real provider is
    django-anymail's backend named in ``DJANGO_EMAIL_BACKEND`` with its keys in ``ANYMAIL``
    (settings only); its message id is kept in the delivery log."""

    name = "email"
    channel = "email"

    def destination(self, user) -> str:
        return getattr(user, "email", "") or ""

    def masked(self, address: str) -> str:
        return mask_email(address)

    def send(self, notification) -> SendResult:
        address = self.destination(notification.recipient)
        if not address:
            return SendResult(ok=False, error="no e-mail address", retry=False)
        body = notification.body
        if notification.url:
            body = f"{body}\n{absolute_url(notification.url)}".strip()
        message = EmailMessage(notification.title, body, settings.DEFAULT_FROM_EMAIL, [address])
        message.send()
        status = getattr(message, "anymail_status", None)  # set by django-anymail backends
        return SendResult(ok=True, message_id=str(getattr(status, "message_id", "") or "")[:100])


def absolute_url(url: str) -> str:
    """A notice's link as a full address for mail and SMS (``LIANXIN_SITE_URL``)."""
    base = (getattr(settings, "LIANXIN_SITE_URL", "") or "").rstrip("/")
    return f"{base}{url}" if url.startswith("/") and base else url


class SmsBackend(BaseBackend):
    """Text messages through the provider chosen by ``LIANXIN_SMS_PROVIDER`` (aliyun, tencent,
    none). Providers in China send only approved templates, so a kind is carried only when
    ``LIANXIN_SMS_TEMPLATES`` names its template code."""

    name = "sms"
    channel = "sms"

    def available(self) -> bool:
        from lianxin.notifications.sms_providers import get_provider

        return get_provider() is not None

    def supports(self, kind: str) -> bool:
        return bool((getattr(settings, "LIANXIN_SMS_TEMPLATES", {}) or {}).get(kind))

    def destination(self, user) -> str:
        return getattr(user, "phone", "") or ""

    def masked(self, address: str) -> str:
        return mask_phone(address)

    def send(self, notification) -> SendResult:
        from lianxin.notifications.sms_providers import get_provider, template_params

        provider = get_provider()
        template = (getattr(settings, "LIANXIN_SMS_TEMPLATES", {}) or {}).get(notification.kind)
        phone = self.destination(notification.recipient)
        if provider is None or not template or not phone:
            return SendResult(ok=False, error="SMS not configured for this notice", retry=False)
        return provider.send(phone=phone, template=template, params=template_params(notification))


@cache
def _load(paths: tuple[str, ...]) -> list[BaseBackend]:
    return [import_string(p)() for p in paths]


def get_backends() -> list[BaseBackend]:
    return _load(tuple(settings.LIANXIN_NOTIFICATION_BACKENDS))


def trace_backends() -> list[BaseBackend]:
    return [b for b in get_backends() if b.channel is None]


def channel_backend(channel: str) -> BaseBackend | None:
    """The configured backend of ``channel``, when it is configured and available."""
    for b in get_backends():
        if b.channel == channel and b.available():
            return b
    return None


def channel_backends() -> list[BaseBackend]:
    return [b for b in get_backends() if b.channel is not None and b.available()]
