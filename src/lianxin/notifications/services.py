"""Writes: create notifications (and plan their outbound deliveries), mark them read, and a
person's own delivery preferences."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import time
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.notifications.backends import trace_backends
from lianxin.notifications.delivery import deliveries_plan, enqueue
from lianxin.notifications.models import Notification, NotificationKind, NotificationPreference

if TYPE_CHECKING:
    from lianxin.accounts.models import User

logger = logging.getLogger("lianxin.notifications")


def _trace(notifications: list[Notification]) -> None:
    for backend in trace_backends():
        for n in notifications:
            try:
                backend.send(n)
            except Exception:  # an outbound failure never breaks the business step
                logger.exception("notification backend %s failed", backend.name)


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User | None],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str | None = None,
    title_msg: dict | None = None,
    body_msg: dict | None = None,
) -> list[Notification]:
    """Notify each recipient once; with ``dedupe_key`` a repeat call creates nothing.

    ``title_msg``/``body_msg`` (``notifications.i18n.msg``) keep the texts as msgid + params so
    each recipient reads them in their own UI language; ``title``/``body`` stay the Chinese text
    for outbound channels.

    In-app is the row itself (the bell, at once). E-mail and SMS are planned here as delivery
    rows for the kinds each recipient chose (``notifications.delivery``) and queued after the
    transaction commits, so a rolled-back step sends nothing.
    """
    created: list[Notification] = []
    seen: set[int] = set()
    texts = {k: v for k, v in (("title", title_msg), ("body", body_msg)) if v}
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        if (
            dedupe_key
            and Notification.objects.filter(recipient=user, dedupe_key=dedupe_key).exists()
        ):
            continue
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        recipient=user,
                        kind=kind,
                        title=title[:120],
                        body=body[:500],
                        url=url[:300],
                        dedupe_key=dedupe_key,
                        texts=texts,
                    )
                )
        except IntegrityError:  # a concurrent sweep created it first
            continue
    if created:
        planned = [d.pk for d in deliveries_plan(created, now=timezone.now())]
        transaction.on_commit(lambda: _trace(created))
        if planned:
            transaction.on_commit(lambda: enqueue(planned))
    return created


@transaction.atomic
def notification_mark_read(*, user: User, pk: int | None = None) -> int:
    """Mark one (or, without ``pk``, all) of the user's notifications read. Rule: a user marks
    only their own (``for_user``); someone else's ``pk`` marks nothing."""
    qs = Notification.objects.for_user(user).unread()
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def notification_preference_save(
    *,
    user: User,
    channels: dict[str, list[str]],
    quiet_start: time | None,
    quiet_end: time | None,
    request: HttpRequest | None = None,
) -> NotificationPreference:
    """A person's own choice of kinds per outbound channel and their quiet hours (audited).

    Rule: a phone number is used only for the notices its owner asked for (PIPL: consent for a
    purpose), so SMS is opt-in per kind, and the moment SMS was first chosen is kept as the
    consent; choosing no SMS kind withdraws it. Only kinds the channel can carry are kept (SMS:
    those with an approved template). Quiet hours need both ends (or neither: none)."""
    from lianxin.notifications.backends import channel_backend

    cleaned: dict[str, list[str]] = {}
    for channel, kinds in channels.items():
        backend = channel_backend(channel)
        if backend is None:
            continue
        cleaned[channel] = sorted(
            {k for k in kinds if k in NotificationKind.values and backend.supports(k)}
        )
    if (quiet_start is None) != (quiet_end is None):
        raise ValidationError(_("请同时填写免打扰的开始和结束时间，或都不填。"))
    pref, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    had_sms = bool(pref.kinds_for("sms"))
    pref.channels, pref.quiet_start, pref.quiet_end = cleaned, quiet_start, quiet_end
    if cleaned.get("sms") and not had_sms:
        pref.sms_consent_at = timezone.now()
    elif not cleaned.get("sms"):
        pref.sms_consent_at = None
    pref.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=user,
        target=pref,
        request=request,
        reason="notification preferences",
        extra={"channels": cleaned, "sms_consent": pref.sms_consent_at is not None},
    )
    return pref
