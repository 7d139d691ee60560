"""URL kwargs for notification routes: a notification addressed to a town-A user."""

CANARY_TITLE = "甲网格员的金丝雀通知"


def notification_a(w):
    from lianxin.notifications.models import Notification

    n = Notification.objects.filter(title=CANARY_TITLE).first()
    if n is None:
        n = Notification.objects.create(
            recipient=w.users["grid_a1"], kind="assigned", title=CANARY_TITLE
        )
    return n


ROUTE_KWARGS = {"notifications:mark_read": lambda w: {"pk": notification_a(w).pk}}
# Only its recipient marks a notification read (the positive control of the route walk).
ROUTE_OWNERS = {"notifications:mark_read": "grid_a1"}


def CANARIES(w):  # noqa: N802
    notification_a(w)
    return [CANARY_TITLE]
