from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema

from lianxin.notifications import selectors

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    read_at: datetime | None
    created_at: datetime


@router.get("/", response=list[NotificationOut], url_name="notifications_list")
def notifications(request, unread: bool = False, limit: int = 50, offset: int = 0):
    qs = selectors.notification_list(user=request.user)
    if unread:
        qs = qs.unread()
    limit = max(1, min(limit, 200))
    return list(qs[offset : offset + limit])
