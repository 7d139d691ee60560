"""Reads of the bell (a user's notifications are theirs alone) and of the delivery log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from lianxin.notifications.models import Delivery, Notification, NotificationPreference
from lianxin.org.models import Membership
from lianxin.org.scoping import scope_q

if TYPE_CHECKING:
    from lianxin.accounts.models import User


def notification_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.for_user(user)


def unread_count(*, user: User) -> int:
    return Notification.objects.for_user(user).unread().count()


def preference_for(*, user: User) -> NotificationPreference | None:
    return NotificationPreference.objects.filter(user=user).first()


def delivery_log(*, user: User, status: str = "", channel: str = "") -> QuerySet[Delivery]:
    """The deliveries to people who hold an active membership in the user's subtree (the one
    scoping gate, over the memberships' units): a county admin sees their county's, not the
    next county's. Newest first, with the tries prefetched (no query per row)."""
    qs = Delivery.objects.select_related("notification", "notification__recipient")
    q = scope_q(user, ("unit",))
    if q is not None:
        people = Membership.objects.active().filter(q).values("user_id")
        qs = qs.filter(notification__recipient_id__in=people)
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    return qs.prefetch_related("tries").order_by("-created_at", "-id")
