"""Writes: create notifications (and hand them to the outbound backends), mark them read."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from lianxin.notifications.backends import get_backends
from lianxin.notifications.models import Notification

if TYPE_CHECKING:
    from lianxin.accounts.models import User

logger = logging.getLogger("lianxin.notifications")


def _deliver(notifications: list[Notification]) -> None:
    for backend in get_backends():
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

    Outbound delivery runs after the transaction commits, so a rolled-back step sends nothing.
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
        transaction.on_commit(lambda: _deliver(created))
    return created


@transaction.atomic
def notification_mark_read(*, user: User, pk: int | None = None) -> int:
    """Mark one (or, without ``pk``, all) of the user's notifications read. Rule: a user marks
    only their own (``for_user``); someone else's ``pk`` marks nothing."""
    qs = Notification.objects.for_user(user).unread()
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=timezone.now())
