from __future__ import annotations

from lianxin.notifications.models import Notification


def notification_list(*, user):
    return Notification.objects.for_user(user)


def unread_count(*, user) -> int:
    return Notification.objects.for_user(user).unread().count()
