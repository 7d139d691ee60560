"""Outbound delivery: which notices go out on which channel, when, and the retries.

Rules (issue 15, "being told"):

* In-app (the bell) is immediate for every notice. E-mail and SMS reach a person only for the
  kinds they chose (``NotificationPreference``); with no choice made, e-mail carries the kinds
  of ``LIANXIN_NOTIFICATION_EMAIL_DEFAULT_KINDS`` and SMS nothing: a phone number is used only
  for the notices its owner asked for (opt-in, with the moment of consent recorded).
* Quiet hours (the person's, else ``LIANXIN_NOTIFICATION_QUIET_HOURS``): e-mail and SMS wait
  (``held``) until they end; nothing is dropped.
* Each notice on a channel is one ``Delivery`` row, planned in the business step's transaction;
  the task queue (django-tasks: ``notifications.tasks.deliver``) sends it after the commit, so a
  rolled-back step sends nothing. A failed try is retried with exponential backoff
  (``LIANXIN_NOTIFICATION_RETRY_SECONDS`` × 2^(n-1)) up to ``LIANXIN_NOTIFICATION_MAX_ATTEMPTS``
  tries; the periodic job ``deliveries_run_due`` queues what is due (held, retry, and rows a
  killed worker left in ``sending``). Every try is a ``DeliveryAttempt`` row.
* Claiming a delivery is one conditional UPDATE, so a task delivered twice sends once.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lianxin.core.masking import mask_numbers
from lianxin.notifications.backends import SendResult, channel_backend, channel_backends
from lianxin.notifications.models import (
    PENDING_STATUSES,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Notification,
    NotificationPreference,
)

if TYPE_CHECKING:
    from lianxin.accounts.models import User

logger = logging.getLogger("lianxin.notifications")

# A queued row is not queued again by the periodic job for this long (the task has it).
LEASE = timedelta(minutes=5)


def max_attempts() -> int:
    return max(1, int(getattr(settings, "LIANXIN_NOTIFICATION_MAX_ATTEMPTS", 5)))


def retry_delay(attempt: int) -> timedelta:
    """Exponential backoff after the ``attempt``-th failed try: base, 2×base, 4×base, ..."""
    base = float(getattr(settings, "LIANXIN_NOTIFICATION_RETRY_SECONDS", 60))
    return timedelta(seconds=min(base * 2 ** max(0, attempt - 1), 86_400))


def parse_quiet_hours(text: str) -> tuple[time, time] | None:
    """'22:00-07:00' -> (22:00, 07:00); empty or malformed: no quiet hours."""
    try:
        start, end = (part.strip() for part in (text or "").split("-", 1))
        return time.fromisoformat(start), time.fromisoformat(end)
    except ValueError:
        return None


def preference_of(user: User) -> NotificationPreference | None:
    return NotificationPreference.objects.filter(user=user).first()


def quiet_hours(pref: NotificationPreference | None) -> tuple[time, time] | None:
    if pref is None:
        return parse_quiet_hours(getattr(settings, "LIANXIN_NOTIFICATION_QUIET_HOURS", ""))
    if pref.quiet_start is None or pref.quiet_end is None:
        return None
    return pref.quiet_start, pref.quiet_end


def quiet_until(hours: tuple[time, time] | None, now: datetime) -> datetime | None:
    """When the quiet hours that ``now`` falls in end (local time), or None outside them. A
    span past midnight (22:00-07:00) ends the next morning when it starts in the evening."""
    if hours is None:
        return None
    start, end = hours
    if start == end:
        return None
    local = timezone.localtime(now)
    t = local.time().replace(tzinfo=None)
    today_end = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if start < end:
        return today_end if start <= t < end else None
    if t >= start:
        return today_end + timedelta(days=1)
    if t < end:
        return today_end
    return None


def chosen_kinds(pref: NotificationPreference | None, channel: str) -> set[str]:
    if pref is not None:
        return pref.kinds_for(channel)
    if channel == "email":
        return set(getattr(settings, "LIANXIN_NOTIFICATION_EMAIL_DEFAULT_KINDS", []) or [])
    return set()  # SMS: opt-in only


def deliveries_plan(notifications: list[Notification], *, now: datetime) -> list[Delivery]:
    """The outbound rows of freshly created notices (inside the caller's transaction)."""
    backends = channel_backends()
    if not backends or not notifications:
        return []
    prefs = {
        p.user_id: p
        for p in NotificationPreference.objects.filter(
            user_id__in={n.recipient_id for n in notifications}
        )
    }
    planned: list[Delivery] = []
    for n in notifications:
        pref = prefs.get(n.recipient_id)
        held = quiet_until(quiet_hours(pref), now)
        for backend in backends:
            channel = backend.channel or ""
            if not backend.supports(n.kind) or n.kind not in chosen_kinds(pref, channel):
                continue
            address = backend.destination(n.recipient)
            if not address:
                continue
            planned.append(
                Delivery(
                    notification=n,
                    channel=channel,
                    status=DeliveryStatus.HELD if held else DeliveryStatus.QUEUED,
                    next_attempt_at=held or now + LEASE,
                    destination=backend.masked(address)[:80],
                )
            )
    return Delivery.objects.bulk_create(planned)


def enqueue(delivery_ids: list[int]) -> None:
    from lianxin.notifications.tasks import deliver

    for pk in delivery_ids:
        try:
            deliver.enqueue(pk)
        except Exception:  # the periodic job picks it up once its lease has passed
            logger.exception("could not queue delivery %s", pk)


def _still_wanted(delivery: Delivery) -> bool:
    """A held notice goes out only if the person still wants it on that channel."""
    n = delivery.notification
    pref = preference_of(n.recipient)
    return n.kind in chosen_kinds(pref, delivery.channel)


def delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> dict[str, Any]:
    """One try of one delivery (the task body). Idempotent: only a queued or retrying row is
    claimed, by a conditional UPDATE, so a task run twice sends once."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status__in=(DeliveryStatus.QUEUED, DeliveryStatus.RETRY)
    ).update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, updated_at=now)
    if not claimed:
        return {"delivery": delivery_id, "skipped": True}
    d = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
    backend = channel_backend(d.channel)
    if backend is None:
        result = SendResult(ok=False, error="channel not configured", retry=False)
    elif not _still_wanted(d):
        result = SendResult(ok=False, error="withdrawn by the recipient", retry=False)
    else:
        try:
            sent = backend.send(d.notification)
            result = sent if isinstance(sent, SendResult) else SendResult(ok=bool(sent))
        except Exception as exc:  # an outbound failure is a failed try, never a crash
            logger.warning("delivery %s via %s failed: %s", d.pk, d.channel, type(exc).__name__)
            result = SendResult(ok=False, error=f"{type(exc).__name__}: {exc}")
    error = mask_numbers(result.error)[:300]
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=d,
            attempt=d.attempts,
            ok=result.ok,
            provider_message_id=result.message_id[:100],
            error=error,
        )
        d.error = error
        if result.ok:
            d.status, d.sent_at, d.next_attempt_at = DeliveryStatus.SENT, now, None
            d.provider_message_id = result.message_id[:100]
        elif result.retry and d.attempts < max_attempts():
            d.status, d.next_attempt_at = DeliveryStatus.RETRY, now + retry_delay(d.attempts)
        else:
            d.status, d.next_attempt_at = DeliveryStatus.FAILED, None
        d.save(
            update_fields=[
                "status",
                "sent_at",
                "next_attempt_at",
                "provider_message_id",
                "error",
                "updated_at",
            ]
        )
    return {"delivery": d.pk, "status": d.status, "attempt": d.attempts}


def deliveries_run_due(*, now: datetime) -> dict[str, int]:
    """Periodic: queue every delivery whose time has come (quiet hours over, backoff passed, a
    task lost), each leased for ``LEASE`` so the next run does not queue it again. Rows a killed
    worker left ``sending`` past the lease are tried again."""
    stale = Delivery.objects.filter(
        status=DeliveryStatus.SENDING, updated_at__lt=now - LEASE
    ).update(status=DeliveryStatus.RETRY, next_attempt_at=now)
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update()
            .filter(status__in=PENDING_STATUSES, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:500]
        )
        # held rows become queued; retry rows keep their status (the task claims both)
        Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.HELD).update(
            status=DeliveryStatus.QUEUED
        )
        Delivery.objects.filter(pk__in=ids).update(next_attempt_at=now + LEASE)
    enqueue(ids)
    return {"queued": len(ids), "stale": stale}
