"""Reads of the bell: a user's notifications are theirs alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from lianxin.notifications.models import Notification

if TYPE_CHECKING:
    from lianxin.accounts.models import User


def notification_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.for_user(user)


def unread_count(*, user: User) -> int:
    return Notification.objects.for_user(user).unread().count()
